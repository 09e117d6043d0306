"""Clean and reflow: turn a page's physical lines into logical blocks.

Newspaper text arrives hard-wrapped to a column, sometimes double-spaced, with paragraphs cut
by column breaks and photo captions dropped into the middle of a sentence. The rules here use
only layout signals (line widths, blank-line gaps, sentence-final punctuation), never a page's
own strings, so they hold for pages we have not seen.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise

# Characters in the widest line a newspaper column (or a hard wrap) holds.
WIDEST_COLUMN = 60
TERMINALS = "。！？!?…；;：:."
CLOSERS = "”’」』》）)】\"'"
CLAUSE_PUNCT = "，。；！？、,;!?"
INDENT = (" ", "\u3000", "\t")


@dataclass(frozen=True)
class Block:
    """A logical unit of a page: a paragraph, a heading line, a caption, a byline…

    `gap_before`/`gap_after` count the blank lines around it on the page; wide gaps are how
    layout sets figures and sidebars apart. `interrupted` marks a short block found inside a
    paragraph that a column break split: almost always a photo caption.
    """

    text: str
    gap_before: int = 0
    gap_after: int = 0
    line_count: int = 1
    interrupted: bool = False


def width(text: str) -> int:
    """Display width in a Chinese context: wide, full-width and ambiguous characters count 2."""
    return sum(map(_char_width, text))


@cache
def _char_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WFA" else 1


def ends_sentence(text: str) -> bool:
    """True when text ends a sentence: 。 or 。” or 力量。（图片由…提供）."""
    text = text.rstrip()
    while text.endswith(("）", ")")):
        opener = text.rfind("（") if text.endswith("）") else text.rfind("(")
        if opener <= 0:
            break
        text = text[:opener].rstrip()
    stripped = text.rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in TERMINALS


def has_clause_punct(text: str) -> bool:
    return _CLAUSE_PUNCT.search(text) is not None


_CLAUSE_PUNCT = re.compile(f"[{re.escape(CLAUSE_PUNCT)}]")


def is_headingish(text: str) -> bool:
    """Short, with no clause punctuation: how headlines, headings, names and captions look."""
    return 0 < len(text) <= 40 and not has_clause_punct(text)


def is_prose(text: str) -> bool:
    return has_clause_punct(text) or len(text) > 40


@dataclass(frozen=True)
class _Line:
    text: str
    gap_before: int
    indented: bool


def _lines(text: str, drop: re.Pattern[str] | None = None) -> list[_Line]:
    out: list[_Line] = []
    gap = 0
    for raw in text.split("\n"):
        if not raw.strip() or (drop is not None and drop.match(raw.strip())):
            gap += 1
            continue
        out.append(_Line(raw.strip(), gap, raw[:1] in INDENT))
        gap = 0
    return out


def _is_double_spaced(lines: list[_Line]) -> bool:
    """A blank line after every line, and lines cut mid-sentence: a hard wrap, double-spaced.

    One-paragraph-per-line pages also have a blank after every line, but their lines end
    sentences; that is the difference.
    """
    if len(lines) < 6:
        return False
    gaps = [ln.gap_before for ln in lines[1:]]
    adjacent = sum(1 for g in gaps if g == 0) / len(gaps)
    prose = [ln for ln in lines if has_clause_punct(ln.text)]
    if len(prose) < 4:
        return False
    open_ends = sum(1 for ln in prose if not ends_sentence(ln.text)) / len(prose)
    return adjacent <= 0.1 and open_ends >= 0.5


def _physical_blocks(lines: list[_Line]) -> list[list[_Line]]:
    blocks: list[list[_Line]] = []
    for ln in lines:
        if not blocks or ln.gap_before > 0:
            blocks.append([ln])
        else:
            blocks[-1].append(ln)
    return blocks


def _join(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalpha() and b[0].isascii() and b[0].isalpha():
        return a + " " + b
    return a + b


def _split_block(lines: list[_Line]) -> list[str]:
    """Join a block's wrapped lines into paragraphs.

    A stack of short lines with no clause punctuation is a headline or a byline over a credit:
    each line stays its own block. Otherwise lines are joined, and a new paragraph starts at an
    indented line or after a line that ends a sentence well short of the column width.
    """
    texts = [ln.text for ln in lines]
    if len(lines) == 1:
        return texts
    if not any(has_clause_punct(t) for t in texts) and all(len(t) <= 40 for t in texts):
        return texts
    if max(len(t) for t in texts) > WIDEST_COLUMN:
        return texts  # no column is that wide: a web page's lines, each a paragraph, heading or name
    column = statistics.median(width(t) for t in texts)
    paragraphs = [texts[0]]
    for prev, ln in pairwise(lines):
        short_end = ends_sentence(prev.text) and width(prev.text) < 0.75 * column and len(lines) >= 3
        if ln.indented or short_end:
            paragraphs.append(ln.text)
        else:
            paragraphs[-1] = _join(paragraphs[-1], ln.text)
    return paragraphs


def _undouble(lines: list[_Line]) -> list[_Line]:
    """Halve the gaps of a double-spaced page. Lines set with no blank between them stand out
    there: a heading's lines, or a heading over its section's first line; they are kept apart
    from the text around them."""
    def adjacent(i: int) -> bool:
        return 0 < i < len(lines) and lines[i].gap_before == 0

    out = []
    for i, ln in enumerate(lines):
        gap = ln.gap_before // 2
        heading = is_headingish(ln.text)
        after_heading = i > 0 and is_headingish(lines[i - 1].text)
        if adjacent(i):
            gap = 0 if heading and after_heading else int(after_heading)
        elif (heading and adjacent(i + 1)) or (after_heading and adjacent(i - 1)):
            gap = max(gap, 1)
        out.append(replace(ln, gap_before=gap))
    return out


def _blocks(text: str, drop: re.Pattern[str] | None) -> list[Block]:
    lines = _lines(text, drop)
    if _is_double_spaced(lines):
        lines = _undouble(lines)
    out: list[Block] = []
    for phys in _physical_blocks(lines):
        gap = phys[0].gap_before
        for i, para in enumerate(_split_block(phys)):
            out.append(Block(para, gap_before=gap if i == 0 else 0, line_count=len(phys)))
    return [
        replace(b, gap_after=out[i + 1].gap_before if i + 1 < len(out) else 0)
        for i, b in enumerate(out)
    ]


def _continues(block: Block) -> bool:
    return is_prose(block.text) and not ends_sentence(block.text)


def _is_interloper(block: Block) -> bool:
    """A caption set into a column: short, and framed by wider blank gaps than the text."""
    return len(block.text) <= 50 and (block.gap_before >= 2 or block.gap_after >= 2)


def _mend_column_breaks(blocks: list[Block]) -> list[Block]:
    """Rejoin paragraphs a column break or a photo split, keeping the photo's caption."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        current = blocks[i]
        i += 1
        held: list[Block] = []
        while _continues(current) and i < len(blocks):
            j = i
            skipped: list[Block] = []
            while j < len(blocks) and len(skipped) < 3 and _is_interloper(blocks[j]) and not _continues(blocks[j]):
                skipped.append(blocks[j])
                j += 1
            if j >= len(blocks) or is_headingish(blocks[j].text):
                break
            nxt = blocks[j]
            current = replace(current, text=_join(current.text, nxt.text), gap_after=nxt.gap_after)
            held.extend(replace(s, interrupted=True) for s in skipped)
            i = j + 1
        out.append(current)
        out.extend(held)
    return out


def reflow(text: str, drop: re.Pattern[str] | None = None) -> list[Block]:
    """Page text (already decoded and cleaned) → logical blocks in reading order.

    Lines matching `drop` (page numbers, dates, editors' credits) are read as blank.
    """
    text = re.sub(r"[ \t]+\n", "\n", text)
    return _mend_column_breaks(_blocks(text, drop))
