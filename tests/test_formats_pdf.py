"""Newspaper PDFs read back into text (store.ingest.formats.pdf): each bundled page set in columns
by tests/pdf_fixtures.py comes back whole, in reading order, without its running heads and feet,
its dateline read into the sheet's metadata; files that cannot be read are refused with a reason."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from pdf_fixtures import (
    FOOTER,
    HEADER,
    blank_pages_pdf,
    newspaper_pdf,
    pages_pdf,
    scanned_pdf,
    two_articles_pdf,
    two_column_pdf,
    words_pdf,
)

from store.ingest import pagemeta
from store.ingest.formats import FormatError, pdf
from store.ingest.formats.pdf import read_pdf

TESSERACT = pdf._tesseract  # before the fixture below takes it away

CORPUS = sorted((Path(__file__).resolve().parents[1] / "corpus").glob("*.txt"))
BODY = "青松路小学党支部以“松针”党建品牌为抓手，推动党建与教学深度融合。"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def original_paragraphs(path: Path) -> list[str]:
    return [p for p in map(squash, re.split(r"\n\s*\n", path.read_text(encoding="utf-8"))) if p]


def assert_in_order(paragraphs: list[str], text: str) -> None:
    """Each paragraph's characters stand together in `text`, one paragraph after another."""
    text, at = squash(text), 0
    for paragraph in paragraphs:
        found = text.find(paragraph, at)
        assert found >= 0, f"missing or out of order: {paragraph[:40]}…"
        at = found + len(paragraph)


@pytest.fixture(autouse=True)
def _no_ocr(monkeypatch):
    """As on a machine without tesseract, unless a test asks for it."""
    monkeypatch.setattr(pdf, "_tesseract", lambda: None)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name[:3])
def test_a_two_column_page_reads_back_whole_in_reading_order(path):
    sheets = read_pdf(two_column_pdf(path.read_text(encoding="utf-8")))
    assert len(sheets) >= 2
    assert [s.label for s in sheets] == [f"#{n}" for n in range(1, len(sheets) + 1)]
    assert_in_order(original_paragraphs(path), "".join(s.text for s in sheets))
    for sheet in sheets:
        assert squash(HEADER) not in squash(sheet.text)
        assert "青松日报" not in sheet.text and "第07版" not in sheet.text
        assert FOOTER not in sheet.text
        assert not re.search(r"-\s*\d+\s*-", sheet.text)  # the page numbers
        assert (sheet.meta.edition, sheet.meta.date, sheet.meta.publication) == ("7", "2024-09-06", "青松日报")


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name[:3])
def test_paragraphs_come_back_as_printed(path):
    """Every paragraph is one paragraph again, on a line of its own, but those a page break
    cuts in two; a headline or subheading stands alone."""
    sheets = read_pdf(two_column_pdf(path.read_text(encoding="utf-8")))
    read = {squash(p) for s in sheets for p in s.text.split("\n\n")}
    originals = original_paragraphs(path)
    assert sum(p in read for p in originals) >= len(originals) - (len(sheets) - 1)
    assert all("\n" not in p.strip("\n") for s in sheets for p in s.text.split("\n\n"))


def test_the_headline_across_the_columns_comes_first():
    path = CORPUS[4]
    first = read_pdf(two_column_pdf(path.read_text(encoding="utf-8")))[0].text.split("\n\n")[0]
    assert first == "河北省廊坊市： 坚持党建领航 为建设教育强市提供组织保障"


@pytest.mark.parametrize("columns", [1, 3])
def test_one_and_three_columns(columns):
    path = CORPUS[3]
    sheets = read_pdf(newspaper_pdf(path.read_text(encoding="utf-8"), columns=columns))
    assert_in_order(original_paragraphs(path), "".join(s.text for s in sheets))
    assert all(s.meta.edition == "7" for s in sheets)


@pytest.mark.parametrize("first, second", [(4, 3), (1, 2), (2, 3)])
def test_two_articles_on_a_page_are_read_one_after_the_other(first, second):
    """Three columns above two: the columns of neither run into the other's, and subheadings
    that end at one height in all three columns do not cut the upper article in bands."""
    data, drawn = two_articles_pdf(CORPUS[first].read_text(encoding="utf-8"), CORPUS[second].read_text(encoding="utf-8"))
    (sheet,) = read_pdf(data)
    assert_in_order([squash(line) for line in drawn], sheet.text)


