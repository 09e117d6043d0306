"""Peers benchmark: baixiao beside the tools a user would otherwise reach for, on the same pages.

    python tests/bench/bench_peers.py [--sizes 10000] [--runs 5] [--keep DIR]

For each size (in articles) a synthetic corpus is made from the bundled pages (tests/bench/synth.py)
and built once; then each query is answered, in the same run, by
    rg -c / rg -l       ripgrep over the page files (lines, files): what people grep with today
    sqlite fts5         SQLite FTS5 with the trigram tokenizer over one row per page, built here;
                        its index needs three characters, so a shorter term is counted by
                        instr() over the same pages in a plain table (a scan)
    baixiao (in process) Store.search(q, limit=50): ranked articles, snippets, the exact total
    baixiao (one shot)  `baixiao search q --limit 50` from the shell, stale check included, answered
                        by the warm command server the first such command starts (tui/launch.py)
    baixiao (no server) the same with BAIXIAO_NO_SERVER=1: a fresh Python imports and opens all
Each cell is the median of --runs; the last columns are ratios to `rg -c`. Beside the sizes, the
same one-shot search on the store of the bundled pages (5 pages): start-up that stays flat as
the corpus grows keeps the two close. The targets (issue 17) are printed under the tables, PASS
or MISS: one shot within 2.5 × `rg -c` at 10,000 articles and within 1.3 × the bundled store's,
faster than `rg -c` at 100,000. ripgrep is installed with apt when it is missing (and left out,
said so, when it cannot be). Not a pytest test.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import isolate_cache, mark
from rich.console import Console
from rich.table import Table

from store import Store
from store.ingest.build import build

from synth import make_corpus

QUERIES = ("党", "品牌", "党建品牌", "立德树人根本任务", '"党建 品牌"')
BAIXIAO = Path(sys.executable).with_name("baixiao")


def median_s(run, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def ripgrep() -> str | None:
    if shutil.which("rg") is None:
        subprocess.run(["apt-get", "install", "-y", "-q", "ripgrep"], capture_output=True, check=False)
    return shutil.which("rg")


def term(query: str) -> str:
    return query.strip('"').replace(" ", "")  # the phrase as the text prints it, for the peers


def fts(corpus: Path) -> tuple[sqlite3.Connection, float]:
    started = time.perf_counter()
    db = sqlite3.connect(":memory:")
    db.execute("create virtual table pages using fts5(text, tokenize='trigram')")
    db.execute("create table plain (text)")
    for page in sorted(corpus.glob("*.txt")):
        text = page.read_text(encoding="utf-8")
        db.execute("insert into pages values (?)", (text,))
        db.execute("insert into plain values (?)", (text,))
    return db, time.perf_counter() - started


def fts_count(db: sqlite3.Connection, text: str) -> int:
    if len(text) >= 3:
        return db.execute("select count(*) from pages where pages match ?", (f'"{text}"',)).fetchone()[0]
    return db.execute("select count(*) from plain where instr(text, ?) > 0", (text,)).fetchone()[0]


COLD = {**os.environ, "BAIXIAO_NO_SERVER": "1"}


def served(runtime: Path) -> dict[str, str]:
    """The environment of a shell whose `baixiao` uses a command server, its socket in `runtime`."""
    runtime.mkdir(mode=0o700, exist_ok=True)
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime)}
    env.pop("BAIXIAO_NO_SERVER", None)
    return env


def stop_servers(env: dict[str, str]) -> None:
    for lock in Path(env["XDG_RUNTIME_DIR"], "baixiao").glob("*.lock"):
        with contextlib.suppress(ValueError, OSError):
            os.kill(int(lock.read_text(encoding="utf-8")), signal.SIGTERM)


def one_shot(query: str, store_path: Path, corpus: Path, runs: int, env: dict[str, str]) -> float:
    command = [str(BAIXIAO), "search", query, "--limit", "50", "--db", str(store_path), "--corpus", str(corpus)]
    if "BAIXIAO_NO_SERVER" not in env:  # the first command starts the server; wait until it answers
        subprocess.run(command, capture_output=True, check=True, env=env)
        traced = {**env, "PYTHONPROFILEIMPORTTIME": "1"}  # a served command's own imports leave numpy out
        for _ in range(300):
            if "numpy" not in subprocess.run(command, capture_output=True, check=True, env=traced).stderr.decode():
                break
            time.sleep(0.1)
    return median_s(lambda: subprocess.run(command, capture_output=True, check=True, env=env), runs)


def bundled_one_shot(runs: int, env: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Each query's one-shot search on a store of the bundled pages, built in a temp folder:
    served and without a server."""
    from store import bundled_corpus

    with tempfile.TemporaryDirectory() as tmp:
        store_path = Path(tmp) / "store.json"
        build(bundled_corpus(), store_path)
        return {q: (one_shot(q, store_path, bundled_corpus(), runs, env), one_shot(q, store_path, bundled_corpus(), runs, COLD))
                for q in QUERIES}


