"""Segmentation on the real bundled pages, and on small pages written to stress one layout each."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.ingest.segment import (
    MAX_ARTICLE,
    MAX_PARAGRAPH,
    WINDOW,
    assemble,
    blocks_of,
    bounded,
    finish,
    segment,
    split_credit,
    windows,
)
from store.sentences import sentences

from conftest import CORPUS, page_text

EXPECTED_SUBJECTS = {
    "000_cffeeb912b6cb14d.txt": ["梁平区", "人和街小学", "开州区职业教育中心"],
    "001_6aa715517b91c0bd.txt": ["金兴小学", "朝阳幼儿园", "两江小学", "北碚实验幼儿园", "朝阳小学"],
    "002_b23eef46b433e38e.txt": ["永川区", "汇龙小学"],
    "003_d536ef65ba6ff6bf.txt": ["南岸区"],
    "004_5ba2f485b8a21636.txt": ["廊坊市"],
}


def articles_of(name: str):
    return segment(blocks_of(page_text(name)), name[:-4], name)


@pytest.mark.parametrize("name", sorted(EXPECTED_SUBJECTS))
def test_bundled_pages_split_into_the_articles_a_reader_sees(store, name):
    subjects = [a.subject for a in store.articles() if a.file == name]
    assert subjects == EXPECTED_SUBJECTS[name]


def test_subject_kind_and_region_are_recorded(store):
    by_subject = {a.subject: a for a in store.articles()}
    assert by_subject["梁平区"].subject_kind == "region"
    assert by_subject["人和街小学"].subject_kind == "school"
    assert by_subject["人和街小学"].region.district == "渝中区"
    assert by_subject["朝阳小学"].region.district == "北碚区"  # from the page, not 辽宁省朝阳市
    assert by_subject["廊坊市"].region.province == "河北省"
    assert by_subject["南岸区"].region.city == "重庆市"


def test_headline_printed_after_its_body_is_attached_to_that_body():
    arts = articles_of("001_6aa715517b91c0bd.txt")
    kindergarten = next(a for a in arts if a.subject == "朝阳幼儿园")
    assert kindergarten.title == "党建统领“双创”提质"
    assert kindergarten.subtitle == "“蒙爱”教育行稳致远"
    assert kindergarten.paragraphs[0].startswith("在八十余年的办学历程中")
    # 两江小学's headline stands after 朝阳小学's body; it is placed by what it names.
    liangjiang = next(a for a in arts if a.subject == "两江小学")
    assert liangjiang.title == "坚持党建引领"
    assert next(a for a in arts if a.subject == "朝阳小学").title == ""


def test_captions_gathered_at_the_page_foot_go_to_the_article_they_name():
    arts = {a.subject: a for a in articles_of("001_6aa715517b91c0bd.txt")}
    assert arts["朝阳小学"].captions == ("朝阳小学老党员给朝阳学子讲学校历史",)
    assert arts["朝阳幼儿园"].captions == ("朝阳幼儿园的“朝阳娃过中国年”活动",)
    assert arts["金兴小学"].captions == ("金兴小学党支部团队开展一体化特色活动",)


def test_a_caption_set_inside_a_paragraph_is_lifted_out_and_the_paragraph_mended():
    liangping = articles_of("000_cffeeb912b6cb14d.txt")[0]
    assert "梁平中学党委理论学习中心组正在专题研讨教育现代化建设" in liangping.captions
    assert any(p.startswith("注重党建引领创新，强化组织建设。梁平区委") for p in liangping.paragraphs)
    assert not any(p.startswith("建设。") for p in liangping.paragraphs)
    langfang = articles_of("004_5ba2f485b8a21636.txt")[0]
    assert len(langfang.captions) == 3
    assert any("达到课程思政“润物无声”的效果。举办优秀教师" in p for p in langfang.paragraphs)


def test_headings_titles_and_kickers():
    liangping, renhe, kaizhou = articles_of("000_cffeeb912b6cb14d.txt")
    assert liangping.kicker.startswith("——关注重庆市百所中小学校")
    assert liangping.title == "“3+X”汇动能 党建“双创”出新彩"
    assert liangping.headings[0] == "以“双创”为契机 谱写党建新篇章"
    assert renhe.kicker == "渝中区人和街小学"
    assert renhe.title == "乘“双创”东风 “人和教育”勇毅笃行"
    assert len(renhe.headings) == 3
    assert all(0 <= p <= len(renhe.paragraphs) for p in renhe.heading_paragraphs)
    assert kaizhou.headings == ("加强党建引领 走出内涵发展新路子", "开展特色党建 当好品牌建设领头羊")


def test_bylines_and_photo_credits():
    liangping, renhe, kaizhou = articles_of("000_cffeeb912b6cb14d.txt")
    assert liangping.bylines == ("何霜 姚兰 黄兆娟",)
    assert liangping.credits == ("图片由梁平区委提供",)
    assert renhe.bylines == ("何霜 李佳佳 黄丹",)
    assert kaizhou.credits == ("图片由重庆市开州区职业教育中心提供",)
    langfang = articles_of("004_5ba2f485b8a21636.txt")[0]
    assert langfang.bylines == ("■记者 孟航 李彤彤 通讯员 郭玮峰",)
    assert langfang.credits == ("图片由廊坊市委组织部提供",)
    assert langfang.paragraphs[-1].endswith("贡献廊坊力量。")


def test_sidebar_after_the_byline_belongs_to_the_article():
    nanan = articles_of("003_d536ef65ba6ff6bf.txt")[0]
    assert [s.title for s in nanan.sidebars] == ["成绩展台"]
    assert len(nanan.sidebars[0].paragraphs) == 4
    assert not any("文博进校园" in p for p in nanan.paragraphs)
    assert nanan.bylines == ("何霜 杜林燕 张莺月",)


def test_split_credit_and_sentences():
    assert split_credit("何霜 姚兰 黄兆娟 图片由梁平区委提供") == ("何霜 姚兰 黄兆娟", "图片由梁平区委提供")
    assert sentences("他说：“好。”我们走。然后") == ["他说：“好。”我们走。", "然后"]
    assert sentences("“学校是科技馆。”是天台岗小学的写照。“好。”“对。”") == [
        "“学校是科技馆。”是天台岗小学的写照。", "“好。”", "“对。”"
    ]


# ---- pages the parser has never seen ---------------------------------------------------------

def test_a_web_reprint_with_headline_first_and_indented_paragraphs():
    page = (
        "巫山县：红色教育扎根大山\n"
        "　　本报记者 张三\n"
        "　　近年来，巫山县官渡小学以“红色领航”为主线，打造“山花”党建品牌。\n"
        "　　学校先后荣获重庆市文明校园、重庆市绿色学校等称号。\n"
    )
    (art,) = segment(blocks_of(page), "w", "w.txt")
    assert art.subject == "巫山县"
    assert art.bylines == ("本报记者 张三",)
    assert len(art.paragraphs) == 2


def test_a_traditional_character_page_is_analysed_like_a_simplified_one():
    page = (
        "2024年，北碚區金興小學成功入選「重慶市第二批新時代中小學校黨建引領創新和質量創優」創建單位，"
        "通過打造「星光點點放光彩」黨建品牌，引領學校高質量發展。\n\n"
        "金興小學黨支部嚴格落實「三會一課」。\n"
    )
    from store.ingest.extract import extract

    arts = segment(blocks_of(page), "t", "t.txt")
    assert arts[0].subject == "金兴小学"
    assert arts[0].paragraphs[0].startswith("2024年，北碚區金興小學")  # stored as printed
    _, schools = extract(arts)
    (school,) = schools
    assert (school.name, school.district, school.batch, school.brands) == ("金兴小学", "北碚区", 2, ("星光点点放光彩",))
    assert school.evidence["brands"][0].sentence in arts[0].paragraphs[0]


def test_page_furniture_is_left_out_wherever_it_stands():
    page = page_text("001_6aa715517b91c0bd.txt")
    expected = [a.subject for a in articles_of("001_6aa715517b91c0bd.txt")]
    for variant in ("第7版\n" + page, page + "\n第7版\n", "2024年9月6日 星期五\n责任编辑：张三\n" + page):
        arts = segment(blocks_of(variant), "p", "p.txt")
        assert [a.subject for a in arts] == expected
        assert not any("第7版" in a.title or "责任编辑" in a.title for a in arts)


def test_headline_lines_in_any_order_make_one_article():
    pages = [
        "“红烛映初心” 党建赋能新发展\n\n万州区清泉小学\n\n近年来，万州区清泉小学坚持党建引领，打造“红烛”党建品牌。\n",
        "万州区\n\n“红烛映初心” 党建赋能新发展\n\n清泉小学\n\n近年来，清泉小学坚持党建引领，打造“红烛”党建品牌。\n",
    ]
    for page in pages:
        (art,) = segment(blocks_of(page), "p", "p.txt")
        assert (art.subject, art.region.district, art.title) == ("清泉小学", "万州区", "“红烛映初心” 党建赋能新发展")
        assert len(art.paragraphs) == 1


def test_a_title_over_its_subtitle_between_two_articles_heads_the_next():
    """A line over a ——subtitle is a headline, not the last heading of the article above it;
    and the lines of a double-spaced page's headings stay apart from its text."""
    body = "城东小学坚持党建引领，打造“红帆”党建品牌，\n\n推动学校高质量发展。"
    page = (f"全区教育系统坚持党建引领，推动各项工作\n\n全面提升，取得显著成效。\n\n"
            f"“党建+”为育人赋能\n——城东小学党建工作纪实\n\n{body}\n\n" + "学校党支部开展活动。\n\n" * 3)
    first, second = segment(blocks_of(page), "p", "p.txt")
    assert first.headings == () and (second.title, second.subtitle) == ("“党建+”为育人赋能", "——城东小学党建工作纪实")
    assert second.subject == "城东小学"


