"""The overview: the whole store counted (schools by district and batch, by type, brands and
models; articles by year and month) and, for a query, its hits by district, year and school.

Every bar and cell opens the list it counts: a school count opens the Schools screen filtered by
the count's query, an article count the article list searching for its query. The counts and
their queries come from the store (`store.overview`); this screen lays them out.
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Static

from store import N_, Overview, QueryError, _, hits_of, overview
from tui.charts import CHARTS, GRID_TITLE, HIT_CHARTS, found, summary, without_month
from tui.screens.articles import ArticlesScreen
from tui.screens.base import BaixiaoScreen
from tui.screens.export import Choice
from tui.screens.schools import SchoolsScreen
from tui.widgets.bars import BarChart, DistrictGrid, Opened
from tui.widgets.footer import MarksFooter
from tui.widgets.rows import one_line
from tui.widgets.search_box import SearchBox

BANDS = (("by_batch", "by_type"), ("brands", "models"), ("by_year", "by_month"))


class OverviewScreen(BaixiaoScreen):
    NAME = N_("Overview")
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="overview.back"),
        Binding("slash", "focus_query", N_("Query"), id="overview.query"),
        Binding("tab", "app.focus_next", N_("Next chart"), show=False, id="overview.next"),
        Binding("shift+tab", "app.focus_previous", N_("Previous chart"), show=False, id="overview.previous"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.query_text = query
        self.seen: Overview | None = None
        self.error: Text | None = None  # the query's, while it does not parse

    def compose(self) -> ComposeResult:
        yield SearchBox(value=self.query_text, id="overview-query",
                        placeholder=_("a query: its hits by district, year and school — 党建 品牌 · date:2024 · F1 for the syntax"))
        yield Static(id="status")
        charts = {c.id: c for c in CHARTS}
        with VerticalScroll(id="charts", can_focus=False):  # Tab goes from chart to chart
            with Vertical(id="grid-panel", classes="panel"):
                yield Static(id="grid-heading")
                yield DistrictGrid(_(GRID_TITLE), id="grid")
            for band in BANDS:
                with Horizontal(classes="band"):
                    for name in band:
                        yield BarChart(_(charts[name].title), charts[name].of, id=name)
            with Horizontal(classes="band", id="hits"):
                for chart in HIT_CHARTS:
                    yield BarChart(_(chart.title), chart.of, id=chart.id)
        yield MarksFooter()

    def on_mount(self) -> None:
        self.query_one("#grid-panel").border_title = _(GRID_TITLE)
        self._count(self.query_text)
        self.query_one(DistrictGrid).focus()

    def _count(self, query: str) -> None:
        """Count again: everything on first showing, and the hits whenever the query changes. A
        query that does not parse shows its error and no hits (nor exports any)."""
        seen = self.seen or overview(self.app.store)
        try:
            seen = replace(seen, hits=hits_of(self.app.store, query))
            self.error = None
        except QueryError as error:
            self.error = Text(f"✗ {error}", style="bold red")
            seen = replace(seen, hits=None)
        self.seen = seen
        grid = self.query_one(DistrictGrid)
        if not grid.rows:
            grid.show(seen.districts)
            for chart in CHARTS:
                self.query_one(f"#{chart.id}", BarChart).show(chart.counts(seen))
            if seen.without_month:
                self.query_one("#by_month", BarChart).border_subtitle = without_month(seen)
        self.query_one("#hits").display = seen.hits is not None
        for chart in HIT_CHARTS:
            self.query_one(f"#{chart.id}", BarChart).show(chart.counts(seen))
        self._status()
        self._heading()

    def _status(self) -> None:
        status = self.query_one("#status", Static)
        if self.error is not None or self.seen is None:
            line = self.error or Text("")
        else:
            line = Text(summary(self.seen), style="bold")
            if self.seen.hits is not None:
                line.append(" · " + found(self.seen))
            line.append(" · " + _("Tab moves between charts, Enter opens the list a count stands for, e exports"), style="dim")
        status.update(one_line(line, status.content_region.width or self.size.width))

    def _heading(self) -> None:
        grid = self.query_one(DistrictGrid)
        width = grid.scrollable_content_region.width
        if width and grid.rows:
            self.query_one("#grid-heading", Static).update(grid.heading(width))

    def on_resize(self) -> None:
        self._status()
        self.call_after_refresh(self._heading)

    @on(Input.Changed, "#overview-query")
    def _query_changed(self, event: Input.Changed) -> None:
        self._count(event.value)

    @on(Input.Submitted, "#overview-query")
    def _submitted(self) -> None:
        target = "#hits_by_district" if self.seen is not None and self.seen.hits is not None else "#grid"
        self.query_one(target).focus()

    @on(Opened)
    def _open(self, event: Opened) -> None:
        """The list a count stands for, on top of the overview (Escape comes back)."""
        if not event.count.n:
            self.app.notify(_("{what}: none to list.").format(what=event.said), markup=False)
        elif event.of == "school":
            self.app.push_screen(SchoolsScreen(event.count.query, opened=event.said))
        else:
            self.app.push_screen(ArticlesScreen(event.count.query, opened=event.said))

    def action_focus_query(self) -> None:
        self.query_one("#overview-query", Input).focus()

    def action_back(self) -> None:
        box = self.query_one("#overview-query", Input)
        if box.has_focus and box.value:
            box.value = ""
        else:
            self.app.pop_screen()

    def help_groups(self) -> list[tuple[str, list[Binding]]]:
        return [(_(GRID_TITLE), [b for b in DistrictGrid.BINDINGS if isinstance(b, Binding)])]

    def current_query(self) -> str:
        return self.query_one("#overview-query", Input).value.strip()

    def export_choices(self) -> list[Choice]:
        """The counts shown (with the last query that parsed)."""
        hits = self.seen.hits if self.seen is not None else None
        return [Choice.overview(self.app.cites, hits.query if hits else "")]
