"""School profiles extracted from the bundled pages: what the pages say, each with its sentence."""

from __future__ import annotations

import pytest

from store.ingest.extract import is_formula, sentence_facts
from store.lexicon import load

# (district, type, batch) as the pages state them; None where the page does not say.
EXPECTED = {
    "梁平中学": ("梁平区", "secondary", 1),
    "梁山小学": ("梁平区", "primary", 1),
    "梁平实验小学": ("梁平区", "primary", 1),
    "人和街小学": ("渝中区", "primary", 1),
    "开州区职业教育中心": ("开州区", "vocational", 1),
    "金兴小学": ("北碚区", "primary", 2),
    "朝阳幼儿园": ("北碚区", "kindergarten", None),
    "两江小学": ("北碚区", "primary", None),
    "北碚实验幼儿园": ("北碚区", "kindergarten", 2),
    "朝阳小学": ("北碚区", "primary", 1),
    "天台岗小学": ("南岸区", "primary", None),
    "玛瑙学校": ("南岸区", "other", None),
    "龙门浩职业中学": ("南岸区", "vocational", None),
    "珊瑚中学": ("南岸区", "secondary", None),
}

BRANDS = {
    "金兴小学": ["星光点点放光彩"],
    "朝阳小学": ["向阳花"],
    "北碚实验幼儿园": ["和合而生党旗红"],
    "梁平中学": ["风鹏正举奔复兴"],
    "开州区职业教育中心": ["红色领航", "党建+互联网"],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_district_type_and_batch_match_the_pages(store, name):
    school = store.school(name)
    assert school is not None, name
    assert (school.district, school.type, school.batch) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(BRANDS))
def test_party_building_brands(store, name):
    assert list(store.school(name).brands) == BRANDS[name]


def test_education_brands_are_kept_apart_from_party_brands(store):
    assert store.school("人和街小学").education_brands == ("人和立德",)
    assert store.school("朝阳幼儿园").education_brands == ("蒙爱",)
    assert store.school("朝阳幼儿园").brands == ()


def test_work_models(store):
    assert store.school("开州区职业教育中心").models == ("两融合三结对", "13595", "1+3+X")
    assert "12345" in store.school("金兴小学").models
    assert "12345" in store.school("人和街小学").models
    assert "1234" in store.school("梁山小学").models
    assert "一制四举" in store.school("梁平中学").models
    assert {"1+X+N", "双培一带"} <= set(store.school("朝阳幼儿园").models)
    assert {"2+1", "三亮三比"} <= set(store.school("北碚实验幼儿园").models)
    # 北碚区“13751”工作思路 is the district's, though 朝阳幼儿园's article quotes it.
    assert "13751" not in store.school("朝阳幼儿园").models
    assert not any("三会一课" in m for s in store.schools() for m in s.models)


def test_leaders_with_roles(store):
    assert [(leader.role, leader.name) for leader in store.school("梁平中学").leaders] == [("党委书记", "谭尚前")]
    assert [(leader.role, leader.name) for leader in store.school("人和街小学").leaders] == [("党委书记", "徐涛")]
    # 李智 leads the district's education commission, not a school.
    assert not any(leader.name == "李智" for s in store.schools() for leader in s.leaders)


def test_honours(store):
    assert {"重庆市先进基层党组织", "渝中区优秀基层党组织"} <= set(store.school("人和街小学").honors)
    assert "重庆市智慧校园建设示范学校" not in store.school("金兴小学").honors
    assert "重庆市绿色学校" in store.school("金兴小学").honors
    assert {"重庆市教育系统先进基层党组织", "重庆市工人先锋号"} <= set(store.school("开州区职业教育中心").honors)
    assert {"全国红旗大队", "重庆市先进基层党组织"} <= set(store.school("朝阳小学").honors)
    assert "基础教育国家级教学成果二等奖" in store.school("朝阳幼儿园").honors
    # Pupils' awards are not the school's.
    assert "新时代好少年" not in store.school("金兴小学").honors


def test_designations(store):
    assert "北碚区教育系统党建示范点" in store.school("北碚实验幼儿园").designations
    assert "重庆市首批示范园" in store.school("朝阳幼儿园").designations
    # Won as honours, but 示范校 titles are designations.
    assert "全国青少年校园足球示范校" in store.school("金兴小学").designations
    assert "新课程新教材示范校" in store.school("梁平中学").designations
    for name in ("天台岗小学", "玛瑙学校", "重庆市第十一中学", "南坪实验小学"):
        assert "党建“双创”培育创建单位" in store.school(name).designations, name


