"""Search over the real store: exact recall against a brute-force oracle, every operator, and
highlights that land on the characters as printed."""

from __future__ import annotations

import json
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.fold import traditional_to_simplified
from store.ingest import tokenize
from store.ingest.segment import blocks_of, segment
from store.normalize import normalize
from store.search.evaluate import search
from store.search.query import QueryError
from store.search.wildcard import Wildcard

from conftest import index_of


def texts(store) -> dict[str, str]:
    """What search promises to cover, per article, folded: the oracle's view, written out
    from the records rather than taken from the index."""
    out = {}
    for a in store.articles():
        parts = [a.title, a.subtitle, *a.headings, *(s.title for s in a.sidebars), *a.passages(), *a.captions]
        out[a.id] = normalize("\n".join(parts))
    return out


def oracle(store, term: str) -> set[str]:
    folded = normalize(term)
    return {aid for aid, text in texts(store).items() if folded in text}


def sample_terms(store, n: int = 300) -> list[str]:
    """Substrings of 1–8 characters from every part of random articles; most cross jieba words."""
    rng = random.Random(7)
    articles = store.articles()
    terms = []
    while len(terms) < n:
        a = rng.choice(articles)
        lines = [a.title, a.subtitle, *a.headings, *a.passages(), *a.captions]
        line = rng.choice([x for x in lines if x])
        size = rng.choice((1, 2, 3, 4, 5, 8))
        if len(line) <= size:
            continue
        start = rng.randrange(len(line) - size)
        term = line[start : start + size]
        if any(ch.isspace() or ch in '()|"/-!?*:' for ch in term):
            continue
        terms.append(term)
    return terms


def variants(term: str) -> list[str]:
    """The term in Traditional characters and in full-width upper-case forms, where they differ."""
    traditional = {s: t for t, s in traditional_to_simplified().items() if chr(s) not in "“”‘’"}
    out = ["".join(chr(traditional.get(ord(c), ord(c))) for c in term)]
    out.append("".join(chr(ord(c.upper()) + 0xFEE0) if "!" <= c <= "~" else c for c in term))
    return [v for v in out if v != term]


def test_recall_equals_a_brute_force_scan(store):
    terms = sample_terms(store)
    crossing = [t for t in terms if len(t) > 1 and tuple(tokenize.cut(t)) != (t,)]
    assert len(crossing) > 100  # most samples straddle jieba's word boundaries
    tried = 0
    for term in terms:
        for query in (term, *variants(term)):
            assert {h.article for h in store.search(query, limit=None).hits} == oracle(store, term), query
            tried += 1
    assert tried > 450


def test_traditional_and_full_width_queries_find_the_simplified_text(store):
    assert store.search("黨建品牌", limit=None).total == store.search("党建品牌", limit=None).total > 0
    assert store.search("學校", limit=None).total == store.search("学校", limit=None).total
    assert store.search("１２３４５", limit=None).total == store.search("12345", limit=None).total > 0
    assert {h.article for h in store.search("１２３４５", limit=None).hits} == oracle(store, "12345")


def test_substrings_inside_jieba_words_are_found(store):
    # 思政 inside 思政课, 北碚 inside 北碚区: word segmentation never hides a hit.
    for term in ("思政", "北碚", "中学", "碚区"):
        assert store.search(term, limit=None).total == len(oracle(store, term)) > 0


def test_highlight_spans_point_at_the_printed_characters(store):
    for query, printed in (("向阳花", "向阳花"), ("黨建品牌", "党建品牌")):
        snippets = [s for h in store.search(query, limit=None).hits for s in h.snippets]
        assert snippets
        for snippet in snippets:
            for start, end in snippet.spans:
                assert snippet.text[start:end] == printed


def test_highlights_on_a_traditional_page_cover_the_traditional_characters():
    page = "北碚區金興小學打造「星光點點放光彩」黨建品牌。ＡＢＣ學校。\n"
    index = index_of(segment(blocks_of(page), "t", "t.txt"))
    for query, printed in (("党建品牌", "黨建品牌"), ("abc学校", "ＡＢＣ學校"), ("“星光", "「星光")):
        (hit,) = search(index, query).hits
        (snippet,) = hit.snippets
        assert [snippet.text[a:b] for a, b in snippet.spans] == [printed]


