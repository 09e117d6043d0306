"""The search box: an Input that keeps a whole pasted query and says how to leave it."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import Input

from store import N_, unwrap
from tui.translate import translate_bindings


class SearchBox(Input):
    """Textual's Input keeps only the first line of a paste; a query copied from a hard-wrapped
    page is joined as the page's lines are (`store.unwrap`), so it finds the sentence it is from.
    While typing, letters are the query's, so the footer says how to get back to the keys."""

    BINDINGS = [
        Binding("down", "leave", N_("To the list"), id="search.leave"),
        Binding("tab", "leave", N_("To the list"), show=False, id="search.leave_tab"),
    ]

    def __init__(self, *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id)
        translate_bindings(self)

    def _on_paste(self, event: events.Paste) -> None:
        if event.text:
            self.insert_text_at_cursor(unwrap(event.text))
        event.stop()

    def action_leave(self) -> None:
        self.screen.focus_next()
