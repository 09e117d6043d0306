"""Search benchmark: query latency of `Store.search` on synthetic corpora, against a naive scan.

    python tests/bench/bench_search.py [--sizes 1000,10000] [--seed S] [--runs N] [--keep DIR]

For each size (in articles) a corpus is generated with tests/bench/synth.py and built once
(with a page cache of its own, as bench_build does, so the build time shown is a cold one).
The store is then measured in a fresh process, so that its peak RSS is the searching app's and
not the build's (the build runs here, with its worker pool):

    open        `Store.open`, as the app does at start (reads the store's meta table)
    index       the first touch of `store.index` (maps the index file) and a first search
                (reads the index's catalogue of titles, areas and schools)
    queries     each kind of query, with terms sampled (seeded) from the corpus's own folded
                text so that they occur: 1-, 2-, 4- and 8-character terms, AND, OR, a phrase,
                and a field (district:北碚区) with a term; TERMS queries per kind, each run once
                as a warm-up and then --runs times; p50 and p95 over all timed runs of the kind
    first run   the warm-up runs timed on their own, each after the index dropped what it
                keeps of earlier searches (`Index.forget`: decoded position lists, texts): a
                query nothing before it prepared; p50 and p95 over the kind's queries
    baseline    what an index has to beat: `in`/`str.count` over every article's folded text
                (joined once, before timing), sort by count, keep 50 — for the plain-term kinds
                and AND/OR, whose article counts must equal the search's
    peak RSS    `resource.getrusage` high-water mark of the measuring process, taken before the
                baseline's texts are made (they are a second copy the app never holds)

The search issue's targets are printed under the table, each PASS or MISS; this is a measurement,
and it always exits 0.
Not a pytest test (its name does not start with test_).
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import isolate_cache, machine, mark, parse_sizes, peak_rss_mb, size_folders
from rich.console import Console
from rich.table import Table

from store import Store
from store.ingest.build import build
from store.normalize import normalize
from store.search.index import Index, index_path

from synth import make_corpus

T = TypeVar("T")
TERMS = 10  # different queries per kind
LIMIT = 50
DISTRICT = "北碚区"
CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")  # sampled terms: no query syntax, no spaces

# (articles, p95 ms, open+index s, speed-up over baseline, peak RSS MB); None: no target
TARGETS = ((10_000, 10.0, 1.0, None, None), (100_000, 30.0, 5.0, 5.0, 600.0))


@dataclass
class Kind:
    name: str
    articles: int
    p50_ms: float
    p95_ms: float
    mean_total: float
    first_p50_ms: float = 0.0
    first_p95_ms: float = 0.0
    base_p50_ms: float | None = None
    base_total: float | None = None

    @property
    def ratio(self) -> float | None:
        return None if self.base_p50_ms is None else self.base_p50_ms / self.p50_ms


@dataclass
class Row:
    target: int
    articles: int
    build_s: float | None
    store_mb: float
    open_s: float
    index_s: float
    rss_mb: float
    kinds: list[Kind]


def sample(rng: random.Random, docs: Sequence[str], length: int, per_doc: int = 1) -> list[tuple[str, ...]]:
    """TERMS distinct tuples of `per_doc` terms taken from one article each, so that an AND of
    them matches at least that article."""
    found: list[tuple[str, ...]] = []
    for _ in range(1000 * TERMS):
        runs = [m.group() for m in CJK_RUN.finditer(rng.choice(docs)) if len(m.group()) >= length]
        if not runs:
            continue
        terms = []
        for run in rng.sample(runs, min(per_doc, len(runs))):
            start = rng.randrange(len(run) - length + 1)
            terms.append(run[start : start + length])
        if len(set(terms)) == per_doc and tuple(terms) not in found:
            found.append(tuple(terms))
            if len(found) == TERMS:
                return found
    raise RuntimeError(f"could not sample {TERMS} sets of {per_doc} distinct {length}-character terms")


class FoldedTexts(Sequence[str]):
    """Articles' folded texts, made when sampled: the whole corpus folded at once would count in
    the peak memory measured for search."""

    def __init__(self, index: Index, docs: list[int] | None = None) -> None:
        self.index = index
        self.docs = list(range(index.n)) if docs is None else docs

    def __len__(self) -> int:
        return len(self.docs)

    def __getitem__(self, i: int) -> str:  # type: ignore[override]
        return normalize(self.index.text(self.docs[i]))


def queries(index: Index, docs: FoldedTexts, seed: int) -> list[tuple[str, list[str], list[tuple[str, ...]] | None, bool]]:
    """(kind, queries, the baseline's terms per query or None, baseline needs all terms)."""
    rng = random.Random(seed)
    kinds = []
    for n in (1, 2, 4, 8):
        terms = sample(rng, docs, n)
        kinds.append((f"{n}-char", [t for t, in terms], terms, True))
    pairs = sample(rng, docs, 2, per_doc=2)
    kinds.append(("AND", [f"{a} {b}" for a, b in pairs], pairs, True))
    kinds.append(("OR", [f"{a}|{b}" for a, b in pairs], pairs, False))
    kinds.append(("phrase", [f'"{t[:2]} {t[2:]}"' for t, in sample(rng, docs, 4)], None, True))
    district = normalize(DISTRICT)
    local = FoldedTexts(index, [
        d for d, info in enumerate(index.docs)
        if any(district in normalize(p or "") for p in index.areas[info.area][1:])
    ])
    fielded = [f"district:{DISTRICT} {t}" for t, in sample(rng, local or docs, 2)]
    kinds.append((f"district:{DISTRICT} + 2-char", fielded, None, True))
    return kinds


def baseline(texts: list[str], terms: tuple[str, ...], need_all: bool) -> tuple[int, list[tuple[int, int]]]:
    """Articles matching, found the obvious way, and the top LIMIT of them by hits."""
    test = all if need_all else any
    found = [
        (sum(text.count(t) for t in terms), i) for i, text in enumerate(texts) if test(t in text for t in terms)
    ]
    found.sort(key=lambda item: -item[0])
    return len(found), found[:LIMIT]


def timed(call: Callable[..., T], runs: int, *args: object) -> tuple[list[float], T]:
    """Milliseconds of `runs` calls after one warm-up call, and what the calls returned."""
    result = call(*args)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = call(*args)
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def p50_p95(times: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(times, n=20, method="inclusive")
    return cuts[9], cuts[18]


def measure(db: Path, seed: int, runs: int) -> tuple[float, float, float, list[Kind]]:
    """Open, index and query the store; run in a fresh process (see the module docstring)."""
    started = time.perf_counter()
    store = Store.open(db)
    open_s = time.perf_counter() - started
    started = time.perf_counter()
    index = store.index
    store.search(DISTRICT, LIMIT)
    index_s = time.perf_counter() - started

    plan = queries(index, FoldedTexts(index), seed)
    searched = []
    for _, texts, _, _ in plan:
        times, totals, firsts = [], [], []
        for query in texts:
            index.forget()
            started = time.perf_counter()
            store.search(query, LIMIT)
            firsts.append((time.perf_counter() - started) * 1000)
            ran, results = timed(store.search, runs, query, LIMIT)
            times += ran
            totals.append(results.total)
        searched.append((times, totals, firsts))
    rss_mb = peak_rss_mb()

    folded = list(FoldedTexts(index))
    kinds = []
    for (name, _, terms, need_all), (times, totals, firsts) in zip(plan, searched, strict=True):
        kind = Kind(name, index.n, *p50_p95(times), statistics.fmean(totals), *p50_p95(firsts))
        if terms is not None:
            base_times, base_totals = [], []
            for query_terms in terms:
                ran, (total, _) = timed(baseline, runs, folded, query_terms, need_all)
                base_times += ran
                base_totals.append(total)
            kind.base_p50_ms = p50_p95(base_times)[0]
            kind.base_total = statistics.fmean(base_totals)
        kinds.append(kind)
    return open_s, index_s, rss_mb, kinds


def run_size(target: int, root: Path, seed: int, runs: int, console: Console, reuse: bool = False) -> Row:
    corpus, db = root / "corpus", root / "store.json"
    build_s = None
    if not reuse:
        isolate_cache(root)
        make_corpus(target, corpus, seed)
        console.log(f"{target} articles: corpus written; building…")
        started = time.perf_counter()
        built = build(corpus, db)
        build_s = time.perf_counter() - started
        console.log(f"  built in {build_s:.1f} s ({built.articles} articles); searching…")
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        open_s, index_s, rss_mb, kinds = pool.apply(measure, (db, seed, runs))
    size_mb = (db.stat().st_size + index_path(db).stat().st_size) / 1e6
    return Row(target, kinds[0].articles, build_s, size_mb, open_s, index_s, rss_mb, kinds)


def ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}" if value >= 1 else f"{value:.2f}"


def report(rows: list[Row], runs: int, console: Console) -> None:
    stores = Table(title="stores measured")
    for name in ("articles", "build (s)", "store + index (MB)", "open (s)", "index + 1st search (s)", "peak RSS (MB)"):
        stores.add_column(name, justify="right")
    for r in rows:
        stores.add_row(
            f"{r.articles:,}", "—" if r.build_s is None else f"{r.build_s:.1f}", f"{r.store_mb:.1f}", f"{r.open_s:.2f}", f"{r.index_s:.2f}",
            f"{r.rss_mb:.0f}",
        )
    console.print(stores)

    table = Table(title=f"search latency, ms ({TERMS} queries per kind × {runs} timed runs; baseline: naive scan)")
    columns = ("query kind", "articles", "search p50", "search p95", "first run p50", "first run p95", "baseline p50", "ratio",
               "total hits")
    for name in columns:
        table.add_column(name, justify="left" if name == "query kind" else "right")
    for r in rows:
        for k in r.kinds:
            table.add_row(
                k.name, f"{k.articles:,}", ms(k.p50_ms), ms(k.p95_ms), ms(k.first_p50_ms), ms(k.first_p95_ms), ms(k.base_p50_ms),
                "—" if k.ratio is None else f"{k.ratio:.1f}×", f"{k.mean_total:,.0f}",
            )
        table.add_section()
    console.print(table)
    console.print("total hits: articles matched (`Results.total`), mean over the kind's queries; "
                  "ratio: baseline p50 / search p50")
    console.print(f"machine: {machine()}")

    for size, p95, startup, speedup, memory in TARGETS:
        row = next((r for r in rows if r.target == size), None)
        if row is None:
            console.print(f"targets at {size:,} articles: not measured (add {size} to --sizes)")
            continue
        worst = max(row.kinds, key=lambda k: k.p95_ms)
        console.print(
            f"target at {size:,}: p95 <= {p95:.0f} ms for every kind: worst {worst.p95_ms:.1f} ms "
            f"({worst.name}) {mark(worst.p95_ms <= p95)}"
        )
        console.print(
            f"target at {size:,}: open+index <= {startup:.0f} s: {row.open_s + row.index_s:.2f} s "
            f"{mark(row.open_s + row.index_s <= startup)}"
        )
        if speedup is not None:
            slowest = min((k for k in row.kinds if k.ratio is not None), key=lambda k: k.ratio)
            console.print(
                f"target at {size:,}: >= {speedup:.0f}× faster than baseline: least {slowest.ratio:.1f}× "
                f"({slowest.name}) {mark(slowest.ratio >= speedup)}"
            )
        if memory is not None:
            console.print(
                f"target at {size:,}: peak memory <= {memory:.0f} MB: {row.rss_mb:.0f} MB "
                f"{mark(row.rss_mb <= memory)}"
            )
    for r in rows:
        if abs(r.articles - r.target) > 0.10 * r.target:
            console.print(f"[yellow]note:[/] {r.target:,}-article corpus gave {r.articles:,} articles (off by >10%)")
        for k in r.kinds:
            if k.base_total is not None and k.base_total != k.mean_total:
                console.print(f"[yellow]note:[/] {k.name} at {r.articles:,}: baseline and search match different articles")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time Store.search on synthetic corpora.")
    parser.add_argument("--sizes", default="1000,10000", help="article counts, comma-separated (default 1000,10000)")
    parser.add_argument("--seed", type=int, default=0, help="corpus and query terms (default 0)")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per query, after a warm-up (default 20)")
    parser.add_argument("--keep", type=Path, default=None, help="keep corpora and stores under DIR/<size>/")
    parser.add_argument("--reuse", type=Path, default=None, metavar="DIR",
                        help="measure the stores a --keep DIR run built, without building again")
    args = parser.parse_args(argv)
    if args.runs < 2:
        parser.error("--runs must be at least 2 (percentiles need two timings)")
    console = Console(width=None if sys.stdout.isatty() else 160)
    sizes = parse_sizes(args.sizes)
    if args.reuse:
        missing = [str(args.reuse / str(n) / "store.json") for n in sizes if not (args.reuse / str(n) / "store.json").is_file()]
        if missing:
            parser.error(f"no store at {', '.join(missing)}")
        rows = [run_size(n, args.reuse / str(n), args.seed, args.runs, console, reuse=True) for n in sizes]
    else:
        rows = [
            run_size(size, root, args.seed, args.runs, console)
            for size, root in size_folders(sizes, args.keep, "bench-search", parser)
        ]
    report(rows, args.runs, console)
    return 0


if __name__ == "__main__":
    sys.exit(main())
