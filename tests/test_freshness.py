"""Whether a store is older than its pages, decided from the files' stats as git decides: no page
is read while none has changed, only a changed one is read, and a file changed in the same moment
as the build is read whatever its stat says."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from store.ingest.build import build, stale_reason
from store.ingest.freshness import stat_path

from conftest import CORPUS


@pytest.fixture
def built(tmp_path) -> tuple[Path, Path]:
    corpus = tmp_path / "pages"
    shutil.copytree(CORPUS, corpus)
    (corpus / "sub").mkdir()
    shutil.move(corpus / "004_5ba2f485b8a21636.txt", corpus / "sub" / "004.txt")
    db = tmp_path / "store.json"
    build(corpus, db)
    return corpus, db


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The page files read from here on."""
    seen: list[str] = []
    real = Path.read_bytes

    def counting(path: Path) -> bytes:
        if path.suffix == ".txt":
            seen.append(path.name)
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", counting)
    return seen


def settled(db: Path) -> None:
    """As if the build had begun a minute after its pages were last written (in the tests it
    begins within the same second, when every page counts as possibly racy and is read)."""
    record = json.loads(stat_path(db).read_text(encoding="utf-8"))
    record["started_ns"] += 60 * 10**9
    stat_path(db).write_text(json.dumps(record), encoding="utf-8")


def test_an_unchanged_corpus_is_current_without_a_page_read(built, reads):
    corpus, db = built
    settled(db)
    assert stale_reason(corpus, db) is None and reads == []


def test_an_unchanged_rebuild_reads_no_page(built, reads):
    corpus, db = built
    settled(db)
    result = build(corpus, db)
    assert result.up_to_date and result.articles == 12 and reads == []


def test_a_page_touched_but_unchanged_is_read_alone_and_still_current(built, reads):
    corpus, db = built
    settled(db)
    page = corpus / "001_6aa715517b91c0bd.txt"
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns + 5_000_000_000))
    assert stale_reason(corpus, db) is None and reads == [page.name]


def test_pages_touched_but_unchanged_are_read_once_then_trusted_again(built, reads):
    """A corpus copied or checked out again has new stats and the same bytes: the first check
    reads every page and records what it read, so the next one reads none (as git refreshes
    its index)."""
    corpus, db = built
    settled(db)
    pages = sorted(p for p in corpus.rglob("*.txt"))
    for page in pages:
        os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns - 60 * 10**9 + 1))
    assert stale_reason(corpus, db) is None and sorted(reads) == sorted(p.name for p in pages)
    reads.clear()
    assert stale_reason(corpus, db) is None and reads == []
    assert build(corpus, db).up_to_date and reads == []


def test_an_edited_page_makes_the_store_stale(built, reads):
    corpus, db = built
    settled(db)
    page = corpus / "sub" / "004.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("党建", "党務", 1), encoding="utf-8")  # same size
    reads.clear()
    assert stale_reason(corpus, db) == "older than its pages or the parser" and reads == ["004.txt"]


def test_a_page_changed_in_the_moment_the_build_began_is_read_whatever_its_stat(built, reads):
    """Racy git: the stat can be the same after a change when both fall in one timestamp tick
    (issue 17: a file rewritten with the same size within one second, on a coarse clock). How
    long "the same moment" is depends on the clock the file's time shows."""
    corpus, db = built
    page = corpus / "001_6aa715517b91c0bd.txt"
    record = json.loads(stat_path(db).read_text(encoding="utf-8"))
    size, _, inode, recorded = record["files"][page.name]
    changed = page.read_text(encoding="utf-8").replace("党建", "党務", 1)  # the same size

    def trusted(mtime_ns: int, started_ns: int) -> bool:
        """Whether the changed page, showing the stat the build recorded, is taken as unchanged."""
        page.write_text(changed, encoding="utf-8")
        os.utime(page, ns=(mtime_ns, mtime_ns))
        record["started_ns"] = started_ns
        record["files"][page.name] = [size, mtime_ns, inode, recorded]
        stat_path(db).write_text(json.dumps(record), encoding="utf-8")
        reads.clear()
        return stale_reason(corpus, db) is None and page.name not in reads

    coarse = page.stat().st_mtime_ns // (2 * 10**9) * (2 * 10**9)  # whole seconds: maybe a clock of 2 s ticks (FAT)
    assert trusted(coarse, coarse + 10 * 10**9)  # written well before the build: trusted, as git trusts it
    assert not trusted(coarse, coarse + 10**9)  # a change a second after the build could keep this time
    fine = coarse - 10 * 10**9 + 123_456_789  # a fraction of a second: a clock of milliseconds at most (ext4)
    assert trusted(fine, fine + 10**9)  # a change after the build would show a later time
    assert not trusted(fine, fine + 50_000_000)


def test_a_page_added_or_removed_is_found_by_listing_the_folder(built, reads):
    corpus, db = built
    settled(db)
    shutil.copy(corpus / "001_6aa715517b91c0bd.txt", corpus / "sub" / "copy.txt")
    assert stale_reason(corpus, db) == "older than its pages or the parser" and reads == ["copy.txt"]
    (corpus / "sub" / "copy.txt").unlink()
    (corpus / "003_d536ef65ba6ff6bf.txt").unlink()
    assert stale_reason(corpus, db) == "older than its pages or the parser"


def test_the_manifest_still_counts_and_without_a_record_every_page_is_read(built, reads):
    corpus, db = built
    stat_path(db).unlink()
    assert stale_reason(corpus, db) is None and len(reads) == 5
    manifest = corpus / "corpus.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("渝西都市报", "永川日报"), encoding="utf-8")
    assert stale_reason(corpus, db) == "older than its pages or the parser"
