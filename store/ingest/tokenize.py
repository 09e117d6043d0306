"""jieba, set up once: the domain words added, its chatter silenced, its cache kept private.

jieba decides word boundaries for name finding, keywords and ranking; it never decides whether
a search matches (that is exact substring work, done elsewhere). The cutting is rjieba's
(jieba-rs: jieba's dictionary and algorithm in Rust): whole articles without the HMM, seventeen
times as fast as jieba (tests/bench/bench_tokenize.py; the same boundaries on every bundled and
evaluation page), and the short stretches of name finding with it, about ten times as fast.
There rjieba and jieba differ only inside a run of ASCII letters and digits with - or . in it
(rjieba keeps 2026-01-15 and www.example.com whole), never at a Chinese word's edge. jieba
itself gives its part-of-speech table and its IDF file.
"""

from __future__ import annotations

import contextlib
import heapq
import logging
import marshal
import os
import re
import threading
from collections import Counter
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from store.files import atomic_write
from store.lexicon import load
from store.paths import cache_dir

_lock = threading.Lock()
_ready = False

# Tags of words that cannot be part of a school's proper name. Verbal nouns (实验) can, and so
# can conjunctions and adjectives, which jieba finds inside names (人和街, 和平, 美丽).
NON_NAME_TAGS = frozenset(
    ["v", "vd", "vg", "vi", "vq", "p", "d", "dg", "r", "rr", "rz", "u", "ud", "ug", "uj", "ul", "uv", "uz", "m", "mq", "q", "y", "e", "o"]
)


def init() -> None:
    """Load jieba's dictionary and ours, as rjieba has them: for what compares the two (tests,
    benchmarks). Idempotent and thread-safe; about a second the first time."""
    global _ready
    with _lock:
        if _ready:
            return
        import jieba  # here, not at the top: opening a store or the app never waits for jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.dt.tmp_dir = str(_private_cache())
        jieba.dt.initialize()
        for word in load().user_words:
            jieba.add_word(word, freq=20000)
        for suffix in load().suffixes:
            jieba.add_word(suffix.suffix, freq=20000, tag="n")
        _ready = True


def _private_cache() -> Path:
    """The folder of jieba's caches; a folder that cannot be made (a full disk, a read-only home)
    only costs time: each cache is then read from its source."""
    path = cache_dir() / "jieba"
    with contextlib.suppress(OSError):
        path.mkdir(parents=True, exist_ok=True)
        os.chmod(path, 0o700)
    return path


@lru_cache(maxsize=65536)
def cut(text: str) -> tuple[str, ...]:
    """A short stretch cut with the HMM, as name finding and facts cut around a name or a number."""
    return tuple(_segmenter().cut(text, hmm=True))


@cache
def _tags() -> dict[str, str]:
    import jieba.posseg  # its table only: the dictionary's tags, read without loading jieba's cutter

    return jieba.posseg.dt.word_tag_tab


def tag(word: str) -> str:
    """The dictionary's part of speech for a word; 'x' when jieba does not know it."""
    return _tags().get(word, "x")


# An ordinal stands inside names (第二小学, 昆阳镇第六中学), though jieba tags it a numeral.
_ORDINAL = re.compile("第[一二三四五六七八九十百〇零\\d]{1,4}")


def is_name_word(word: str) -> bool:
    return word in _name_words() or bool(_ORDINAL.fullmatch(word)) or tag(word) not in NON_NAME_TAGS


@cache
def _name_words() -> frozenset[str]:
    return frozenset(load()["name_words"])


def keywords(words: list[str], top: int = 8) -> tuple[str, ...]:
    """The article's characteristic words, from its jieba words: TF-IDF over jieba's IDF table.

    jieba.analyse.extract_tags computes the same ranking but segments the text again; the build
    segments each article once and shares the words with the search index. Ties go to the word
    that sorts first, so the ranking never depends on the order words were met.
    """
    weights = _weights()
    scores = {}
    for word, n in Counter(words).items():
        weight = weights.get(word, -1.0)
        if weight == -1.0:  # a word not met before
            weight = weights[word] = _weight(word)
        if weight is not None:
            scores[word] = n * weight
    if len(scores) > top:
        floor = heapq.nlargest(top, scores.values())[-1]
        scores = {word: score for word, score in scores.items() if score >= floor}
    return tuple(sorted(scores, key=lambda word: (-scores[word], word))[:top])


@cache
def _weights() -> dict[str, float | None]:
    """Each word met so far: its IDF, or None when it is never a keyword. Deciding that was
    most of ranking an article; a corpus's words are met again and again."""
    return {}


def _weight(word: str) -> float | None:
    idf, median, stop = _idf()
    if len(word) < 2 or word in stop or word in load().places or word.isdigit():
        return None
    return idf.get(word, median)


def cut_text(text: str) -> list[str]:
    """Whole-text segmentation without the HMM: dictionary words, which is what TF-IDF scores."""
    words: list[str] = _segmenter().cut(text, hmm=False)
    return words


@cache
def _segmenter() -> Any:
    """rjieba with our domain words, as `init` gives them to jieba; made once a process."""
    import rjieba

    segmenter = rjieba.Jieba()
    for word in load().user_words:
        segmenter.add_word(word, 20000, None)
    for suffix in load().suffixes:
        segmenter.add_word(suffix.suffix, 20000, "n")
    return segmenter


@cache
def _idf() -> tuple[dict[str, float], float, frozenset[str]]:
    """jieba's IDF table (analyse/idf.txt, read as jieba.analyse reads it), its median, and the
    words never ranked. Kept in the cache as marshal: parsing the text took half a second in
    every page worker."""
    import jieba  # for its folder only

    source = Path(jieba.__file__).parent / "analyse" / "idf.txt"
    stat = source.stat()
    kept = _private_cache() / f"idf-{stat.st_size}-{stat.st_mtime_ns}.marshal"
    try:
        idf, median = marshal.loads(kept.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        idf = {}
        for line in source.read_text(encoding="utf-8").splitlines():
            word, freq = line.strip().split(" ")
            idf[word] = float(freq)
        median = sorted(idf.values())[len(idf) // 2]
        with contextlib.suppress(OSError):
            atomic_write(kept, marshal.dumps((idf, median)), durable=False)
    return idf, median, frozenset(load()["keyword_stopwords"])
