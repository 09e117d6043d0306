"""Build the store from a folder of pages: parse each (store.ingest.parse: read → reflow → segment →
words and keywords → analyse, in a process pool), then resolve schools across the corpus and
write the store and its search index.

Incremental: a parsed page is cached by its bytes, so an unchanged page is not parsed again; an
unchanged corpus (same folder, pages, manifest, lexicon and parser) is not rebuilt at all. Schools
are resolved across the whole corpus, so that last step always sees every article.
"""

from __future__ import annotations

import gc
import hashlib
import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from store.counts import count
from store.db import read_meta, writable_target, write_store
from store.errors import StoreWriteError
from store.files import can_create_in, mapped, remove_stale_temps, replacing
from store.i18n import _
from store.ingest import forked, manifest
from store.ingest.extract import Analysis, extract
from store.ingest.freshness import CorpusError, Stat, fingerprint, listing, record, stale_reason, stat_path
from store.ingest.kinds import PAGE_SUFFIXES
from store.ingest.parse import (
    Parsed,
    Source,
    cache_path,
    cached,
    default_workers,
    parse_pages,
    prune_cache,
)
from store.ingest.reprints import find_reprints
from store.ingest.stamp import data_hash
from store.records import SCHEMA_VERSION, Article, Page, School
from store.search.index import index_matches, index_path
from store.search.indexing import build_index, char_positions, pair_positions, write_index
from store.search.searchable import decode_words, doc_text, written_records

# Called with (what is being done, how much is done, how much in all: 0 when not counted).
# Parsing counts bytes, so one huge page moves the bar as steadily as many small ones.
Progress = Callable[[str, int, int], None]


@dataclass
class BuildResult:
    pages: int = 0
    articles: int = 0
    schools: int = 0
    warnings: list[str] = field(default_factory=list)
    reparsed: int = 0
    up_to_date: bool = False
    seconds: float = 0.0
    peak_mb: int = 0  # the largest this process has been, and the largest of its helpers
    peak_workers_mb: int = 0  # (page workers, forked children)

    def summary(self, db: Path) -> str:
        counts = _(", ").join(  # a list's separator: 、or ，in Chinese
            count(n, noun) for n, noun in
            ((self.pages, "page"), (self.articles, "article"), (self.schools, "school"), (len(self.warnings), "warning"))
        )
        if self.up_to_date:
            return _("store {db} is up to date: {counts}").format(db=db, counts=counts)
        workers = _(", helper processes {mb} MB").format(mb=self.peak_workers_mb) if self.peak_workers_mb else ""
        return _("built {db}: {counts} ({seconds} s; peak memory {mb} MB{workers})").format(
            db=db, counts=counts, seconds=f"{self.seconds:.1f}", mb=self.peak_mb, workers=workers)


def scan(corpus: Path, passed_over: list[str] | None = None, stats: dict[str, Stat] | None = None,
         folders: dict[str, int] | None = None) -> list[Source]:
    """The page files of a corpus folder and its subfolders, in name order (their reading order).
    Every other file is named in `passed_over` with the reason: a kind baixiao does not read, or a
    file it cannot open. `stats` and `folders` are filled with each page's stat and each folder's
    modification time, taken before reading (store.ingest.freshness)."""
    said = passed_over if passed_over is not None else []
    sources = []
    for path in listing(corpus, folders):
        name = path.relative_to(corpus).as_posix()
        if path.suffix.lower() not in PAGE_SUFFIXES:
            kinds = " ".join(sorted({s.lstrip(".") for s in PAGE_SUFFIXES}))
            said.append(f"{path}: skipped: not a kind of page baixiao reads ({kinds})")
            continue
        try:
            before = Stat.of(path.stat())
            data = path.read_bytes()
        except OSError as err:
            said.append(f"{path}: skipped: unreadable ({err.strerror or err})")
            continue
        if stats is not None:
            stats[name] = before
        sources.append(Source(path, data, hashlib.sha256(data).hexdigest(), name))
    return sources


def _up_to_date(meta: dict[str, Any], started: float) -> BuildResult:
    counts = meta.get("counts", {})
    return BuildResult(
        pages=counts.get("pages", 0),
        articles=counts.get("articles", 0),
        schools=counts.get("schools", 0),
        warnings=list(meta.get("warnings", [])),
        up_to_date=True,
        seconds=time.perf_counter() - started,
    )


