"""Each extraction rule of issue 12 on text written for the test (no page copied): school names as
reporters write them, brands and models in their forms, districts by evidence."""

from __future__ import annotations

import pytest

from store.ingest.extract import extract, sentence_facts
from store.ingest.names import find_schools
from store.lexicon import load
from store.namekey import normalize_key
from store.records import Article, Region


def names(text: str) -> list[str]:
    return [m.display for m in find_schools(text) if not m.quoted]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("区里的鱼洞二小、水头一小和高新实验一小都参加了。", ["鱼洞二小", "水头一小", "高新实验一小"]),
        ("川外附中与巴师附小结对，建斌職校也来了。", ["川外附中", "巴师附小", "建斌职校"]),
        ("成都四十九中派出教师，青云初中和衣锦小学承办。", ["成都四十九中", "青云初中", "衣锦小学"]),
        ("河西幼儿园党支部、城南中学党委联合开展活动。", ["河西幼儿园", "城南中学"]),
        ("星湾学校玲珑街校区开放，红星分园同步开放。", ["星湾学校", "红星分园"]),
        ("参观了青年路小学教育集团华润校区。", ["青年路小学"]),
        ("深入推进“五双工程”，兴龙湖中学、凤凰湖中学获评。", ["兴龙湖中学", "凤凰湖中学"]),
        ("为桂西学校等6所民办学校选派指导员。", ["桂西学校"]),
        ("参观了总园的班级区角和红星分园。", ["红星分园"]),
        ("滨江四牌坊小学与几江幼儿园结对。", ["滨江四牌坊小学", "几江幼儿园"]),
        ("今天参观重庆七中。", ["重庆七中"]),
        ("常州市武进区鸣凰幼儿园滨湖分园开展活动。", ["鸣凰幼儿园", "滨湖分园"]),
        ("此前文龙幼儿园党支部获评示范点。", ["文龙幼儿园"]),
        ("长宁县职业技术学校和永城市职业中等专业学校结对。", ["长宁县职业技术学校", "永城市职业中等专业学校"]),
        ("呼伦贝尔市满洲里市第五小学来访。", ["满洲里市第五小学"]),
        ("汉昌学校是一所九年一贯制学校。", ["汉昌学校"]),
        ("重庆一中学生赴外地研学。", ["重庆一中"]),
        ("吴忠市高级中学来访。", ["吴忠市高级中学"]),
        ("作为首批培育创建单位，城口二中持续擦亮品牌。", ["城口二中"]),
        ("育心党建将融合阳明小学的传统文化特色。", ["阳明小学"]),
    ],
)
def test_school_names_as_reporters_write_them(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    ["全县中学都参加了。", "6所学校全部入选。", "打造开放式品牌学校。", "获评省现代化学校。", "每一小时换一次岗。",
     "在红河州中职学校技能大赛中获奖。", "以红色引擎驱动学校发展。", "课后服务实现学校、学生全覆盖。", "学生在采茶、制茶中学习。"],
)
def test_counts_generic_phrases_and_honours_are_not_schools(text):
    assert names(text) == []


def test_short_and_full_forms_of_one_school_share_a_key():
    assert normalize_key("昆阳二小") == normalize_key("昆阳镇第二小学")
    assert normalize_key("十一中") == normalize_key("第十一中学校")
    assert normalize_key("鱼洞四小") != normalize_key("鱼洞二小")
    assert normalize_key("区实验一小") == normalize_key("实验一小")
    assert normalize_key("青山初级中学") == normalize_key("青山初中")
    assert normalize_key("柘城县第一实验小学") == normalize_key("柘城实验一小")
    assert normalize_key("呼伦贝尔市满洲里市第五小学") == normalize_key("满洲里五小")


def test_short_and_full_forms_resolve_to_one_profile_across_pages():
    pages = [article(1, ["区实验一小“燎原”党建入选。"]), article(2, ["实验一小开展主题党日活动。", "实验一小获评示范校。"]),
             article(3, ["平阳县昆阳镇第二小学党支部获评示范性党组织。"]), article(4, ["昆阳二小打造“和合”党建品牌。"])]
    _, schools = extract(pages)
    assert len(schools) == 2
    assert {len(s.articles) for s in schools} == {2}
    assert any(s.brands == ("燎原",) for s in schools) and any(s.brands == ("和合",) for s in schools)