def test_boolean_operators(store):
    both = {h.article for h in store.search("向阳花 党建", limit=None).hits}
    assert both == oracle(store, "向阳花") & oracle(store, "党建")
    either = {h.article for h in store.search("向阳花|星光点点", limit=None).hits}
    assert either == oracle(store, "向阳花") | oracle(store, "星光点点")
    without = {h.article for h in store.search("党建 -幼儿园", limit=None).hits}
    assert without == oracle(store, "党建") - oracle(store, "幼儿园")
    assert {h.article for h in store.search("党建 !幼儿园", limit=None).hits} == without
    grouped = {h.article for h in store.search("(向阳花|星光点点) 党建", limit=None).hits}
    assert grouped == (oracle(store, "向阳花") | oracle(store, "星光点点")) & oracle(store, "党建")


def test_phrase_wildcards_regex_and_near(store):
    assert store.search('"党建 品牌"', limit=None).total == len(oracle(store, "党建品牌"))
    wild = store.search("??小学", limit=None)
    assert wild.total > 0
    assert all(re.fullmatch(r"..小学", store_text) for h in wild.hits for s in h.snippets
               for store_text in [s.text[a:b] for a, b in s.spans])
    star = store.search("红色*品牌", limit=None)
    assert star.total >= 1
    regex = store.search("/党建.{0,4}品牌/", limit=None)
    assert {h.article for h in regex.hits} >= oracle(store, "党建品牌")
    near = store.search("星光点点 NEAR/10 党建", limit=None)
    assert [h.subject for h in near.hits] == ["金兴小学"]
    assert store.search("星光点点 NEAR/1 双创", limit=None).total == 0


def test_whole_word_mode_keeps_only_jieba_word_hits(store):
    everywhere = store.search("中学", limit=None)
    words = store.search("word:中学", limit=None)
    assert words.total <= everywhere.total
    assert sum(h.count for h in words.hits) < sum(h.count for h in everywhere.hits)


def test_field_filters(store):
    subjects = lambda q: {h.subject for h in store.search(q, limit=None).hits}
    assert subjects("district:北碚区") == {"金兴小学", "朝阳幼儿园", "两江小学", "北碚实验幼儿园", "朝阳小学"}
    assert subjects("type:幼儿园") >= {"朝阳幼儿园", "北碚实验幼儿园"}
    assert subjects("type:kindergarten district:北碚区") == {"朝阳幼儿园", "北碚实验幼儿园"}
    assert subjects("batch:2") == {"金兴小学", "北碚实验幼儿园", "永川区"}
    assert subjects("brand:向阳花") == {"朝阳小学"}
    assert subjects("school:北碚区金兴小学") == {"金兴小学"}
    assert subjects("file:004") == {"廊坊市"}
    assert subjects("in:title 双创") == {a.subject for a in store.articles() if "双创" in a.title + a.subtitle}


def test_results_carry_counts_for_the_distribution_panels(store):
    results = store.search("党建", limit=3)
    assert len(results.hits) == 3 and results.total == 12
    assert sum(results.by_page.values()) == 12
    assert results.by_district["北碚区"] == 5
    assert results.by_school["金兴小学"] >= 1
    assert results.hits[0].score >= results.hits[-1].score


def test_concordance_lists_every_hit(store):
    (line,) = store.concordance("向阳花")
    assert (line.span.part, line.span.paragraph, line.hit) == ("body", 0, "向阳花")
    assert line.left.endswith("“") and line.right.startswith("”党建品牌")
    passage = store.article(line.article).passages()[line.span.paragraph]
    assert passage[line.span.start : line.span.end] == "向阳花"
    assert passage[: line.span.start].endswith(line.left) and passage[line.span.end :].startswith(line.right)