def run_size(size: int, root: Path, runs: int, console: Console, bundled: dict[str, tuple[float, float]],
             env: dict[str, str]) -> tuple[Table, list[str]]:
    corpus, store_path = root / "corpus", root / "store.json"
    isolate_cache(root)
    if not corpus.exists():
        make_corpus(size, corpus, 0)
    console.log(f"{size:,} articles: building…")
    build(corpus, store_path)
    store = Store.open(store_path).load(tables=False)
    rg = ripgrep()
    db, fts_build = fts(corpus)
    console.log(f"  sqlite fts5 (trigram) built in {fts_build:.1f} s; querying…")
    table = Table(title=f"{size:,} articles ({len(list(corpus.glob('*.txt'))):,} pages): median of {runs}, seconds")
    for name in ("query", "rg -c", "rg -l", "sqlite fts5", "baixiao (in process)", "baixiao (one shot)", "baixiao (no server)",
                 "fts5 / rg -c", "in process / rg -c", "one shot / rg -c", "one shot / bundled", "no server / rg -c"):
        table.add_column(name, justify="right")
    verdicts = []
    for query in QUERIES:
        text = term(query)
        rg_c = median_s(lambda t=text: subprocess.run([rg, "-c", t, str(corpus)], capture_output=True), runs) if rg else None
        rg_l = median_s(lambda t=text: subprocess.run([rg, "-l", t, str(corpus)], capture_output=True), runs) if rg else None
        sq = median_s(lambda t=text: fts_count(db, t), runs)
        inproc = median_s(lambda q=query: store.search(q, limit=50), runs)
        shot = one_shot(query, store_path, corpus, runs, env)
        cold = one_shot(query, store_path, corpus, runs, COLD)
        small = bundled[query][0]
        if rg_c and size == 10_000:
            verdicts.append(f"{query}: one shot {shot / rg_c:.2f} × rg -c (<= 2.5) {mark(shot <= 2.5 * rg_c)}, "
                            f"{shot / small:.2f} × the bundled store's (<= 1.3) {mark(shot <= 1.3 * small)}")
        if rg_c and size >= 100_000:
            verdicts.append(f"{query}: one shot {shot / rg_c:.2f} × rg -c (< 1) {mark(shot < rg_c)}")

        def ratio(t: float, base: float | None = rg_c) -> str:
            return f"{t / base:.2f}" if base else "—"

        table.add_row(query, *(f"{t:.3f}" if t is not None else "—" for t in (rg_c, rg_l, sq, inproc, shot, cold)),
                      ratio(sq), ratio(inproc), ratio(shot), ratio(shot, small), ratio(cold))
    return table, verdicts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="baixiao beside ripgrep and SQLite FTS5 on the same pages.")
    parser.add_argument("--sizes", default="10000", help="articles per corpus, comma-separated (default 10000)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the corpora and stores here")
    args = parser.parse_args(argv)
    console = Console(width=160)
    if ripgrep() is None:
        console.print("[yellow]ripgrep is not installed and could not be: its columns are left empty[/]")
    with tempfile.TemporaryDirectory() as runtime:
        env = served(Path(runtime))
        try:
            bundled = bundled_one_shot(args.runs, env)
            said = ", ".join(f"{q} {t:.3f} s ({c:.3f} s)" for q, (t, c) in bundled.items())
            console.log(f"bundled store, one shot (no server): {said}")
            for size in (int(s) for s in args.sizes.split(",")):
                if args.keep:
                    table, verdicts = run_size(size, args.keep / f"peers-{size}", args.runs, console, bundled, env)
                else:
                    with tempfile.TemporaryDirectory() as tmp:
                        table, verdicts = run_size(size, Path(tmp), args.runs, console, bundled, env)
                console.print(table)
                for line in verdicts:
                    console.print(f"target at {size:,}: {line}")
        finally:
            stop_servers(env)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
