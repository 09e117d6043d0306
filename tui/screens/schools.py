"""Every school as a sortable table, filtered by the same query language as articles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from store import N_, TYPE_LABELS, Kind, QueryError, SchoolSummary, _, area, count, filter_schools, pinyin_key, shuangchuang
from tui.screens.base import BaixiaoScreen
from tui.screens.export import Choice
from tui.screens.profile import ProfileScreen
from tui.widgets.footer import MarksFooter
from tui.widgets.rows import RowList, cells, natural_width, one_line, row, widths
from tui.widgets.search_box import SearchBox


@dataclass(frozen=True)
class Column:
    """A column of the list: its title (for the catalogue), what it shows, how wide it may grow
    and how narrow it may shrink, in terminal cells."""

    title: str
    value: Callable[[SchoolSummary], str]
    cap: int
    least: int


COLUMNS = (
    Column(N_("school"), lambda s: s.name, 30, 8),
    Column(N_("district"), area, 12, 4),
    Column(N_("type"), lambda s: TYPE_LABELS.get(s.type, s.type), 10, 4),
    Column(N_("双创"), shuangchuang, 6, 4),
    Column(N_("articles"), lambda s: str(len(s.articles)), 8, 3),
    Column(N_("brands"), lambda s: "、".join(s.brands) or "—", 0, 6),
)

# The orders `o` steps through: (column, key, what the status line calls it).
SORTS: tuple[tuple[int, Callable[[SchoolSummary], Any], str], ...] = (
    (0, lambda s: pinyin_key(s.name), N_("by pinyin")),
    (0, lambda s: s.name, N_("by character")),
    (1, lambda s: (pinyin_key(area(s)), area(s)), N_("by district")),
    (2, lambda s: s.type, N_("by type")),
    (3, lambda s: (s.batch or 9, shuangchuang(s)), N_("by 双创 batch")),
    (4, lambda s: -len(s.articles), N_("by articles")),
    (5, lambda s: "、".join(s.brands), N_("by brand")),
)
ARROW_CELLS = 1
LEAST = tuple(c.least + ARROW_CELLS for c in COLUMNS)  # a cut title keeps room for its arrow


class SchoolsScreen(BaixiaoScreen):
    NAME = N_("Schools")
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="schools.back"),
        Binding("slash", "focus_filter", N_("Filter"), id="schools.filter"),
        Binding("space", "mark", N_("Mark"), id="schools.mark"),
        Binding("a", "note", N_("Note"), id="schools.note"),
        Binding("o", "sort", N_("Sort by next column"), id="schools.sort"),
        Binding("O", "reverse", N_("Reverse"), id="schools.reverse"),
    ]

    def __init__(self, query: str = "", opened: str = "") -> None:
        """`query`: a filter to start with; `opened`: what the overview opened (北碚区 × 第2批),
        which the status line names while that filter stands."""
        super().__init__()
        self.start = query
        self.opened = opened
        self.all: list[SchoolSummary] = []
        self.rows: list[SchoolSummary] = []
        self.sort = 0
        self.descending = False
        self.natural: tuple[int, ...] = ()  # each column's widest cell over every school

    def compose(self) -> ComposeResult:
        yield SearchBox(value=self.start, placeholder=_("filter — 金兴 · jinxing · jxxx · 北碚 · type:幼儿园 · batch:2 · brand:向阳花"),
                        id="filter")
        yield Static(id="status")
        yield Static(id="heading")
        yield RowList(self._row, id="schools")
        yield MarksFooter()

    def on_mount(self) -> None:
        self.all = self.app.store.school_summaries()
        self.natural = tuple(
            natural_width([_(c.title) + "▲", *(c.value(s) for s in self.all)], c.cap or 1 << 30) for c in COLUMNS
        )
        self._apply(self.start)
        self.query_one(RowList).focus()

    def _widths(self, width: int) -> tuple[int, ...]:
        """Names whole when the window allows; the mark column takes one cell and a space."""
        return widths(self.natural, LEAST, width - 2)

    def _row(self, i: int, width: int) -> list[Segment]:
        school = self.rows[i]
        marked = ("school", school.name) in self.app.marks
        sizes = self._widths(width)
        return row(
            [("●" if marked else " ", "bold magenta", 1)]
            + [(c.value(school), "bold" if n == 0 else "", sizes[n]) for n, c in enumerate(COLUMNS)],
            width,
        )

    def _heading(self) -> None:
        """Each title with the sort arrow after it; a title cut to fit keeps its arrow."""
        width = self.query_one(RowList).size.width or self.size.width
        sorted_by = SORTS[self.sort][0]
        titles = []
        for n, (column, size) in enumerate(zip(COLUMNS, self._widths(width), strict=True)):
            title = _(column.title)
            if n == sorted_by:
                arrow = "▼" if self.descending else "▲"
                title = (title if cell_len(title) + ARROW_CELLS <= size else set_cell_size(title, size - ARROW_CELLS)) + arrow
            titles.append((title, "bold underline" if n == sorted_by else "bold", size))
        self.query_one("#heading", Static).update(cells([(" ", "", 1), *titles], width))

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self._apply(event.value)

    def _apply(self, query: str) -> None:
        status = self.query_one("#status", Static)
        try:
            found = filter_schools(self.all, query)
        except QueryError as error:
            status.update(Text(f"✗ {error}", style="bold red"))
            return
        key, said = SORTS[self.sort][1:]
        self.rows = sorted(found, key=key, reverse=self.descending)
        said_all = _("{schools}, sorted {order} · o sorts by the next column, O reverses · Enter opens").format(
            schools=count(len(found), "school"), order=_(said))
        if self.opened and query == self.start:
            said_all = _("{opened}: ").format(opened=self.opened) + said_all
        status.update(one_line(Text(said_all, style="dim"), status.content_region.width))
        self.query_one(RowList).set_count(len(self.rows))
        self._heading()

    def on_resize(self) -> None:
        """The heading and the status line are fitted to the width, which is known from here on."""
        self._apply(self.query_one("#filter", Input).value)

    @on(Input.Submitted, "#filter")
    def _submitted(self) -> None:
        self.query_one(RowList).focus()  # Enter: done typing, on to the schools

    @on(RowList.Selected, "#schools")
    def _open(self, event: RowList.Selected) -> None:
        school = self.app.store.school(self.rows[event.index].name)
        if school:
            self.app.push_screen(ProfileScreen(school))

    def action_sort(self) -> None:
        self.sort = (self.sort + 1) % len(SORTS)
        self._apply(self.query_one("#filter", Input).value)

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self._apply(self.query_one("#filter", Input).value)

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_back(self) -> None:
        """Clear the filter, then go back; straight back to the overview a count was opened from."""
        box = self.query_one("#filter", Input)
        if box.value and not (self.opened and box.value == self.start):
            box.value = ""
            self.query_one(RowList).focus()
        else:
            self.app.pop_screen()

    def selected(self) -> tuple[Kind, str] | None:
        rows = self.query_one(RowList)
        return ("school", self.rows[rows.cursor].name) if rows.count else None

    def export_choices(self) -> list[Choice]:
        """The list as filtered now (a filter that does not parse exports every school)."""
        query = self.query_one("#filter", Input).value.strip()
        try:
            shown = len(filter_schools(self.all, query))
        except QueryError:
            query, shown = "", len(self.all)
        return [Choice.schools(self.app.cites, query, shown)]
