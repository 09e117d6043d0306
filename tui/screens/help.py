"""Help: every key, the query syntax with examples, and where the store and the marks live."""

from __future__ import annotations

from collections.abc import Callable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from store import HELP_NOTES, HELP_ROWS, N_, _
from tui.translate import translate_bindings


def keys_table(groups: list[tuple[str, list[Binding]]], display: Callable[[Binding], str]) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for title, bindings in groups:
        table.add_row(Text(title, style="bold underline"), Text(""))
        for b in bindings:
            keys = " ".join(display(Binding(k.strip(), b.action)) for k in b.key.split(","))
            table.add_row(Text(keys), Text(_(b.description) if b.description else b.action))
    return table


def syntax_table() -> Table:
    """The query syntax, an example and what it finds per row: a table, so Chinese examples
    (two cells a character) stay aligned."""
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")  # a long Chinese line wraps rather than being cut
    for example, said in HELP_ROWS:
        table.add_row(Text(example), Text(_(said)))
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", N_("Close"), id="help.close")]

    def __init__(self, groups: list[tuple[str, list[Binding]]], places: list[tuple[str, str]]) -> None:
        super().__init__()
        translate_bindings(self)
        self.groups = groups
        self.places = places

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Static(Text(_("Keys"), style="bold"))
            yield Static(keys_table(self.groups, self.app.get_key_display))
            yield Static(Text("\n" + _("Search"), style="bold"))
            yield Static(Text(_(HELP_NOTES[0]), style="dim"))
            yield Static(syntax_table())
            yield Static(Text(_(HELP_NOTES[1]), style="dim"))
            where = Text("\n" + _("Files") + "\n", style="bold")
            for label, path in self.places:
                where.append(f"{label}: ", style="bold")
                where.append(f"{path}\n")
            yield Static(where)
