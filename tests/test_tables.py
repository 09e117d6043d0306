"""Tables read back as a user's program reads them: CSV through the csv module, XLSX through
openpyxl, Markdown through a CommonMark parser with GFM tables. Page text is hostile data: it
must come back as text, never as a formula."""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_read import table

from store.export.tables import CELL_MAX, RISKY_STARTS, Table, csv_bytes, markdown_table, neutral, sheet_name, xlsx_bytes, xlsx_text

COMPARE = Table(
    title="比较：金兴小学 · 朝阳小学",
    header=("字段", "金兴小学", "朝阳小学"),
    rows=(
        ("双创", "第2批", "第1批"),
        ("党建品牌", "星光点点放光彩\n红领巾心向党", "1"),
        ("区县", "北碚区", ""),
    ),
)
HOSTILE = ["=1+1", '=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "＝1＋1",
           "＋1", "－1", "＠x", 'say "hi", then\nleave,\r\nnow', "x" * 40_000, "金" * 40_000, "a\x00b\x01c\x1fd\x0be\x0cf",
           "\x00=1", "_x0041_", "'quoted'", "第2批", "001", "1e5", "http://example.org", "\ufffe\uffff"]
# openpyxl turns every "x005F_" into nothing when it reads (Excel does not): such text cannot be checked through it
READABLE = st.text(st.characters(blacklist_categories=("Cs",))).filter(lambda t: "x005F_" not in t)


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]


def values(sheet) -> list[list[str]]:
    return [["" if c.value is None else c.value for c in row] for row in sheet.iter_rows()]


def widths(data: bytes) -> list[float]:
    """Each column's width; openpyxl keeps a run of equal columns under its first letter."""
    found: dict[int, float] = {}
    for dim in read_xlsx(data).column_dimensions.values():
        found.update(dict.fromkeys(range(dim.min, dim.max + 1), dim.width))
    return [found[i] for i in sorted(found)]





def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# CSV


def test_csv_reads_back_cell_for_cell_with_a_bom_and_crlf():
    data = csv_bytes(COMPARE)
    assert data.startswith(codecs.BOM_UTF8) and data.count(codecs.BOM_UTF8) == 1
    assert read_csv(data) == [list(COMPARE.header), *map(list, COMPARE.rows)]
    assert b"\r\n" in data and data.endswith(b"\r\n")
    assert '"星光点点放光彩\n红领巾心向党"' in data.decode("utf-8-sig")  # a multi-line cell is one quoted cell


def test_neutral_marks_every_risky_start_and_nothing_else():
    for start in RISKY_STARTS:
        assert neutral(start + "1") == "'" + start + "1"
    for safe in ["", "金兴小学", "1", "第2批", " =1", "'x", "a=b", "x-1", "—1"]:
        assert neutral(safe) == safe


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_csv_cells_come_back_neutral(text):
    table = Table("t", ("名称", text), ((text, "x"), ("y", text)))
    assert read_csv(csv_bytes(table)) == [["名称", neutral(text)], [neutral(text), "x"], ["y", neutral(text)]]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.characters(blacklist_categories=("Cs",))), min_size=1, max_size=4), st.integers(0, 3))
def test_any_csv_table_reads_back_neutral(header, n_rows):
    rows = tuple(tuple(reversed(header)) for _ in range(n_rows))
    table = Table("t", tuple(header), rows)
    assert read_csv(csv_bytes(table)) == [[neutral(t) for t in row] for row in (table.header, *rows)]


# XLSX


def test_xlsx_reads_back_as_written_with_a_bold_frozen_filtered_header():
    sheet = read_xlsx(xlsx_bytes(COMPARE))
    assert sheet.title == "比较：金兴小学 · 朝阳小学"
    assert values(sheet) == [list(COMPARE.header), *map(list, COMPARE.rows)]
    assert all(c.font.bold for c in sheet[1]) and not any(c.font.bold for row in sheet.iter_rows(min_row=2) for c in row)
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref == "A1:C4"
    for row in sheet.iter_rows():
        for c in row:
            assert c.data_type != "f" and c.alignment.wrap_text and c.alignment.vertical == "top"
            assert not c.quotePrefix


def test_xlsx_columns_are_as_wide_as_their_text():
    table = Table("t", ("n", "名称", "说明"), (("1", "金兴小学", "重庆市北碚区金兴小学" * 20), ("1", "朝阳小学", "x")))
    narrow, middle, wide = widths(xlsx_bytes(table))
    assert narrow < middle < wide
    assert widths(xlsx_bytes(Table("t", ("n", "名"), (("1", "金"),)))) == [narrow, narrow]  # the minimum
    assert widths(xlsx_bytes(Table("t", ("说明",), (("重庆" * 100,),)))) == [wide]  # the cap
    assert widths(xlsx_bytes(Table("t", ("说明",), (("短\n" * 50,),)))) == [narrow]  # the widest line, not the cell
    assert widths(xlsx_bytes(Table("t", ("名称",), (("金兴小学",),)))) == [middle]  # CJK counts double: 4 × 2 + 2
    assert widths(xlsx_bytes(Table("t", ("名称",), (("abcdefgh",),)))) == [middle]


