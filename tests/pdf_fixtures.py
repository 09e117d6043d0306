"""Newspaper-like PDFs for the PDF reader's tests and bench, made with reportlab.

The text is set in STSong-Light, one of the CJK fonts every PDF viewer knows by name (Adobe's
Asian font packs): reportlab writes it as a CID font with the UniGB-UCS2-H encoding and embeds
nothing, so a page of Chinese text is a few kilobytes and needs no font file here, and PDFium
maps its character codes back to Unicode through that standard CMap.

A page is laid out as a Chinese newspaper sets one: a running header (the paper, the date, the
page) and footer on every sheet, a headline in a larger size across the columns, then the body
in columns read left to right, each paragraph opening with a two-character indent, lines
broken between any two characters and justified to the measure, short subheadings a little
larger with space around them, and the text flowing on to further pages as needed.
"""

from __future__ import annotations

import io
import re

import pypdfium2 as pdfium
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

HEADER = "青松日报 2024年9月6日 星期五 第07版：教育"
FOOTER = "责任编辑：某某"

BODY, SUBHEAD, HEADLINE, FURNITURE = 10.5, 13.0, 20.0, 9.0  # font sizes, pt
LEADING = 1.5  # line pitch, in font sizes
MARGIN, GUTTER = 50.0, 21.0  # pt: a gutter of two body characters
HEADING_MAX = 30  # characters: a paragraph up to this long, without a 。, is a headline (the first) or subheading


def _paragraphs(text: str) -> list[str]:
    """A bundled page's paragraphs: apart by blank lines, its hard-wrapped lines joined."""
    blocks = re.split(r"\n\s*\n", text)
    return [p for p in ("".join(line.strip() for line in b.splitlines()) for b in blocks) if p]


def _is_heading(paragraph: str) -> bool:
    return len(paragraph) <= HEADING_MAX and "。" not in paragraph


def two_column_pdf(text: str, header: str | None = HEADER, footer: str | None = FOOTER) -> bytes:
    """`text` (a bundled page) as a two-column newspaper page, on as many sheets as it fills."""
    return newspaper_pdf(text, header, footer, columns=2)


def newspaper_pdf(text: str, header: str | None = HEADER, footer: str | None = FOOTER, *, columns: int = 2,
                  sheet: tuple[float, float] = A4) -> bytes:
    """`text` (a bundled page) set in `columns` columns, on as many sheets of size `sheet` as it
    fills (a broadsheet, A2, holds a bundled page on one)."""
    out = io.BytesIO()
    page = _Page(Canvas(out, pagesize=sheet, invariant=True), header, footer, sheet)
    page.article(text, columns, floor=MARGIN, flow=True)
    page.finish()
    return out.getvalue()


def two_articles_pdf(first: str, second: str) -> tuple[bytes, list[str]]:
    """One sheet holding two articles, as a newspaper page does: the first in three columns on
    its upper half, the second in two below it, each cut where its half is full; and the lines
    printed, in the order they are to be read."""
    out = io.BytesIO()
    page = _Page(Canvas(out, pagesize=A4, invariant=True), HEADER, FOOTER, A4)
    page.article(first, 3, floor=A4[1] / 2, flow=False)
    page.y = A4[1] / 2 - BODY
    page.article(second, 2, floor=MARGIN, flow=False)
    page.finish()
    return out.getvalue(), page.drawn


