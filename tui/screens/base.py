"""What every main screen offers the app, in one small interface.

The app asks the screen on top what is under the cursor (to mark it, note it or copy its
sentence), which query it shows (for the concordance) and what it can export; it never needs to
know which screen it is.
Screens get the app typed, so `self.app.store` is a `Store` to the type checker too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import getters
from textual.binding import Binding
from textual.screen import Screen

from store import N_, Article, Kind, Span
from tui.screens.export import Choice
from tui.translate import translate_bindings
from tui.widgets.reader import Reader
from tui.widgets.rows import RowList

if TYPE_CHECKING:
    from tui.app import BaixiaoApp


def copy_bindings(screen: str) -> list[Binding]:
    """`y` and `Y` on a screen that shows sentences, with ids of that screen (for remapping)."""
    return [
        Binding("y", "copy('quote')", N_("Copy quote"), id=f"{screen}.copy"),
        Binding("Y", "copy('citation')", N_("Copy citation"), id=f"{screen}.copy_citation", show=False),
    ]


class BaixiaoScreen(Screen[None]):
    NAME = ""  # what the help calls the screen's own keys, marked with N_ for the catalogue

    if TYPE_CHECKING:
        app = getters.app(BaixiaoApp)  # Textual's own way to type `self.app`

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    def selected(self) -> tuple[Kind, str] | None:
        """The article, school or saved search under the cursor: what space marks and `a` notes."""
        return None

    def current_query(self) -> str:
        """The search the screen shows, or "" when it shows none."""
        return ""

    def export_choices(self) -> list[Choice]:
        """What `e` can export from here, besides the marks (which it always offers)."""
        return []

    def help_groups(self) -> list[tuple[str, list[Binding]]]:
        """Keys of the screen's own widgets the help lists besides the screen's (a title, keys)."""
        return []

    def quoted(self) -> tuple[Article, Span] | None:
        """The sentence under the cursor (its article, and a span in it): what `y` copies."""
        return None

    def citations_changed(self) -> None:
        """Page details or the citation style changed: redraw what cites (readers, quotes) and
        the lists (a page's date is in its rows)."""
        for rows in self.query(RowList):
            rows.refresh()
        for reader in self.query(Reader):
            if reader.article is not None:
                reader.recite(self.app.header_of(reader.article))

    def marks_changed(self) -> None:
        """A mark or note was added or removed: redraw the rows under the cursor (the mark dot)."""
        for rows in self.query(RowList):
            rows.refresh_row(rows.cursor)

    def action_mark(self) -> None:
        if item := self.selected():
            self.app.toggle_mark(*item)

    def action_note(self) -> None:
        if item := self.selected():
            self.app.ask_note(*item)

    def action_copy(self, what: str) -> None:
        """`y` copies the sentence under the cursor with its citation, `Y` the citation alone."""
        self.app.copy_quote(self.quoted(), citation_only=what == "citation")