@pytest.mark.parametrize(
    "words, gap, spacing, text",
    [
        (["Party", "building", "in", "schools"], 3.0, 0.0, "Party building in schools"),
        (["党建", "引领", "学校", "发展。"], 3.0, 0.0, "党建引领学校发展。"),
        (["党建引领学校发展，推动教学深度融合。"], 0.0, 2.5, "党建引领学校发展，推动教学深度融合。"),
    ],
    ids=["latin", "chinese", "justified"],
)
def test_words_drawn_apart_are_spaced_in_latin_only(words, gap, spacing, text):
    (sheet,) = read_pdf(words_pdf(words, gap, spacing))
    assert sheet.text == text


def test_a_one_page_file_gives_its_dateline_as_metadata():
    (sheet,) = read_pdf(pages_pdf([f"{HEADER}\n{BODY}"]))
    assert sheet.text == BODY
    assert (sheet.meta.date, sheet.meta.publication, sheet.meta.edition) == ("2024-09-06", "青松日报", "7")


def test_a_page_line_gives_the_page_and_stays_out_of_the_text():
    (sheet,) = read_pdf(pages_pdf([f"第A06版：要闻\n{BODY}"]))
    assert sheet.text == BODY
    assert (sheet.meta.date, sheet.meta.edition) == (None, "A06")


def test_a_first_line_of_text_is_no_dateline():
    (sheet,) = read_pdf(pages_pdf([f"青松日报\n{BODY}"]))
    assert sheet.text.startswith("青松日报")
    assert sheet.meta.edition is None


def test_pages_without_text_are_left_out_and_the_others_keep_their_numbers():
    sheets = read_pdf(pages_pdf([BODY, None, "", "学校党支部推动党建与教学深度融合。"]))
    assert [s.label for s in sheets] == ["#1", "#4"]


def test_a_scan_without_text_layer_asks_for_ocr():
    with pytest.raises(FormatError, match="OCR"):
        read_pdf(pages_pdf([None, None]))


@pytest.mark.skipif(TESSERACT() is None, reason="tesseract with chi_sim (Simplified Chinese) data is not installed")
def test_a_scan_is_read_by_tesseract_its_dateline_left_for_pagemeta(monkeypatch):
    monkeypatch.setattr(pdf, "_tesseract", TESSERACT)
    body = "学校党支部推动党建与教学深度融合\n党员教师带头上好每一堂课"
    scan = scanned_pdf(f"{HEADER}\n{body}")
    if scan is None:
        pytest.skip("PDFium finds no CJK font on this machine to draw the page to be scanned")
    (sheet,) = read_pdf(scan)
    read = squash(sheet.text)
    assert sheet.label == "#1"
    assert sum(ch in read for ch in squash(body)) >= 0.8 * len(squash(body))
    assert pagemeta.parse(sheet.text)[0].date == "2024-09-06"


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file"),
        (b"<!DOCTYPE html><html><head><title>x.pdf</title></head><body>404</body></html>", "not a PDF"),
        (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nbroken\n%%EOF\n", "damaged PDF"),
        (pages_pdf([BODY], encrypt="secret"), "encrypted"),
    ],
    ids=["empty", "html", "broken", "encrypted"],
)
def test_an_unreadable_file_is_refused_with_its_reason(data, reason):
    with pytest.raises(FormatError, match=reason):
        read_pdf(data)


@pytest.mark.parametrize("cut", [0.5, 0.99])
def test_a_truncated_file_is_refused(cut):
    data = two_column_pdf(CORPUS[4].read_text(encoding="utf-8"))
    with pytest.raises(FormatError, match="damaged PDF"):
        read_pdf(data[: int(len(data) * cut)])


def test_too_many_pages_are_refused_before_any_is_read():
    started = time.monotonic()
    with pytest.raises(FormatError, match="too many pages"):
        read_pdf(blank_pages_pdf(3_000))
    assert time.monotonic() - started < 2


def test_reading_stops_at_the_time_limit(monkeypatch):
    monkeypatch.setattr(pdf, "TIME_LIMIT", 0.0)
    with pytest.raises(FormatError, match="took too long"):
        read_pdf(pages_pdf([BODY]))


def test_a_page_of_too_many_characters_is_refused(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_CHARS", 10)
    with pytest.raises(FormatError, match="page too large"):
        read_pdf(pages_pdf([BODY]))
