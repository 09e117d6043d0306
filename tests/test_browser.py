"""`baixiao serve` end to end in a real browser: headless Chromium (Debian's, driven by Playwright)
opens the page, the app draws, a search is typed, the results show.

The screen is read from xterm.js, the terminal in textual-serve's page. It draws on a canvas
(WebGL, else a 2D canvas), so the page holds no text; the terminal object's buffer does, cell by
cell, through xterm.js's public API (`buffer.active.getLine(n).translateToString()`). The page
keeps that object in a local variable, so a script run before the page's own catches it as it is
stored (`this.terminal = new Terminal(...)` passes through a setter on Object.prototype, which
hands the value to `window.__terminal` and then steps aside for that object).

Chromium is installed by tests/setup_browser.sh when missing; where it cannot be (no apt-get,
not root, no network) the tests are skipped, saying why. Screenshots are kept in
build/artifacts/; BAIXIAO_README_SCREENSHOT=1 also writes them to tests/screenshots/, the
README's pictures.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, copy_of

from test_serve import serving  # isort: skip  (a test module beside this one)

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extras: pip install -e '.[test]'")

CHROMIUM = Path("/usr/bin/chromium")
SETUP = ROOT / "tests" / "setup_browser.sh"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "build" / "artifacts"
README_PICTURES = ROOT / "tests" / "screenshots"
VIEWPORT = {"width": 1200, "height": 720}

CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer && value.buffer.active) window.__terminal = value;
  },
});
"""
SCREEN = """() => {
  const terminal = window.__terminal;
  if (!terminal) return null;
  const buffer = terminal.buffer.active, rows = [];
  for (let y = 0; y < terminal.rows; y++) rows.push(buffer.getLine(buffer.viewportY + y).translateToString(true));
  return rows;
}"""


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium, installed by tests/setup_browser.sh when missing, else the test skipped."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        if shutil.which("bash") is None:
            pytest.skip(f"no Chromium at {CHROMIUM}, and no bash to run {SETUP.name}")
        proc = subprocess.run(["bash", str(SETUP)], capture_output=True, text=True, encoding="utf-8", timeout=900)
        if proc.returncode != 0:
            said = proc.stderr.strip().splitlines()
            pytest.skip(f"no Chromium for the browser test: {said[-1] if said else f'{SETUP.name} exited {proc.returncode}'}")
    return CHROMIUM


def screen(page) -> list[str]:
    return page.evaluate(SCREEN) or []


def wait_for(page, *needles: str, timeout: float = 30) -> list[str]:
    """The screen once it shows every needle."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = screen(page)
        if all(any(needle in row for row in rows) for needle in needles):
            return rows
        time.sleep(0.1)
    raise AssertionError(f"{needles} never all showed; the browser shows:\n" + "\n".join(screen(page)))


def type_in_box(page, text: str) -> None:
    """`/`, then `text` as an input method commits it, the whole word at once, once the box has the
    keys (its keys in the footer). xterm.js now and then lets a committed word go when it comes
    right after a key (about one run in ten here): a person sees the box still empty and types
    again, and so does this, once."""
    page.keyboard.press("/")
    wait_for(page, "↓ 到列表")
    for _ in range(2):
        page.keyboard.insert_text(text)
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            rows = screen(page)
            if len(rows) > 1 and rows[1].strip("▊▎ ").startswith(text):  # the box's line (not its placeholder)
                return
            time.sleep(0.1)
    raise AssertionError(f"{text} never reached the search box")


@contextlib.contextmanager
def browsing(chromium: Path, db: Path, cwd: Path) -> Iterator[Any]:
    """`baixiao --lang zh serve` over `db`, and a page of headless Chromium open on it, the app
    drawn; afterwards, that the page asked nothing of any other server (the internet)."""
    with serving(db, "--port", "0", cwd=cwd, lang="zh") as served, sync_api.sync_playwright() as playwright:
        url = served.url
        browser = playwright.chromium.launch(executable_path=str(chromium), args=ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.add_init_script(CATCH_TERMINAL)
            elsewhere: list[str] = []

            def only_here(route) -> None:
                if route.request.url.startswith(url):
                    route.continue_()
                else:
                    elsewhere.append(route.request.url)
                    route.abort()

            page.route("**/*", only_here)
            page.goto(url)
            # The app draws: the search box, the 12 articles, the keys in Chinese (--lang reached it).
            wait_for(page, "12 篇文章", "朝阳小学", "搜索")
            yield page
            assert elsewhere == []
        finally:
            browser.close()


def keep_screenshot(page, name: str) -> None:
    """A test artefact in build/artifacts; with BAIXIAO_README_SCREENSHOT=1, the README's picture too."""
    time.sleep(0.3)  # the last frame painted
    artifact = ARTIFACTS / name
    artifact.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(artifact))
    print(f"screenshot: {artifact}")
    if os.environ.get("BAIXIAO_README_SCREENSHOT"):
        README_PICTURES.mkdir(parents=True, exist_ok=True)
        shutil.copy(artifact, README_PICTURES / name)
        print(f"README picture: {README_PICTURES / name}")


