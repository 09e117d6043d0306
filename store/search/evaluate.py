"""Search: evaluate a parsed query over the index, exactly, and rank what matches with BM25.

Recall is a guarantee, not a ranking side effect: a term matches wherever its folded form occurs
as a substring of an article's folded text (title, headings, body and sidebars, captions). The
index finds those occurrences from character pairs (see `store.search.index`); jieba only ranks them
and filters whole words. Folding is one character for one, so every occurrence highlights the
characters as printed.

Each query leaf (a term, a phrase, a wildcard term, a regular expression) becomes its
occurrences; AND, OR and NOT combine per-article masks; fields are per-article masks. Ranking is
BM25 over the leaves: a leaf's frequency in an article counts its occurrences weighted by where
they stand (title and headings over body) and whether they are whole jieba words (中学 as a word
over 中学 inside 其中学生); article length is counted in jieba words.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, reduce
from typing import Any, NamedTuple, TypeVar

import numpy as np

from store import dates
from store.i18n import _
from store.layout import PARTS, Span
from store.normalize import normalize
from store.search.index import Index
from store.search.query import And, Field, Near, Node, Not, Or, Phrase, QueryError, Regex, Term, describe, parse, regex_module
from store.search.schools import field_matches, in_place
from store.search.wildcard import wildcard

_O = TypeVar("_O", "_Occ", "_Counted")
K1, B = 1.2, 0.75
PART_WEIGHTS = (5.0, 3.0, 1.0, 1.0)  # title, headings, body, captions
INSIDE_WORD = 0.5
_WEIGHTS = np.array([w * f for w in PART_WEIGHTS for f in (INSIDE_WORD, 1.0)])  # by 2 × part + whole word
CONTEXT = 24
HEAD = 200  # ranks a list shows first, before every match is sorted
REGEX_SECONDS = 5.0  # what a regular expression typed in a query may take over the whole corpus
EVERYWHERE = (0, 1, 2, 3)


class Line(NamedTuple):
    """A concordance line: one body hit, where it is in its article and the text either side,
    and what a reader needs to place it: the article's subject, that subject again when it is
    a school, the article's area and its page."""

    article: str
    span: Span
    left: str
    hit: str
    right: str
    subject: str = ""
    school: str = ""
    area: str = ""
    file: str = ""


@dataclass(frozen=True)
class Tally:
    """Concordance lines counted by area, school and page: hits, as the lines are."""

    by_district: dict[str, int]
    by_school: dict[str, int]
    by_page: dict[str, int]


def tally(lines: Sequence[Line]) -> Tally:
    def counts(values: Iterable[str]) -> dict[str, int]:
        return dict(Counter(v for v in values if v))

    return Tally(counts(x.area for x in lines), counts(x.school for x in lines), counts(x.file for x in lines))


class Snippet(NamedTuple):
    """A keyword-in-context line: `text` is the line from character `start`, cut to CONTEXT
    characters around its hits; `spans` are the hits' offsets in `text`. (A named tuple, as Span
    is: a frequent term makes hundreds per search, and tuples are made fastest.)"""

    part: str
    paragraph: int
    start: int
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
    date: str = ""  # the page's date, ISO ("" when it gives none)

    @property
    def spans(self) -> tuple[Span, ...]:
        """Every hit, as offsets in its whole line (for highlighting the article)."""
        return tuple(
            Span(s.part, s.paragraph, s.start + a, s.start + b) for s in self.snippets for a, b in s.spans
        )


class _Keyed:
    """What occurrences are known by: for each a key, slot × 2 + whole word, where the slot is
    4 × article + part and whole word is 1 when the occurrence is a whole jieba word."""

    keys: np.ndarray

    @property
    def slots(self) -> np.ndarray:
        return self.keys >> 1

    @property
    def docs(self) -> np.ndarray:
        return self.keys >> 3

    @property
    def parts(self) -> np.ndarray:
        return (self.keys >> 1) & 3

    @property
    def whole(self) -> np.ndarray:
        return self.keys & 1


