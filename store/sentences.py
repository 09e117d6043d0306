"""Sentences, as a Chinese page ends them: segmenting cuts long paragraphs at them, extraction
reads facts one sentence at a time, and a quote in an export or on the clipboard is whole
sentences (a snippet cut mid-sentence cannot be cited)."""

from __future__ import annotations

import re

from store.fold import ASCII_STOP

SENTENCE_END = re.compile(r"[。！？!?](?![”’」』])|[。！？!?][”’」』](?=[“‘「『\s]|$)")
_SENTENCE_END_ASCII = re.compile(f"{SENTENCE_END.pattern}|{ASCII_STOP.pattern}")


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, keeping a quotation with the words that introduce or
    attribute it."""
    return [s for s in sentences_whole(text) if s.strip()]


def sentences_whole(text: str) -> list[str]:
    """Sentences with nothing dropped (sentences() leaves out blank pieces)."""
    out, start = [], 0
    for m in (_SENTENCE_END_ASCII if "." in text else SENTENCE_END).finditer(text):
        out.append(text[start : m.end()])
        start = m.end()
    return [*out, text[start:]] if start < len(text) else out


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole sentences of `text` that [start, end) touches, as offsets, less the white space
    at their edges."""
    at, first, last = 0, 0, len(text)
    for piece in sentences_whole(text):
        if at <= start < at + len(piece):
            first = at
        if at < max(end, start + 1) <= at + len(piece):
            last = at + len(piece)
            break
        at += len(piece)
    while first < last and text[first].isspace():
        first += 1
    while last > first and text[last - 1].isspace():
        last -= 1
    return first, last
