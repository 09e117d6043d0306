"""Reprints: one story printed by several outlets (or saved from several sites), with other
headline furniture, another date line and small edits, found as one story so that it is read,
listed and counted once.

Two articles are the same story when most of what they say is said in the same words: the share
of their sampled 8-character shingles they hold in common (Jaccard) is at least SAME_STORY.
Shingles are sampled by their hash (one in SAMPLE), so the same shingle is kept in every article
that has it and the comparison needs no pairwise reading; shingles in more than COMMON articles
(a slogan every report quotes) say nothing of which story it is and are left out. The work is
numpy over the whole corpus: a fraction of the build, and exact for the shingles it keeps.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from store.normalize import normalize
from store.records import Article

SHINGLE = 8  # characters: longer than any phrase a whole genre repeats, shorter than a clause
SAMPLE = 8  # one shingle in this many, chosen by its hash
SAME_STORY = 0.6  # Jaccard of the sampled shingles
LEAST = 12  # sampled shingles an article needs (about 100 characters) to be compared at all
COMMON = 50  # a shingle in more articles than this is the genre's, not a story's
CHUNK = 1 << 20  # characters hashed at once
BASE = 1_000_003  # a shingle's hash: its code points as digits in this base, modulo 2**64, then mixed


def story_text(article: Article) -> str:
    """What makes the story: its body, as folded for search (Traditional as Simplified, full-width
    as half-width), without white space; the headline and furniture differ between outlets."""
    body = "".join(article.passages())
    return "".join(normalize(body).split())


def _shingles(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each text's sampled shingle hashes, each once: (hash, text) pairs sorted by hash, then text.
    Texts are hashed a batch of about CHUNK characters at a time, each batch in one pass of numpy
    (one text at a time, numpy's cost per call was most of the work)."""
    found: list[tuple[np.ndarray, np.ndarray]] = []
    first, size = 0, 0
    for end, text in enumerate(texts, 1):
        size += len(text)
        if size >= CHUNK or end == len(texts):
            found.append(_batch_shingles(texts[first:end], first))
            first, size = end, 0
    hashes = np.concatenate([h for h, _ in found]) if found else np.zeros(0, np.uint64)
    docs = np.concatenate([d for _, d in found]) if found else np.zeros(0, np.int64)
    order = np.lexsort((docs, hashes))
    hashes, docs = hashes[order], docs[order]
    once = np.r_[True, (hashes[1:] != hashes[:-1]) | (docs[1:] != docs[:-1])] if len(hashes) else np.zeros(0, bool)
    return hashes[once], docs[once]


def _batch_shingles(texts: list[str], first: int) -> tuple[np.ndarray, np.ndarray]:
    """The sampled shingles of texts[first:…], with the number of the text each is in."""
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(codes) - SHINGLE + 1
    if n < 1:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    hashes = _polynomial(codes, SHINGLE)[:n]
    hashes ^= hashes >> np.uint64(31)
    hashes *= np.uint64(0x9E3779B97F4A7C15)
    hashes ^= hashes >> np.uint64(29)
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    doc = np.repeat(np.arange(len(texts)), lengths)[:n]
    inside = np.arange(n) + SHINGLE <= np.cumsum(lengths)[doc]  # the shingle ends in its own text
    sampled = inside & ((hashes & np.uint64(SAMPLE - 1)) == 0)
    return hashes[sampled], first + doc[sampled]


def _polynomial(codes: np.ndarray, size: int) -> np.ndarray:
    """Each run of `size` (a power of two) code points from each position as digits in BASE,
    modulo 2**64 (the last size - 1 are runs cut short): made by doubling, a run of 2k from two
    runs of k (3 passes over the codes for 8, not 8)."""
    hashes, width = codes.copy(), 1
    while width < size:
        hashes[:-width] = hashes[:-width] * np.uint64(pow(BASE, width, 1 << 64)) + hashes[width:]
        width *= 2
    return hashes


def find_reprints(articles: Sequence[Article]) -> list[tuple[str, ...]]:
    """Groups of article ids that are one story printed on different pages, each in store order
    (the first is the one lists keep); articles that stand alone are in no group."""
    hashes, docs = _shingles([story_text(a) for a in articles])
    sizes = np.bincount(docs, minlength=len(articles))
    if np.count_nonzero(sizes >= LEAST) < 2:
        return []
    kept = sizes[docs] >= LEAST
    hashes, docs = hashes[kept], docs[kept]
    starts = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]])
    lengths = np.diff(np.r_[starts, len(hashes)])
    pairs = []
    for length in range(2, COMMON + 1):  # the articles sharing a shingle, paired: all groups of a size at once
        sharing = docs[starts[lengths == length, None] + np.arange(length)]
        a, b = np.triu_indices(length, 1)
        pairs.append((sharing[:, a] * len(articles) + sharing[:, b]).ravel())
    if not sum(map(len, pairs)):
        return []
    pair, shared = np.unique(np.concatenate(pairs), return_counts=True)
    first, second = pair // len(articles), pair % len(articles)
    jaccard = shared / (sizes[first] + sizes[second] - shared)
    parent = list(range(len(articles)))

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for a, b in zip(first[jaccard >= SAME_STORY].tolist(), second[jaccard >= SAME_STORY].tolist(), strict=True):
        if articles[a].page != articles[b].page:  # one page prints a story once
            parent[max(root(a), root(b))] = min(root(a), root(b))
    groups: dict[int, list[str]] = {}
    for n, article in enumerate(articles):
        groups.setdefault(root(n), []).append(article.id)
    return [tuple(ids) for ids in groups.values() if len(ids) > 1]
