"""Small pages the parser was not written against: other districts, encodings and layouts.

Each fixture in tests/fixtures/pages stresses one thing: a GB18030 file, a Big5 file in Traditional
characters, a double-spaced hard-wrapped page, and headlines printed after their bodies.
"""

from __future__ import annotations

import pytest

from store import Store
from store.ingest.build import build

from conftest import FIXTURES, page_text

PAGES = FIXTURES / "pages"


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    db = tmp_path_factory.mktemp("fixtures") / "store.json"
    result = build(PAGES, db)
    assert result.warnings == []
    return Store.open(db)


def articles_in(store: Store, file: str):
    return [a for a in store.articles() if a.file == file]


def test_encodings_are_detected_and_recorded(fixture_store):
    encodings = {p.file: p.encoding for p in fixture_store.pages()}
    assert encodings["gb18030-page.txt"] == "gb18030"
    assert encodings["big5-page.txt"] == "big5"
    assert encodings["double-spaced.txt"] == "utf-8"


def test_big5_traditional_page_yields_the_same_profile_as_simplified(fixture_store):
    (article,) = articles_in(fixture_store, "big5-page.txt")
    assert "北碚區金興小學" in article.paragraphs[0]
    school = fixture_store.school("金兴小学")
    assert (school.district, school.batch, school.brands, school.models) == ("北碚区", 2, ("星光点点放光彩",), ("12345",))


def test_double_spaced_hard_wrapped_page(fixture_store):
    (article,) = articles_in(fixture_store, "double-spaced.txt")
    assert article.paragraphs == (
        "巫山县官渡小学地处大山深处。2024年，学校成功入选全市第二批中小学校党建引领创新和质量创优培育创建单位，打造“山花烂漫”党建品牌。",
        "学校党支部书记李华介绍，学校探索“一核两翼三驱动”工作模式，组织党员教师开展送教下乡，惠及学生1200余人次。",
        "学校先后荣获重庆市文明校园、巫山县先进基层党组织等荣誉称号。",
    )
    school = fixture_store.school("官渡小学")
    assert (school.district, school.batch, school.brands) == ("巫山县", 2, ("山花烂漫",))
    assert [(leader.role, leader.name) for leader in school.leaders] == [("党支部书记", "李华")]
    assert "一核两翼三驱动" in school.models


def test_headlines_after_their_bodies(fixture_store):
    jijiang, xuanhua = articles_in(fixture_store, "headline-after-body.txt")
    assert (jijiang.subject, jijiang.title, jijiang.region.district) == ("几江小学", "以党建之光照亮育人之路", "江津区")
    assert (xuanhua.subject, xuanhua.title, xuanhua.region.district) == ("萱花中学", "党建引领铸品牌", "永川区")
    # An honour ending in 学校 does not open a new article or become a school.
    assert len(jijiang.paragraphs) == 2
    assert fixture_store.school("重庆市绿色学校") is None
    assert "重庆市绿色学校" in fixture_store.school("几江小学").honors
    assert fixture_store.school("萱花中学").batch == 1


def test_a_school_named_in_the_title_under_a_district_label(fixture_store):
    (article,) = articles_in(fixture_store, "gb18030-page.txt")
    assert (article.subject, article.region.district) == ("鱼洞小学", "巴南区")
    assert article.bylines == ("■记者 赵一 通讯员 钱二",)
    school = fixture_store.school("鱼洞小学")
    assert school.brands == ("鱼跃龙门",)
    assert "党建“双创”培育创建单位" in school.designations
    assert school.batch is None  # the page does not say which batch


def test_a_school_printed_in_traditional_characters_is_found_as_printed(fixture_store):
    assert fixture_store.school("北碚區金興小學").name == "金兴小学"


def test_a_page_on_one_long_line_is_read_not_skipped(tmp_path):
    """A web reprint can arrive with no line breaks at all, and start with a dash like a kicker."""
    text = "".join(page_text("000_cffeeb912b6cb14d.txt").split())
    assert text.startswith("——") and "\n" not in text
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "line.txt").write_text(text + "\n", encoding="utf-8")
    result = build(tmp_path / "pages", tmp_path / "s.json")
    assert result.warnings == []
    store = Store.open(tmp_path / "s.json")
    assert store.search("人和立德").total == 1 and store.school("人和街小学") is not None


def test_a_page_of_only_punctuation_is_skipped_with_a_warning(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "dots.txt").write_text("。，！？……——“”《》、；：\n" * 200, encoding="utf-8")
    (tmp_path / "pages" / "real.txt").write_text(page_text("001_6aa715517b91c0bd.txt"), encoding="utf-8")
    result = build(tmp_path / "pages", tmp_path / "s.json")
    assert [w for w in result.warnings if "dots.txt" in w and "no text found" in w]
    assert Store.open(tmp_path / "s.json").school("金兴小学") is not None


def test_a_pdfs_text_is_laid_out_a_printed_page_at_a_time(tmp_path):
    """pdftotext puts a form feed between a PDF's pages: each is laid out as a page of its own
    (run together, a headline-less profile opening the next page joined the article before it)."""
    first, second = page_text("004_5ba2f485b8a21636.txt"), page_text("001_6aa715517b91c0bd.txt")
    corpus = tmp_path / "pdf"
    corpus.mkdir()
    for name in ("004_5ba2f485b8a21636.txt", "001_6aa715517b91c0bd.txt"):
        (corpus / name).write_text(page_text(name), encoding="utf-8")
    (corpus / "issue.txt").write_text(f"{first}\f{second}\f", encoding="utf-8")
    build(corpus, tmp_path / "s.json")
    store = Store.open(tmp_path / "s.json")
    subjects = {}
    for article in store.articles():
        subjects.setdefault(article.file, []).append(article.subject)
    assert subjects["issue.txt"] == subjects["004_5ba2f485b8a21636.txt"] + subjects["001_6aa715517b91c0bd.txt"]
    assert not any("\f" in a.text() for a in store.articles())
