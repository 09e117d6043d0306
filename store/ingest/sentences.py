"""Sentences, as a Chinese page ends them: segmenting cuts long paragraphs at them and extraction
reads facts one sentence at a time."""

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