def test_a_headlined_article_runs_on_through_paragraphs_that_open_with_other_schools():
    """A headline makes one article of a web page; without one, a paragraph opening with a new
    school starts its profile (as on the bundled pages). A list of schools opens a district's news."""
    page = ("甘肃张掖甘州区：城乡学校党建联建“手拉手”\n\n"
            "甘州区城东小学、河西小学、城南中学入选市级示范校名单，全区共有三所学校入选。\n\n"
            "甘州区城东小学党支部打造“麦浪红”党建品牌，组织党员教师送教下乡。\n\n"
            "甘州区城南中学党委与乡村学校结对，开展联合教研。\n")
    (article,) = segment(blocks_of(page), "p", "p.txt")
    assert (article.subject, article.subject_kind) == ("甘州区", "region")
    profiles = page.split("\n\n", 2)[2]
    assert [a.subject for a in segment(blocks_of(profiles), "p", "p.txt")] == ["城东小学", "城南中学"]
    headlined = page.split("\n\n", 1)[0] + "\n\n" + profiles
    assert [a.subject for a in segment(blocks_of(headlined), "p", "p.txt")] == ["甘州区"]
    unlabelled = "城乡学校党建联建“手拉手”\n\n" + profiles
    assert [a.subject for a in segment(blocks_of(unlabelled), "p", "p.txt")] == ["城东小学"]


