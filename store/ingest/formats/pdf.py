"""Newspaper PDFs (.pdf): each printed page's text in reading order, its running head read as metadata.

A PDF holds no text as such, only characters drawn at positions, so the reading order has to be
rebuilt. A newspaper page prints in columns, and reading each line across the whole page would
splice the columns' lines together. So the characters are gathered with their boxes (PDFium's,
through pypdfium2: fast, and it maps CID-keyed CJK fonts back to Unicode), grouped into lines,
and the lines cut as the eye cuts the page: at gutters, upright strips of white no line crosses,
columns left to right (horizontal Chinese newspapers read as Western ones do); at strips of white
across the page, articles set one above another; and around a headline over the columns. In
each column a paragraph ends where a line ends short of the column's edge, the next line is
indented (Chinese paragraphs open two characters in), the space between lines widens or the type
size changes; a paragraph's lines are joined without spaces, as Chinese is written, paragraphs
are set apart by a blank line, and so a headline stands on a line of its own.

Running heads and feet (the paper's name, the date, 第N版, the page number, the editor) are
printed at the same place on most pages: rows of them at a page's top and bottom are furniture,
left out of the text. The page's dateline or page line (青松日报 2024年9月6日 星期五 第07版：教育,
第07版：要闻) is read into the sheet's metadata by store.ingest.pagemeta, also on a one-page file.

A page with no text (a scan) is left out; a file with no text at all is refused with a reason,
unless tesseract with its Simplified Chinese data is installed, which then reads the scanned pages.
Reading is bounded, since a file is read whole: in pages, in characters per page, and in time;
each page's PDFium objects are closed as soon as it is read. PDFium is not thread-safe: read
files in one thread per process (the build's worker processes each read their own).

A font the file names but does not embed (PDFs from office software may do so) is drawn with one
of this machine's: where it has no CJK font, PDFium cannot size such a character's glyph and
leaves a character standing alone (a 。 on a line of its own) out of the text. A machine reading
such files wants a CJK font installed (Debian: fonts-noto-cjk). Newspapers embed their fonts.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from itertools import accumulate, pairwise
from statistics import median

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from store.ingest import pagemeta
from store.ingest.formats import FormatError, Sheet
from store.ingest.pagemeta import PageMeta
from store.ingest.read import normalize_text

MAX_PAGES = 2_000  # an issue of a daily is under 100; a year's bound volume would be a corpus of its own
MAX_CHARS = 200_000  # per page: a broadsheet page holds about 15,000 characters
TIME_LIMIT = 120.0  # seconds per file, checked between pages
OCR_DPI = 300  # tesseract's own advice for body text
TESSERACT_LANG = "chi_sim"

# Distances are in the lines' own type size (em): they hold whatever the scale of the page.
SAME_LINE_GAP = 0.6  # a wider gap between two characters on one baseline parts them (a gutter, a tab)
GUTTER_MIN = 0.6  # the narrowest gutter: newspapers leave at least a character's width
BAND_GAP = 1.0  # white across the page this high parts articles set one above another
INDENT_MIN = 0.9  # a paragraph's first line opens two characters in, a quotation mark one and a half
SHORT_LINE = 1.5  # a line ending this far short of the column's edge ends its paragraph
EXTRA_GAP = 0.6  # space between lines beyond the paragraph's leading: a new paragraph
LEADING_MAX = 0.6  # the most space taken for leading: newspapers set lines 1.2 to 1.6 apart
SIZE_STEP = 0.1  # type larger or smaller by this share: a heading, or the end of one
PEEL_MAX = 3  # rows of running head or foot at most: a paper's name, its dateline, a section's banner


@dataclass(frozen=True, slots=True)
class _Line:
    """Characters printed one after another on one baseline, in points from the page's top left."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # the type size of its largest characters


@dataclass(frozen=True)
class _Page:
    number: int  # 1-based, as the file counts its pages
    lines: list[_Line]
    ocr: str | None = None  # the text tesseract read off a page that had none