@dataclass(frozen=True)
class _Occ(_Keyed):
    """Occurrences of a query leaf: start and end positions and their keys. Arrays stay in the
    index's own types: a frequent character has millions of occurrences at 100,000 articles,
    and every widened copy costs memory and time."""

    starts: np.ndarray
    ends: np.ndarray
    keys: np.ndarray
    counts = None

    def __getitem__(self, keep: np.ndarray) -> _Occ:
        return _Occ(self.starts[keep], self.ends[keep], self.keys[keep])

    def placed(self, ix: Index, docs: np.ndarray | None = None) -> _Occ:
        return self

    @staticmethod
    def join(occs: list[_Occ]) -> _Occ:
        """All in one, sorted by start."""
        if not occs:
            return _Occ(*(np.zeros(0, np.int64) for _ in range(3)))
        order = np.argsort(np.concatenate([o.starts for o in occs]), kind="stable")
        return _Occ(*(np.concatenate([getattr(o, f) for o in occs])[order] for f in ("starts", "ends", "keys")))


@dataclass(frozen=True)
class _Counted(_Keyed):
    """A character's occurrences counted by key (sorted): enough to rank and filter. Where they
    stand is worked out only for the articles that show them (`placed`)."""

    char: str
    keys: np.ndarray
    counts: np.ndarray

    def __getitem__(self, keep: np.ndarray) -> _Counted:
        return _Counted(self.char, self.keys[keep], self.counts[keep])

    def placed(self, ix: Index, docs: np.ndarray | None = None) -> _Occ:
        """Each occurrence with its position (in `docs` only, ascending, when given)."""
        starts = np.sort(ix.char_positions(self.char)) if docs is None else ix.find_char(self.char, docs)
        keys = ix.locate(starts, ascending=True) * 2 + ix.whole_words(starts, starts + 1)
        keep = _member(self.keys, keys)
        return _Occ(starts[keep], starts[keep] + 1, keys[keep])


@dataclass(frozen=True)
class _Match:
    """Which articles match a query node, their BM25 score, and the occurrences to highlight."""

    docs: np.ndarray
    score: np.ndarray
    occs: tuple[_Occ | _Counted, ...]


# ---- occurrences ------------------------------------------------------------------------------


def _member(sorted_values: np.ndarray, values: np.ndarray) -> np.ndarray:
    if len(sorted_values) == 0:
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_values, values), len(sorted_values) - 1)
    return sorted_values[at] == values


