"""Finding school names in running text: the left edge is the hard part."""

from __future__ import annotations

import pytest

from store.ingest.names import find_schools, place_from_label
from store.namekey import normalize_key


def names(text: str) -> list[str]:
    return [m.display for m in find_schools(text) if not m.quoted and not m.weak]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2024年，北碚区金兴小学成功入选", ["金兴小学"]),
        ("在梁平，除了梁平中学深入开展党建双创工作", ["梁平中学"]),
        ("江南小学和龙门浩职业中学就是典型代表", ["江南小学", "龙门浩职业中学"]),
        ("带领区内25所幼儿园成立朝阳幼儿园教共体联盟", ["朝阳幼儿园"]),
        ("重庆十一中崇德武队确立宗旨", ["重庆十一中"]),
        ("中共重庆市南岸区天台岗小学校委员会被评为", ["天台岗小学校"]),
        ("开州区职业教育中心", ["开州区职业教育中心"]),
        ("梁平区实验小学围绕", ["梁平区实验小学"]),
    ],
)
def test_names_found_with_their_left_edge(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "坚持中小学校党组织领导的校长负责制",
        "全市877所公办中小学校完成组织设置",
        "以高质量党建引领学校高质量发展",
        "珊瑚教育集团确立办学模式",
        "暑期教职工集中学习",
        "普及普惠性幼儿园覆盖率达93.4%",
        "各中小学、幼儿园、职业学校以开展",
        "不断推动幼儿园向上向好发展",
    ],
)
def test_phrases_that_end_like_a_school_are_not_names(text):
    assert names(text) == []


def test_a_bare_name_before_xuexiao_is_weak_until_the_corpus_confirms_it():
    (m,) = find_schools("江南小学和玛瑙学校就是典型代表")[1:]
    assert (m.display, m.weak) == ("玛瑙学校", True)
    (m,) = find_schools("指导学校制定可行性方案")
    assert m.weak


def test_quoted_honours_are_flagged():
    (m,) = find_schools("学校荣获“重庆市美丽小学”称号")
    assert m.quoted


def test_keys_unify_forms_of_one_name():
    assert normalize_key("梁平区实验小学") == normalize_key("梁平实验小学")
    assert normalize_key("开州职教中心") == normalize_key("开州区职业教育中心")
    assert normalize_key("重庆十一中") == normalize_key("重庆市第十一中学校")
    assert normalize_key("人和街小学校") == "人和街小学"


def test_place_labels():
    assert place_from_label("南岸").name == "南岸区"
    assert place_from_label("河北省廊坊市：").name == "廊坊市"
    assert place_from_label("梁平").region.city == "重庆市"
    assert place_from_label("不是地名") is None


def test_a_headline_label_may_shorten_the_places_above_its_own():
    from store.ingest.names import place_from_label

    assert place_from_label("甘肃张掖甘州区").name == "甘州区"
    assert place_from_label("貴州湄潭：").name == "湄潭县"
    assert place_from_label("四川甘州") is None  # 甘州区 is not in 四川
