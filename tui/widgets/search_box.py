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

    def __init__(self, *, value: str = "", placeholder: str = "", id: str | None = None) -> None:
        # Not selecting all on focus: a character typed in the list is the first of the query,
        # and the next one must follow it rather than replace it.
        super().__init__(value, placeholder=placeholder, id=id, select_on_focus=False)
        translate_bindings(self)

    def _on_paste(self, event: events.Paste) -> None:
        if event.text:
            self.insert_text_at_cursor(unwrap(event.text))
        event.prevent_default()  # Input's own handler would paste the first line again
        event.stop()

    def action_leave(self) -> None:
        self.screen.focus_next()
