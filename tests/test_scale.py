"""Large and odd inputs build in bounded time and memory. Each build runs in its own process and
reports its peak memory (the largest of the process and its page workers). Marked slow: about
a minute, part of the default run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import page_text
from store import Store
from store.segment import MAX_ARTICLE

pytestmark = pytest.mark.slow
MAX_PEAK_MB = 1024
CHILD = (
    "import resource, sys\n"
    "from tui.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "peak = max(resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))\n"
    "print(f'peak {peak // 1024} MB', file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def build(corpus: Path, tmp_path: Path) -> tuple[Store, int, str]:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, "build", "--corpus", str(corpus), "--db", str(tmp_path / "s.json")],
        capture_output=True, text=True, encoding="utf-8", timeout=600,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
    )
    assert proc.returncode == 0, proc.stderr
    peak = int(re.search(r"peak (\d+) MB", proc.stderr).group(1))
    print(f"{corpus.name}: peak {peak} MB")
    return Store.open(tmp_path / "s.json"), peak, proc.stderr


def test_a_page_of_one_2mb_line(tmp_path):
    text = "".join(page_text("000_cffeeb912b6cb14d.txt").split())
    corpus = tmp_path / "line"
    corpus.mkdir()
    (corpus / "line.txt").write_text((text * (2_000_000 // len(text) + 1))[:2_000_000] + "\n", encoding="utf-8")
    store, peak, _ = build(corpus, tmp_path)
    assert peak < MAX_PEAK_MB
    articles = store.articles()  # cut into parts a screen can lay out (the reader took 10 s for 2 MB)
    assert len(articles) >= 2_000_000 // MAX_ARTICLE
    assert all(sum(map(len, a.paragraphs)) <= MAX_ARTICLE for a in articles)
    assert store.search("人和立德").total == len({a.id for a in articles if "人和立德" in a.text()})


def test_five_thousand_small_pages(tmp_path):
    texts = [page_text(name) for name in ("000_cffeeb912b6cb14d.txt", "001_6aa715517b91c0bd.txt",
                                          "003_d536ef65ba6ff6bf.txt", "004_5ba2f485b8a21636.txt")]
    corpus = tmp_path / "many"
    corpus.mkdir()
    for i in range(5000):
        text = texts[i % 4]
        at = (i * 131) % (len(text) - 600)
        (corpus / f"p{i:05d}.txt").write_text(f"第{i}号\n\n{text[at:at + 600]}\n", encoding="utf-8")
    store, peak, stderr = build(corpus, tmp_path)
    assert peak < MAX_PEAK_MB
    assert store.meta["counts"]["pages"] == 5000 and "skipped" not in stderr
