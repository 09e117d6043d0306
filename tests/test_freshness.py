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


def test_an_edited_page_makes_the_store_stale(built, reads):
    corpus, db = built
    settled(db)
    page = corpus / "sub" / "004.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("党建", "党務", 1), encoding="utf-8")  # same size
    reads.clear()
    assert stale_reason(corpus, db) == "older than its pages or the parser" and reads == ["004.txt"]


def test_a_page_changed_in_the_moment_the_build_began_is_read_whatever_its_stat(built, reads):
    """Racy git: the stat can be the same after a change when both fall in one timestamp tick
    (issue 17: a file rewritten with the same size within one second, on a coarse clock)."""
    corpus, db = built
    page = corpus / "001_6aa715517b91c0bd.txt"
    before = page.stat()
    page.write_text(page.read_text(encoding="utf-8").replace("党建", "党務", 1), encoding="utf-8")
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))  # the same size, time and inode as recorded
    record = json.loads(stat_path(db).read_text(encoding="utf-8"))
    record["started_ns"] = before.st_mtime_ns + 10 * 10**9  # written well before the build: trusted, as git trusts it
    stat_path(db).write_text(json.dumps(record), encoding="utf-8")
    assert stale_reason(corpus, db) is None
    # written a second before the build began, on a filesystem whose clock ticks every 2 s (FAT): a
    # change a second after the build keeps the same time, so such a file is never trusted
    record["started_ns"] = before.st_mtime_ns + 10**9
    stat_path(db).write_text(json.dumps(record), encoding="utf-8")
    reads.clear()
    assert stale_reason(corpus, db) == "older than its pages or the parser" and page.name in reads


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
