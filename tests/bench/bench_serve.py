"""`baixiao serve` benchmark: time from starting the command to its first page.

    python tests/bench/bench_serve.py [--db STORE] [--runs N]

With no --db it serves the store of the bundled corpus (built first, in another process, in a
temp folder). Each run starts `baixiao serve --db STORE --port P` (the `baixiao` script beside
this Python, as a user types it; P a free port) and asks for GET / every 5 ms:

    URL printed   from the start of the process to its first line ("Serving baixiao at …"):
                  Python and baixiao loaded, the store found current, the port bound
    first page    from the start to the first 200 answer to GET / (textual-serve's page, which
                  opens the app in the browser)

Target: first page <= 1 s (the median of the runs). The app each tab opens is bench_app.py's
"first paint". Always exits 0; a measurement.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import machine, mark
from rich.console import Console
from rich.table import Table

from store.paths import bundled_corpus

TARGET = 1.0  # seconds to the first page
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy the environment names


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def command() -> list[str]:
    script = Path(sys.executable).parent / "baixiao"
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui.launch"]


def one_run(db: Path, timeout: float = 30) -> tuple[float, float]:
    """Seconds from the start of `baixiao serve` to its first line, and to its first page."""
    port = free_port()
    printed: list[float] = []
    started = time.perf_counter()
    proc = subprocess.Popen([*command(), "serve", "--db", str(db), "--port", str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, start_new_session=True)

    def first_line() -> None:
        assert proc.stdout is not None
        if proc.stdout.readline():
            printed.append(time.perf_counter() - started)
        proc.stdout.read()

    reader = threading.Thread(target=first_line, daemon=True)
    reader.start()
    try:
        while True:
            try:
                with DIRECT.open(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    if response.status == 200:
                        page = time.perf_counter() - started
                        response.read()
                        break
            except OSError:
                pass
            if proc.poll() is not None:
                raise SystemExit(f"baixiao serve exited {proc.returncode} before answering")
            if time.perf_counter() - started > timeout:
                raise SystemExit(f"baixiao serve did not answer in {timeout} s")
            time.sleep(0.005)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
        reader.join(timeout=5)
    return (printed[0] if printed else float("nan")), page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time `baixiao serve` to its first page.")
    parser.add_argument("--db", type=Path, help="a built store (default: the bundled corpus's, built in a temp folder)")
    parser.add_argument("--runs", type=int, default=5, help="runs, of which the median counts (default 5)")
    args = parser.parse_args(argv)
    console = Console(width=None if sys.stdout.isatty() else 120)
    db = args.db
    if db is None:
        folder = Path(tempfile.mkdtemp(prefix="bench-serve-"))
        db = folder / "store.json"
        subprocess.run([sys.executable, "-m", "tui.cli", "build", "-q", "--corpus", str(bundled_corpus()), "--db", str(db)],
                       check=True)
    one_run(db)  # a warm-up, not counted: the first start after a build reads the code from disk
    runs = [one_run(db) for _ in range(args.runs)]
    printed = [run[0] for run in runs]
    pages = [run[1] for run in runs]
    table = Table(title=f"baixiao serve: start to first page (s), {args.runs} runs")
    for name in ("store", "URL printed (median)", "first page (median)", "first page (min)", "first page (max)"):
        table.add_column(name, justify="right")
    table.add_row(str(args.db) if args.db else "bundled pages", f"{statistics.median(printed):.3f}",
                  f"{statistics.median(pages):.3f}", f"{min(pages):.3f}", f"{max(pages):.3f}")
    console.print(machine())
    console.print(table)
    median = statistics.median(pages)
    console.print(f"first page <= {TARGET:g} s: {median:.3f} s {mark(median <= TARGET)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