def read_pdf(data: bytes) -> list[Sheet]:
    """One sheet per printed page that has text, labelled by its page number (#3)."""
    pages = _read_pages(data)
    running = _running([page for page in pages if page.lines])
    sheets = []
    for page in pages:
        if page.ocr is not None:
            text, meta = page.ocr, PageMeta()
        else:
            meta, lines = _meta(page.lines, running)
            text = "\n\n".join(_paragraphs(_columns(lines)))
        text = normalize_text(text).strip()
        if text:
            sheets.append(Sheet(text, meta, f"#{page.number}"))
    if not sheets:
        tried = any(page.ocr is not None for page in pages)
        raise FormatError("no text found, even by OCR" if tried else "no text layer; OCR it first")
    return sheets


def _read_pages(data: bytes) -> list[_Page]:
    """Every page's lines, or its OCR text, or neither; refused when the file is no sound PDF."""
    if not data:
        raise FormatError("empty file")
    if b"%PDF-" not in data[:1024]:  # readers allow some bytes before the header, Acrobat up to 1 KB
        raise FormatError("not a PDF")
    if b"%%EOF" not in data[-1024:]:  # every PDF ends with its end marker: the file was cut short
        raise FormatError("damaged PDF (truncated)")
    started = time.monotonic()
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        encrypted = err.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY)
        raise FormatError("encrypted" if encrypted else "damaged PDF") from err
    try:
        if len(pdf) > MAX_PAGES:
            raise FormatError("too many pages")
        pages = []
        for index in range(len(pdf)):
            left = TIME_LIMIT - (time.monotonic() - started)
            if left <= 0:
                raise FormatError("took too long")
            pages.append(_read_page(pdf, index, left))
        return pages
    finally:
        pdf.close()


def _read_page(pdf: pdfium.PdfDocument, index: int, time_left: float) -> _Page:
    try:
        page = pdf[index]
    except pdfium.PdfiumError as err:
        raise FormatError("damaged PDF") from err
    try:
        textpage = page.get_textpage()
        try:
            if textpage.count_chars() > MAX_CHARS:
                raise FormatError("page too large")
            lines = _lines(textpage, page.get_height())
        finally:
            textpage.close()
        exe = _tesseract()
        if lines or exe is None or not pdfium_c.FPDFPage_CountObjects(page.raw):
            return _Page(index + 1, lines)
        return _Page(index + 1, [], _ocr(page, exe, time_left))
    finally:
        page.close()


def _lines(textpage: pdfium.PdfTextPage, height: float) -> list[_Line]:
    """The page's characters in the order they were drawn, gathered into lines: a character
    continues the line when it stands on the same baseline just right of the one before.

    Boxes are PDFium's loose ones, as tall as the font rather than the glyph, so that a comma and
    a character beside it line up. The type size is the font's size scaled by the character's
    matrix (text drawn at size 1 and scaled up is common). Whitespace is not drawn ink: it only
    puts a space in the text. PDFium's generated characters are its guesses: its line ends are left
    out, its spaces (where a word gap was drawn as a move, as TeX does) kept between two Latin
    letters only, since a justified Chinese line spaces out its characters, digits (1 06家) and
    quotation marks (“12345 ”) too.
    """
    raw, box, matrix = textpage.raw, pdfium_c.FS_RECTF(), pdfium_c.FS_MATRIX()
    lines: list[_Line] = []
    text: list[str] = []
    x0 = x1 = top = bottom = size = 0.0
    space = ""  # before this character: "printed" whitespace, a space PDFium "guessed", or none
    for i in range(textpage.count_chars()):
        ch = chr(pdfium_c.FPDFText_GetUnicode(raw, i))
        generated = pdfium_c.FPDFText_IsGenerated(raw, i)
        if not generated and ch.isspace():
            space = "printed"
        elif generated and ch == " ":
            space = space or "guessed"
        if generated or ch.isspace():
            continue
        pdfium_c.FPDFText_GetLooseCharBox(raw, i, box)
        pdfium_c.FPDFText_GetMatrix(raw, i, matrix)
        c_size = pdfium_c.FPDFText_GetFontSize(raw, i) * math.hypot(matrix.c, matrix.d)
        c_top, c_bottom = height - box.top, height - box.bottom
        if c_size <= 0 or c_bottom <= c_top:  # nothing drawn: an empty glyph, a marker
            continue
        overlap = min(bottom, c_bottom) - max(top, c_top)
        gap = box.left - x1
        if text and overlap >= 0.5 * min(c_bottom - c_top, bottom - top) and -0.5 * c_size <= gap <= SAME_LINE_GAP * c_size:
            if space == "printed" or (space and _letter(text[-1]) and _letter(ch)):
                text.append(" ")
            text.append(ch)
            x1, top, bottom, size = max(x1, box.right), min(top, c_top), max(bottom, c_bottom), max(size, c_size)
        else:
            if text:
                lines.append(_Line("".join(text), x0, x1, top, bottom, size))
            text, x0, x1, top, bottom, size = [ch], box.left, box.right, c_top, c_bottom, c_size
        space = ""
    if text:
        lines.append(_Line("".join(text), x0, x1, top, bottom, size))
    return lines


