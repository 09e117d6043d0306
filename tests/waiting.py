"""Waiting for the app to catch up, and reading what it shows, shared by the Pilot and snapshot tests."""

from __future__ import annotations

import html
import re

from rich.cells import cell_len

from tui.screens.articles import ArticlesScreen
from tui.widgets.reader import Reader
from tui.widgets.rows import RowList

CELL = 12.2  # an SVG screenshot's cell width, in its units
ROW = 24.4


async def settle(pilot) -> None:
    """Let searches finish and the reader (which waits for the cursor to rest) catch up.

    The articles screen's search thread lives as long as the screen, so it is waited on through
    `settled`, and only the other workers through the worker manager."""
    app = pilot.app
    others = [worker for worker in app.workers if worker.group != "search"]
    if others:  # (an empty list would mean every worker)
        await app.workers.wait_for_complete(others)
    for screen in app.screen_stack:
        if isinstance(screen, ArticlesScreen):
            for _ in range(200):
                if screen.settled:
                    break
                await pilot.pause(0.01)
    await pilot.pause(0.15)
    if isinstance(app.screen, ArticlesScreen) and app.screen.query_one(RowList).count:
        reader = app.screen.query_one(Reader)
        for _ in range(50):
            if reader.article is not None:
                break
            await pilot.pause(0.05)
        await pilot.pause()  # the article laid out is painted (on a busy machine, a frame later)


def screen_lines(app) -> list[str]:
    """The screen as text, one string a row, each piece at its column."""
    rows: dict[int, str] = {}
    for m in re.finditer(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', app.export_screenshot()):
        row, col = round((float(m.group(2)) - 20) / ROW), round(float(m.group(1)) / CELL)
        line = rows.get(row, "")
        line += " " * max(0, col - cell_len(line))
        rows[row] = line + html.unescape(m.group(3)).replace("\xa0", " ")
    return [rows.get(n, "") for n in range(max(rows) + 1)]
