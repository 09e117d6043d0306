"""The marks: every marked article and school and every saved search, with its note; `a`
writes a note."""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from store import N_, Kind, Mark, _
from tui.screens.base import BaixiaoScreen
from tui.translate import translate_bindings
from tui.widgets.footer import MarksFooter
from tui.widgets.rows import RowList, row

KINDS = {"article": N_("article"), "school": N_("school"), "search": N_("search")}


class NoteDialog(ModalScreen[str | None]):
    """Ask for a note; Enter keeps it, Escape leaves the old one."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="note.cancel")]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        translate_bindings(self)
        self.title_text = title
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(_("Note on {item}").format(item=self.title_text)))
            yield Input(value=self.note, placeholder=_("Enter saves, Escape cancels"), id="note")

    @on(Input.Submitted, "#note")
    def _save(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class MarksScreen(BaixiaoScreen):
    NAME = N_("Marks")
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="marks.back"),
        Binding("a", "note", N_("Note"), id="marks.note"),
        Binding("space", "mark", N_("Unmark"), id="marks.unmark"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Mark] = []
        self.found: dict[str, str] = {}  # a saved search's query → what it finds now

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        yield RowList(self._row, id="marks")
        yield MarksFooter()

    def on_mount(self) -> None:
        self._reload()
        self.query_one(RowList).focus()

    def _reload(self, cursor: int = 0) -> None:
        self.rows = list(self.app.marks)
        self.found = {m.key: self.app.found(m.key) for m in self.rows if m.kind == "search"}
        n = len(self.rows)
        message = (
            _("{n} marked · a adds a note · space unmarks · Enter opens (a search runs again)").format(n=n)
            if n else _("Nothing marked yet: space marks the article or school under the cursor, S saves a search.")
        )
        self.query_one("#status", Static).update(Text(message, style="dim"))
        self.query_one(RowList).set_count(n, cursor)

    def _row(self, i: int, width: int) -> list[Segment]:
        mark = self.rows[i]
        note = mark.note
        if mark.kind == "search":
            note = " · ".join(filter(None, (self.found[mark.key], note)))
        return row([(_(KINDS[mark.kind]), "dim", 7), (self.app.label(mark), "bold", 30), (note, "italic", 0)], width)

    def selected(self) -> tuple[Kind, str] | None:
        rows = self.query_one(RowList)
        return (self.rows[rows.cursor].kind, self.rows[rows.cursor].key) if rows.count else None

    def marks_changed(self) -> None:
        self._reload(self.query_one(RowList).cursor)

    @on(RowList.Selected, "#marks")
    def _open(self, event: RowList.Selected) -> None:
        self.app.open_mark(self.rows[event.index])