def test_search_in_the_browser(chromium, db, tmp_path):
    with browsing(chromium, db, tmp_path) as page:
        type_in_box(page, "向阳花")  # the page gave the terminal the keys: no click
        rows = wait_for(page, "1 篇文章", "001_6aa715517b91c0bd.txt")  # the reader follows the list a moment later
        assert any(row.strip().startswith("1 篇文章") and row.rstrip().endswith("向阳花") for row in rows), "\n".join(rows)
        # The one hit, 朝阳小学's profile on page 001, in the list and open in the reader, the
        # term in its text.
        listed = [row for row in rows if "北碚区" in row and "▕" in row and row.split("▕")[0].strip()]
        assert len(listed) == 1 and "朝阳小学" in listed[0], "\n".join(rows)
        reader = "\n".join(row.split("▕", 1)[1] for row in rows if "▕" in row)
        assert "001_6aa715517b91c0bd.txt" in reader
        keep_screenshot(page, "browser.png")


def test_the_overview_in_the_browser(chromium, dated_db, tmp_path):
    """Issue 18 in Chromium: the overview, its district × batch table read, a cell opened, the
    hits of date:2024 counted, the overview exported (on the computer that serves)."""
    db = copy_of(dated_db, tmp_path)
    with browsing(chromium, db, tmp_path) as page:
        page.keyboard.press("v")
        rows = wait_for(page, "各地区学校（按双创批次）", "北碚区")
        beibei = next(row for row in rows if "北碚区" in row).split()
        assert beibei[1:6] == ["1", "2", "1", "1", "5"], "\n".join(rows)  # 第1批 第2批 双创（批次不详） 非双创 合计
        keep_screenshot(page, "browser-overview.png")
        for key in ("j", "j", "ArrowLeft", "ArrowLeft", "ArrowLeft", "Enter"):
            page.keyboard.press(key)
        rows = wait_for(page, "北碚区 × 第2批：2 所学校")
        assert any("金兴小学" in row for row in rows) and any("北碚实验幼儿园" in row for row in rows)
        page.keyboard.press("Escape")
        wait_for(page, "各地区学校（按双创批次）")
        type_in_box(page, "date:2024")
        wait_for(page, "“date:2024”命中 6 篇文章")
        page.keyboard.press("Enter")  # to the hits, below the store's counts
        wait_for(page, "命中：各年份")
        page.keyboard.press("e")
        wait_for(page, "概览的表格，含“date:2024”的命中")
        page.keyboard.press("Enter")
        wait_for(page, "已导出到")
    [written] = (tmp_path / "exports").glob("overview-*.md")
    assert "## 命中：各年份" in written.read_text(encoding="utf-8")
