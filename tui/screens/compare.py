"""Two to four schools side by side, one row per field; what differs stands out from what is
shared. One scrolling grid, so the columns always scroll together."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.widgets import Static

from store import FIELD_LABELS, N_, School, _, comparison
from tui.screens.base import BaixiaoScreen
from tui.screens.export import Choice
from tui.screens.profile import label_cells
from tui.typeset import Typeset
from tui.widgets.footer import MarksFooter

SHARED = "dim"
LABEL_CAP = 22  # cells at most for the field labels; a longer one wraps
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
    NAME = N_("Compare")
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="compare.back"),
        Binding("down,j", "scroll(1)", N_("Down"), show=False, id="compare.down"),
        Binding("up,k", "scroll(-1)", N_("Up"), show=False, id="compare.up"),
        Binding("pagedown,space", "page(1)", N_("Page down"), show=False, id="compare.page_down"),
        Binding("pageup", "page(-1)", N_("Page up"), show=False, id="compare.page_up"),
    ]
    DEFAULT_CSS = """
    CompareScreen Grid { grid-gutter: 1 2; grid-rows: auto; height: auto; padding: 0 1; }
    CompareScreen #names { height: auto; padding: 0 3 0 1; }
    CompareScreen #fields { scrollbar-gutter: stable; }
    CompareScreen .label { color: $accent; text-style: bold; }
    CompareScreen .name { text-style: bold; color: $text; background: $panel; }
    """

    def __init__(self, schools: list[School], keywords: dict[str, tuple[str, ...]]) -> None:
        super().__init__()
        self.schools = schools
        self.keywords = keywords

    def compose(self) -> ComposeResult:
        legend = Text.assemble((_("highlighted"), DIFFERENT), " " + _("differs") + " · ", (_("dim"), SHARED),
                               " " + _("is shared by all") + " · " + _("j/k and PageDown scroll"))
        yield Static(legend, id="status")
        with self._grid("names"):  # the names stay in sight while the fields scroll under them
            yield Static("", classes="name")
            for school in self.schools:
                yield Static(Text(school.name), classes="name")
        with VerticalScroll(id="fields"), self._grid("compare"):
            for field, values in comparison(self.schools, self.keywords):
                yield Static(Text(_(FIELD_LABELS[field])), classes="label")
                for mine in values:
                    yield Static(Typeset(cell(mine, values)))
        yield MarksFooter()

    def _grid(self, id: str) -> Grid:
        """A row of labels and schools; the label column as wide as the longest label, in the
        reader's language (English labels are longer)."""
        grid = Grid(id=id)
        grid.styles.grid_size_columns = len(self.schools) + 1
        grid.styles.grid_columns = " ".join([str(min(label_cells(), LABEL_CAP)), *["1fr"] * len(self.schools)])
        return grid

    def on_mount(self) -> None:
        self.query_one("#fields", VerticalScroll).focus()

    def action_scroll(self, lines: int) -> None:
        self.query_one("#fields", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_page(self, pages: int) -> None:
        fields = self.query_one("#fields", VerticalScroll)
        fields.scroll_relative(y=pages * max(1, fields.scrollable_content_region.height - 1), animate=False)

    def export_choices(self) -> list[Choice]:
        return [Choice.compare(self.app.cites, [s.name for s in self.schools])]
