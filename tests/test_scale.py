"""Large and odd inputs build in bounded time and memory. Each build runs in its own process and
reports its peak memory, and its page workers' (the largest of them). Marked slow: about a
minute, part of the default run; the 50 MB page is marked huge, run by CI after `make test`."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store import Store
from store.ingest.segment import MAX_ARTICLE
from tui.app import make_app

from conftest import CORPUS, page_text
from terminal import Pane, tmux
from waiting import settle

pytestmark = pytest.mark.slow
MAX_PEAK_MB = 1024
PAGES = tuple(sorted(p.name for p in CORPUS.glob("*.txt")))
# Runs `baixiao ARGS…` and writes "exit-status own-peak-MB workers-peak-MB" to the report file.
CHILD = (
    "import resource, sys\n"
    "from tui.cli import main\n"
    "code = main(sys.argv[2:])\n"
    "own, workers = (resource.getrusage(w).ru_maxrss // 1024 for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))\n"
    "open(sys.argv[1], 'w', encoding='utf-8').write(f'{code} {own} {workers}')\n"
    "sys.exit(code)\n"
)


def build_command(corpus: Path, tmp_path: Path) -> list[str]:
    report = tmp_path / "report"
    return [sys.executable, "-c", CHILD, str(report), "build", "--corpus", str(corpus), "--db", str(tmp_path / "s.json")]


def report(tmp_path: Path, name: str) -> tuple[int, int]:
    code, own, workers = map(int, (tmp_path / "report").read_text(encoding="utf-8").split())
    assert code == 0
    print(f"{name}: peak {own} MB, workers {workers} MB")
    return own, workers


def build(corpus: Path, tmp_path: Path) -> tuple[Store, int, str]:
    proc = subprocess.run(
        build_command(corpus, tmp_path), capture_output=True, text=True, encoding="utf-8", timeout=600,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
    )
    assert proc.returncode == 0, proc.stderr
    own, workers = report(tmp_path, corpus.name)
    return Store.open(tmp_path / "s.json"), max(own, workers), proc.stderr


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
    texts = [page_text(name) for name in PAGES]
    corpus = tmp_path / "many"
    corpus.mkdir()
    for i in range(5000):
        text = texts[i % 4]
        at = (i * 131) % (len(text) - 600)
        (corpus / f"p{i:05d}.txt").write_text(f"第{i}号\n\n{text[at:at + 600]}\n", encoding="utf-8")
    store, peak, stderr = build(corpus, tmp_path)
    assert peak < MAX_PEAK_MB
    assert store.meta["counts"]["pages"] == 5000 and "skipped" not in stderr


@pytest.mark.huge
@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
async def test_a_50mb_page_builds_in_bounded_memory_with_a_progress_bar(tmp_path):
    """In a real terminal, as a person would run it: the bar moves while one page is parsed,
    neither the build nor a page worker passes 1 GB, and the app searches the result at once."""
    corpus = tmp_path / "huge"
    corpus.mkdir()
    issue = "\n\n".join(page_text(name) for name in PAGES)
    page = "\n\n".join([issue] * (50_000_000 // len(issue.encode("utf-8")) + 1))
    (corpus / "huge.txt").write_text(page, encoding="utf-8")
    assert (corpus / "huge.txt").stat().st_size >= 50_000_000
    env = f"XDG_CACHE_HOME={shlex.quote(str(tmp_path / 'cache'))}"
    name = f"baixiao-huge-{os.getpid()}"
    tmux(name, "new-session", "-d", "-s", name, "-x", "100", "-y", "10",
         f"{env} {shlex.join(build_command(corpus, tmp_path))}; sleep 5")
    try:
        pane = Pane(name)
        bar = pane.wait_for("parsing pages", timeout=60)
        assert re.search(r"\d+%", bar), bar
        deadline = time.monotonic() + 600
        while not (tmp_path / "report").exists() and time.monotonic() < deadline:
            time.sleep(1)
        built = "".join(pane.text().splitlines())  # the summary, wrapped at the pane's width
    finally:
        tmux(name, "kill-server", check=False)
    own, workers = report(tmp_path, "50 MB page")
    assert own < MAX_PEAK_MB and workers < MAX_PEAK_MB
    assert "built" in built and "0 warnings" in built and "peak memory" in built

    db = tmp_path / "s.json"
    store = Store.open(db)
    articles = store.articles()
    assert sum(len(a.text()) for a in articles) >= 15_000_000
    assert all(sum(map(len, a.paragraphs)) <= MAX_ARTICLE for a in articles)
    expected = store.search("人和立德").total
    assert expected == len({a.id for a in articles if "人和立德" in a.text()})

    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        for n, key in enumerate("人和立德", start=1):  # each key echoed while the last one's search runs
            started = time.perf_counter()
            await pilot.press(key)
            assert app.screen.query_one("#query").value == "人和立德"[:n]
            assert time.perf_counter() - started < 0.5
        await settle(pilot)
        assert app.screen.ranking.total == expected


def test_a_page_of_a_million_nested_brackets(tmp_path):
    """Hostile nesting: no stage recurses into brackets, so a page of 10⁶ nested ones builds as
    any page of its size does (seconds), in bounded memory, its words searchable. (A stretch of
    brackets alone, with no letter, is no article.)"""
    corpus = tmp_path / "brackets"
    corpus.mkdir()
    (corpus / "b.txt").write_text("北碚区金兴小学党建工作\n\n" + "（[" * 500_000 + "党建引领" + "]）" * 500_000 + "\n", encoding="utf-8")
    store, peak, stderr = build(corpus, tmp_path)
    assert peak < MAX_PEAK_MB and "skipped" not in stderr
    assert store.search("党建引领").total == 1
    titled = {a.title for a in store.articles() if a.title}  # its parts: 北碚区金兴小学党建工作（2）…
    assert titled and all(title.startswith("北碚区金兴小学党建工作") for title in titled)
