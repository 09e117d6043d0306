"""PDF reading benchmark: how fast `store.ingest.formats.pdf.read_pdf` turns newspaper PDFs into text.

    python tests/bench/bench_pdf.py [--pages 200] [--columns 2] [--runs 3]

The bundled pages are laid out one after another, repeated until the file has at least --pages
pages, by tests/pdf_fixtures.py (a running head and foot on every page, a headline, columns,
subheadings). The file is read --runs times in this process; the table shows the median:

    pages / PDF (MB)    the file read
    text (MB)           the UTF-8 text of the sheets read back
    read (s)            median wall time of `read_pdf` over the runs
    text MB/min         text (MB) / read time, the throughput
    pages/s             pages / read time
    peak RSS (MB)       `resource.getrusage` high-water mark of this process (file, fixtures, PDFium)
    Python peak (MB)    tracemalloc's peak of Python objects during one more read: what the reader
                        holds (PDFium's own memory is not Python's, see peak RSS)

The target, printed beside the table as PASS or MISS: at least 2 MB of text a minute. The exit
status is 1 when it is missed. Not a pytest test (its name does not start with test_).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pypdfium2 as pdfium
from pdf_fixtures import newspaper_pdf
from rich.console import Console
from rich.table import Table

from store.ingest.formats.pdf import read_pdf

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
TARGET_MB_PER_MIN = 2.0


@dataclass
class Row:
    columns: int
    pages: int
    pdf_mb: float
    text_mb: float
    read_s: float
    rss_mb: float
    python_mb: float

    @property
    def mb_per_min(self) -> float:
        return self.text_mb / self.read_s * 60


def make_pdf(pages: int, columns: int) -> tuple[bytes, int]:
    """The bundled pages, repeated until the PDF has at least `pages` pages, and its page count."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))]
    once = len(pdfium.PdfDocument(newspaper_pdf("\n\n".join(texts), columns=columns)))
    repeats = math.ceil(pages / once)
    data = newspaper_pdf("\n\n".join(texts * repeats), columns=columns)
    return data, len(pdfium.PdfDocument(data))


def peak_rss_mb() -> float:
    scale = 1 if sys.platform == "darwin" else 1024  # macOS reports bytes, Linux KiB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1e6


def machine() -> str:
    return f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python {platform.python_version()}, {platform.system()}"


def measure(pages: int, columns: int, runs: int, console: Console) -> Row:
    data, count = make_pdf(pages, columns)
    console.log(f"{columns} columns: {count} pages, {len(data) / 1e6:.1f} MB; reading {runs} times…")
    times, text_mb = [], 0.0
    for _ in range(runs):
        started = time.perf_counter()
        sheets = read_pdf(data)
        times.append(time.perf_counter() - started)
        text_mb = sum(len(sheet.text.encode("utf-8")) for sheet in sheets) / 1e6
    rss = peak_rss_mb()
    tracemalloc.start()
    read_pdf(data)
    python_peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return Row(columns, count, len(data) / 1e6, text_mb, statistics.median(times), rss, python_peak)


def report(rows: list[Row], runs: int, console: Console) -> bool:
    table = Table(title=f"read_pdf benchmark (bundled pages as newspaper PDFs, median of {runs} runs)")
    for name in ("columns", "pages", "PDF (MB)", "text (MB)", "read (s)", "text MB/min", "pages/s", "peak RSS (MB)", "Python peak (MB)"):
        table.add_column(name, justify="right")
    for r in rows:
        table.add_row(
            str(r.columns),
            f"{r.pages:,}",
            f"{r.pdf_mb:.1f}",
            f"{r.text_mb:.2f}",
            f"{r.read_s:.2f}",
            f"{r.mb_per_min:.1f}",
            f"{r.pages / r.read_s:.0f}",
            f"{r.rss_mb:.0f}",
            f"{r.python_mb:.0f}",
        )
    console.print(table)
    console.print(f"machine: {machine()}; pypdfium2 {pdfium.PYPDFIUM_INFO}, PDFium {pdfium.PDFIUM_INFO}")
    worst = min(rows, key=lambda r: r.mb_per_min)
    passed = worst.mb_per_min >= TARGET_MB_PER_MIN
    verdict = "[green]PASS[/]" if passed else "[red]MISS[/]"
    console.print(f"target: >= {TARGET_MB_PER_MIN:.0f} MB of text a minute: worst {worst.mb_per_min:.1f} MB/min {verdict}")
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time read_pdf on newspaper PDFs made from the bundled pages.")
    parser.add_argument("--pages", type=int, default=200, help="pages in the PDF, at least (default 200)")
    parser.add_argument("--columns", default="2", help="column counts, comma-separated (default 2)")
    parser.add_argument("--runs", type=int, default=3, help="reads of each file; the median is shown (default 3)")
    args = parser.parse_args(argv)
    console = Console(width=None if sys.stdout.isatty() else 160)
    rows = [measure(args.pages, int(c), args.runs, console) for c in args.columns.split(",")]
    return 0 if report(rows, args.runs, console) else 1


if __name__ == "__main__":
    sys.exit(main())
