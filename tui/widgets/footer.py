"""The footer: the keys, and on the right how many items are marked."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Footer, Label


class MarkedCount(Label):
    DEFAULT_CSS = """
    MarkedCount { dock: right; padding: 0 1; color: $text-accent; text-style: bold; }
    """

    def show(self, count: int) -> None:
        self.update(Text(f"● {count} marked" if count else ""))
        self.display = bool(count)


class MarksFooter(Footer):
    def compose(self) -> ComposeResult:
        yield from super().compose()
        count = MarkedCount()
        count.show(len(self.app.marks))
        yield count
