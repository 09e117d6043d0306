"""Queries typed with a Chinese input method, or pasted from a hard-wrapped page, search as their
ASCII forms would, on the real store: full-width operators are operators where the ASCII ones
would be and text elsewhere, and line breaks fold as the page's own lines were joined."""

from __future__ import annotations

import pytest

from store.search.query import Field, Not, Phrase, QueryError, Term, parse

from conftest import page_text

# What an input method types, and the same query in ASCII.
IME_FORMS = [
    ("（党建|思政）品牌", "(党建|思政)品牌"),
    ("（党建｜思政）　品牌", "(党建|思政) 品牌"),
    ("党建｜思政", "党建|思政"),
    ("“党建 品牌”", '"党建 品牌"'),
    ("「党建 品牌」", '"党建 品牌"'),
    ("『党建　品牌』", '"党建 品牌"'),
    ("‘党建 品牌’", '"党建 品牌"'),
    ("district：北碚区", "district:北碚区"),
    ("in：title 双创", "in:title 双创"),
    ("党建 －幼儿园", "党建 -幼儿园"),
    ("党建 ！幼儿园", "党建 !幼儿园"),
    ("党建　品牌", "党建 品牌"),
]


def articles(store, query: str) -> set[str]:
    return {h.article for h in store.search(query, limit=None).hits}


@pytest.mark.parametrize("ime,ascii_form", IME_FORMS)
def test_an_ime_query_finds_what_its_ascii_form_finds(store, ime, ascii_form):
    found = articles(store, ascii_form)
    assert found  # the ASCII form finds something, so equality says something
    assert articles(store, ime) == found


@pytest.mark.parametrize("ime,ascii_form", IME_FORMS)
def test_an_ime_query_parses_to_the_tree_of_its_ascii_form(ime, ascii_form):
    assert parse(ime) == parse(ascii_form)


def test_a_full_width_colon_after_a_word_that_names_no_field_is_text(store):
    # A page prints 负责人所言：“推进党建双创工作…, and a term copied from it must find it.
    query = "所言：“推进党建"
    assert parse(query) == Term(query)
    assert articles(store, query) == articles(store, f'"{query}"') != set()
    assert parse("QQ：12345") == Term("QQ：12345")  # ASCII letters, but no field
    assert parse("word：中学") == Term("中学", whole_words=True)
    with pytest.raises(QueryError):
        parse("QQ:12345")  # the ASCII colon still says a field was meant


def test_minus_and_exclamation_inside_a_word_are_text():
    assert parse("党建－幼儿园") == Term("党建－幼儿园")
    assert parse("加油！中国") == Term("加油！中国")
    assert parse("－幼儿园") == Not(Term("幼儿园")) == parse("！幼儿园")


def test_a_lone_curly_quote_is_text_not_an_open_phrase(store):
    # An ASCII quote left open is a mistake; a curly or corner one is what the pages print.
    assert parse("“向阳花") == Term("“向阳花")
    assert articles(store, "“向阳花") == articles(store, '"“向阳花"') != set()
    assert parse("向阳花”") == Term("向阳花”")
    assert parse("「星光") == Term("「星光")
    with pytest.raises(QueryError) as err:
        parse('"向阳花')
    assert err.value.position == 0


@pytest.mark.parametrize("term", ["创新打造出“向阳花”党建品牌", "“向阳花”党建品牌", "“双创”为", "「双创」为"])
def test_curly_quotes_that_do_not_surround_a_whole_term_are_text(store, term):
    # Quotes make a phrase only around a whole term, so a term copied with its quotes is one term.
    assert parse(term) == Term(term)
    assert articles(store, term) == articles(store, f'"{term}"') != set()


def test_a_curly_quoted_phrase_may_stand_beside_operators():
    assert parse("（“党建 品牌”｜思政）") == parse('("党建 品牌"|思政)')
    assert parse("“党建 品牌” 思政") == parse('"党建 品牌" 思政')


def test_a_corner_quoted_phrase_is_a_phrase(store):
    assert parse("「党建 品牌」") == Phrase("党建 品牌")
    assert articles(store, "「党建 品牌」") == articles(store, "党建品牌") != set()


def test_a_line_break_between_chinese_characters_disappears(store):
    assert parse("办学治校的\n全过程") == Term("办学治校的全过程")
    assert articles(store, "办学治校的 \n　全过程") == articles(store, "办学治校的全过程") != set()


def test_a_passage_copied_across_hard_wraps_finds_itself(store):
    lines = page_text("001_6aa715517b91c0bd.txt").splitlines()
    start = next(i for i, line in enumerate(lines) if line.endswith("创新打造出“向阳花”"))
    pasted = "\n".join(lines[start - 1 : start + 2])  # three lines as the page wraps them
    assert "\n" in pasted
    assert articles(store, pasted) == articles(store, f'"{pasted.replace(chr(10), "")}"') != set()


def test_a_line_break_elsewhere_is_a_space():
    assert parse("in:title\n双创") == parse("in:title 双创")
    assert parse("党建\n-幼儿园") == parse("党建 -幼儿园")
    assert parse("思政\r\n\n  (党建)") == parse("思政 (党建)")


@pytest.mark.parametrize(
    "ime,ascii_form",
    [
        ("（党建", "(党建"),
        ("党建）", "党建)"),
        ("党建 ｜", "党建 |"),
        ("－ 党建", "- 党建"),
        ("！ 党建", "! 党建"),
        ("（）", "()"),
        ("“”", '""'),
        ("district：", "district:"),
        ("type：大学", "type:大学"),
        ("（党建 － 幼儿园）", "(党建 - 幼儿园)"),
    ],
)
def test_a_malformed_ime_query_is_reported_where_its_ascii_form_is(store, ime, ascii_form):
    positions = []
    for query in (ime, ascii_form):
        with pytest.raises(QueryError) as err:
            store.search(query)
        positions.append(err.value.position)
    assert positions[0] == positions[1]


@pytest.mark.parametrize(
    "query,at",
    [("党建\n  (思政", "("), ("党建\n思政)", ")"), ("党建 \n\n 思政 |", "|"), ("district:北碚区\n（党建", "（")],
)
def test_an_error_after_a_folded_line_break_points_into_the_query_as_typed(store, query, at):
    with pytest.raises(QueryError) as err:
        store.search(query)
    assert query[err.value.position] == at


def test_an_error_at_the_end_points_past_what_was_typed():
    with pytest.raises(QueryError) as err:
        parse("(\n ")
    assert err.value.position == 3


def test_fields_read_with_a_full_width_colon():
    assert parse("district：北碚区") == Field("district", "北碚区")
    assert parse("TYPE：幼儿园") == Field("type", "kindergarten")
