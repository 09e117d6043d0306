"""The store on disk: TinyDB tables, UTF-8 JSON, atomic and incremental builds, the Python API."""

from __future__ import annotations

import gc
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from tinydb import TinyDB

from store import Store, StoreError
from store.ingest import forked
from store.ingest.build import build

from conftest import CORPUS


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS, dest, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    return dest


def test_store_is_a_tinydb_file_with_the_five_tables(built_db):
    db = TinyDB(built_db, encoding="utf-8", access_mode="r")  # read only: TinyDB touches a writable file without an encoding
    assert set(db.tables()) == {"meta", "pages", "articles", "texts", "schools"}
    assert len(db.table("pages")) == 5
    assert len(db.table("articles")) == len(db.table("texts")) == 12
    meta = db.table("meta").all()[0]
    assert {"schema", "fingerprint", "built"} <= set(meta)
    db.close()


def test_each_paragraph_is_stored_once(built_db, store):
    raw = built_db.read_bytes().decode("utf-8")
    paragraphs = [p for a in store.articles() for p in a.paragraphs if len(p) > 30]
    assert paragraphs
    assert all(raw.count(json.dumps(p, ensure_ascii=False)[1:-1]) == 1 for p in paragraphs)


def test_json_is_utf8_not_escaped(built_db):
    raw = built_db.read_bytes().decode("utf-8")
    assert "金兴小学" in raw
    assert "\\u" not in raw


def test_python_api(store):
    assert len(store.articles()) == 12
    first = store.articles()[0]
    assert store.article(first.id) == first
    assert store.article("nope") is None
    assert store.school("北碚区金兴小学").name == "金兴小学"
    assert store.school("不存在的学校") is None
    page = store.pages()[1]
    assert page.file == "001_6aa715517b91c0bd.txt"
    assert page.encoding == "utf-8"
    assert len(page.sha256) == 64
    assert page.region == "重庆市北碚区"


def test_dump_has_the_documented_shape(store):
    dump = store.dump()
    assert dump["schema"] == 1
    assert set(dump) == {"schema", "pages", "articles", "schools", "reprints"}
    assert {"id", "file", "encoding", "sha256", "articles"} <= set(dump["pages"][0])
    article_keys = {"id", "page", "file", "ordinal", "title", "subtitle", "subject", "subject_kind", "region",
                    "headings", "paragraphs", "bylines", "captions", "schools", "keywords"}
    assert article_keys <= set(dump["articles"][0])
    assert set(dump["articles"][0]["region"]) == {"province", "city", "district"}
    school_keys = {"name", "aliases", "province", "city", "district", "type", "batch", "designations", "brands",
                   "education_brands", "models", "leaders", "honors", "stats", "articles", "evidence"}
    assert school_keys <= set(dump["schools"][0])
    evidence = next(s for s in dump["schools"] if s["name"] == "金兴小学")["evidence"]["brands"][0]
    assert {"article", "paragraph", "sentence"} <= set(evidence)
    json.dumps(dump, ensure_ascii=False)


def test_keywords_come_from_jieba_with_the_domain_words(store):
    jinxing = next(a for a in store.articles() if a.subject == "金兴小学")
    assert jinxing.keywords
    assert all(len(k) >= 2 for k in jinxing.keywords)
    assert any(k in ("党建", "双创", "追星", "榜样") for k in jinxing.keywords)


def test_rebuild_is_idempotent_and_skips_an_unchanged_corpus(corpus_copy, tmp_path):
    db = tmp_path / "s.json"
    first = build(corpus_copy, db)
    before = db.read_bytes()
    second = build(corpus_copy, db)
    assert second.up_to_date
    assert db.read_bytes() == before
    forced = build(corpus_copy, db, force=True)
    assert (forced.pages, forced.articles, forced.schools) == (first.pages, first.articles, first.schools)
    assert Store.open(db).dump()["schools"] == Store.open(db).dump()["schools"]


def test_a_build_gives_the_garbage_collector_back_as_it_found_it(corpus_copy, tmp_path):
    """The build turns the cyclic collector off while it runs (its objects live to its end);
    the app or script that called it gets the collector back as it was."""
    assert gc.isenabled()
    build(corpus_copy, tmp_path / "a.json")
    assert gc.isenabled()
    gc.disable()
    try:
        build(corpus_copy, tmp_path / "b.json")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_build_is_incremental_and_forgets_removed_pages(corpus_copy, tmp_path):
    db = tmp_path / "s.json"
    build(corpus_copy, db)
    page = corpus_copy / "003_d536ef65ba6ff6bf.txt"
    page.write_text(page.read_text(encoding="utf-8") + "\n南岸区新增一段。\n", encoding="utf-8")
    changed = build(corpus_copy, db)
    assert changed.reparsed == 1
    (corpus_copy / "004_5ba2f485b8a21636.txt").unlink()
    removed = build(corpus_copy, db)
    assert removed.reparsed == 0
    store = Store.open(db)
    assert [p.file for p in store.pages()] == ["000_cffeeb912b6cb14d.txt", "001_6aa715517b91c0bd.txt",
                                                "002_b23eef46b433e38e.txt", "003_d536ef65ba6ff6bf.txt"]
    assert not any(a.subject == "廊坊市" for a in store.articles())


