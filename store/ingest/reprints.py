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
_POWERS = np.array([pow(1_000_003, SHINGLE - 1 - j, 1 << 64) for j in range(SHINGLE)], dtype=np.uint64)


def story_text(article: Article) -> str:
    """What makes the story: its body, as folded for search (Traditional as Simplified, full-width
    as half-width), without white space; the headline and furniture differ between outlets."""
    body = "".join(article.passages())
    return "".join(normalize(body).split())


def fingerprints(text: str) -> np.ndarray:
    """The sampled shingle hashes of a text, sorted and unique."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < SHINGLE:
        return np.zeros(0, dtype=np.uint64)
    windows = np.lib.stride_tricks.sliding_window_view(codes, SHINGLE)
    hashes = (windows * _POWERS).sum(axis=1, dtype=np.uint64)
    hashes ^= hashes >> np.uint64(31)
    hashes *= np.uint64(0x9E3779B97F4A7C15)
    hashes ^= hashes >> np.uint64(29)
    return np.unique(hashes[(hashes & np.uint64(SAMPLE - 1)) == 0])


def find_reprints(articles: Sequence[Article]) -> list[tuple[str, ...]]:
    """Groups of article ids that are one story printed on different pages, each in store order
    (the first is the one lists keep); articles that stand alone are in no group."""
    prints = [fingerprints(story_text(a)) for a in articles]
    sizes = np.array([len(p) for p in prints], dtype=np.int64)
    kept = [n for n, p in enumerate(prints) if len(p) >= LEAST]
    if len(kept) < 2:
        return []
    hashes = np.concatenate([prints[n] for n in kept])
    docs = np.concatenate([np.full(len(prints[n]), n, dtype=np.int64) for n in kept])
    order = np.argsort(hashes, kind="stable")
    hashes, docs = hashes[order], docs[order]
    starts = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]])
    lengths = np.diff(np.r_[starts, len(hashes)])
    pairs = []
    for start, length in zip(starts[(lengths > 1) & (lengths <= COMMON)].tolist(),
                             lengths[(lengths > 1) & (lengths <= COMMON)].tolist(), strict=True):
        group = docs[start : start + length]
        a, b = np.triu_indices(length, 1)
        pairs.append(group[a] * len(articles) + group[b])
    if not pairs:
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