class _Page:
    """A cursor setting articles down the columns of a sheet, and on to the next sheet."""

    def __init__(self, canvas: Canvas, header: str | None, footer: str | None, sheet: tuple[float, float]):
        self.canvas, self.header, self.footer, self.sheet = canvas, header, footer, sheet
        self.number = 0
        self.drawn: list[str] = []  # the lines set, in reading order
        self._new_sheet()

    def _new_sheet(self) -> None:
        if self.number:
            self.canvas.showPage()
        self.number += 1
        self.column, self.top = 0, self.sheet[1] - MARGIN - 20
        self.y = self.top
        c, width = self.canvas, self.sheet[0]
        c.setFont(FONT, FURNITURE)
        if self.header:
            c.drawString(MARGIN, self.sheet[1] - MARGIN, self.header)
            c.line(MARGIN, self.sheet[1] - MARGIN - 5, width - MARGIN, self.sheet[1] - MARGIN - 5)
        if self.footer:
            c.drawString(MARGIN, MARGIN - 20, self.footer)
        c.drawRightString(width - MARGIN, MARGIN - 20, f"- {self.number} -")

    def article(self, text: str, columns: int, floor: float, flow: bool) -> None:
        """Its headline across the columns, then its paragraphs down them: on to further sheets
        if it flows, else cut where the last column is full."""
        self.columns, self.floor, self.flow, self.full = columns, floor, flow, False
        self.measure = (self.sheet[0] - 2 * MARGIN - (columns - 1) * GUTTER) / columns
        pars = _paragraphs(text)
        if pars and _is_heading(pars[0]):
            self._headline(pars.pop(0))
        self.column, self.top = 0, self.y
        for par in pars:
            if _is_heading(par):
                self._paragraph(par, SUBHEAD, indent=0, space=SUBHEAD * 0.6)
            else:
                self._paragraph(par, BODY, indent=2 * BODY, space=0)

    def _headline(self, text: str) -> None:
        """Centred across all columns, above them."""
        self.canvas.setFont(FONT, HEADLINE)
        for line in _wrap(text, HEADLINE, self.sheet[0] - 2 * MARGIN, 0):
            self.y -= HEADLINE * LEADING
            self.canvas.drawCentredString(self.sheet[0] / 2, self.y, line)
            self.drawn.append(line)
        self.y -= HEADLINE

    def _room(self, pitch: float) -> bool:
        """Whether a line of this pitch fits below the cursor, in this column or the next, or on
        the next sheet."""
        if self.y - pitch >= self.floor:
            return True
        self.column += 1
        self.y = self.top
        if self.column < self.columns:
            return True
        if not self.flow:
            self.full = True
            return False
        self._new_sheet()
        return True

    def _paragraph(self, text: str, size: float, indent: float, space: float) -> None:
        """A paragraph down the column; a subheading (with space around it) whole, with a line
        of what follows it, in one column, as typesetters keep it."""
        if self.y < self.top:
            self.y -= space
        lines = _wrap(text, size, self.measure, indent)
        if space and not self._room((len(lines) + 1) * size * LEADING):
            return
        for n, line in enumerate(lines):
            if self.full or not self._room(size * LEADING):
                return
            self.y -= size * LEADING
            start = indent if n == 0 else 0
            justified = n < len(lines) - 1 and len(line) > 1  # all but a paragraph's last line
            slack = self.measure - start - pdfmetrics.stringWidth(line, FONT, size)
            text = self.canvas.beginText(MARGIN + self.column * (self.measure + GUTTER) + start, self.y)
            text.setFont(FONT, size)
            text.setCharSpace(slack / (len(line) - 1) if justified else 0)
            text.textOut(line)
            self.canvas.drawText(text)
            self.drawn.append(line)
        self.y -= space

    def finish(self) -> None:
        self.canvas.showPage()
        self.canvas.save()


def _wrap(text: str, size: float, measure: float, indent: float) -> list[str]:
    """Lines filling `measure`, the first `indent` shorter, broken between any two characters,
    but never leaving one character alone on the last line, as typesetters do not. (Nor may the
    tests: a lone character of a font not embedded, drawn where no CJK font is installed, has no
    glyph box, and PDFium leaves it out of the page's text.)"""
    lines, line, width = [], "", indent
    for ch in text:
        w = pdfmetrics.stringWidth(ch, FONT, size)
        if line and width + w > measure:
            lines.append(line)
            line, width = "", 0.0
        line += ch
        width += w
    if len(line) == 1 and lines:
        lines[-1], line = lines[-1][:-1], lines[-1][-1] + line
    return [*lines, line] if line else lines


def blank_pages_pdf(count: int) -> bytes:
    """`count` pages with nothing on them, written by hand: reportlab takes seconds for thousands,
    and a reader must refuse such a file by its page count before reading any page."""
    pages = " ".join(f"{3 + n} 0 R" for n in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{pages}] /Count {count} >>".encode()]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * count
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % at for at in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def words_pdf(words: list[str], gap: float, spacing: float = 0.0) -> bytes:
    """`words` on one line, each drawn on its own `gap` points after the one before, with no space
    character between them (as TeX sets words), their characters `spacing` points apart (as a
    justified line spreads them)."""
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4, invariant=True)
    x = MARGIN
    for word in words:
        text = c.beginText(x, A4[1] - 100)
        text.setFont(FONT, BODY)
        text.setCharSpace(spacing)
        text.textOut(word)
        c.drawText(text)
        x += pdfmetrics.stringWidth(word, FONT, BODY) + len(word) * spacing + gap
    c.showPage()
    c.save()
    return out.getvalue()


def pages_pdf(pages: list[str | None], encrypt: str | None = None) -> bytes:
    """One sheet per item, its text's lines one under another at the top: "" leaves the sheet
    blank, and None draws a grey rectangle and no text, as a scan shows nothing but an image."""
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4, invariant=True, encrypt=encrypt)
    for text in pages:
        if text is None:
            c.setFillGray(0.5)
            c.rect(100, 300, 400, 300, fill=1)
        elif text:
            c.setFont(FONT, BODY)
            for n, line in enumerate(text.split("\n")):
                c.drawString(MARGIN, A4[1] - 100 - n * BODY * LEADING, line)
        c.showPage()
    c.save()
    return out.getvalue()


def scanned_pdf(text: str, dpi: int = 200) -> bytes | None:
    """A scan of `text` set as by pages_pdf: the page's picture and no text layer; None where
    PDFium finds no CJK font on this machine to draw STSong-Light with (it is not embedded), as a
    page of Chinese alone then comes out blank."""
    def picture(text: str):
        return pdfium.PdfDocument(pages_pdf([text]))[0].render(scale=dpi / 72, grayscale=True).to_pil()

    if picture("党建引领").getextrema()[0] > 128:
        return None
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4, invariant=True)
    c.drawImage(ImageReader(picture(text)), 0, 0, *A4)
    c.showPage()
    c.save()
    return out.getvalue()
