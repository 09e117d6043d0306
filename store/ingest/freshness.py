"""Freshness: whether a store is older than its pages, decided without reading them.

Every `baixiao` command asks before it opens the store, so the answer must not cost a read of the
whole corpus (0.6 s at 10,000 pages, seconds at 100,000). As git's index and make do, a build
records each page file's size, modification time and inode beside its hash (`store.json.stat`);
later, a file whose stat is unchanged is taken to hold the bytes it held, and only a file whose
stat changed is read and hashed again. The folders' own modification times are recorded too: while
none has changed, no file was added, removed or renamed, and the folders are not listed again.

A file modified in the same moment as the build that recorded it could change again with the same
stat (racy git): a file whose modification time is not a clock tick before the build's start is
always read. A time in whole seconds may come from a clock that ticks every 2 s (FAT), where a
change a second after the build can keep the time it had a second before: RACY_NS. A time with a
fraction of a second comes from a clock that ticks in milliseconds at most (ext4, NTFS, APFS,
exFAT): FINE_RACY_NS, so a corpus written just before its build is not read again on the next
command.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from store.db import Store, StoreError, read_meta, writable_target
from store.files import atomic_write
from store.ingest.kinds import PAGE_SUFFIXES
from store.ingest.stamp import data_hash
from store.ingest.watch import Watch
from store.records import SCHEMA_VERSION
from store.search.index import index_matches

VERSION = 1
RACY_NS = 2_000_000_000  # the coarsest modification-time tick in use (FAT)
FINE_RACY_NS = 100_000_000  # ten times the tick of a clock that shows fractions of a second


def settled(mtime_ns: int, started_ns: int) -> bool:
    """Whether a change after the build began would show in a time that was `mtime_ns` then."""
    return mtime_ns < started_ns - (FINE_RACY_NS if mtime_ns % 1_000_000_000 else RACY_NS)


@dataclass(frozen=True)
class Stat:
    size: int
    mtime_ns: int
    ino: int

    @classmethod
    def of(cls, result: os.stat_result) -> Stat:
        return cls(result.st_size, result.st_mtime_ns, result.st_ino)


class CorpusError(Exception):
    """A corpus folder that cannot be used; one readable line."""


def stat_path(db: Path) -> Path:
    return db.with_name(db.name + ".stat")


def record(db: Path, started_ns: int, corpus: Path, files: Iterable[tuple[str, Stat, str]], folders: dict[str, int]) -> None:
    """After a build: each page file's stat and hash, and each folder's modification time."""
    data = {
        "version": VERSION,
        "corpus": str(corpus.resolve()),
        "started_ns": started_ns,
        "folders": folders,
        "files": {name: [s.size, s.mtime_ns, s.ino, sha] for name, s, sha in files},
    }
    with contextlib.suppress(OSError):  # without it the next check reads the pages: slower, never wrong
        atomic_write(stat_path(db), json.dumps(data, ensure_ascii=False).encode("utf-8"), durable=False)


@dataclass
class Seen:
    """What a check saw of the corpus: each page file's hash, the stat it was taken under, the
    folders' times, how many pages had to be read (their stat changed, or was too recent) and
    whether the folders had to be listed (their times changed, or were too recent)."""

    hashes: dict[str, str] = field(default_factory=dict)
    stats: dict[str, Stat] = field(default_factory=dict)
    folders: dict[str, int] = field(default_factory=dict)
    read: int = 0
    listed: bool = False

    def add(self, name: str, path: str, stat: os.stat_result, known: list | None, started: int) -> None:
        self.stats[name] = Stat.of(stat)
        if known and stat.st_mtime_ns == known[1] and stat.st_size == known[0] and stat.st_ino == known[2] and settled(known[1], started):
            self.hashes[name] = known[3]
        else:
            self.hashes[name] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
            self.read += 1


def hashes(db: Path, corpus: Path, listing: dict[str, Path] | None = None) -> Seen | None:
    """Each page file's hash as it is now, reading only the files whose stat changed since the
    build; None when there is no record of that build to go by (the caller reads every page).
    `listing`: the page files by name, when the caller has listed the folder; else the record's
    names are taken while no folder has changed."""
    try:
        data = json.loads(stat_path(db).read_bytes())
        if data.get("version") != VERSION or data.get("corpus") != str(corpus.resolve()):
            return None
        started, known, folders = data["started_ns"], data["files"], data["folders"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if listing is None:
        if folder_times(corpus, folders) != folders or not all(settled(t, started) for t in folders.values()):
            return None
        base = os.fspath(corpus)
        paths = [(name, f"{base}/{name}") for name in known]  # strings, not pathlib: 40,000 stats a command
    else:
        paths = [(name, os.fspath(path)) for name, path in listing.items()]
    seen = Seen(folders=folders)
    try:
        for name, path in paths:
            seen.add(name, path, os.stat(path), known.get(name), started)
    except OSError:
        return None
    return seen


def folder_times(corpus: Path, folders: Iterable[str]) -> dict[str, int]:
    """The modification times of these folders of the corpus (relative names, "" the corpus);
    a folder gone is left out."""
    times = {}
    for name in folders:
        with contextlib.suppress(OSError):
            times[name] = (corpus / name).stat().st_mtime_ns
    return times


def listing(corpus: Path, folders: dict[str, int] | None = None) -> list[Path]:
    """The corpus's files, the manifest and a bundled corpus's package file left out."""
    check_corpus(corpus)
    return _files(corpus, corpus, folders if folders is not None else {})


def check_corpus(corpus: Path) -> None:
    if not corpus.exists():
        raise CorpusError(f"corpus folder {corpus} does not exist")
    if not corpus.is_dir():
        raise CorpusError(f"corpus {corpus} is not a folder")


def _files(folder: Path, corpus: Path, folders: dict[str, int]) -> list[Path]:
    """Files in the folder and its subfolders (a folder per paper or year), hidden ones left out.
    Read with scandir, whose entries know their kind without a stat each (40,000 pages: 0.7 s
    with pathlib's)."""
    folders[folder.relative_to(corpus).as_posix().removeprefix(".")] = folder.stat().st_mtime_ns
    with os.scandir(folder) as entries:
        ordered = sorted(entries, key=lambda entry: entry.name)
    left_out = {"__pycache__", "__init__.py", *(["corpus.yaml"] if folder == corpus else [])}
    found = []
    for entry in ordered:
        if entry.name.startswith(".") or entry.name in left_out:
            continue
        if entry.is_dir(follow_symlinks=False):
            found.extend(_files(folder / entry.name, corpus, folders))
        elif entry.is_file():
            found.append(folder / entry.name)
    return found


def fingerprint(pages: Iterable[tuple[str, str]], corpus: Path) -> str:
    """Changes when anything that shapes the store changes: folder, pages (name and hash, in any
    order), manifest, lexicon, parser."""
    digest = hashlib.sha256(f"{SCHEMA_VERSION}:{data_hash()}:{corpus.resolve()}".encode())
    manifest_path = corpus / "corpus.yaml"
    if manifest_path.exists():
        digest.update(manifest_path.read_bytes())
    digest.update("".join(f"{name}:{sha}\n" for name, sha in sorted(pages)).encode())
    return digest.hexdigest()


def stale_reason(corpus: Path, db: Path) -> str | None:
    """Why the store at `db` must be (re)built from `corpus`, or None when it is current."""
    if not db.exists():
        return "missing"
    writable_target(db)
    meta = read_meta(db)
    if meta is None:
        try:
            meta = Store.open(db).meta
        except StoreError as err:
            return f"damaged: {err}"
    check_corpus(corpus)
    folder = str(corpus.resolve())
    if meta.get("corpus") != folder:
        return f"a store of {meta.get('corpus')}"
    started = time.time_ns()
    stamp = _vouched.get(folder)
    seen = None
    if stamp is None:
        seen = _seen(corpus, db)
        stamp = fingerprint(seen.hashes.items(), corpus)
    if meta.get("fingerprint") != stamp:
        return "older than its pages or the parser"
    if not index_matches(db, meta):
        return "without its search index"
    if seen is not None and (seen.read or seen.listed):  # pages touched, copied or just written: the next check trusts them
        record(db, started, corpus, ((name, seen.stats[name], sha) for name, sha in seen.hashes.items()), seen.folders)
    return None


def _seen(corpus: Path, db: Path) -> Seen:
    """Each page file's hash: from the last build's record where a file's stat is unchanged (the
    folders not even listed while none changed), else read."""
    found = hashes(db, corpus)
    if found is None:
        folders: dict[str, int] = {}
        inside = len(os.fspath(corpus)) + 1
        pages = {
            os.fspath(p)[inside:].replace(os.sep, "/"): p for p in listing(corpus, folders) if p.suffix.lower() in PAGE_SUFFIXES
        }
        found = hashes(db, corpus, pages)
        if found is None:  # no record of the last build: every page read
            found = Seen()
            for name, path in pages.items():
                found.add(name, os.fspath(path), path.stat(), None, 0)
        found.folders, found.listed = folders, True
    return found


_vouched: dict[str, str] = {}  # corpus → its fingerprint, while a watch sees no change
_watches: dict[str, Watch] = {}


def watch_corpus(corpus: Path, db: Path) -> None:
    """For a process that runs each command in a fork of itself (the command server): know the
    corpus's fingerprint before each fork, worked out once and then kept while a watch on its
    folders sees no change, so the fork's `stale_reason` need not stat every page. The watch
    is set before the fingerprint is worked out: a change made meanwhile is seen next time.
    Where nothing can be watched, nothing is kept and the forks check as any process does."""
    key = str(corpus.resolve())
    watch = _watches.get(key)
    if watch is not None and not watch.changed():
        return
    if watch is not None:
        watch.close()
    _watches.pop(key, None)
    _vouched.pop(key, None)
    folders: dict[str, int] = {}
    listing(corpus, folders)
    watch = Watch.of(corpus / name for name in folders)
    if watch is not None:
        _watches[key] = watch
        _vouched[key] = fingerprint(_seen(corpus, db).hashes.items(), corpus)