def _running(pages: list[_Page]) -> set[tuple[str, int, str, int]]:
    """The places of the lines printed on most pages: running heads and feet. A line's place is
    its text, with digits masked since the page number changes, its height, and where it starts,
    ends or is centred (a right-aligned or centred page number grows with its digits)."""
    if len(pages) < 2:
        return set()
    counts = Counter(place for page in pages for place in {place for line in page.lines for place in _places(line)})
    most = len(pages) // 2 + 1
    return {place for place, n in counts.items() if n >= most}


def _places(line: _Line) -> tuple[tuple[str, int, str, int], ...]:
    text, top = re.sub(r"\d+", "0", line.text), round(line.top)
    return (text, top, "left", round(line.x0)), (text, top, "right", round(line.x1)), (text, top, "centre", round((line.x0 + line.x1) / 2))


def _meta(lines: list[_Line], running: set[tuple[str, int, str, int]]) -> tuple[PageMeta, list[_Line]]:
    """What the page's running head or foot says of it, and the page's lines without them.

    Rows are peeled off the top and the bottom of the page while each is either furniture (all of
    its lines are running heads or feet) or wholly metadata to pagemeta (a dateline, a page line),
    which a file of one page prints too, where repetition cannot tell it. Only the page's edges
    are peeled: a short line that happens to stand at the same place on most pages, a lone 。 at
    the head of a column, is text.
    """
    rows = _group_rows(lines)
    found: list[PageMeta] = []
    peeled: set[int] = set()
    for order in (range(len(rows)), range(len(rows) - 1, -1, -1)):
        for depth, k in enumerate(order):
            if depth == PEEL_MAX or k in peeled:
                break
            printed, rest = pagemeta.parse(" ".join(line.text for line in rows[k]))
            if not rest.strip() and (printed.date or printed.publication or printed.edition):
                found.append(printed)
            elif not all(any(place in running for place in _places(line)) for line in rows[k]):
                break
            peeled.add(k)
    date, publication, edition = (next((getattr(m, f) for m in found if getattr(m, f)), None) for f in ("date", "publication", "edition"))
    kept = [line for k, row in enumerate(rows) if k not in peeled for line in row]
    return PageMeta(None, date, publication, edition), kept


def _group_rows(lines: list[_Line]) -> list[list[_Line]]:
    """The lines by row, from the top, each row's from the left."""
    rows: list[list[_Line]] = []
    for line in sorted(lines, key=lambda line: line.top):
        if rows and _same_row(rows[-1][0], line):
            rows[-1].append(line)
        else:
            rows.append([line])
    return [sorted(row, key=lambda line: line.x0) for row in rows]


