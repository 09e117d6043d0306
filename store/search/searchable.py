"""What search covers of an article, laid out as the index stores it, and its jieba words.

The build segments each article once (jieba is its costliest step), caches the words with the
parsed page and hands them to the index; keywords come from the same words.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

from store.records import Article

PARTS = ("title", "headings", "body", "captions")


def parts_of(article: Article) -> tuple[str, str, str, str]:
    """What search covers, by part: title (+ subtitle), headings (+ sidebar titles), body, captions.

    The body is `Article.passages()`, one per line, so a line number in it is the paragraph index
    that evidence uses.
    """
    return (
        "\n".join(t for t in (article.title, article.subtitle) if t),
        "\n".join((*article.headings, *(s.title for s in article.sidebars if s.title))),
        "\n".join(article.passages()),
        "\n".join(article.captions),
    )


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