def test_traditional_names_and_pinyin_noise():
    from store.ingest.read import normalize_text

    assert names(normalize_text("建斌職業(yè)技術(shù)學(xué)校獲評示范校。")) == ["建斌职业技术学校"]


def facts(sentence: str, mentions: list[tuple[int, int]] | None = None) -> list[tuple[str, object]]:
    return [(f.field, f.value) for f in sentence_facts(sentence, mentions or [], load())
            if f.field in ("brands", "education_brands", "models")]


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("甲校“红帆”党建、乙校“启航”党建", [("brands", "红帆"), ("brands", "启航")]),
        ("打造 “和合・致远” 党建品牌", [("brands", "和合・致远")]),
        ("打造党建品牌“星火”，", [("brands", "星火")]),
        ("以「燎原」党建品牌为抓手", [("brands", "燎原")]),
        ("提炼 “水润党建” 品牌", [("brands", "水润党建")]),
        ("以“幸福 师德先行”为党建特色品牌", [("brands", "幸福 师德先行")]),
        ("学校党委“弘扬‘守正’以致远”品牌项目获评", [("brands", "弘扬‘守正’以致远")]),
        ("开展同心党建、连心党建工作", [("brands", "同心"), ("brands", "连心")]),
        ("着力打造“燃梦教育”品牌", [("education_brands", "燃梦教育")]),
        ("以“立德树人”为办学理念", []),
        ("以“青春向党”为品牌内涵", []),
        ('打造"起义红"党建品牌.会上', [("brands", "起义红")]),
        ("开展“基层组织提升年”党建品牌创建", []),
        ("推进“一校一品”党建品牌建设", []),
    ],
)
def test_brands_in_the_forms_they_take(sentence, expected):
    assert facts(sentence) == expected


def test_a_brand_named_right_after_its_school():
    sentence = "城南中学红烛照东川主题党建品牌"
    assert facts(sentence, [(0, 4)]) == [("brands", "红烛照东川")]
    assert facts("城南中学党委打造党建品牌“营火”", [(0, 4)]) == [("brands", "营火")]


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("推行1212党建工作模式", ["1212"]),
        ("构建“1+2+3工作模式”", ["1+2+3"]),
        ("党建引领“1+N模式”", ["1+N"]),
        ("形成1（一个核心）+3（三大行动）+X（特色项目）的工作思路", ["1+3+X"]),
        ("构建 “1 3 5”（远航计划）战略框架", ["1 3 5"]),
        ("贯彻“三朴理念”，推进“四远工程”", ["三朴理念", "四远工程"]),
        ("实施“党建+泛在学习”融合模式", ["党建+泛在学习"]),
        ("采用“三评一讲”方式", ["三评一讲"]),
        ("构建“1（一个核心）+3（三支队伍）+N（N个特色项目）”党建工作体系", ["1+3+N"]),
        ("落实“三会一课”制度，2022年至2024年占比50%", []),
    ],
)
def test_models_as_formulas_and_named_methods(sentence, expected):
    assert [v for f, v in facts(sentence) if f == "models"] == expected


NOWHERE = Region()


def article(n: int, paragraphs: list[str], title: str = "", subject: str = "", kind: str = "",
            region: Region = NOWHERE) -> Article:
    return Article(f"p/{n}", "p", "p.txt", n, title, "", "", subject, kind, region, (), (), tuple(paragraphs), (), (), ())


def district_of(articles: list[Article], school: str) -> str | None:
    _, schools = extract(articles)
    return next(s.district for s in schools if s.name == school)


def test_district_from_a_prefix_and_from_the_list_that_names_it():
    a = article(1, ["江津区城东小学、河西幼儿园，荣昌区棠棣小学参加了交流。"])
    assert district_of([a], "河西幼儿园") == "江津区"
    assert district_of([a], "棠棣小学") == "荣昌区"


def test_district_from_the_article_subject_and_page_region():
    chongqing = load().place("永川区").region
    a = article(1, ["城东小学开展主题党日活动。"], subject="永川区", kind="region", region=chongqing)
    assert district_of([a], "城东小学") == "永川区"


def test_district_never_from_a_place_merely_mentioned():
    a = article(1, ["城东小学师生赴江津区研学。"])
    assert district_of([a], "城东小学") is None


