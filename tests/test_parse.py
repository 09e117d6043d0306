"""Parsing a page window by window: one page's articles are numbered through it, and a pool of
page workers parses and caches pages exactly as one process does."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from store.ingest import parse
from store.ingest.parse import PARALLEL_MIN_BYTES, WHOLE_FILE_BYTES, Source, cache_path, cached, parse_pages
from store.ingest.segment import WINDOW
from store.ingest.stamp import parser_modules
from store.paths import cache_dir

from conftest import CORPUS, page_text

PAGES = tuple(sorted(p.name for p in CORPUS.glob("*.txt")))


def source(path: Path, text: str) -> Source:
    data = text.encode("utf-8")
    path.write_bytes(data)
    return Source(path, data, hashlib.sha256(data).hexdigest(), path.name)


def test_a_page_of_many_windows_is_numbered_through_and_parsed_alike_in_a_pool(tmp_path, monkeypatch):
    issue = "\n\n".join(page_text(name) for name in PAGES)
    page = "\n\n".join([issue] * (PARALLEL_MIN_BYTES // len(issue.encode()) + 1))
    assert len(page) > 3 * WINDOW
    smalls = [source(tmp_path / f"small{n}.txt", page_text(name)) for n, name in enumerate(PAGES)]
    big = source(tmp_path / "big.txt", page)
    sources = [*smalls[:3], big, *smalls[3:]]
    # Small files go to the pool whole, a few to a task; the big one window by window.
    monkeypatch.setattr(parse, "BATCH_BYTES", len(smalls[0].data) + len(smalls[1].data))
    assert max(len(s.data) for s in smalls) <= WHOLE_FILE_BYTES < len(big.data)
    tasks = [(run.__name__, len(args[0])) for run, args in parse._tasks(sources, {big.name: parse._plan(big, {})}, {})]
    assert tasks[:3] == [("_parse_files", 2), ("_parse_files", 1), ("_parse_windows", 1)]
    serial = list(parse_pages(sources, {}, workers=1))
    shutil.rmtree(cache_dir() / "pages")
    pooled = list(parse_pages(sources, {}, workers=2))
    assert serial == pooled
    assert [s.name for s, _ in pooled] == [s.name for s in sources]
    assert [cached(cache_path(s, {})) for s in sources] == [parsed for _, parsed in pooled]
    (_, first), (_, parsed) = serial[1], serial[3]
    ids = [a.id for a in parsed.articles]
    assert ids == [f"big/{n}" for n in range(1, len(ids) + 1)]
    assert [a.ordinal for a in parsed.articles] == list(range(1, len(ids) + 1))
    assert [a.article for a in parsed.analyses] == ids and parsed.pages[0].articles == tuple(ids)
    assert len(parsed.words) == len(ids)
    subjects = [a.subject for a in first.articles]
    assert subjects == ["金兴小学", "朝阳幼儿园", "两江小学", "北碚实验幼儿园", "朝阳小学"]
    assert sum(a.subject == "金兴小学" for a in parsed.articles) >= page.count(page_text(PAGES[1])) - 1


def test_the_page_cache_is_keyed_by_the_parser_and_only_the_parser():
    """Every module that shapes a parse is read from the imports; ranking, the index and the
    store's file are not, so changing them never reparses the pages."""
    modules = parser_modules()
    assert {"ingest/parse.py", "ingest/segment.py", "ingest/extract.py", "sentences.py", "namekey.py",
            "layout.py", "records.py", "search/searchable.py"} <= set(modules)
    assert not {"db.py", "ingest/build.py", "search/evaluate.py", "search/indexing.py", "export/documents.py"} & set(modules)
    assert modules == sorted(modules) == parser_modules()