def test_an_empty_table_still_has_its_header_and_other_panes():
    sheet = read_xlsx(xlsx_bytes(Table("学校", ("名称", "区县"), (), frozen_columns=2)))
    assert values(sheet) == [["名称", "区县"]]
    assert sheet.freeze_panes == "C2" and sheet.auto_filter.ref == "A1:B1"
    assert read_csv(csv_bytes(Table("学校", ("名称",), ()))) == [["名称"]]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_xlsx_cells_are_text_as_on_the_page(text):
    table = Table("t", ("名称", text), ((text, "x"),))
    data = xlsx_bytes(table)
    sheet = read_xlsx(data)
    kept = xlsx_text(text)
    assert values(sheet) == [["名称", kept], [kept, "x"]]
    for cell in (sheet["B1"], sheet["A2"]):
        assert cell.data_type != "f" and cell.quotePrefix == kept.startswith(RISKY_STARTS)
    if kept.startswith(RISKY_STARTS):
        styles = zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml")
        assert b'quotePrefix="1"' in styles


def test_xlsx_cleaning_is_what_the_docstring_says():
    assert xlsx_text("a\x00b\x01c\x1fd\x0be\x0cf\ufffe") == "abcdef"
    assert xlsx_text("tab\there\nline") == "tab\there\nline"
    assert xlsx_text("a\r\nb\rc") == "a\nb\nc"
    cut = xlsx_text("金" * 40_000)
    assert len(cut) == CELL_MAX and cut.endswith("…") and cut[:-1] == "金" * (CELL_MAX - 1)
    assert xlsx_text("金" * CELL_MAX) == "金" * CELL_MAX
    astral = xlsx_text("𠀀" * 20_000)  # CJK Extension B: two UTF-16 units each, as Excel counts
    assert utf16_len(astral) <= CELL_MAX and astral.endswith("…") and set(astral[:-1]) == {"𠀀"}


def test_sheet_names_are_ones_excel_accepts():
    assert sheet_name("学校") == "学校"
    assert sheet_name("比较：金兴小学 · 朝阳小学") == "比较：金兴小学 · 朝阳小学"
    assert sheet_name("a[b]c:d*e?f/g\\h") == "a_b_c_d_e_f_g_h"
    assert sheet_name("长" * 40) == "长" * 31
    assert sheet_name("") == sheet_name("'") == sheet_name("\x00") == "Sheet1"
    assert sheet_name("'x'") == "x" and sheet_name("a\tb\nc\r") == "a b c "
    assert utf16_len(sheet_name("𠀀" * 20)) <= 31


@settings(max_examples=50, deadline=None)
@given(st.lists(READABLE, min_size=1, max_size=3), st.integers(0, 2), READABLE, st.integers(0, 3))
def test_any_xlsx_table_opens_with_every_cell_text(header, n_rows, title, frozen):
    rows = tuple(tuple(reversed(header)) for _ in range(n_rows))
    sheet = read_xlsx(xlsx_bytes(Table(title, tuple(header), rows, frozen)))
    assert sheet.title == sheet_name(title)
    assert values(sheet) == [[xlsx_text(t) for t in row] for row in (tuple(header), *rows)]
    for row in sheet.iter_rows():
        for c in row:
            assert c.data_type != "f" and c.quotePrefix == xlsx_text(c.value or "").startswith(RISKY_STARTS)


def test_ragged_tables_are_refused():
    with pytest.raises(ValueError):
        Table("t", ("a", "b"), (("1",),))
    with pytest.raises(ValueError):
        Table("t", (), ())


# Markdown


def test_markdown_table_parses_back_to_the_same_cells():
    text = markdown_table(COMPARE)
    assert text.endswith("|\n") and text.splitlines()[1] == "|---|---|---|"
    header, rows = table(text)
    assert header == list(COMPARE.header)
    assert rows == [[str(cell) or "—" for cell in row] for row in COMPARE.rows]  # an empty cell reads as a dash


def test_an_empty_markdown_table_is_a_header():
    assert table(markdown_table(Table("t", ("名称", "区县"), ()))) == (["名称", "区县"], [])


@pytest.mark.parametrize("text", [t for t in HOSTILE if len(t) < 100 and not re.search("[\x00-\x08\x0b-\x1f\ufffe\uffff]", t)])
def test_hostile_markdown_cells_stay_in_their_cell(text):
    """(Control characters are removed at ingest and have no Markdown form.)"""
    header, rows = table(markdown_table(Table("t", ("名称", "a|b"), ((text, "x"),))))
    assert header == ["名称", "a|b"] and rows == [[text, "x"]]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), whitelist_characters="\n\t "), min_size=1)
                .filter(lambda t: t.strip(" \t\n") and t == t.strip("\n") and "\n\n" not in t), min_size=1, max_size=3))
def test_any_markdown_table_reads_back_as_itself(header):
    """Text as a page holds it (one line break between lines; control characters go at ingest)."""
    row = tuple(reversed(header))
    assert table(markdown_table(Table("t", tuple(header), (row,)))) == (header, [list(row)])


def test_a_count_is_a_number_in_the_sheet_and_plain_digits_in_csv():
    counted = Table("学校", ("学校", "报道数"), (("金兴小学", 3), ("=1+1小学", 12)))
    sheet = read_xlsx(xlsx_bytes(counted))
    assert [(c.value, c.data_type) for c in (sheet["B2"], sheet["B3"])] == [(3, "n"), (12, "n")]
    assert sheet["A3"].data_type == "s" and sheet["A3"].quotePrefix
    assert list(csv.reader(io.StringIO(csv_bytes(counted).decode("utf-8-sig")))) == [
        ["学校", "报道数"], ["金兴小学", "3"], ["'=1+1小学", "12"]]
    assert table(markdown_table(counted))[1] == [["金兴小学", "3"], ["=1+1小学", "12"]]
