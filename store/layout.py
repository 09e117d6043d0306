"""An article's layout: its lines in reading order, each knowing where search and evidence find it.

The reader draws these blocks, the export writes them and the search index stores them, so the
three cannot disagree about what an article holds. A block's `part` and `line` are its address
in the index (`searchable.parts_of` joins each part's lines with newlines): a hit or a piece of
evidence at (part, line) is in exactly one block.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from store.records import Article, Evidence
from store.sentences import sentence_bounds

PARTS = ("title", "headings", "body", "captions")


class Span(NamedTuple):
    """A stretch of one block: its `part`, its line there (`paragraph`; a body line is a
    passage), and offsets in that line. A search hit or an evidence sentence."""

    part: str
    paragraph: int
    start: int
    end: int


@dataclass(frozen=True)
class Block:
    """One line as printed. `kind` is how it reads: title, heading, body, sidebar_title, sidebar
    or caption; (`part`, `paragraph`) is its address, as a Span in it gives it; `sidebar` numbers
    the box a sidebar line is in (-1 outside one)."""

    kind: str
    part: str
    paragraph: int
    text: str
    sidebar: int = -1


def layout_of(article: Article) -> tuple[Block, ...]:
    """Title and subtitle; body paragraphs with each heading before the paragraph it stands at
    (several may stand at one, and those past the last paragraph follow it); sidebars; captions."""
    blocks = [Block("title", "title", n, line) for n, line in enumerate(t for t in (article.title, article.subtitle) if t)]
    at: dict[int, list[int]] = {}
    last = len(article.paragraphs)
    for h in range(len(article.headings)):
        position = article.heading_paragraphs[h] if h < len(article.heading_paragraphs) else last
        at.setdefault(min(position, last), []).append(h)
    for p in range(last + 1):
        blocks.extend(Block("heading", "headings", h, article.headings[h]) for h in at.get(p, ()))
        if p < last:
            blocks.append(Block("body", "body", p, article.paragraphs[p]))
    heading, body = len(article.headings), last
    for s, sidebar in enumerate(article.sidebars):
        if sidebar.title:
            blocks.append(Block("sidebar_title", "headings", heading, sidebar.title, s))
            heading += 1
        for paragraph in sidebar.paragraphs:
            blocks.append(Block("sidebar", "body", body, paragraph, s))
            body += 1
    blocks.extend(Block("caption", "captions", c, caption) for c, caption in enumerate(article.captions))
    return tuple(blocks)


def part_lines(article: Article) -> dict[str, list[str]]:
    """Each part's lines in the order the index numbers them, which is not always reading order:
    headings are numbered as the article lists them (wherever they stand among the paragraphs)
    and a sidebar's lines come after the body's, so evidence and stored hits keep their addresses.
    The blocks of `layout_of` by their address, made directly: the build asks for every article's."""
    boxed = article.sidebars
    return {
        "title": [line for line in (article.title, article.subtitle) if line],
        "headings": [*article.headings, *(s.title for s in boxed if s.title)],
        "body": [*article.paragraphs, *(line for s in boxed for line in s.paragraphs)],
        "captions": list(article.captions),
    }


def evidence_span(article: Article, evidence: Evidence) -> Span | None:
    """Where an evidence sentence stands in its article, to highlight it; None when the article
    no longer holds it (a store built from edited pages)."""
    passages = article.passages()
    if 0 <= evidence.paragraph < len(passages):
        at = passages[evidence.paragraph].find(evidence.sentence)
        if at >= 0:
            return Span("body", evidence.paragraph, at, at + len(evidence.sentence))
    return None


def sentence_at(article: Article, span: Span) -> tuple[Span, str]:
    """The whole sentence (or sentences) a span stands in, and its text: what a quote copies."""
    line = part_lines(article)[span.part][span.paragraph]
    start, end = sentence_bounds(line, span.start, span.end)
    return Span(span.part, span.paragraph, start, end), line[start:end]
