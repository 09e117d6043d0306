"""Waiting for the app to catch up, shared by the Pilot and snapshot tests."""

from __future__ import annotations

from tui.screens.articles import ArticlesScreen
from tui.widgets.reader import Reader
from tui.widgets.rows import RowList


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
