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

from store import QUERY_HELP


def keys_table(groups: list[tuple[str, list[Binding]]], display: Callable[[Binding], str]) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for title, bindings in groups:
        table.add_row(Text(title, style="bold underline"), Text(""))
        for b in bindings:
            keys = " ".join(display(Binding(k.strip(), b.action)) for k in b.key.split(","))
            table.add_row(Text(keys), Text(b.description or b.action))
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]

    def __init__(self, groups: list[tuple[str, list[Binding]]], places: list[tuple[str, str]]) -> None:
        super().__init__()
        self.groups = groups
        self.places = places

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Static(Text("Keys", style="bold"))
            yield Static(keys_table(self.groups, self.app.get_key_display))
            yield Static(Text("\nSearch", style="bold"))
            yield Static(Text(QUERY_HELP))
            where = Text("\nFiles\n", style="bold")
            for label, path in self.places:
                where.append(f"{label}: ", style="bold")
                where.append(f"{path}\n")
            yield Static(where)
