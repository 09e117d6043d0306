"""Text from pages and from the user is data: every screen shows markup-looking text as it is,
and clicking it runs nothing."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rich.cells import cell_len

from store import QueryError
from store.ingest.build import build
from store.userdata.marks import Marks
from tui.app import make_app
from tui.screens.articles import ArticlesScreen
from tui.screens.concordance import ConcordanceScreen
from tui.screens.marks import MarksScreen
from tui.widgets.rows import RowList

from waiting import screen_lines, settle

PAYLOADS = ["[bold red]x", "[/]", "[/", "[/bold]", "[link=https://example.org]x[/link]", "[@click=app.quit]x[/]",
            "[@click=app.screenshot('p.svg','.')]x[/]"]


def where(app, text: str) -> tuple[int, int] | None:
    for y, line in enumerate(screen_lines(app)):
        if text in line:
            return cell_len(line[: line.index(text)]) + 1, y
    return None


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    corpus = tmp_path / "pages"
    corpus.mkdir()
    lines = "\n\n".join(f"金兴小学党建工作{p}，深化党建引领。" for p in PAYLOADS)
    (corpus / "p.txt").write_text(f"北碚区金兴小学党建品牌[/bold]建设\n\n{lines}\n", encoding="utf-8")
    db = tmp_path / "s.json"
    build(corpus, db)
    return db


async def test_every_screen_shows_markup_as_text_and_clicks_run_nothing(hostile_db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    marks = Marks.for_store(hostile_db)
    marks.annotate("school", "金兴小学", PAYLOADS[-2] + " " + PAYLOADS[-1])
    for payload in PAYLOADS[-2:]:
        marks.add("search", payload)  # a saved search is shown by its query
    app = make_app(hostile_db)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        for _ in range(40):  # on a busy machine the reader may paint a frame or two later
            shown = "\n".join(screen_lines(app))
            if all(payload in shown for payload in PAYLOADS):
                break
            await pilot.pause(0.05)
        for payload in PAYLOADS:
            assert payload in shown  # the reader
        await pilot.press("slash", *"党建")
        await settle(pilot)
        await pilot.press("tab", "K")
        await settle(pilot)
        assert isinstance(app.screen, ConcordanceScreen)
        assert "[@click=app.quit]x[/]" in "\n".join(screen_lines(app))
        visits = 0
        for screen_key in ("escape", "m", "escape", "s", "escape", "question_mark", "escape"):
            await pilot.press(screen_key)
            await settle(pilot)
            for payload in ("[@click=app.quit]", "[@click=app.screenshot"):
                spot = where(app, payload)
                if spot:
                    await pilot.click(offset=spot)
                    await pilot.pause(0.1)
                    visits += 1
            assert app.is_running
        assert visits >= 2  # the reader and the marks list at least
        for payload in PAYLOADS[-2:]:  # the saved searches: their rows, clicked, and the search run
            await pilot.press("m")
            await settle(pilot)
            lines = screen_lines(app)
            y = next(i for i, line in enumerate(lines) if line.startswith(f"search  {payload[:20]}"))
            await pilot.click(offset=(10, y))
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ArticlesScreen) and app.screen._typed() == payload
            assert app.is_running
    assert not list(tmp_path.rglob("p.svg"))


async def test_a_note_and_a_query_are_text_too(hostile_db):
    app = make_app(hostile_db)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"[/")
        await settle(pilot)
        assert isinstance(app.screen, ArticlesScreen) and app.is_running
        await pilot.press("escape", "tab")
        app.ask_note("school", "金兴小学")
        await pilot.pause()
        await pilot.press(*"[bold]n[/", "enter")
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MarksScreen)
        assert "[bold]n[/" in "\n".join(screen_lines(app))


# ---- a regular expression that backtracks without end ----------------------------------------------

BACKTRACKING = r"/(\S|\S\S)+\d{9}/"  # Python's re tries every split of each line of Chinese text: years


def test_a_backtracking_regular_expression_is_a_query_error_in_bounded_time(store, monkeypatch):
    import store.search.evaluate as evaluate

    monkeypatch.setattr(evaluate, "REGEX_SECONDS", 0.5)
    began = time.monotonic()
    with pytest.raises(QueryError) as caught:
        store.rank("党建 " + BACKTRACKING)
    assert time.monotonic() - began < 3
    assert caught.value.position == 3 and "take over 0.5 s" in str(caught.value)
    assert store.rank(r"/党建.{0,4}品牌/").total > 0  # an ordinary one still searches


async def test_the_command_line_and_the_app_say_so_and_go_on(db, monkeypatch, capsys):
    import store.search.evaluate as evaluate
    from tui.cli import main

    monkeypatch.setattr(evaluate, "REGEX_SECONDS", 0.5)
    assert main(["search", BACKTRACKING, "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "take over 0.5 s" in err and "Traceback" not in err
    app = make_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *BACKTRACKING)
        await settle(pilot)
        assert "take over 0.5 s" in str(app.screen.query_one("#status").render())
        await pilot.press("ctrl+u", *"向阳花")
        await settle(pilot)
        assert app.screen.query_one(RowList).count == 1