def test_pages_of_newspaper_size_are_never_cut():
    for name in sorted(p.name for p in CORPUS.glob("*.txt")):
        articles = finish(assemble(blocks_of(page_text(name))), "p", name)
        assert bounded(articles, "p") is articles


def test_a_page_on_one_line_is_cut_into_readable_paragraphs_and_parts():
    text = "".join(page_text("001_6aa715517b91c0bd.txt").split()[1:])
    page = "金兴小学党建工作\n\n" + (text * 40)[:120_000] + "\n"
    articles = segment(blocks_of(page), "p", "p.txt")
    assert len(articles) >= 120_000 // MAX_ARTICLE
    assert all(len(p) <= MAX_PARAGRAPH for a in articles for p in a.paragraphs)
    assert all(sum(map(len, a.paragraphs)) <= MAX_ARTICLE for a in articles)
    assert [a.id for a in articles] == [f"p/{n}" for n in range(1, len(articles) + 1)]
    body = "".join(p for a in articles for p in a.paragraphs)
    assert body == "".join(p for a in finish(assemble(blocks_of(page)), "p", "p.txt") for p in a.paragraphs)
    assert {a.subject for a in articles} == {"金兴小学"}  # every part is still about the school


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="党建。！\n a", max_size=400), st.integers(min_value=4, max_value=60))
def test_windows_cover_the_page_exactly_and_stay_within_their_size(text, size):
    cut = list(windows(text, size))
    assert "".join(cut) == text
    assert all(len(w) <= size for w in cut) and all(cut[:-1])


