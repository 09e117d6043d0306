"""The footer: how many items are marked, then the keys (the palette key keeps the right edge)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.widgets import Footer, Label

from store import count as count_said

if TYPE_CHECKING:
    from tui.app import BaixiaoApp


class MarkedCount(Label):
    DEFAULT_CSS = """
    MarkedCount { dock: left; padding: 0 1; color: $text-accent; text-style: bold; }
    """

    def show(self, count: int) -> None:
        self.update(Text("● " + count_said(count, "marked") if count else ""))
        self.display = bool(count)


class MarksFooter(Footer):
    if TYPE_CHECKING:
        app = getters.app(BaixiaoApp)

    def compose(self) -> ComposeResult:
        yield from super().compose()
        count = MarkedCount()
        count.show(len(self.app.marks))
        yield count