def test_statistics_carry_number_unit_and_what(store):
    stats = {(s.value, s.unit, s.what) for s in store.school("金兴小学").stats}
    assert (168, "项", "荣誉奖项") in stats
    assert (25, "所", "幼儿园") in {(s.value, s.unit, s.what) for s in store.school("朝阳幼儿园").stats}
    # 、 between two levels of government joins them; elsewhere it ends the list item.
    assert (16, "名", "党员成长为市、区级骨干教师") in {(s.value, s.unit, s.what) for s in store.school("朝阳小学").stats}
    assert (3, "个", "重庆市优秀学生社团") in {(s.value, s.unit, s.what) for s in store.school("梁平中学").stats}
    said = {(f.value.value, f.value.what) for f in sentence_facts("获评3项省、市级荣誉、5个区级奖项。", [], load()) if f.field == "stats"}
    assert said == {(3, "省、市级荣誉"), (5, "区级奖项")}


def test_aliases_resolve_to_one_school(store):
    renhe = store.school("人和街小学")
    assert "中共重庆市渝中区人和街小学校委员会" in renhe.aliases
    assert "渝中区和人街小学" in renhe.aliases  # the page's own typo
    assert store.school("和人街小学") is renhe or store.school("和人街小学").name == "人和街小学"
    assert store.school("开州职教中心").name == "开州区职业教育中心"
    assert store.school("重庆十一中").name == "重庆市第十一中学"
    assert store.school("中共重庆市南岸区天台岗小学校委员会").name == "天台岗小学"


def test_things_that_merely_end_like_a_school_are_not_schools(store):
    names = {s.name for s in store.schools()}
    for phrase in ("中小学校", "公办中小学校", "指导学校", "推动学校", "教育集团", "珊瑚教育集团"):
        assert phrase not in names
    assert not any("集团" in n or "中小学" in n for n in names)


def test_every_value_has_evidence_quoting_its_sentence(store):
    checked = 0
    for school in store.schools():
        for field in ("brands", "education_brands", "models", "honors", "designations"):
            values = getattr(school, field)
            evidence = school.evidence.get(field, ())
            for value in values:
                ev = next((e for e in evidence if e.value == value), None)
                assert ev is not None, (school.name, field, value)
                article = store.article(ev.article)
                assert ev.sentence in article.passages()[ev.paragraph]
                checked += 1
        if school.batch is not None:
            assert any(str(school.batch) == e.value for e in school.evidence["batch"])
    assert checked > 60


def test_articles_list_the_schools_they_name(store):
    nanan = next(a for a in store.articles() if a.subject == "南岸区")
    assert {"天台岗小学", "玛瑙学校", "珊瑚中学", "江南小学"} <= set(nanan.schools)
    assert store.school("金兴小学").articles == (next(a.id for a in store.articles() if a.subject == "金兴小学"),)


@pytest.mark.parametrize("text,expected", [("12345", True), ("1+3+X", True), ("两融合三结对", True),
                                           ("一制四举", True), ("红色领航", False), ("2024", False)])
def test_formula_shapes(text, expected):
    assert is_formula(text) is expected


def test_principals_and_double_roles():
    from store.ingest.extract import extract
    from store.ingest.segment import blocks_of, segment

    page = (
        "万州区清泉小学\n\n红烛映初心\n\n"
        "近年来，万州区清泉小学坚持党建引领。清泉小学校长陈静表示，将继续努力。"
        "学校党支部书记、校长王芳说，要守正创新。南岸区教委主任李四说，很好。\n"
    )
    _, schools = extract(segment(blocks_of(page), "p", "p.txt"))
    (school,) = schools
    assert [(leader.role, leader.name) for leader in school.leaders] == [("校长", "陈静"), ("党支部书记、校长", "王芳")]


def test_schools_named_only_in_a_sidebar_cite_the_sidebar(store):
    school = store.school("长嘉汇弹子石幼儿园")
    (ev,) = school.evidence["name"]
    article = store.article(ev.article)
    assert ev.paragraph >= len(article.paragraphs)
    assert ev.sentence in article.passages()[ev.paragraph]
    assert ev.sentence in article.sidebars[0].paragraphs[ev.paragraph - len(article.paragraphs)]
