"""`baixiao serve` end to end in a real browser: headless Chromium (Debian's, driven by Playwright)
opens the page, the app draws, a search is typed, the results show.

The screen is read from xterm.js, the terminal in textual-serve's page. It draws on a canvas
(WebGL, else a 2D canvas), so the page holds no text; the terminal object's buffer does, cell by
cell, through xterm.js's public API (`buffer.active.getLine(n).translateToString()`). The page
keeps that object in a local variable, so a script run before the page's own catches it as it is
stored (`this.terminal = new Terminal(...)` passes through a setter on Object.prototype, which
hands the value to `window.__terminal` and then steps aside for that object).

Chromium is installed by tests/setup_browser.sh when missing; where it cannot be (no apt-get,
not root, no network) the test is skipped, saying why. A screenshot is kept in
build/artifacts/browser.png; BAIXIAO_README_SCREENSHOT=1 also writes it to
tests/screenshots/browser.png, the README's picture.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from conftest import ROOT

from test_serve import serving  # isort: skip  (a test module beside this one)

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extras: pip install -e '.[test]'")

CHROMIUM = Path("/usr/bin/chromium")
SETUP = ROOT / "tests" / "setup_browser.sh"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ARTIFACT = ROOT / "build" / "artifacts" / "browser.png"
README_PICTURE = ROOT / "tests" / "screenshots" / "browser.png"
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


def test_search_in_the_browser(chromium, db, tmp_path):
    with serving(db, "--port", "0", cwd=tmp_path, lang="zh") as served, sync_api.sync_playwright() as playwright:
        url = served.url
        browser = playwright.chromium.launch(executable_path=str(chromium), args=ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.add_init_script(CATCH_TERMINAL)
            elsewhere: list[str] = []  # the page asks nothing of any other server (the internet)

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
            # `/` to the search box (the page gave the terminal the keys: no click), then the query
            # as a Chinese input method gives it, the whole word at once.
            page.keyboard.press("/")
            page.keyboard.insert_text("向阳花")
            rows = wait_for(page, "1 篇文章")
            assert any(row.strip().startswith("1 篇文章") and row.rstrip().endswith("向阳花") for row in rows), "\n".join(rows)
            # The one hit, 朝阳小学's profile on page 001, in the list and open in the reader, the
            # term in its text.
            listed = [row for row in rows if "北碚区" in row and "▕" in row and row.split("▕")[0].strip()]
            assert len(listed) == 1 and "朝阳小学" in listed[0], "\n".join(rows)
            reader = "\n".join(row.split("▕", 1)[1] for row in rows if "▕" in row)
            assert "001_6aa715517b91c0bd.txt" in reader
            time.sleep(0.3)  # the reader's last frame painted
            ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACT))
            print(f"screenshot: {ARTIFACT}")
            if os.environ.get("BAIXIAO_README_SCREENSHOT"):
                README_PICTURE.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(ARTIFACT, README_PICTURE)
                print(f"README picture: {README_PICTURE}")
            assert elsewhere == []
        finally:
            browser.close()
