"""The overview screen and dates in the app, driven by Textual's Pilot over the real stores (the
bundled pages, and the same pages dated by a manifest)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Input, Static

from store import PageDetails, filter_schools, overview
from tui.app import make_app
from tui.screens.articles import ArticlesScreen
from tui.screens.export import ExportDialog
from tui.screens.help import HelpScreen
from tui.screens.overview import OverviewScreen
from tui.screens.schools import SchoolsScreen
from tui.widgets.bars import BarChart, DistrictGrid
from tui.widgets.rows import RowList

from conftest import copy_of
from waiting import settle

SIZE = (120, 40)


def help_text(app) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    for widget in app.screen.query(Static):
        console.print(widget.content)
    return console.export_text()


async def open_overview(pilot) -> None:
    """The app settled on its first screen, then `v`."""
    await settle(pilot)
    await pilot.press("v")
    await settle(pilot)


def status(app) -> str:
    return str(app.screen.query_one("#status").render())


@pytest.fixture
def dated_copy(dated_db: Path, tmp_path: Path) -> Path:
    return copy_of(dated_db, tmp_path)


@pytest.mark.parametrize("start", ["", "s", "m", "c"])
async def test_v_opens_the_overview_from_every_screen(db, start):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        if start == "c":  # the comparison needs two marked schools
            app.marks.toggle("school", "金兴小学")
            app.marks.toggle("school", "朝阳小学")
        if start:
            await pilot.press(start)
        await open_overview(pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert "31 schools · 12 articles, 12 with no date" in status(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, OverviewScreen)


async def test_enter_on_a_district_and_batch_opens_exactly_those_schools_and_escape_comes_back(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_overview(pilot)
        grid = app.screen.query_one(DistrictGrid)
        assert app.focused is grid
        row = next(i for i, r in enumerate(grid.rows) if r.district == "北碚区")
        for _ in range(row):
            await pilot.press("down")
        await pilot.press("left", "left", "left")  # from the total to 第2批
        count, said = grid.chosen()
        assert said == "北碚区 × 第2批" and count.n == 2
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SchoolsScreen)
        assert sorted(s.name for s in app.screen.rows) == ["北碚实验幼儿园", "金兴小学"]
        assert status(app).startswith("北碚区 × 第2批: 2 schools")
        assert app.screen.query_one("#filter", Input).value == "district:=北碚区 batch:2"
        await pilot.press("escape")
        assert isinstance(app.screen, OverviewScreen)


async def test_every_chart_shows_the_stores_counts_and_a_bar_opens_its_list(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_overview(pilot)
        seen = overview(app.store)
        screen = app.screen
        assert screen.query_one("#by_type", BarChart).counts == seen.by_type
        assert screen.query_one("#brands", BarChart).counts == seen.brands
        assert screen.query_one("#by_year", BarChart).counts == seen.by_year
        types = screen.query_one("#by_type", BarChart)
        types.focus()
        await pilot.press("down", "down", "enter")  # 幼儿园
        await settle(pilot)
        assert isinstance(app.screen, SchoolsScreen)
        assert len(app.screen.rows) == seen.by_type[2].n == len(filter_schools(app.store.school_summaries(), "type:kindergarten"))
        await pilot.press("escape")
        grid = app.screen.query_one(DistrictGrid)
        grid.focus()
        await pilot.press("G", "enter")  # every district's row, its total: every school
        await settle(pilot)
        assert len(app.screen.rows) == seen.schools
        await pilot.press("escape")
        await pilot.press("up", "left", "left", "left", "enter")  # 渝中区 × 第2批: none, said, no list
        assert isinstance(app.screen, OverviewScreen)
        await pilot.press("left", "enter")  # 渝中区 × 第1批: one
        await settle(pilot)
        assert isinstance(app.screen, SchoolsScreen) and len(app.screen.rows) == 1


async def test_a_query_on_the_overview_counts_its_hits_and_a_year_opens_the_articles(dated_copy):
    app = make_app(dated_copy)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"党建", "enter")
        await settle(pilot)
        await pilot.press("v")  # the query on screen comes along
        await settle(pilot)
        box = app.screen.query_one("#overview-query", Input)
        assert box.value == "党建"
        assert app.screen.query_one("#hits").display
        years = app.screen.query_one("#hits_by_year", BarChart)
        assert [c.key for c in years.counts] == ["2023", "2024", "undated"]
        assert "found for 党建" in status(app)
        years.focus()
        await pilot.press("down", "enter")  # 2024
        await settle(pilot)
        assert isinstance(app.screen, ArticlesScreen)
        expected = app.store.rank("(党建) date:2024").total
        assert app.screen.query_one(RowList).count == expected == years.counts[1].n
        assert app.screen.current_query() == "(党建) date:2024"
        assert status(app).startswith("2024: ")
        await pilot.press("escape")  # back to the overview, its query and its cursor kept
        assert isinstance(app.screen, OverviewScreen) and app.focused is years and years.cursor == 1


async def test_a_bad_query_on_the_overview_says_where_keeps_the_counts_and_exports_no_hits(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v", "slash", *"党建 date:2024-13")  # 2024-1 on the way parsed: none of it may stay
        await settle(pilot)
        assert "not a date" in status(app) and "at character 9" in status(app)
        assert not app.screen.query_one("#hits").display
        assert app.screen.query_one(DistrictGrid).rows  # the store's counts stay
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert "not a date" in status(app)
        assert [c.label for c in app.screen.export_choices()] == ["The overview's tables"]


async def test_tab_goes_from_the_query_to_each_chart_in_turn(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v", "slash")
        seen = []
        for _ in range(7):
            await pilot.press("tab")
            seen.append(app.focused.id)
        assert seen == ["grid", "by_batch", "by_type", "brands", "models", "by_year", "by_month"]


async def test_o_says_there_is_no_date_to_sort_by_and_a_date_set_with_d_shows_at_once(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert "newest first" not in status(app)
        rows = app.screen.query_one(RowList)
        app.details.set(app.store.article_at(int(app.screen.rows[0])).file, PageDetails(date="2022-05"))
        app._recite()  # as the page details dialog does once saved
        await settle(pilot)
        drawn = ["".join(s.text for s in app.screen._row(i, 100)) for i in range(rows.count)]
        assert "2022-05" in drawn[0] and all(("2022-05" in line) or (" — " in line) for line in drawn)  # every row has the column


async def test_the_article_list_shows_dates_and_o_sorts_by_them(dated_copy):
    app = make_app(dated_copy)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = app.screen.query_one(RowList)
        await pilot.press("o")
        await settle(pilot)
        listed = [app.store.article_summaries()[int(app.screen.rows[i])].date for i in range(rows.count)]
        assert listed[0] == "2024-09-06" and listed[-1] == ""
        assert "newest first" in status(app)
        line = "".join(s.text for s in app.screen._row(0, 100))
        assert "2024-09-06" in line
        await pilot.press("o")
        await settle(pilot)
        listed = [app.store.article_summaries()[int(app.screen.rows[i])].date for i in range(rows.count)]
        assert listed[0] == "2023-11" and "oldest first" in status(app)
        await pilot.press("slash", *"date:2024")
        await settle(pilot)
        assert rows.count == app.store.rank("date:2024").total > 0


async def test_e_on_the_overview_offers_its_tables_and_writes_them(db, tmp_path):
    app = make_app(db, exports=tmp_path / "exports")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v", "e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.chosen.kind == "overview" and dialog.chosen.formats == ("md", "csv", "xlsx")
        await pilot.press("enter")
        await settle(pilot)
        written = list((tmp_path / "exports").glob("overview-*.md"))
        assert len(written) == 1 and "| 北碚区 | 1 | 2 | 1 | 1 | 5 |" in written[0].read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_the_overview_is_in_the_help_and_the_palette_in_either_language(db, language):
    app = make_app(db, language=language)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert ("Overview" if language == "en" else "概览") in titles
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        keys = {b.description for _, bindings in app.screen.groups for b in bindings}
        assert "Overview" in keys and "date:2023-09..2024-06" in help_text(app)
        assert re.search(r"^v +" + ("Overview" if language == "en" else "概览"), help_text(app), re.MULTILINE)


async def test_a_date_set_with_d_is_found_by_the_date_query_already_typed(dated_copy):
    app = make_app(dated_copy)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"date:2022", "enter")
        await settle(pilot)
        rows = app.screen.query_one(RowList)
        assert rows.count == 0
        undated = next(d for d in range(app.store.index.n) if not app.store.dates()[d])
        app.details.set(app.store.article_at(undated).file, PageDetails(date="2022-05"))
        app._recite()  # as the page details dialog does once saved
        await pilot.pause(0.3)
        await settle(pilot)
        assert rows.count == app.store.rank("date:2022").total > 0
