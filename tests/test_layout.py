"""One article layout: the reader, the export and the search index read an article the same way.

The article here has what segmenting can produce and the three used to disagree on: two headings
at one paragraph, a heading after the last paragraph, a sidebar with a title and one without.
"""

from __future__ import annotations

from textual.app import App

from store.export.documents import _article_body
from store.layout import PARTS, evidence_span, layout_of, part_lines
from store.records import Article, Region, Sidebar
from store.search.evaluate import search
from tui.widgets.reader import Reader

from conftest import index_of

ARTICLE = Article(
    id="a0", page="p", file="p.txt", ordinal=1, title="金兴小学党建纪实", subtitle="红领巾心向党", kicker="",
    subject="金兴小学", subject_kind="school", region=Region(district="北碚区"),
    headings=("一、铸魂工程", "二、育人工程", "三、结语前言", "四、尾声"),
    heading_paragraphs=(0, 0, 2, 2),
    paragraphs=("学校打造党建品牌。", "教师党员带头示范。"),
    bylines=(), credits=(), captions=("图为主题党日活动",),
    sidebars=(Sidebar("链接：学校简介", ("金兴小学始建于1950年。",)), Sidebar("", ("荣誉：全国文明校园。",))),
)

READING_ORDER = [
    "金兴小学党建纪实", "红领巾心向党",
    "一、铸魂工程", "二、育人工程", "学校打造党建品牌。", "教师党员带头示范。", "三、结语前言", "四、尾声",
    "链接：学校简介", "金兴小学始建于1950年。", "荣誉：全国文明校园。",
    "图为主题党日活动",
]


def test_the_layout_keeps_every_line_in_reading_order():
    assert [b.text for b in layout_of(ARTICLE)] == READING_ORDER


def test_each_block_stands_at_its_address_in_the_parts_the_index_numbers(store):
    for article in [ARTICLE, *store.articles()]:
        lines, blocks = part_lines(article), layout_of(article)
        assert all(lines[b.part][b.paragraph] == b.text for b in blocks), article.id
        assert sum(map(len, lines.values())) == len(blocks) and list(lines) == list(PARTS)


def test_the_export_writes_the_layout_in_the_same_order():
    markdown = "\n".join(_article_body(ARTICLE, 1, ""))
    positions = [markdown.index(line) for line in READING_ORDER[2:]]
    assert positions == sorted(positions)
    assert "## 三、结语前言" in markdown and "## 四、尾声" in markdown  # both headings after the last paragraph
    assert "## 一、铸魂工程" in markdown and "## 二、育人工程" in markdown  # both headings at one paragraph
    assert "## 链接\n" in markdown  # the untitled sidebar still gets a heading


async def test_the_reader_shows_the_layout_and_highlights_a_hit_where_search_found_it():
    index = index_of([ARTICLE])
    for query, expected in (("in:headings 育人", "二、育人工程"), ("in:headings 尾声", "四、尾声"), ("全国文明", "荣誉：全国文明校园。")):
        (hit,) = search(index, query).hits
        (span,) = hit.spans

        class One(App[None]):
            def compose(self):
                yield Reader()

        async with One().run_test() as pilot:
            reader = pilot.app.query_one(Reader)
            reader.show(ARTICLE, hit.spans)
            await pilot.pause()
            shown = reader.text()
            assert [shown.index(line) for line in READING_ORDER] == sorted(shown.index(line) for line in READING_ORDER)
            assert reader.hit_count == 1
            block = reader._blocks[(span.part, span.paragraph)]
            assert block.text == expected
            assert block.text[span.start : span.end] in query


def test_every_evidence_sentence_of_the_bundled_corpus_is_found_where_it_says(store):
    spans = 0
    for school in store.schools():
        for items in school.evidence.values():
            for evidence in items:
                article = store.article(evidence.article)
                span = evidence_span(article, evidence)
                assert span is not None, (school.name, evidence)
                assert article.passages()[span.paragraph][span.start : span.end] == evidence.sentence
                spans += 1
    assert spans > 100
