"""What search covers of an article, laid out as the index stores it, and its jieba words.

The build segments each article once (jieba is its costliest step), caches the words with the
parsed page and hands them to the index; keywords come from the same words.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

from store.layout import PARTS, part_lines
from store.records import Article


def parts_of(article: Article) -> tuple[str, str, str, str]:
    """What search covers, by part (see `store.layout.PARTS`), each part's lines joined.

    A line number in a part is the `line` of its block in `store.layout`; in the body it is the
    paragraph index that evidence uses.
    """
    lines = part_lines(article)
    title, headings, body, captions = ("\n".join(lines[part]) for part in PARTS)
    return title, headings, body, captions


def doc_text(article: Article) -> str:
    """The article's searchable text: its parts, each ended by a newline."""
    return "".join(part + "\n" for part in parts_of(article))


def pack_words(words: Sequence[str]) -> bytes:
    """jieba's words as their lengths, one byte each (a longer word is split in 255s, which only
    adds a word start inside a run no query word spans)."""
    out = bytearray()
    for word in words:
        n = len(word)
        while n > 255:
            out.append(255)
            n -= 255
        out.append(n)
    return bytes(out)


def encode_words(lengths: bytes) -> str:
    return base64.b64encode(lengths).decode("ascii")


def decode_words(text: str) -> bytes:
    return base64.b64decode(text)
