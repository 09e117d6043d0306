"""Every school as a sortable table, filtered by the same query language as articles."""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from store import TYPE_LABELS, Kind, QueryError, SchoolSummary, area, count, filter_schools, shuangchuang
from tui.screens.base import BaixiaoScreen
from tui.screens.profile import ProfileScreen
from tui.widgets.footer import MarksFooter
from tui.widgets.rows import RowList, cells, row

# (title, width, sort key)
COLUMNS = (
    ("school", 16, lambda s: s.name),
    ("district", 8, area),
    ("type", 8, lambda s: s.type),
    ("双创", 5, lambda s: (s.batch or 9, shuangchuang(s))),
    ("articles", 8, lambda s: -len(s.articles)),
    ("brands", 0, lambda s: "、".join(s.brands)),
)


class SchoolsScreen(BaixiaoScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="schools.back"),
        Binding("slash", "focus_filter", "Filter", id="schools.filter"),
        Binding("space", "mark", "Mark", id="schools.mark"),
        Binding("a", "note", "Note", id="schools.note"),
        Binding("o", "sort", "Sort by next column", id="schools.sort"),
        Binding("O", "reverse", "Reverse", id="schools.reverse"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.all: list[SchoolSummary] = []
        self.rows: list[SchoolSummary] = []
        self.sort_column = 0
        self.descending = False

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter — 金兴 · district:北碚区 · type:幼儿园 · batch:2 · brand:向阳花", id="filter")
        yield Static(id="status")
        yield Static(id="heading")
        yield RowList(self._row, id="schools")
        yield MarksFooter()

    def on_mount(self) -> None:
        self.all = self.app.store.school_summaries()
        self._apply("")
        self.query_one(RowList).focus()

    def _row(self, i: int, width: int) -> list[Segment]:
        school = self.rows[i]
        marked = ("school", school.name) in self.app.marks
        values = (
            school.name, area(school), TYPE_LABELS.get(school.type, school.type), shuangchuang(school),
            str(len(school.articles)), "、".join(school.brands) or "—",
        )
        return row(
            [("●" if marked else " ", "bold magenta", 1)]
            + [(v, "bold" if n == 0 else "", w) for n, (v, (_, w, _)) in enumerate(zip(values, COLUMNS, strict=True))],
            width,
        )

    def _heading(self) -> None:
        titles = []
        for n, (title, width, _) in enumerate(COLUMNS):
            arrow = ("▼" if self.descending else "▲") if n == self.sort_column else ""
            titles.append((title + arrow, "bold underline" if n == self.sort_column else "bold", width))
        width = self.query_one(RowList).size.width or self.size.width
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
        key = COLUMNS[self.sort_column][2]
        self.rows = sorted(found, key=key, reverse=self.descending)
        status.update(Text(f"{count(len(found), 'school')} · o sorts by the next column, O reverses · Enter opens", style="dim"))
        self.query_one(RowList).set_count(len(self.rows))
        self._heading()

    def on_resize(self) -> None:
        self._heading()

    @on(Input.Submitted, "#filter")
    def _submitted(self) -> None:
        self.query_one(RowList).focus()  # Enter: done typing, on to the schools

    @on(RowList.Selected, "#schools")
    def _open(self, event: RowList.Selected) -> None:
        school = self.app.store.school(self.rows[event.index].name)
        if school:
            self.app.push_screen(ProfileScreen(school))

    def action_sort(self) -> None:
        self.sort_column = (self.sort_column + 1) % len(COLUMNS)
        self._apply(self.query_one("#filter", Input).value)

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self._apply(self.query_one("#filter", Input).value)

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_back(self) -> None:
        box = self.query_one("#filter", Input)
        if box.value:
            box.value = ""
            self.query_one(RowList).focus()
        else:
            self.app.pop_screen()

    def selected(self) -> tuple[Kind, str] | None:
        rows = self.query_one(RowList)
        return ("school", self.rows[rows.cursor].name) if rows.count else None
