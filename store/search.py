"""Search: evaluate a parsed query against every article, exactly.

Recall is a guarantee, not a ranking side effect: a term matches wherever its folded form occurs
as a substring of an article's folded text (title, headings, paragraphs and sidebars, captions).
Folding is one character for one (see `store.normalize`), so every span found in folded text
highlights the characters as printed.

This first version scans every article per query; an index that answers the same questions
faster is the next step (see the search issue), and must return exactly these results.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from store import tokenize
from store.normalize import normalize
from store.query import And, Field, Near, Node, Not, Or, Phrase, Regex, Term, describe, parse
from store.records import Article, School

PARTS = ("title", "headings", "body", "captions")
WEIGHTS = {"title": 5.0, "headings": 3.0, "body": 1.0, "captions": 1.0}
CONTEXT = 24


@dataclass(frozen=True)
class Span:
    part: str
    start: int
    end: int


@dataclass
class Doc:
    """One article, ready to search: its parts as printed and folded, and where paragraphs start."""

    article: Article
    schools: tuple[School, ...]
    parts: dict[str, str] = field(init=False)
    folded: dict[str, str] = field(init=False)
    starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        a = self.article
        passages = a.passages()
        self.parts = {
            "title": "\n".join(t for t in (a.title, a.subtitle) if t),
            "headings": "\n".join(a.headings),
            "body": "\n".join(passages),
            "captions": "\n".join(a.captions),
        }
        self.folded = {k: normalize(v) for k, v in self.parts.items()}
        self.starts, pos = [], 0
        for passage in passages:
            self.starts.append(pos)
            pos += len(passage) + 1

    @cached_property
    def everything(self) -> str:
        return "\n".join(self.folded.values())

    @cached_property
    def boundaries(self) -> dict[str, set[int]]:
        """Word boundaries by jieba, computed only when a whole-word query asks for them."""
        out: dict[str, set[int]] = {}
        for part, text in self.folded.items():
            edges, pos = {0}, 0
            for token in tokenize.cut_text(text):
                pos += len(token)
                edges.add(pos)
            out[part] = edges
        return out


@dataclass(frozen=True)
class Snippet:
    paragraph: int
    text: str
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Hit:
    article: str
    title: str
    subject: str
    score: float
    count: int
    snippets: tuple[Snippet, ...]
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class Results:
    query: str
    parsed: str
    total: int
    hits: tuple[Hit, ...]
    by_district: dict[str, int]
    by_school: dict[str, int]
    by_page: dict[str, int]


# ---- evaluation ---------------------------------------------------------------------------------

_Matched = list[Span] | None  # None: no match; a list (maybe empty): a match and what to highlight


@lru_cache(maxsize=256)
def _term_pattern(node: Term | Phrase) -> re.Pattern[str]:
    text = normalize(node.text)
    if isinstance(node, Phrase):
        return re.compile(r"\s*".join(re.escape(w) for w in text.split()))
    parts = []
    for ch in text:
        parts.append("." if ch == "?" else "[^\\n]*?" if ch == "*" else re.escape(ch))
    return re.compile("".join(parts))


@lru_cache(maxsize=256)
def _literal(node: Term | Phrase) -> str:
    """A string every match must contain, checked first: a plain `in` is far cheaper than a regex."""
    if isinstance(node, Term) and node.wildcard:
        return max(re.split(r"[?*]", normalize(node.text)), key=len)
    return max(normalize(node.text).split(), key=len)


def _find(pattern: re.Pattern[str], doc: Doc, places: tuple[str, ...], whole_words: bool = False) -> _Matched:
    spans: list[Span] = []
    for part in places:
        text = doc.folded[part]
        for m in pattern.finditer(text):
            if m.end() == m.start():
                continue
            if whole_words and not {m.start(), m.end()} <= doc.boundaries[part]:
                continue
            spans.append(Span(part, m.start(), m.end()))
    return spans or None


def _field(node: Field, doc: Doc) -> bool:
    a, value = doc.article, normalize(node.value)
    if node.name == "district":
        return any(value in normalize(p or "") for p in (a.region.district, a.region.city, a.region.province))
    if node.name == "school":
        return any(value == normalize(s.name) or value in map(normalize, s.aliases) for s in doc.schools)
    if node.name == "type":
        return any(s.type == node.value for s in doc.schools)
    if node.name == "batch":
        return any(s.batch == int(node.value) for s in doc.schools)
    if node.name == "brand":
        return any(value in normalize(b) for s in doc.schools for b in (*s.brands, *s.education_brands))
    if node.name == "file":
        return value in normalize(a.file)
    return True  # in: is applied by the enclosing AND


def _evaluate(node: Node, doc: Doc, places: tuple[str, ...]) -> _Matched:
    match node:
        case Term() | Phrase():
            if _literal(node) not in doc.everything:
                return None
            return _find(_term_pattern(node), doc, places, isinstance(node, Term) and node.whole_words)
        case Regex(pattern):
            return _find(re.compile(pattern), doc, places)
        case Field():
            return [] if _field(node, doc) else None
        case Not(inner):
            return [] if _evaluate(inner, doc, places) is None else None
        case And(nodes):
            scoped = tuple(n.value for n in nodes if isinstance(n, Field) and n.name == "in") or places
            spans: list[Span] = []
            for child in nodes:
                found = _evaluate(child, doc, scoped)
                if found is None:
                    return None
                spans.extend(found)
            return spans
        case Or(nodes):
            results = [r for r in (_evaluate(n, doc, places) for n in nodes) if r is not None]
            return [s for r in results for s in r] if results else None
        case Near(left, right, distance):
            lefts, rights = _evaluate(left, doc, places), _evaluate(right, doc, places)
            if not lefts or not rights:
                return None
            close = [
                (l, r) for l in lefts for r in rights
                if l.part == r.part and max(l.start, r.start) - min(l.end, r.end) <= distance
            ]
            return [s for pair in close for s in pair] or None
    raise TypeError(node)


def _weight(node: Node, doc: Doc, places: tuple[str, ...]) -> float | None:
    """Does the article match, and how strongly (hits weighted by where they stand)?

    The same answer as summing the weights of `_evaluate`'s spans, but a plain term is counted
    with str.count instead of building a span per hit: ranking needs every match's weight, while
    spans are only needed for the few hits shown.
    """
    match node:
        case Term(text, False) if not node.wildcard:
            literal = normalize(text)
            if literal not in doc.everything:
                return None
            weight = sum(WEIGHTS[p] * doc.folded[p].count(literal) for p in places)
            return weight or None
        case Not(inner):
            return 0.0 if _weight(inner, doc, places) is None else None
        case And(nodes):
            scoped = tuple(n.value for n in nodes if isinstance(n, Field) and n.name == "in") or places
            total = 0.0
            for child in nodes:
                weight = _weight(child, doc, scoped)
                if weight is None:
                    return None
                total += weight
            return total
        case Or(nodes):
            weights = [w for w in (_weight(n, doc, places) for n in nodes) if w is not None]
            return sum(weights) if weights else None
    spans = _evaluate(node, doc, places)
    return None if spans is None else sum(WEIGHTS[s.part] for s in set(spans))


def matches(node: Node, doc: Doc) -> _Matched:
    if isinstance(node, Field) and node.name == "in":
        return []
    return _evaluate(node, doc, PARTS)


# ---- results ------------------------------------------------------------------------------------


def _snippets(doc: Doc, spans: list[Span]) -> tuple[Snippet, ...]:
    """Keyword-in-context lines from the paragraphs that hold hits, spans relative to each line."""
    by_paragraph: dict[int, list[Span]] = {}
    for span in spans:
        if span.part == "body":
            index = max(i for i, start in enumerate(doc.starts) if start <= span.start)
            by_paragraph.setdefault(index, []).append(span)
    out = []
    passages = doc.article.passages()
    for index, found in sorted(by_paragraph.items()):
        base = doc.starts[index]
        local = sorted({(s.start - base, s.end - base) for s in found})
        lo = max(0, local[0][0] - CONTEXT)
        hi = min(len(passages[index]), local[-1][1] + CONTEXT)
        text = passages[index][lo:hi]
        out.append(Snippet(index, text, tuple((s - lo, e - lo) for s, e in local)))
    return tuple(out)


def _score(doc: Doc, weight: float) -> float:
    """Weighted hits, damped by article length: title and headings count more than body text."""
    length = sum(len(t) for t in doc.parts.values()) or 1
    return round(weight / (1 + length / 2000), 4)


def search(docs: Iterable[Doc], query: str, limit: int | None = 50) -> Results:
    """Every article matching `query`, best first; `limit` caps the hits returned, not the total."""
    node = parse(query)
    in_only = isinstance(node, Field) and node.name == "in"
    found: list[tuple[Doc, float]] = []
    for doc in docs:
        weight = 0.0 if in_only else _weight(node, doc, PARTS)
        if weight is not None:
            found.append((doc, _score(doc, weight)))
    found.sort(key=lambda item: (-item[1], item[0].article.id))
    districts: Counter[str] = Counter()
    schools: Counter[str] = Counter()
    pages: Counter[str] = Counter()
    for doc, _ in found:
        districts[doc.article.region.district or doc.article.region.city or "—"] += 1
        schools.update(doc.article.schools)
        pages[doc.article.file] += 1
    chosen = found if limit is None else found[:limit]
    hits = []
    for doc, score in chosen:
        spans = sorted(set(matches(node, doc) or []), key=lambda s: (PARTS.index(s.part), s.start))
        hits.append(
            Hit(
                article=doc.article.id,
                title=doc.article.title,
                subject=doc.article.subject,
                score=score,
                count=len(spans),
                snippets=_snippets(doc, spans),
                spans=tuple(spans),
            )
        )
    return Results(query, describe(node), len(found), tuple(hits), dict(districts), dict(schools), dict(pages))


def concordance(docs: Iterable[Doc], query: str, width: int = CONTEXT) -> list[tuple[str, int, str, str, str]]:
    """Every body hit as (article, paragraph, left context, the hit as printed, right context)."""
    node = parse(query)
    lines = []
    for doc in docs:
        spans = matches(node, doc) or []
        for span in sorted({s for s in spans if s.part == "body"}, key=lambda s: s.start):
            index = max(i for i, start in enumerate(doc.starts) if start <= span.start)
            text = doc.article.passages()[index]
            s, e = span.start - doc.starts[index], span.end - doc.starts[index]
            lines.append((doc.article.id, index, text[max(0, s - width) : s], text[s:e], text[e : e + width]))
    return lines