def _same_row(a: _Line, b: _Line) -> bool:
    return min(a.bottom, b.bottom) - max(a.top, b.top) >= 0.5 * min(a.size, b.size)


def _columns(lines: list[_Line]) -> list[list[_Line]]:
    """The lines in reading order, as runs: each a column, or a band of lines across columns.

    As a reader's eye goes: at a gutter no line crosses, the columns left of it before those right
    of it; else at strips of white across the page, the articles set one above another, each in
    turn; else at a gutter that a few lines cross (a headline over the columns, tight above them),
    those lines divide the page into bands read from the top, each band's columns in turn. What
    none of these cuts is one column.
    """
    gutter = _gutter(lines)
    if gutter and not any(_crosses(line, gutter) for line in lines):
        return _split(lines, gutter)
    bands = _bands(lines)
    # A column is cut in bands only where some band has columns: a column's edges, which tell
    # its indents and short lines, are best seen down its whole length.
    if len(bands) > 1 and any(_gutter(band) for band in bands):
        return [run for band in bands for run in _columns(band)]
    if gutter:
        return _spanned(lines, gutter)
    return [_rows(lines)] if lines else []


def _crosses(line: _Line, gutter: tuple[float, float]) -> bool:
    return line.x0 < gutter[1] and line.x1 > gutter[0]


def _spanned(lines: list[_Line], gutter: tuple[float, float]) -> list[list[_Line]]:
    """The lines crossing the gutter, each run of them a band of its own, and the lines between
    them in bands read in turn, from the top."""
    runs: list[list[_Line]] = []
    band: list[_Line] = []
    spanning: list[_Line] = []
    for line in sorted(lines, key=lambda line: line.top):
        crosses = _crosses(line, gutter)
        if crosses and band:
            runs += _columns(band)
            band = []
        elif not crosses and spanning:
            runs.append(_rows(spanning))
            spanning = []
        (spanning if crosses else band).append(line)
    return runs + _columns(band) + ([_rows(spanning)] if spanning else [])


def _split(lines: list[_Line], gutter: tuple[float, float]) -> list[list[_Line]]:
    """The columns left of a gutter no line crosses, then those right of it; but first a
    headline above both sides that is too short to reach across the gutter."""
    left, right = [line for line in lines if line.x1 <= gutter[0]], [line for line in lines if line.x0 >= gutter[1]]
    body = _body_size(lines)
    heads = [line for line in left if _heading(line, body) and line.bottom <= min(r.top for r in right)]
    heads += [line for line in right if _heading(line, body) and line.bottom <= min(r.top for r in left)]
    if heads:
        return [_rows(heads), *_columns([line for line in lines if all(line is not head for head in heads)])]
    return _columns(left) + _columns(right)


def _bands(lines: list[_Line]) -> list[list[_Line]]:
    """The lines cut where a strip of white at least BAND_GAP high runs across them all, but not
    where the columns above go on below: one article's paragraphs or subheadings can end at one
    height in all its columns."""
    if not lines:
        return []
    cut = BAND_GAP * median(line.size for line in lines)
    bands: list[list[_Line]] = []
    floor = -math.inf  # the bottom of the band so far
    for line in sorted(lines, key=lambda line: line.top):
        if line.top - floor > cut:
            bands.append([])
        bands[-1].append(line)
        floor = max(floor, line.bottom)
    merged, body = [bands[0]], _body_size(lines)
    for band in bands[1:]:
        if _goes_on(merged[-1], band, body):
            merged[-1] = merged[-1] + band
        else:
            merged.append(band)
    return merged