def test_a_city_prefix_rules_out_another_citys_district():
    region = load().place("江津区").region
    a = article(1, ["自贡市蜀山中学校与江津区城东小学结对。", "江津区教委组织活动。"], region=region)
    assert district_of([a], "蜀山中学") is None


def test_a_list_takes_the_batch_the_sentence_before_announced():
    a = article(1, ["市委教育工委公布第二批党建“双创”培育创建单位名单。它们是：城东小学、河西中学。"])
    _, schools = extract([a])
    assert {s.name: s.batch for s in schools} == {"城东小学": 2, "河西中学": 2}


def test_our_district_is_the_outlets():
    """沙坪融媒讯: the district media centre's item; its schools are that district's (我区)."""
    a = article(1, ["沙坪融媒讯（记者 王明）近日，重庆市第二批名单公布，我区城东小学入选。"])
    assert district_of([a], "城东小学") == "沙坪坝区"
    b = article(2, ["新华融媒讯 近日，城西小学入选。"])  # 新华 starts districts in several provinces
    assert district_of([b], "城西小学") is None


def test_a_batch_goes_to_the_schools_of_its_clause():
    a = article(1, ["城东小学、河西中学入选第二批党建“双创”培育创建单位，城南小学获评区级示范校。"])
    _, schools = extract([a])
    assert {s.name: s.batch for s in schools} == {"城东小学": 2, "河西中学": 2, "城南小学": None}


def test_a_city_prefix_makes_a_city_school_a_municipality_prefix_does_not():
    ganzhou = load().place("甘州区").region
    a = article(1, ["张掖市城北中学与甘州区青年街小学结对。"], region=ganzhou)
    assert district_of([a], "城北中学") is None
    shapingba = load().place("沙坪坝区").region
    b = article(2, ["重庆市城北中学开展主题党日活动。"], region=shapingba)
    assert district_of([b], "城北中学") == "沙坪坝区"


def test_a_list_printed_as_a_table_gives_each_school_its_brand():
    from store.ingest.segment import blocks_of, segment

    page = ("第二批党建品牌名单\n\n序号　市　学校名称　品牌名称\n1　青松市　城东区城东小学　“红帆领航”\n"
            "2　青松市　城西区城西中学　阳光党建\n")
    articles = segment(blocks_of(page), "p", "p.txt")
    _, schools = extract(articles)
    assert {s.name: s.brands for s in schools} == {"城东小学": ("红帆领航",), "城西中学": ("阳光党建",)}


def test_the_school_in_the_next_paragraph_is_the_one_just_named():
    region = load().place("永川区").region
    a = article(1, ["城东小学党支部打造“红帆”党建品牌。", "学校构建“三联三促”工作模式。"], subject="永川区",
                kind="region", region=region)
    _, schools = extract([a])
    assert [(s.name, s.models) for s in schools] == [("城东小学", ("三联三促",))]


def test_what_the_text_says_a_school_is_outranks_its_name():
    a = article(1, ["城东中心学校是一所九年一贯制学校，学校党支部开展活动。", "河西学校党支部组织党员学习。"])
    _, schools = extract([a])
    assert {s.name: s.type for s in schools} == {"城东中心学校": "nine-year", "河西学校": "other"}


def test_a_district_name_two_cities_share_is_read_in_the_city_written_before_it():
    mentions = find_schools("吉林省长春市朝阳区红旗小学、北京市朝阳区东风小学、宁波市江北区城东小学")
    assert [(m.display, m.region.city) for m in mentions] == [
        ("红旗小学", "长春市"), ("东风小学", "北京市"), ("城东小学", "宁波市")]


def test_a_name_listed_with_a_sure_school_is_a_school():
    """红星幼儿园 alone could be a phrase; listed with 石鼓初级中学 it is a school."""
    a = article(1, ["石鼓初级中学、红星幼儿园分别与乡村学校结对。"])
    _, schools = extract([a])
    assert {s.name for s in schools} == {"石鼓初级中学", "红星幼儿园"}


def test_an_abbreviation_in_a_list_stays_the_school_it_abbreviates():
    a = article(1, ["梁平区梁平实验小学开展主题党日活动。", "梁平中学、实验小学获评示范校。"])
    _, schools = extract([a])
    assert {s.name for s in schools} == {"梁平实验小学", "梁平中学"}