def test_windows_end_at_a_blank_line_else_a_line_end_else_a_sentence_end():
    paragraph = "金兴小学党建工作扎实推进。" * 4  # 52 characters
    page = f"{paragraph}\n\n{paragraph}\n{paragraph}"
    assert [len(w) for w in windows(page, 100)] == [54, 53, 52]  # in a window's second half
    assert next(windows(f"{paragraph}\n{paragraph}", 80)) == paragraph + "\n"
    assert next(windows(paragraph * 2, 80)) == "金兴小学党建工作扎实推进。" * 6
    assert list(windows("党" * 100, 30)) == ["党" * 30] * 3 + ["党" * 10]  # no boundary at all


def test_a_newspaper_page_is_one_window():
    for name in EXPECTED_SUBJECTS:
        assert list(windows(page_text(name))) == [page_text(name)]
    assert 10 * max(len(page_text(name)) for name in EXPECTED_SUBJECTS) <= WINDOW


# Found by fuzzing (tests/fuzz): pages whose lines were lost whole.


def test_a_list_of_schools_with_no_prose_is_one_article_of_its_lines():
    page = "全市第二批党建双创学校名单\n\n重庆市北碚区金兴小学\n\n重庆市南岸区玛瑙学校\n\n重庆市永川区萱花中学\n"
    (article,) = segment(blocks_of(page), "p", "p.txt")
    assert article.title == "全市第二批党建双创学校名单"
    assert article.paragraphs == ("重庆市北碚区金兴小学", "重庆市南岸区玛瑙学校", "重庆市永川区萱花中学")


def test_a_byline_run_into_the_last_paragraph_leaves_the_paragraph_in_the_body():
    page = ("汇龙小学打造“燃梦教育”品牌\n\n学校落实立德树人根本任务。\n\n"
            "校长表示，学校将深化“儿童文学”办学特色。本版稿件由渝西都市报记者 张 玲 采写\n")
    (article,) = segment(blocks_of(page), "p", "p.txt")
    assert article.paragraphs[-1] == "校长表示，学校将深化“儿童文学”办学特色。"
    assert article.bylines == ("本版稿件由渝西都市报记者 张 玲 采写",)


def test_the_bundled_page_whose_byline_ran_into_prose_is_searched_whole(store):
    assert {h.article for h in store.search("燃梦教育", limit=None).hits} == {"002_b23eef46b433e38e/2"}


def test_a_page_opening_with_a_sidebar_keeps_it():
    page = "图片由南岸区教委提供\n\n成绩展台\n\n在全市开展“文博进校园”活动，选拔283名“文博小管”讲好故事。\n"
    (article,) = segment(blocks_of(page), "p", "p.txt")
    (sidebar,) = article.sidebars
    assert sidebar.title == "成绩展台" and sidebar.paragraphs == ("在全市开展“文博进校园”活动，选拔283名“文博小管”讲好故事。",)


def test_a_credit_above_the_first_article_and_a_kicker_no_headline_follows_are_kept():
    page = ("图片由南岸区教委提供\n\n——关注重庆市百所中小学校党建\n\n"
            "近年来，巴南区鱼洞小学坚持以高质量党建引领学校高质量发展。\n\n荣誉称号\n\n重庆市江津区几江小学\n\n"
            "以党建之光照亮育人之路\n\n几江小学成功入选全市第二批中小学校党建“双创”培育创建单位。\n")
    articles = segment(blocks_of(page), "p", "p.txt")
    kept = "".join(a.text() + a.kicker + "".join(a.credits + a.bylines) for a in articles)
    for line in ("图片由南岸区教委提供", "关注重庆市百所中小学校党建", "以党建之光照亮育人之路"):
        assert line in kept


def test_a_credit_on_a_traditional_page_is_kept_as_printed():
    """It was stored in simplified characters (found by fuzzing: 療 came back as 疗)."""
    assert split_credit("何霜 姚兰 圖片由梁平區委提供") == ("何霜 姚兰", "圖片由梁平區委提供")
