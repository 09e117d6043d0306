"""What search covers of an article, laid out as the index stores it, and its jieba words.

The build segments each article once (jieba is its costliest step), caches the words with the
parsed page and hands them to the index; keywords come from the same words.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from store.evidence_refs import lean_school, passages_of
from store.layout import PARTS, part_lines
from store.records import Article, School, json_bytes, to_dict

_TEXT_FIELDS = ("title", "subtitle", "headings", "paragraphs", "captions", "sidebars")


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
    return text_of_parts(parts_of(article))


def text_of_parts(parts: tuple[str, ...]) -> str:
    return "".join(part + "\n" for part in parts)


def written_records(
    articles: Sequence[Article], schools: Sequence[School], texts: Sequence[str] | None = None
) -> tuple[list[bytes], list[bytes]]:
    """Each article's record without its text, and each school's with its evidence pointing at
    its sentences: the JSON the store's tables and the index's records both hold, made once.
    `texts`: the articles' `doc_text`, when the caller has them."""
    passages = passages_of(list(articles))
    texts = texts if texts is not None else [doc_text(a) for a in articles]
    return (
        [json_bytes(without_text(a, text)) for a, text in zip(articles, texts, strict=True)],
        [json_bytes(lean_school(s, passages)) for s in schools],
    )


def without_text(article: Article, text: str | None = None) -> dict[str, Any]:
    """The article's record without the lines its searchable text holds (the store keeps that
    text once, in its texts table): how many lines each field had instead, which `with_text`
    reads back.
    The record stays whole in the rare case the text cannot give its lines back (a line with a
    line break in it). `text`: its `doc_text`, when the caller has it."""
    record = to_dict(article)
    lean = {k: v for k, v in record.items() if k not in _TEXT_FIELDS}
    lean["lines"] = [
        bool(article.title), bool(article.subtitle), len(article.headings), len(article.paragraphs),
        len(article.captions), [[bool(s.title), len(s.paragraphs)] for s in article.sidebars],
    ]
    return lean if with_text(lean, doc_text(article) if text is None else text) == record else record


def with_text(record: dict[str, Any], text: str) -> dict[str, Any]:
    """A record `without_text` made, whole again from the article's searchable text."""
    if "lines" not in record:
        return record
    title, subtitle, headings, paragraphs, captions, sidebars = record["lines"]
    counts = (int(title) + int(subtitle), headings + sum(t for t, _ in sidebars), paragraphs + sum(n for _, n in sidebars), captions)
    rest = iter(text.split("\n"))
    parts = [[next(rest) for _ in range(max(n, 1))][:n] for n in counts]
    tops, heads, body, caps = parts
    whole = {k: v for k, v in record.items() if k != "lines"}
    whole["title"] = tops[0] if title else ""
    whole["subtitle"] = tops[-1] if subtitle else ""
    whole["headings"], whole["paragraphs"], whole["captions"] = heads[:headings], body[:paragraphs], caps
    boxed_titles, boxed_lines = iter(heads[headings:]), iter(body[paragraphs:])
    whole["sidebars"] = [
        {"title": next(boxed_titles) if t else "", "paragraphs": [next(boxed_lines) for _ in range(n)]} for t, n in sidebars
    ]
    return whole


def pack_words(words: Sequence[str]) -> bytes:
    """jieba's words as their lengths, one byte each (a longer word is split in 255s, which only
    adds a word start inside a run no query word spans)."""
    lengths = list(map(len, words))
    if not lengths or max(lengths) <= 255:
        return bytes(lengths)
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