def _literal(ix: Index, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Start positions of a folded string (sorted, except for one character) and their slots.
    The rarest of its pairs is decoded whole; the others are only asked about those positions."""
    if len(text) == 1:
        found = ix.char_positions(text)
        return found, ix.locate(found)
    keys = [(ix.pair(text[i], text[i + 1]), i) for i in range(len(text) - 1)]
    if any(key is None for key, _ in keys):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    lists = sorted(((key, i) for key, i in keys if key is not None), key=lambda x: ix.postings.length(x[0]))
    key, shift = lists[0]
    found = ix.pair_positions(key)
    if shift:
        found = found[found >= shift] - shift
    for key, shift in lists[1:]:
        if len(found) == 0:
            break
        found = found[ix.has_pair(key, found + shift)]
    return found, ix.locate(found, ascending=True)


def _phrase(ix: Index, words: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Words in a row, with only spaces (not line breaks) between them: starts, ends, slots.

    The first word is looked up together with what must follow it (the next word's first
    character, or a space), which is far rarer than the word alone."""
    first = words[0]
    if len(words) == 1:  # "党建" in quotes: a plain string, but * and ? in it are characters
        starts, slots = _literal(ix, first)
        return starts, starts + len(first), slots
    seeds = [_literal(ix, first + words[1][0])]
    seeds += [_literal(ix, first + chr(code)) for code in ix.spaces_after(first[-1]).tolist()]
    starts = np.concatenate([s for s, _ in seeds])
    slots = np.concatenate([slot for _, slot in seeds])
    order = np.argsort(starts, kind="stable")
    starts, slots = starts[order], slots[order]
    ends = starts + len(first)
    for word in words[1:]:
        following = _literal(ix, word)[0]
        if len(word) == 1:
            following = np.sort(following)
        at = ends.copy()
        while len(at) and (gap := ix.is_space(at)).any():
            at[gap] += 1
        ok = _member(following, at)
        starts, slots, ends = starts[ok], slots[ok], at[ok] + len(word)
    return starts, ends, slots


class TooSlow(Exception):
    """A regular expression that would take longer than `REGEX_SECONDS` over the corpus."""


def _scan(ix: Index, pattern: Any, candidates: np.ndarray | None, typed: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Matches of a regular expression in each part of the candidate articles (each part its own
    string; with MULTILINE, ^ and $ anchor at each paragraph's ends, as users expect).

    A pattern the user `typed` is the `regex` module's, which gives up after a time: one can
    backtrack for longer than the universe lasts (`/(党|党建)+啊/` over 党建党建…), and Python's own
    `re` cannot be stopped. TooSlow past `REGEX_SECONDS` for the whole corpus. (A wildcard is
    found by store.search.wildcard, in linear time.)"""
    folded, bounds = ix.folded, ix.part_starts
    starts, ends = [], []
    docs = range(ix.n) if candidates is None else np.flatnonzero(candidates)
    deadline = time.monotonic() + REGEX_SECONDS
    for doc in docs:
        for slot in range(4 * int(doc), 4 * int(doc) + 4):
            lo = int(bounds[slot])
            text = folded[lo : int(bounds[slot + 1]) - 1]
            if typed:
                try:
                    found = [m.span() for m in pattern.finditer(text, timeout=max(deadline - time.monotonic(), 0.001))]
                except TimeoutError:
                    raise TooSlow from None
            else:
                found = list(pattern.spans(text))
            for start, end in found:
                if end > start:
                    starts.append(lo + start)
                    ends.append(lo + end)
    return np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)


def _docs_with(ix: Index, slots: np.ndarray) -> np.ndarray:
    mask = np.zeros(ix.n, dtype=bool)
    mask[slots >> 2] = True
    return mask


def _occurrences(ix: Index, node: Term | Phrase | Regex, scope: tuple[int, ...]) -> _Occ | _Counted:
    if isinstance(node, Term) and not node.wildcard and len(text := normalize(node.text)) == 1:
        return _scoped(_Counted(text, *ix.char_slots(text)), node, scope)
    if isinstance(node, Regex):
        starts, ends = _scan(ix, regex_module().compile(node.pattern, regex_module().MULTILINE), None, typed=True)
        slots = ix.locate(starts)
    elif isinstance(node, Phrase):
        starts, ends, slots = _phrase(ix, normalize(node.text).split())
    elif node.wildcard:
        text = normalize(node.text)
        chunks = [c for c in re.split(r"[?*]", text) if c]
        masks = [_docs_with(ix, ix.char_slots(c)[0] >> 1 if len(c) == 1 else _literal(ix, c)[1]) for c in chunks]
        starts, ends = _scan(ix, wildcard(text), reduce(np.logical_and, masks) if masks else None)
        slots = ix.locate(starts)
    else:
        text = normalize(node.text)
        starts, slots = _literal(ix, text)
        ends = starts + len(text)
    return _scoped(_Occ(starts, ends, slots * 2 + ix.whole_words(starts, ends)), node, scope)


def _scoped(occ: _O, node: Term | Phrase | Regex, scope: tuple[int, ...]) -> _O:
    """Keep the occurrences in the parts `in:` allows, and whole words only for `word:`."""
    if scope != EVERYWHERE:
        occ = occ[np.isin(occ.parts, scope)]
    if isinstance(node, Term) and node.whole_words:
        occ = occ[occ.whole.astype(bool)]
    return occ


# ---- evaluation -------------------------------------------------------------------------------


def _bm25(ix: Index, occ: _Occ | _Counted) -> _Match:
    # A key is (article, part, whole word) in one number: count those, then weigh.
    tf = np.bincount(occ.keys, weights=occ.counts, minlength=8 * ix.n).reshape(ix.n, 8) @ _WEIGHTS
    docs = tf > 0
    df = int(docs.sum())
    idf = np.log(1 + (ix.n - df + 0.5) / (df + 0.5))
    norm = K1 * (1 - B + B * ix.doc_words / ix.mean_words)
    return _Match(docs, idf * tf * (K1 + 1) / (tf + norm), (occ,))


def _field(ix: Index, node: Field, dated: np.ndarray) -> np.ndarray:
    """Articles a field filter keeps (`dated`: each article's date, as `Store.dates` gives it)."""
    if node.name == "date":
        if node.value == "none":
            return dated == dates.NONE
        first, _dots, last = node.value.partition("..")
        return dates.within(dated, dates.code(first) or 1, dates.code(last if _dots else first) or 99999999)
    value = normalize(node.value)
    if node.name == "district":
        if value.startswith("="):  # the overview's exact place: 重庆市 itself, not its districts
            return np.isin(ix.doc_area, [i for i, label in enumerate(ix.area_labels) if label == value[1:]])
        areas = [i for i, area in enumerate(ix.areas) if in_place(value, area)]
        return np.isin(ix.doc_area, areas)
    if node.name == "file":
        return np.isin(ix.doc_file, [i for i, f in enumerate(ix.files) if value in normalize(f)])
    schools = [i for i, s in enumerate(ix.schools) if field_matches(node, s)]
    mask = np.zeros(ix.n, dtype=bool)
    mask[ix.school_doc[np.isin(ix.school_ids, schools)]] = True
    return mask


def _nothing(ix: Index, docs: np.ndarray) -> _Match:
    return _Match(docs, np.zeros(ix.n), ())


def _near_side(ix: Index, a: _Occ, b: _Occ, distance: int) -> np.ndarray:
    """Which of `a` have one of `b` in the same part within `distance` characters (both sorted).

    b qualifies when b.start <= a.end + distance and b.end >= a.start - distance; b.start is
    bounded above by the part's end, and a b from an earlier part ends before this part starts.
    """
    if len(a.starts) == 0 or len(b.starts) == 0:
        return np.zeros(len(a.starts), dtype=bool)
    first, last = ix.part_starts[a.slots], ix.part_starts[a.slots + 1] - 1
    a_starts, a_ends = a.starts.astype(np.int64), a.ends.astype(np.int64)  # signed: start - distance
    upto = np.searchsorted(b.starts, np.minimum(a_ends + distance, last), side="right")
    reach = np.maximum.accumulate(b.ends.astype(np.int64))
    return (upto > 0) & (reach[np.maximum(upto - 1, 0)] >= np.maximum(a_starts - distance, first + 1))


def _evaluate(ix: Index, node: Node, scope: tuple[int, ...], dated: np.ndarray) -> _Match:
    match node:
        case Term() | Phrase() | Regex():
            return _bm25(ix, _occurrences(ix, node, scope))
        case Field("in"):
            return _nothing(ix, np.ones(ix.n, dtype=bool))
        case Field():
            return _nothing(ix, _field(ix, node, dated))
        case Not(inner):
            return _nothing(ix, ~_evaluate(ix, inner, scope, dated).docs)
        case And(nodes):
            scoped = tuple(PARTS.index(n.value) for n in nodes if isinstance(n, Field) and n.name == "in") or scope
            matches = []
            for child in nodes:
                matches.append(_evaluate(ix, child, scoped, dated))
                if not matches[-1].docs.any():
                    return _nothing(ix, matches[-1].docs)
            return _combine(matches, np.logical_and)
        case Or(nodes):
            return _combine([_evaluate(ix, n, scope, dated) for n in nodes], np.logical_or)
        case Near(left, right, distance):
            a = _Occ.join([o.placed(ix) for o in _evaluate(ix, left, scope, dated).occs])
            b = _Occ.join([o.placed(ix) for o in _evaluate(ix, right, scope, dated).occs])
            close = _Occ.join([a[_near_side(ix, a, b, distance)], b[_near_side(ix, b, a, distance)]])
            return _bm25(ix, close)
    raise TypeError(node)


def _combine(matches: list[_Match], join: np.ufunc) -> _Match:
    docs = join.reduce([m.docs for m in matches])
    score = np.where(docs, np.sum([m.score for m in matches], axis=0), 0.0)
    return _Match(docs, score, tuple(o for m in matches for o in m.occs))


def evaluate(ix: Index, query: str, reprints: bool = False, dated: np.ndarray | None = None) -> tuple[Node, _Match]:
    """The query's matches; a story printed on several pages once (its first printing that
    matches), unless `reprints` asks for every printing. `dated`: each article's date, as
    `Store.dates` gives it with the user's page dates (else the pages' own)."""
    node = parse(query)
    try:
        match = _evaluate(ix, node, EVERYWHERE, ix.doc_date if dated is None else dated)
    except TooSlow:
        raise QueryError(_("the regular expression would take over {seconds:g} s to search: make it simpler")
                         .format(seconds=REGEX_SECONDS), max(query.find("/"), 0)) from None
    return node, match if reprints else _once(ix, match)


def _once(ix: Index, match: _Match) -> _Match:
    """Of each story's printings that match, the first (in store order) alone."""
    matched = np.flatnonzero(match.docs)
    first = matched[np.unique(ix.story[matched], return_index=True)[1]]
    docs = np.zeros_like(match.docs)
    docs[first] = True
    return replace(match, docs=docs)


# ---- results ----------------------------------------------------------------------------------


def _top(match: _Match, limit: int | None) -> np.ndarray:
    """Matching articles by score, best first, ties in store order; at most `limit` of them."""
    matched = np.flatnonzero(match.docs)
    scores = match.score[matched]
    if limit is not None and limit < len(matched):
        if limit <= 0:
            return matched[:0]
        cut = np.partition(-scores, limit - 1)[limit - 1]
        above = -scores < cut
        ties = np.flatnonzero(-scores == cut)[: limit - int(above.sum())]
        keep = np.sort(np.r_[np.flatnonzero(above), ties])
        matched, scores = matched[keep], scores[keep]
    return matched[np.lexsort((matched, -scores))]


def _spans(ix: Index, match: _Match, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct occurrences in `docs`, in text order: (starts, ends)."""
    wanted = np.zeros(8 * len(match.docs), dtype=bool)  # by key: 8 per article
    wanted[(8 * docs[:, None] + np.arange(8)).ravel()] = True
    occs = [occ.placed(ix, np.sort(docs)) for occ in match.occs]
    picked = [np.flatnonzero(wanted[occ.keys]) for occ in occs]
    if picked:
        starts = np.concatenate([o.starts[i] for o, i in zip(occs, picked, strict=True)]).astype(np.int64)
        ends = np.concatenate([o.ends[i] for o, i in zip(occs, picked, strict=True)]).astype(np.int64)
    else:
        starts = ends = np.zeros(0, np.int64)
    order = np.lexsort((ends, starts))
    starts, ends = starts[order], ends[order]
    distinct = np.r_[True, (starts[1:] != starts[:-1]) | (ends[1:] != ends[:-1])] if len(starts) else []
    return starts[distinct], ends[distinct]


_NEWLINE = re.compile("\n")


def _snippets(ix: Index, docs: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> dict[int, tuple[Snippet, ...]]:
    """Keyword-in-context lines of each article's hits: every line that holds hits, cut to
    CONTEXT characters around them. Worked out for all the articles at once, in arrays: a
    frequent character has thousands of hits among the first fifty articles."""
    out: dict[int, tuple[Snippet, ...]] = {int(d): () for d in docs.tolist()}
    if len(starts) == 0:
        return out
    ordered = np.sort(docs)  # in store order, positions rise from one article to the next
    texts = [ix.text(d) for d in ordered.tolist()]
    bases = ix.part_starts[4 * ordered]
    newlines = np.concatenate(
        [base + np.array([m.start() for m in _NEWLINE.finditer(t)]) for base, t in zip(bases.tolist(), texts, strict=True)]
    )
    line = np.searchsorted(newlines, starts)  # a line is numbered by the newline that ends it
    runs = np.flatnonzero(np.r_[True, line[1:] != line[:-1]])  # each line's first hit
    counts = np.diff(np.r_[runs, len(line)])
    article = np.searchsorted(bases, starts[runs], side="right") - 1
    first = np.maximum(np.where(line[runs] > 0, newlines[line[runs] - 1] + 1, 0), bases[article])
    last = newlines[line[runs]]
    ends = np.minimum(ends, np.repeat(last, counts))
    lo = np.maximum(first, starts[runs] - CONTEXT)
    hi = np.minimum(last, np.maximum.reduceat(ends, runs) + CONTEXT)
    shift = np.repeat(lo, counts)
    pairs = list(zip((starts - shift).tolist(), (ends - shift).tolist(), strict=True))
    slots = np.searchsorted(ix.part_starts, first, side="right") - 1
    paragraphs = line[runs] - np.searchsorted(newlines, ix.part_starts[slots])
    grouped: dict[int, list[Snippet]] = {}
    for i, part, n, f, start, end, a, c in zip(
        article.tolist(), (slots & 3).tolist(), paragraphs.tolist(), first.tolist(), lo.tolist(), hi.tolist(),
        runs.tolist(), counts.tolist(), strict=True,
    ):
        base = int(bases[i])
        snippet = Snippet(PARTS[part], n, start - f, texts[i][start - base : end - base], tuple(pairs[a : a + c]))
        grouped.setdefault(int(ordered[i]), []).append(snippet)
    out.update((doc, tuple(found)) for doc, found in grouped.items())
    return out


def _counts(labels: list[str], ids: np.ndarray, size: int) -> dict[str, int]:
    counts = np.bincount(ids, minlength=size)
    out: dict[str, int] = {}
    for i in np.flatnonzero(counts).tolist():
        out[labels[i]] = out.get(labels[i], 0) + int(counts[i])
    return out


@dataclass(frozen=True)
class Results:
    """A query's ranked hits; the counts by district, school and page are made when first read."""

    query: str
    parsed: str
    total: int
    hits: tuple[Hit, ...]
    _index: Index = field(repr=False, compare=False)
    _docs: np.ndarray = field(repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        """The shape of `baixiao search --json`: each hit with its snippets, and each snippet's
        hits as [start, end] offsets in its text."""
        return {
            "query": self.query,
            "total": self.total,
            "hits": [
                {
                    "article": h.article,
                    "title": h.title,
                    "subject": h.subject,
                    "date": h.date or None,
                    "score": h.score,
                    "count": h.count,
                    "also_in": self.also_in(h.article),
                    "snippets": [
                        {"part": s.part, "paragraph": s.paragraph, "text": s.text, "spans": [list(span) for span in s.spans]}
                        for s in h.snippets
                    ],
                }
                for h in self.hits
            ],
        }

    def also_in(self, article: str) -> list[str]:
        """The story's other printings (reprints on other pages), which the results count once."""
        return self._index.also_in(article)

    @cached_property
    def by_district(self) -> dict[str, int]:
        ix = self._index
        return _counts(ix.area_labels, ix.doc_area[self._docs], len(ix.areas))

    @cached_property
    def by_school(self) -> dict[str, int]:
        ix = self._index
        return _counts([s.name for s in ix.schools], ix.school_ids[self._docs[ix.school_doc]], len(ix.schools))

    @cached_property
    def by_page(self) -> dict[str, int]:
        return _counts(self._index.files, self._index.doc_file[self._docs], len(self._index.files))


class Ranking:
    """A query evaluated: which articles match, in rank order, with hits made on demand.

    The app keeps one per keystroke: ranking every match takes milliseconds, while snippets are
    made only for the rows on screen and highlights only for the article being read."""

    def __init__(self, ix: Index, query: str, reprints: bool = False, dated: np.ndarray | None = None) -> None:
        node, self._match = evaluate(ix, query, reprints, dated)
        self._ix = ix
        self._dated = ix.doc_date if dated is None else dated
        self.query = query
        self.parsed = describe(node)
        self.total = int(self._match.docs.sum())

    @property
    def matched(self) -> np.ndarray:
        """Which articles match, as a mask over the index (every printing, when `reprints`)."""
        return self._match.docs

    @cached_property
    def order(self) -> np.ndarray:
        """Every matching article (index position), best first."""
        return _top(self._match, None)

    @cached_property
    def head(self) -> np.ndarray:
        """The first HEAD articles of `order`, found without sorting every match."""
        return self.order if "order" in self.__dict__ else _top(self._match, HEAD)

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, rank: int) -> int:
        """The article at a rank: a list shows the head at once and sorts the rest when scrolled."""
        return int(self.head[rank] if rank < len(self.head) else self.order[rank])

    def hits(self, docs: np.ndarray) -> tuple[Hit, ...]:
        """Hits, with snippets, for these articles (index positions, in the order given)."""
        ix, match = self._ix, self._match
        starts, ends = _spans(ix, match, docs)
        snippets = _snippets(ix, docs, starts, ends)
        counts = np.searchsorted(starts, ix.part_starts[4 * docs + 4]) - np.searchsorted(starts, ix.part_starts[4 * docs])
        out = []
        for doc, count in zip(docs.tolist(), counts.tolist(), strict=True):
            info = ix.docs[doc]
            score = round(float(match.score[doc]), 4)
            out.append(Hit(info.id, info.title, info.subject, score, count, snippets[doc], dates.iso(int(self._dated[doc]))))
        return tuple(out)

    def spans(self, doc: int) -> tuple[Span, ...]:
        """Every hit in one article, for highlighting it."""
        (hit,) = self.hits(np.array([doc]))
        return hit.spans

    def results(self, limit: int | None = 50) -> Results:
        top = self.order if limit is None or limit >= self.total else _top(self._match, limit)
        return Results(self.query, self.parsed, self.total, self.hits(top), self._ix, self._match.docs)


def search(ix: Index, query: str, limit: int | None = 50, reprints: bool = False, dated: np.ndarray | None = None) -> Results:
    """Every article matching `query`, best first, a reprinted story once unless `reprints`;
    `limit` caps the hits returned, not the total."""
    return Ranking(ix, query, reprints, dated).results(limit)


def concordance(ix: Index, query: str, reprints: bool = False, dated: np.ndarray | None = None) -> list[Line]:
    """Every body hit in context, in store order; contexts are up to CONTEXT characters, within
    the paragraph. A story printed on several pages gives its lines once."""
    _, match = evaluate(ix, query, reprints, dated)
    matched = np.flatnonzero(match.docs)
    lines = []
    names = [s.name for s in ix.schools]
    for doc, snippets in _snippets(ix, matched, *_spans(ix, match, matched)).items():
        info = ix.docs[doc]
        school = info.subject if info.subject in {names[i] for i in info.schools} else ""
        where = (info.subject, school, ix.area_labels[info.area], info.file)
        for snippet in snippets:
            if snippet.part == "body":
                text = snippet.text
                for s, e in snippet.spans:
                    span = Span("body", snippet.paragraph, snippet.start + s, snippet.start + e)
                    lines.append(Line(info.id, span, text[max(0, s - CONTEXT) : s], text[s:e], text[e : e + CONTEXT], *where))
    return lines
