"""The schools filter on the real store: pinyin terms, places by their short forms, the pinyin
sort, and pypinyin kept out of the app's start."""

from __future__ import annotations

import pytest

from store.search.schools import filter_schools, pinyin_key

from conftest import python


def names(store, query: str) -> set[str]:
    return {s.name for s in filter_schools(store.school_summaries(), query)}


def in_beibei(store) -> set[str]:
    found = {s.name for s in store.school_summaries() if s.district == "北碚区"}
    assert "朝阳小学" in found
    return found


@pytest.mark.parametrize("query", ["jinxing", "JinXing", "jinxingxiaoxue", "jxxx", "jx", '"jin xing"'])
def test_a_latin_term_matches_a_name_by_its_pinyin_or_initials(store, query):
    assert "金兴小学" in names(store, query)


def test_a_pinyin_term_matches_only_names_that_read_so(store):
    assert "朝阳小学" not in names(store, "jxxx")
    assert "金兴小学" not in names(store, "cyxx")
    assert names(store, "ing") == set()  # pinyin starts on a syllable: ing is no part of 兴


def test_a_name_matches_by_each_reading_of_its_characters(store):
    """朝 in 朝阳小学 is cháo; 长 in 长嘉汇 is cháng, where pypinyin's likeliest is zhǎng."""
    assert "朝阳小学" in names(store, "chaoyang")
    assert "长嘉汇弹子石幼儿园" in names(store, "changjiahui")


def test_aliases_are_read_as_pinyin_too(store):
    school = next(s for s in store.school_summaries() if "北碚区金兴小学" in s.aliases)
    assert school.name in names(store, "beibeiqujinxing")


@pytest.mark.parametrize("query", ["北碚", "北碚区"])
def test_a_place_keeps_every_school_in_it(store, query):
    assert names(store, query) == in_beibei(store)


def test_a_former_name_from_the_gazetteer_keeps_the_schools_of_its_place(store):
    """开县 is no part of 开州区: only the gazetteer knows it is the same place."""
    kaizhou = {s.name for s in store.school_summaries() if s.district == "开州区"}
    assert kaizhou and names(store, "开县") == kaizhou


def test_a_chinese_term_still_matches_characters(store):
    assert names(store, "金兴") == {"金兴小学"}
    assert names(store, "向阳花") == {"朝阳小学"}  # a brand
    assert names(store, "金興") == {"金兴小学"}  # folded as article search folds it


def test_terms_combine_with_fields(store):
    found = names(store, "district:北碚区 jx")
    assert "金兴小学" in found
    assert found <= in_beibei(store)
    assert names(store, "-北碚") == {s.name for s in store.school_summaries()} - in_beibei(store)


def test_pinyin_key_orders_names_as_pinyin():
    assert sorted(["朝阳小学", "金兴小学", "北碚实验幼儿园"], key=pinyin_key) == ["北碚实验幼儿园", "朝阳小学", "金兴小学"]
    assert sorted(["先", "西安"], key=pinyin_key) == ["西安", "先"]  # xi an before xian
    assert pinyin_key("重庆市第十一中学") < pinyin_key("金兴小学")  # 重庆 is chongqing


def test_names_read_alike_sort_by_their_characters():
    for names_ in (["金星小学", "金兴小学"], ["金兴小学", "金星小学"]):
        assert sorted(names_, key=pinyin_key) == ["金兴小学", "金星小学"]  # both jin xing: 兴 U+5174 before 星 U+661F


def test_pypinyin_is_imported_only_for_a_pinyin_term():
    code = (
        "import sys\n"
        "import store.search.schools as s\n"
        "from store.records import SchoolSummary\n"
        "school = SchoolSummary('金兴小学', (), '重庆市', '重庆市', '北碚区', 'primary', None, (), (), (), (), ())\n"
        "assert 'pypinyin' not in sys.modules, 'on import'\n"
        "assert s.filter_schools([school], '北碚 金兴 district:北碚区') == [school]\n"
        "assert 'pypinyin' not in sys.modules, 'for a Chinese query'\n"
        "assert s.filter_schools([school], 'jx') == [school]\n"
        "assert 'pypinyin' in sys.modules, 'for a pinyin term'\n"
    )
    proc = python(code)
    assert proc.returncode == 0, proc.stdout + proc.stderr
