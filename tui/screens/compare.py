"""Two to four schools side by side, one row per field; what differs stands out from what is
shared. One scrolling grid, so the columns always scroll together."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.widgets import Static

from store import School, comparison
from tui.screens.base import BaixiaoScreen
from tui.screens.export import Choice
from tui.widgets.footer import MarksFooter

SHARED = "dim"
DIFFERENT = "bold yellow"


def cell(values: list[str], everyone: list[list[str]]) -> Text:
    """A school's values for one field: those every school shares dim, the rest highlighted."""
    if not values:
        return Text("—", style=SHARED)
    shared = set.intersection(*(set(v) for v in everyone)) if len(everyone) > 1 else set()
    text = Text()
    for n, value in enumerate(values):
        if n:
            text.append("\n")
        text.append(value, style=SHARED if value in shared else DIFFERENT)
    return text


class CompareScreen(BaixiaoScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="compare.back")]
    DEFAULT_CSS = """
    CompareScreen Grid { grid-gutter: 1 2; grid-rows: auto; height: auto; padding: 0 1; }
    CompareScreen .label { color: $accent; text-style: bold; }
    CompareScreen .name { text-style: bold; color: $text; background: $panel; }
    """

    def __init__(self, schools: list[School], keywords: dict[str, tuple[str, ...]]) -> None:
        super().__init__()
        self.schools = schools
        self.keywords = keywords

    def compose(self) -> ComposeResult:
        n = len(self.schools)
        legend = Text.assemble(("highlighted", DIFFERENT), " differs · ", ("dim", SHARED), " is shared by all")
        yield Static(legend, id="status")
        with VerticalScroll():
            grid = Grid(id="compare")
            grid.styles.grid_size_columns = n + 1
            grid.styles.grid_columns = " ".join(["10", *["1fr"] * n])
            with grid:
                yield Static("", classes="name")
                for school in self.schools:
                    yield Static(Text(school.name), classes="name")
                for field, values in comparison(self.schools, self.keywords):
                    yield Static(Text(field), classes="label")
                    for mine in values:
                        yield Static(cell(mine, values))
        yield MarksFooter()

    def export_choices(self) -> list[Choice]:
        return [Choice.compare(self.app.store, [s.name for s in self.schools])]