def test_a_page_not_in_the_manifest_is_still_ingested(corpus_copy, tmp_path):
    page = (corpus_copy / "001_6aa715517b91c0bd.txt").read_text(encoding="utf-8")
    (corpus_copy / "extra.txt").write_text(page.replace("2024年", "2025年", 1), encoding="utf-8")
    store = Store.open(_built(corpus_copy, tmp_path))
    extra = next(p for p in store.pages() if p.file == "extra.txt")
    assert extra.title is None and len(extra.articles) == 5


def test_writes_leave_no_temp_files(corpus_copy, tmp_path):
    _built(corpus_copy, tmp_path)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_broken_store_files_raise_a_readable_error(tmp_path):
    for content in (b"", b"{trunc", b"[1, 2]", b"\xff\xfe"):
        path = tmp_path / "bad.json"
        path.write_bytes(content)
        with pytest.raises(StoreError) as err:
            Store.open(path)
        assert str(path) in str(err.value)
    with pytest.raises(StoreError, match="no store"):
        Store.open(tmp_path / "missing.json")


def _built(corpus: Path, tmp_path: Path) -> Path:
    db = tmp_path / "s.json"
    build(corpus, db)
    return db


def test_build_reports_progress_for_each_page_and_phase(corpus_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cold-cache"))
    calls: list[tuple[str, int, int]] = []
    build(corpus_copy, tmp_path / "s.json", progress=lambda *call: calls.append(call))
    assert calls[0] == ("reading pages", 0, 0)
    parsing = [c for c in calls if c[0] == "parsing pages"]
    done = [c[1] for c in parsing]
    total = sum(len(p.read_bytes()) for p in corpus_copy.glob("*.txt"))
    assert done == sorted(done) and done[0] == 0 and done[-1] == total  # bytes, a page at a time
    assert len(parsing) == 6 and {c[2] for c in parsing} == {total}
    assert [c[0] for c in calls[1 + len(parsing):]] == [
        "finding reprints", "resolving schools across the corpus", "writing the store", "indexing for search"
    ]


def test_pages_in_subfolders_are_read_and_named_by_their_path(tmp_path):
    """A folder of pages kept a subfolder per paper or year (or an evaluation folder with its
    gold file beside pages/) builds as a user expects."""
    (tmp_path / "web" / "2024").mkdir(parents=True)
    (tmp_path / "web" / "gold.yaml").write_text("files: {}\n", encoding="utf-8")
    (tmp_path / "web" / "2024" / "01.txt").write_text("城东小学开展主题党日活动。\n", encoding="utf-8")
    (tmp_path / "web" / ".hidden").mkdir()
    (tmp_path / "web" / ".hidden" / "02.txt").write_text("河西小学开展活动。\n", encoding="utf-8")
    (tmp_path / "01.txt").write_text("城南中学开展主题党日活动。\n", encoding="utf-8")
    build(tmp_path, tmp_path / "s.json")
    store = Store.open(tmp_path / "s.json")
    assert [(p.file, p.id) for p in store.pages()] == [("01.txt", "01"), ("web/2024/01.txt", "web-2024-01")]


def test_article_rows_are_made_on_demand_and_say_what_the_articles_say(store):
    rows = store.article_summaries()
    articles = store.articles()
    assert len(rows) == len(articles) == 12
    for row, article in zip(rows, articles, strict=True):
        assert (row.id, row.title, row.subject) == (article.id, article.title, article.subject)
        assert row.area == (article.region.district or article.region.city or "—")
    assert rows[-1] == rows[len(rows) - 1] and rows[1:3] == [rows[1], rows[2]]
    with pytest.raises(IndexError):
        rows[len(rows)]
    subjects, areas = store.subjects_and_areas()
    assert subjects == {a.subject for a in articles}
    assert areas == {row.area for row in rows}


def test_a_build_that_forks_for_reprints_and_positions_writes_what_one_without_writes(corpus_copy, tmp_path, monkeypatch):
    """A large corpus's reprints and index positions are made in forked children while schools
    are resolved; a small one's here. Both ways give the same store and index."""
    monkeypatch.setattr(forked, "FORK_MIN", 0)
    build(corpus_copy, tmp_path / "forked.json")
    monkeypatch.setattr(forked, "FORK_MIN", 10**9)
    build(corpus_copy, tmp_path / "here.json")
    there, here = Store.open(tmp_path / "forked.json"), Store.open(tmp_path / "here.json")
    assert there.dump() == here.dump()
    assert there.index.arrays.keys() == here.index.arrays.keys()
    for name, array in there.index.arrays.items():
        assert np.array_equal(array, here.index.arrays[name]), name