def _goes_on(above: list[_Line], band: list[_Line], body: float) -> bool:
    """Whether `band` continues the columns of the band above it: the two share a gutter no line
    crosses, and the band has lines on both sides of it, or is body text (a headline set within
    one column's width is the next article's)."""
    gutter = _gutter(above + band)
    if gutter is None or any(_crosses(line, gutter) for line in above + band):
        return False
    both_sides = any(line.x1 <= gutter[0] for line in band) and any(line.x0 >= gutter[1] for line in band)
    return both_sides or not any(_heading(line, body) for line in band)


def _gutter(lines: list[_Line]) -> tuple[float, float] | None:
    """The x-range of the best gutter among the lines, or None: a strip at least GUTTER_MIN wide,
    crossed by at most a tenth of the lines, with two or more lines wholly on either side."""
    if len(lines) < 4:
        return None
    allowed = max(1, len(lines) // 10)
    narrowest = GUTTER_MIN * median(line.size for line in lines)
    best: tuple[int, float, float, float] | None = None
    for lo, hi in _strips(lines, allowed):
        crossing = sum(1 for line in lines if _crosses(line, (lo, hi)))
        left = sum(1 for line in lines if line.x1 <= lo)
        right = sum(1 for line in lines if line.x0 >= hi)
        if hi - lo >= narrowest and crossing <= allowed and left >= 2 and right >= 2:
            candidate = (crossing, lo - hi, lo, hi)  # fewest crossing lines, then widest
            best = min(best, candidate) if best else candidate
    return (best[2], best[3]) if best else None


def _strips(lines: list[_Line], allowed: int) -> set[tuple[float, float]]:
    """The x-ranges with ink on both sides over which at most n lines lie, for each n up to
    `allowed`: the gutter proper where no line crosses, and wider strips that a headline or a
    column's longer lines reach into."""
    delta: Counter[float] = Counter()
    for line in lines:
        delta[line.x0] += 1
        delta[line.x1] -= 1
    edges = sorted(delta)
    depths = list(accumulate(delta[x] for x in edges[:-1]))  # lines over each stretch between edges
    strips = set()
    for most in sorted({d for d in depths if d <= allowed}):
        start = None
        for k, depth in enumerate(depths):
            if depth <= most and start is None:
                start = k
            elif depth > most and start is not None:
                if start:  # a strip from the leftmost ink has nothing on its left
                    strips.add((edges[start], edges[k]))
                start = None
    return strips


def _rows(lines: list[_Line]) -> list[_Line]:
    """A column's lines from the top, pieces standing on one baseline joined into one line (a
    line set with wide spaces, or drawn in pieces out of order)."""
    rows: list[_Line] = []
    for line in sorted(lines, key=lambda line: (line.top, line.x0)):
        if rows and _same_row(rows[-1], line):
            row = rows[-1]
            first, second = (row, line) if row.x0 <= line.x0 else (line, row)
            sep = " " if second.x0 - first.x1 > 0.3 * min(first.size, second.size) else ""
            rows[-1] = _Line(
                first.text + sep + second.text, first.x0, max(row.x1, line.x1),
                min(row.top, line.top), max(row.bottom, line.bottom), max(row.size, line.size),
            )
        else:
            rows.append(line)
    return rows


def _paragraphs(runs: list[list[_Line]]) -> list[str]:
    """The runs' lines joined into paragraphs, each as one line of text."""
    body = _body_size([line for run in runs for line in run])
    leading = _leading(runs)
    paragraphs: list[list[_Line]] = []
    before: tuple[_Line, float] | None = None  # the line before, and the right edge of its run
    for run in runs:
        plain = [line for line in run if not _heading(line, body)] or run
        left, right = min(line.x0 for line in plain), max(line.x1 for line in plain)
        for line in run:
            up = before is not None and line.top < before[0].bottom  # on to the head of the next column
            if before is None or _breaks(before[0], before[1], line, left, None if up else leading, body):
                paragraphs.append([])
            paragraphs[-1].append(line)
            before = (line, right)
    return [_joined(par) for par in paragraphs]


def _breaks(prev: _Line, prev_right: float, line: _Line, left: float, leading: dict[float, float] | None, body: float) -> bool:
    """Whether `line` opens a paragraph after `prev`. `leading` is None when a column ends
    between them: the space between its foot and the next column's head is no gap."""
    if abs(line.size - prev.size) > SIZE_STEP * max(line.size, prev.size):
        return True
    if leading is not None and line.top - prev.bottom > leading.get(_size_class(line), LEADING_MAX * line.size) + EXTRA_GAP * line.size:
        return True
    if _heading(line, body):  # a headline's lines may be centred: no indents, no short lines
        return leading is None  # but it never runs on into the next column
    return line.x0 - left > INDENT_MIN * line.size or prev_right - prev.x1 > SHORT_LINE * prev.size


def _body_size(lines: list[_Line]) -> float:
    """The type size most of the characters are set in."""
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[_size_class(line)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _heading(line: _Line, body: float) -> bool:
    return line.size > (1 + SIZE_STEP) * body


def _leading(runs: list[list[_Line]]) -> dict[float, float]:
    """The space between a line and the next in one paragraph, for each type size on the page:
    the least between lines of that size one under the other, as a paragraph may open with
    extra space but never closes it up; no more than LEADING_MAX, as headings one under another
    may all stand apart."""
    least: dict[float, float] = {}
    for run in runs:
        for a, b in pairwise(run):
            size = _size_class(b)
            if size == _size_class(a) and b.top >= a.bottom:
                least[size] = min(b.top - a.bottom, least.get(size, LEADING_MAX * size))
    return least


def _size_class(line: _Line) -> float:
    return round(line.size * 2) / 2


def _joined(lines: list[_Line]) -> str:
    """A paragraph's lines as one: Chinese is written without spaces, Latin words are parted by
    one; a number or a quotation broken at a line's end is joined up again (“1 / 2345” is 12345)."""
    text = lines[0].text
    for line in lines[1:]:
        a, b = text[-1], line.text[0]
        together = _wide(a) or _wide(b) or (a.isdigit() and b.isdigit()) or a in _OPENING or b in _CLOSING
        text += ("" if together else " ") + line.text
    return text


_OPENING, _CLOSING = "“‘（(《〈「『【", "”’）)》〉」』】，,。.、；;：:！!？?"


def _letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _wide(ch: str) -> bool:
    """A Chinese character or full-width punctuation: set without spaces around it."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


@cache
def _tesseract() -> str | None:
    """tesseract's path, where it is installed with its Simplified Chinese data; else None."""
    exe = shutil.which("tesseract")
    if exe is None:
        return None
    try:
        listed = subprocess.run([exe, "--list-langs"], capture_output=True, encoding="utf-8", errors="replace", timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return exe if TESSERACT_LANG in (listed.stdout + listed.stderr).split() else None


def _ocr(page: pdfium.PdfPage, exe: str, time_left: float) -> str:
    """The text tesseract reads off the page rendered at OCR_DPI, as a page saved as text: its
    lines as read, which the parser reflows as it reflows a hard-wrapped .txt page, a dateline
    at the top read by pagemeta there. (tesseract 4 and later set Chinese without spaces.)"""
    bitmap = page.render(scale=OCR_DPI / 72, grayscale=True)
    try:
        header = b"P5 %d %d 255\n" % (bitmap.width, bitmap.height)  # PGM: tesseract reads it, no image library needed
        pixels = memoryview(bitmap.buffer).cast("B")
        image = header + b"".join(pixels[y * bitmap.stride : y * bitmap.stride + bitmap.width] for y in range(bitmap.height))
    finally:
        bitmap.close()
    try:
        done = subprocess.run(
            [exe, "stdin", "stdout", "-l", TESSERACT_LANG], input=image, capture_output=True, timeout=time_left, check=False
        )
    except subprocess.TimeoutExpired as err:
        raise FormatError("took too long") from err
    return done.stdout.decode("utf-8", errors="replace")