@pytest.mark.parametrize(
    "query,position",
    [('"党建', 0), ("(党建", 0), ("党建)", 2), ("/[/", 1), ("foo:bar", 0), ("batch:3", 0), ("", 0),
     ("党建 |", 3), ("- 党建", 0), ("()", 0), ("type:大学", 0), ("党建 NEAR/5", 3), ("(", 1)],
)
def test_malformed_queries_report_a_message_and_position(store, query, position):
    with pytest.raises(QueryError) as err:
        store.search(query)
    assert err.value.position == position
    assert err.value.message


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet='()"/-|:* 党建ab\\', max_size=8))
def test_every_partly_typed_query_is_searched_or_explained(store, query):
    """The app searches every prefix as it is typed: the only failure allowed is a QueryError."""
    try:
        _ = store.rank(query).head  # the app shows the head at once: it must not fail either
    except QueryError as err:
        assert err.message and 0 <= err.position <= len(query)


def test_a_ranking_gives_the_same_order_from_its_head_and_in_full(store):
    ranking = store.rank("党建")
    head = [ranking[i] for i in range(3)]
    assert head == ranking.order[:3].tolist()
    assert [ranking[i] for i in range(len(ranking))] == ranking.order.tolist()
    assert len(ranking) == ranking.total == store.search("党建").total


def test_results_know_their_json_form_and_its_spans_are_the_hits(store):
    data = json.loads(json.dumps(store.search("党建品牌", limit=None).to_json(), ensure_ascii=False))
    assert data["total"] == len(data["hits"]) > 0
    for hit in data["hits"]:
        assert sum(len(s["spans"]) for s in hit["snippets"]) >= 1
        for snippet in hit["snippets"]:
            assert all(normalize(snippet["text"][a:b]) == "党建品牌" for a, b in snippet["spans"])


@pytest.mark.parametrize("query", ["(" * 5_000 + "党" + ")" * 5_000, "!" * 5_000 + "党", "(!" * 3_000 + "党" + ")" * 3_000])
def test_brackets_and_nots_nested_without_end_are_a_query_error_not_a_recursion(store, query):
    with pytest.raises(QueryError, match="nested more than 100 deep") as caught:
        store.rank(query)
    assert 100 <= caught.value.position <= 200  # at the bracket or NOT one too deep
    assert store.rank("(" * 100 + "党" + ")" * 100).total == store.rank("党").total


@settings(max_examples=2000, deadline=None)
@given(st.text("ab\n", max_size=14), st.text("ab?*", min_size=1, max_size=6))
def test_wildcards_match_as_the_regular_expression_does(text, pattern):
    """The linear matcher finds what `?` as `.` and `*` as a lazy `[^\\n]*?` find, one after another."""
    rx = re.compile("".join("." if c == "?" else "[^\n]*?" if c == "*" else re.escape(c) for c in pattern))
    assert [s for s in Wildcard(pattern).spans(text) if s[1] > s[0]] == [m.span() for m in rx.finditer(text) if m.end() > m.start()]


def test_a_wildcard_of_many_stars_searches_in_linear_time(store):
    """As a regular expression it backtracked through every way of cutting each paragraph (found
    by fuzzing): the search never ended."""
    assert store.search("?*?*?*?*?*?*?*?*品牌", limit=None).total == store.search("品牌", limit=None).total
    assert store.search("党*建*设*品*牌*啊", limit=None).total == 0


def test_a_pattern_the_regex_module_reads_otherwise_is_a_query_error(store):
    """`re` takes a{d as text; `regex`, which searches, expects a repeat: it was a traceback (found
    by fuzzing). Now a query error at the place it names."""
    with pytest.raises(QueryError) as raised:
        store.search("/党建{d/")
    assert raised.value.message == "bad regular expression: expected }" and raised.value.position == 5


def test_query_errors_quote_typed_text_short(store):
    for query in ("date:" + "2024x" * 100, "a" * 200 + ":党建"):
        with pytest.raises(QueryError) as raised:
            store.search(query)
        assert len(str(raised.value)) < 200 and "…" in str(raised.value)
