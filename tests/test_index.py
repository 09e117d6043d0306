"""The search index: exact occurrences from character pairs, the file it is written to, ranking
by BM25 over jieba words, and what happens when the index is missing or from another build."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store import Store, StoreError
from store.db import write_store
from store.files import mapped, replacing
from store.records import SCHEMA_VERSION, Article, Region
from store.search.evaluate import search
from store.search.index import SHIFT, Index, IndexFileError, index_path
from store.search.indexing import _sorted_pairs, write_index

from conftest import CORPUS, index_of


def article(n: int, body: str, title: str = "", captions: tuple[str, ...] = ()) -> Article:
    return Article(
        id=f"a{n}", page="p", file="p.txt", ordinal=n, title=title, subtitle="", kicker="", subject="",
        subject_kind="", region=Region(), headings=(), heading_paragraphs=(), paragraphs=tuple(body.split("\n")),
        bylines=(), credits=(), captions=captions,
    )


def occurrences(text: str, term: str) -> list[int]:
    return [i for i in range(len(text) - len(term) + 1) if text.startswith(term, i)]


# A small alphabet, so terms repeat, overlap (aaa holds aa twice) and cross paragraph breaks.
bodies = st.lists(st.text(alphabet="党建党a A\n", min_size=0, max_size=40), min_size=1, max_size=4)
terms = st.text(alphabet="党建aA", min_size=1, max_size=4)


@settings(max_examples=60, deadline=None)
@given(bodies, terms)
def test_every_occurrence_and_nothing_else(texts, term):
    docs = [article(i, t) for i, t in enumerate(texts)]
    results = search(index_of(docs), term, limit=None)
    folded = term.lower()
    expected = {
        f"a{i}": sum(len(occurrences(line.lower(), folded)) for line in t.split("\n"))
        for i, t in enumerate(texts)
    }
    assert {h.article: h.count for h in results.hits} == {a: n for a, n in expected.items() if n}
    for hit in results.hits:
        lines = docs[int(hit.article[1:])].paragraphs
        for span in hit.spans:
            assert lines[span.paragraph][span.start : span.end].lower() == folded


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=0x10FFFF), max_size=60))
def test_pairs_are_sorted_as_their_code_point_keys(points):
    codes = np.array(points, dtype=np.uint32)
    keys, positions, firsts = _sorted_pairs(codes)
    plain = (codes[:-1].astype(np.uint64) << np.uint64(SHIFT)) | codes[1:]
    order = np.argsort(plain, kind="stable")
    assert positions.tolist() == order.tolist()
    assert keys.tolist() == sorted(set(plain.tolist()))
    assert [int(plain[positions[f]]) for f in firsts] == keys.tolist()


def test_a_page_using_more_characters_than_16_bits_can_rank_is_still_found():
    points = [*range(0x4E00, 0xD800), *range(0xE000, 0x10000), *range(0x20000, 0x2A000)]
    hostile = "".join(chr(c) for c in points if not chr(c).isspace())
    docs = [article(0, hostile + "党建"), article(1, "金兴小学党建")]
    results = search(index_of(docs), "党建", limit=None)
    assert {h.article for h in results.hits} == {"a0", "a1"}
    assert search(index_of(docs), hostile[40_000:40_003], limit=None).total == 1


def written(path: Path, docs: list[Article], built: str = "t") -> Index:
    """A store of `docs` and its index, written as a build writes them; the index as built."""
    with replacing(path, index_path(path)) as [store_file, index_file]:
        starts, ends = write_store(store_file, {"schema": SCHEMA_VERSION, "fingerprint": "f", "built": built}, [], docs, [])
        with mapped(store_file) as texts:
            index = index_of(docs, fingerprint="f", built=built, text_at=(texts, starts, ends))
        write_index(index, index_file)
    return index_of(docs, fingerprint="f", built=built)


def test_an_index_read_back_from_its_file_answers_as_the_one_built(tmp_path):
    docs = [article(0, "北碚区金兴小学打造党建品牌\n思政课", title="党建引领"), article(1, "其中学生", captions=("图为党建",))]
    built = written(tmp_path / "x.json", docs)
    read = Index.read(tmp_path / "x.json.index")
    assert (read.fingerprint, read.built, read.n) == ("f", "t", 2)
    assert [read.text(d) for d in range(2)] == [built.text(d) for d in range(2)]
    assert [read.article(d) for d in range(2)] == docs
    for query in ("党建", "思政", "学", "word:中学", '"党建 品牌"', "/党.品/", "in:captions 党建"):
        assert search(read, query) == search(built, query), query


def test_an_index_reads_its_texts_only_from_the_store_it_was_built_with(tmp_path):
    docs = [article(0, "北碚区金兴小学打造党建品牌")]
    written(tmp_path / "x.json", docs)
    index = (tmp_path / "x.json.index").read_bytes()
    written(tmp_path / "x.json", [article(0, "另一次构建的文字，长短也不同")], built="u")
    (tmp_path / "x.json.index").write_bytes(index)
    with pytest.raises(IndexFileError, match="another build of its store"):
        Index.read(tmp_path / "x.json.index")
    (tmp_path / "x.json").unlink()
    with pytest.raises(IndexFileError, match="store of search index"):
        Index.read(tmp_path / "x.json.index")


@pytest.mark.parametrize("content", [b"", b"BAIXIAO-INDEX 1\n0000", b"{}", b"BAIXIAO-INDEX 1\n00000000000000zz"])
def test_a_damaged_index_file_is_one_readable_error(tmp_path, content):
    path = tmp_path / "x.index"
    path.write_bytes(content)
    with pytest.raises(IndexFileError) as err:
        Index.read(path)
    assert str(err.value).count("\n") == 0 and "x.index" in str(err.value)


def test_title_hits_outrank_body_hits_and_whole_words_outrank_parts():
    docs = [article(0, "学校的品牌很多。" * 3), article(1, "学校介绍。" * 3, title="品牌建设")]
    assert [h.article for h in search(index_of(docs), "品牌").hits] == ["a1", "a0"]
    docs = [article(0, "其中学生很多，其中学生很好。"), article(1, "这所中学很好，中学很多。")]
    ranked = search(index_of(docs), "中学")
    assert [h.article for h in ranked.hits] == ["a1", "a0"]
    assert [h.article for h in search(index_of(docs), "word:中学").hits] == ["a1"]


def test_titles_and_captions_get_snippets_of_their_own():
    docs = [article(0, "正文没有。", title="党建品牌", captions=("图为金兴小学的党建活动",))]
    (hit,) = search(index_of(docs), "党建").hits
    assert [(s.part, s.paragraph, s.text[a:b]) for s in hit.snippets for a, b in s.spans] == [
        ("title", 0, "党建"), ("captions", 0, "党建")
    ]


def test_phrases_allow_spaces_not_line_breaks_and_near_stays_in_its_part():
    docs = [article(0, "党建 品牌"), article(1, "党建\n品牌"), article(2, "党建品牌"), article(3, "品牌", title="党建")]
    index = index_of(docs)
    assert {h.article for h in search(index, '"党建 品牌"').hits} == {"a0", "a2"}
    assert {h.article for h in search(index, "党建 NEAR/3 品牌").hits} == {"a0", "a1", "a2"}
    assert {h.article for h in search(index, "品牌 NEAR/0 党建").hits} == {"a2"}
    assert {h.article for h in search(index, "/^品牌/").hits} == {"a1", "a3"}


def test_the_index_sits_beside_the_store_and_belongs_to_its_build(built_db):
    assert index_path(built_db).is_file()
    store = Store.open(built_db)
    assert store.index.fingerprint == store.meta["fingerprint"]
    assert store.index.n == len(store.articles())


def test_a_missing_or_foreign_index_is_a_store_error_and_the_cli_rebuilds_it(built_db, tmp_path):
    db = tmp_path / "s.json"
    shutil.copy(built_db, db)
    with pytest.raises(StoreError, match="missing"):
        Store.open(db).search("党建")
    shutil.copy(index_path(built_db), index_path(db))
    meta_changed = db.read_text(encoding="utf-8").replace('"built":"', '"built":"X', 1)
    db.write_text(meta_changed, encoding="utf-8")
    with pytest.raises(StoreError, match="another build"):
        Store.open(db).search("党建")
    index_path(db).unlink()
    proc = subprocess.run(
        [sys.executable, "-m", "tui.cli", "search", "党建", "--db", str(db), "--corpus", str(CORPUS)],
        capture_output=True, text=True, encoding="utf-8", cwd=Path(__file__).parents[1],
    )
    assert proc.returncode == 0, proc.stderr
    assert "without its search index: rebuilding" in proc.stderr
    assert "12 articles for 党建" in proc.stdout
