"""Tokenizer benchmark: jieba beside the faster segmenters, on the same text, with how far their
words agree with jieba's.

    python tests/bench/bench_tokenize.py [--articles N] [--seed S]

The text is the pages of a synthetic corpus of N articles (tests/bench/synth.py), folded as the
build folds it. Each segmenter runs with jieba's dictionary and baixiao's domain words added, the way
the build segments (whole text, no HMM):

    jieba            jieba.lcut(text, HMM=False), what the build has used
    jieba parallel   jieba.enable_parallel(2): jieba's own multiprocessing mode (POSIX only)
    rjieba           rjieba (jieba-rs, Rust) Jieba.cut(text, hmm=False)
    jieba_next       jieba_next.lcut(text, HMM=False) (a Rust core behind jieba's API)

Agreement: the share of jieba's word boundaries (the offsets where a word starts) that the
segmenter also makes, and of its boundaries that jieba makes; both 100 % when the words are
the same. The words rank search hits and make `word:` queries; they never decide recall.
Not a pytest test (its name does not start with test_). Segmenters that are not installed are
listed as such.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import machine
from rich.console import Console
from rich.table import Table

from store.lexicon import load
from store.normalize import normalize

from synth import make_corpus

Segmenter = Callable[[str], list[str]]


def domain_words() -> list[tuple[str, str | None]]:
    lexicon = load()
    return [(w, None) for w in lexicon.user_words] + [(s.suffix, "n") for s in lexicon.suffixes]


def with_jieba() -> Segmenter:
    import jieba

    from store.ingest.tokenize import init

    init()
    return lambda text: jieba.lcut(text, HMM=False)


def with_jieba_parallel() -> Segmenter:
    import jieba

    from store.ingest.tokenize import init

    init()
    jieba.enable_parallel(2)
    return lambda text: jieba.lcut(text, HMM=False)


def with_rjieba() -> Segmenter:
    import rjieba

    segmenter = rjieba.Jieba()
    for word, tag in domain_words():
        segmenter.add_word(word, 20000, tag)
    return lambda text: segmenter.cut(text, hmm=False)


def with_jieba_next() -> Segmenter:
    import jieba_next

    for word, tag in domain_words():
        jieba_next.add_word(word, freq=20000, tag=tag)
    return lambda text: jieba_next.lcut(text, HMM=False)


SEGMENTERS = {
    "jieba": ("jieba", with_jieba),
    "jieba parallel": ("jieba", with_jieba_parallel),
    "rjieba": ("rjieba", with_rjieba),
    "jieba_next": ("jieba_next", with_jieba_next),
}


def starts(words: list[str]) -> set[int]:
    out, at = set(), 0
    for word in words:
        out.add(at)
        at += len(word)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="jieba beside faster segmenters on the same text.")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        make_corpus(args.articles, Path(tmp), args.seed)
        texts = [normalize(p.read_text(encoding="utf-8")) for p in sorted(Path(tmp).glob("*.txt"))]
    text = "".join(texts)
    megabytes = len(text.encode("utf-8")) / 1e6
    console.log(f"{len(texts):,} pages, {len(text):,} characters ({megabytes:.1f} MB)")
    reference: list[list[str]] = []
    table = Table(title=f"segmenting {len(texts):,} pages ({megabytes:.1f} MB), median of {args.runs}")
    for name in ("segmenter", "seconds", "MB/s", "× jieba", "jieba's starts kept", "its starts jieba makes"):
        table.add_column(name, justify="left" if name == "segmenter" else "right")
    jieba_s = None
    for name, (module, setup) in SEGMENTERS.items():
        if importlib.util.find_spec(module) is None:
            table.add_row(name, "not installed", "", "", "", "")
            continue
        segment = setup()
        segment(texts[0])
        times, words = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            words = [segment(t) for t in texts]
            times.append(time.perf_counter() - started)
        seconds = statistics.median(times)
        jieba_s = jieba_s or seconds
        if not reference:
            reference = words
        ours = [starts(w) for w in reference]
        theirs = [starts(w) for w in words]
        kept = sum(len(a & b) for a, b in zip(ours, theirs, strict=True)) / max(1, sum(len(a) for a in ours))
        made = sum(len(a & b) for a, b in zip(ours, theirs, strict=True)) / max(1, sum(len(b) for b in theirs))
        table.add_row(name, f"{seconds:.2f}", f"{megabytes / seconds:.1f}", f"{jieba_s / seconds:.1f}", f"{kept:.2%}", f"{made:.2%}")
        if name == "jieba parallel":
            import jieba

            jieba.disable_parallel()
    console.print(table)
    console.print(f"machine: {machine()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
