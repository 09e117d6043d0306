"""One table (a comparison, a list of schools) as a report writer takes it onward: CSV for any
program, an XLSX sheet that opens in Excel ready to read, or a GFM table to paste into Markdown.

Cell text comes from newspaper pages, so it is data and must stay data: a cell such as
`=HYPERLINK(...)` or `+cmd|...` could run as a formula in a spreadsheet (OWASP's CSV injection).
CSV has no types, so a risky cell gets a visible leading `'`; XLSX stores every cell as a string
and marks risky ones with Excel's quote prefix, so they read exactly as on the page and stay text
even when edited. Functions return bytes or text; writing the file is the caller's business."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from store.export.markdown import cell

# Spreadsheets read a cell starting with these as a formula; the full-width forms too in some.
RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
CELL_MAX = 32_767  # Excel's limit on a cell's text, in UTF-16 code units
SHEET_NAME_MAX = 31  # Excel's limit on a sheet's name, in UTF-16 code units
WIDTH_MIN, WIDTH_MAX, WIDTH_PADDING = 6, 60, 2  # column widths, in Excel's character units

# Characters XML 1.0 cannot carry: XlsxWriter writes the C0 controls as `_xHHHH_` escapes, which Excel
# turns back into invisible controls and other readers (openpyxl) show as "_x0001_"; U+FFFE/U+FFFF are
# not characters at all. None of them is text a reader wants.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SPACED = str.maketrans("\t\n\r", "   ")


@dataclass(frozen=True)
class Table:
    """Rows a report or a spreadsheet takes: `header` names the columns; a cell's values are separated by newlines."""

    title: str  # the sheet's name source, e.g. "学校" or "比较：金兴小学 · 朝阳小学"
    header: tuple[str, ...]
    rows: tuple[tuple[str | int, ...], ...]  # a count is a number, so a spreadsheet sums and sorts it
    frozen_columns: int = 1  # columns kept in view when scrolling right (the name column)
    filtered: bool = True  # a list to filter (the schools); a comparison's fields are not

    def __post_init__(self) -> None:
        """A ragged table would shift cells under the wrong column in every format, so it is
        refused where it is made rather than found wrong in a spreadsheet."""
        if not self.header:
            raise ValueError("a table needs at least one column")
        ragged = [i for i, row in enumerate(self.rows) if len(row) != len(self.header)]
        if ragged:
            raise ValueError(f"rows {ragged[:5]} do not have {len(self.header)} cells")


def neutral(text: str) -> str:
    """CSV text a spreadsheet never runs as a formula: a risky start gets a leading `'`, which
    Excel and LibreOffice show; CSV has no other way to say "this is text"."""
    return "'" + text if text.startswith(RISKY_STARTS) else text


def csv_bytes(table: Table) -> bytes:
    """RFC 4180 CSV with a BOM, which Excel needs to read UTF-8 (without it Chinese turns to
    mojibake); a cell's line breaks stay inside its quotes."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for row in (table.header, *table.rows):
        writer.writerow([neutral(text) if isinstance(text, str) else text for text in row])
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(*tables: Table) -> bytes:
    """A sheet per table: the header bold, frozen and (for a list) filtered, text wrapped and
    top-aligned, columns as wide as their text (up to a limit). Text is written as strings, so
    nothing from a page is a formula, number or link, and a number-like cell ("第2批", "001") is
    never reformatted; only the counts the table gives as numbers are numbers."""
    out = io.BytesIO()
    import xlsxwriter  # type: ignore[import-untyped]  # no type information; imported when a sheet is written, not with every command

    workbook = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    )
    formats = {
        (bold, quoted): workbook.add_format({"text_wrap": True, "valign": "top", "bold": bold, "quote_prefix": quoted})
        for bold in (False, True)
        for quoted in (False, True)
    }
    named: set[str] = set()
    for table in tables:
        name = sheet_name(table.title)
        for n in range(2, len(tables) + 2):  # Excel refuses two sheets of one name (in any case)
            if name.lower() not in named:
                break
            name = sheet_name(f"{table.title[: SHEET_NAME_MAX - 4]} ({n})")
        named.add(name.lower())
        _sheet(workbook.add_worksheet(name), table, formats)
    workbook.close()
    return out.getvalue()


def _sheet(sheet: Any, table: Table, formats: dict[tuple[bool, bool], Any]) -> None:
    rows = [[xlsx_text(text) if isinstance(text, str) else text for text in row] for row in (table.header, *table.rows)]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(r, c, value, formats[r == 0, value.startswith(RISKY_STARTS)])
            else:
                sheet.write_number(r, c, value, formats[r == 0, False])
    for c, column in enumerate(zip(*rows, strict=True)):
        sheet.set_column(c, c, column_width(tuple(map(str, column))))
    sheet.freeze_panes(1, table.frozen_columns)
    if table.filtered:
        sheet.autofilter(0, 0, len(table.rows), len(table.header) - 1)


def xlsx_text(text: str) -> str:
    """A cell's text as the XLSX holds it: characters XML cannot carry removed, a carriage return
    made the line feed Excel breaks lines with, and text over Excel's limit cut, ending in "…"."""
    text = _NOT_XML.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    if _utf16_len(text) <= CELL_MAX:
        return text
    return _utf16_prefix(text, CELL_MAX - 1) + "…"


def sheet_name(title: str) -> str:
    """A name Excel accepts: its forbidden characters as "_", a tab or line break as a space (XML
    turns one into a space in the attribute anyway), at most 31 units long, no apostrophe at either
    end (Excel refuses those too), "Sheet1" if nothing is left."""
    name = _SHEET_FORBIDDEN.sub("_", _NOT_XML.sub("", title)).translate(_SPACED)
    name = _utf16_prefix(name, SHEET_NAME_MAX).strip("'")
    return name or "Sheet1"


def column_width(texts: tuple[str, ...]) -> float:
    """Width in Excel's units of the widest line in a column, a CJK character taking two, so a
    column of school names is readable without widening by hand and a long quote wraps instead."""
    widest = max(_display_width(line) for text in texts for line in text.split("\n"))
    return max(WIDTH_MIN, min(WIDTH_MAX, widest + WIDTH_PADDING))


def markdown_table(table: Table) -> str:
    """A GFM table; every cell escaped by `cell`, so page text never breaks the table or turns into
    Markdown, and a cell's lines are joined by <br>."""
    lines = [_markdown_row(table.header), "|" + "---|" * len(table.header)]
    lines.extend(_markdown_row(row) for row in table.rows)
    return "\n".join(lines) + "\n"


def _markdown_row(row: tuple[str | int, ...]) -> str:
    """An empty cell reads as a dash, as a printed table has it (a spreadsheet's stays empty)."""
    return "| " + " | ".join(cell(str(text) or "—") for text in row) + " |"


def _display_width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in line)


def _utf16_len(text: str) -> int:
    """Length as Excel counts it: a character outside the BMP (CJK Extension B and on) takes two."""
    return len(text.encode("utf-16-le")) // 2


def _utf16_prefix(text: str, units: int) -> str:
    """The longest start of `text` within `units` UTF-16 units, never splitting a character."""
    return text.encode("utf-16-le")[: 2 * units].decode("utf-16-le", errors="ignore")