def build(
    corpus: Path,
    db: Path,
    *,
    force: bool = False,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> BuildResult:
    """Build or refresh the store at `db` from the pages in `corpus`."""
    with _collector_off():
        return _build(corpus, db, force, progress, jobs)


def _build(corpus: Path, db: Path, force: bool, progress: Progress | None, jobs: int | None) -> BuildResult:
    started = time.perf_counter()
    target = writable_target(db)
    for path in (target, index_path(db)):
        remove_stale_temps(path)
    if not force and stat_path(db).exists() and stale_reason(corpus, db) is None:  # from the pages' stats
        return _up_to_date(read_meta(db) or {}, started)
    if progress:
        progress("reading pages", 0, 0)
    pages_info = manifest.load(corpus)
    passed_over: list[str] = []
    stats: dict[str, Stat] = {}
    folders: dict[str, int] = {}
    started_ns = time.time_ns()
    sources = scan(corpus, passed_over, stats, folders)
    stamp = fingerprint(((s.name, s.sha256) for s in sources), corpus)

    def remember() -> None:
        record(db, started_ns, corpus, ((s.name, stats[s.name], s.sha256) for s in sources), folders)

    meta = read_meta(db) if db.exists() else None
    if meta and not force and meta.get("fingerprint") == stamp and index_matches(db, meta):
        remember()
        return _up_to_date(meta, started)
    if not can_create_in(target.parent):  # said now, not after parsing every page
        raise StoreWriteError(db, "its folder is not writable")
    result = BuildResult(warnings=passed_over)
    sources = _unique(sources, result.warnings)
    names = {s.name for s in sources}
    for name in sorted(n for n in pages_info if n not in names and n.split("#")[0] not in names):
        result.warnings.append(f"{corpus / 'corpus.yaml'}: lists {name}, which is not in the folder")
    parsed = _parse_or_reuse(sources, pages_info, force, jobs, progress, result)
    pages: list[Page] = []
    articles: list[Article] = []
    analyses: list[Analysis] = []
    words: list[bytes] = []
    for source, item in zip(sources, parsed, strict=True):
        if item.warning:  # the file named as it was given this time, never as the cache saw it first
            result.warnings.append(f"{source.path}: {item.warning}")
        if item.pages:
            pages.extend(item.pages)
            articles.extend(item.articles)
            analyses.extend(item.analyses)
            words.extend(decode_words(w) for w in item.words)
    del parsed, item  # the lists above hold what is still needed; a huge page's build peaks below
    if progress:
        progress("finding reprints", 0, 0)
    fork = len(articles) >= forked.FORK_MIN
    reprints_found = forked.meanwhile(find_reprints, articles, fork=fork)
    pairs = forked.meanwhile(pair_positions, articles, fork=fork)  # the index's, from the texts and words alone
    chars = forked.meanwhile(char_positions, articles, words, fork=fork)
    if progress:
        progress("resolving schools across the corpus", 0, 0)
    articles, schools = extract(articles, analyses)
    del analyses
    reprints = reprints_found()
    schools = _counted_once(schools, reprints)
    meta = {
        "schema": SCHEMA_VERSION,
        "data": data_hash(),
        "fingerprint": stamp,
        "corpus": str(corpus.resolve()),
        "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "warnings": result.warnings,
        "counts": {"pages": len(pages), "articles": len(articles), "schools": len(schools)},
    }
    if progress:
        progress("writing the store", 0, 0)
    texts = [doc_text(a) for a in articles]
    records = written_records(articles, schools, texts)
    try:
        with replacing(target, index_path(db)) as [store_file, index_file]:
            starts, ends = write_store(store_file, meta, pages, articles, schools, records, texts)
            del texts
            if progress:
                progress("indexing for search", 0, 0)
            with mapped(store_file) as mapped_texts:
                index = build_index(
                    articles, schools, words, pages=pages, reprints=reprints, fingerprint=stamp, built=meta["built"],
                    text_at=(mapped_texts, starts, ends), records=records, positions={**pairs(), **chars()},
                )
            write_index(index, index_file)
    except OSError as err:
        raise StoreWriteError(db, err.strerror or str(err)) from None
    remember()
    result.pages, result.articles, result.schools = len(pages), len(articles), len(schools)
    result.seconds = time.perf_counter() - started
    result.peak_mb, result.peak_workers_mb = (
        resource.getrusage(who).ru_maxrss // 1024 for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return result


@contextmanager
def _collector_off() -> Iterator[None]:
    """A build makes millions of objects that live to its end, and no cycles to speak of: the
    cyclic collector, which walked them all again each time they grew by a quarter, is off
    meanwhile (resolving schools at 10,000 articles 5.2 -> 2.8 s). The page workers turn it
    back on; the forked children (store.ingest.forked), which only read, leave it off."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _counted_once(schools: list[School], reprints: list[tuple[str, ...]]) -> list[School]:
    """A school's articles and facts with each story once: a reprint is reached from its first
    printing, and its sentences are quoted only for what the first printing does not say."""
    later = {article for group in reprints for article in group[1:]}
    return [_once(s, later) if later & set(s.articles) else s for s in schools]


def _once(school: School, later: set[str]) -> School:
    evidence = {}
    for name, items in school.evidence.items():
        said = {item.value for item in items if item.article not in later}
        evidence[name] = tuple(i for i in items if i.article not in later or i.value not in said)
    return replace(school, articles=tuple(a for a in school.articles if a not in later), evidence=evidence)


def _unique(sources: list[Source], warnings: list[str]) -> list[Source]:
    """The same page twice (a copy under another name) would count its schools twice; two files
    whose names make one page id (a-b.txt and a/b.txt) would mix their articles."""
    first_of: dict[str, Path] = {}
    id_of: dict[str, str] = {}
    unique = []
    for source in sources:
        if source.sha256 in first_of:
            warnings.append(f"{source.path}: skipped: same content as {first_of[source.sha256].name}")
        elif source.page_id in id_of:
            warnings.append(f"{source.path}: skipped: its page id {source.page_id} is taken by {id_of[source.page_id]}; rename one")
        else:
            first_of[source.sha256] = source.path
            id_of[source.page_id] = source.name
            unique.append(source)
    return unique


def _parse_or_reuse(
    sources: list[Source],
    pages_info: dict[str, manifest.PageInfo],
    force: bool,
    jobs: int | None,
    progress: Progress | None,
    result: BuildResult,
) -> list[Parsed]:
    """Every page parsed, from the cache where its bytes were seen before, in page order."""
    prune_cache()
    parsed: dict[str, Parsed] = {}
    todo: list[Source] = []
    for source in sources:
        hit = None if force else cached(cache_path(source, pages_info))
        if hit:
            parsed[source.name] = hit
        else:
            todo.append(source)
    result.reparsed = len(todo)

    def parsing(done: int, total: int) -> None:
        if progress:
            progress("parsing pages", done, total)

    for source, item in parse_pages(todo, pages_info, jobs or default_workers(), parsing):
        parsed[source.name] = item
    return [parsed[s.name] for s in sources]


__all__ = ["BuildResult", "CorpusError", "build", "scan", "stale_reason"]
