"""The app, driven by Textual's Pilot over the real store: filtering, reading, marks, schools."""

from __future__ import annotations

import gc
import io
import re
import time

from rich.console import Console
from textual.widgets import Static

from store import pinyin_key
from store.ingest.build import build
from store.userdata.marks import Marks
from tui.app import make_app
from tui.collector import NEVER, REST
from tui.screens.articles import ArticlesScreen
from tui.screens.compare import CompareScreen
from tui.screens.concordance import ConcordanceScreen
from tui.screens.help import HelpScreen
from tui.screens.marks import MarksScreen, NoteDialog
from tui.screens.profile import ArticleScreen, ProfileScreen
from tui.screens.schools import SchoolsScreen
from tui.widgets.footer import MarkedCount
from tui.widgets.reader import Reader
from tui.widgets.rows import RowList

from conftest import CORPUS
from waiting import settle

SIZE = (100, 30)


def status(app) -> str:
    return str(app.screen.query_one("#status").render())


async def test_typing_a_query_narrows_the_list_and_highlights_the_reader(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = app.screen.query_one(RowList)
        assert rows.count == 12 and "12 articles" in status(app)
        await pilot.press("slash", *"向阳花")
        await settle(pilot)
        assert rows.count == 1
        assert "1 article" in status(app) and "向阳花" in status(app)
        reader = app.screen.query_one(Reader)
        assert reader.article.subject == "朝阳小学"
        assert reader.hit_count >= 1
        await pilot.press("escape")
        await settle(pilot)
        assert rows.count == 12


async def test_a_malformed_query_shows_its_message_and_no_list_as_if_it_were_the_result(db):
    """Issue 14, defect 8: the full list under an error read as that query's result."""
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", "(", *"党建")
        await settle(pilot)
        assert "never closed" in status(app)
        assert app.screen.query_one(RowList).count == 0
        assert "Fix the query" in app.screen.query_one(Reader).text()
        await pilot.press(")")
        await settle(pilot)
        assert app.screen.query_one(RowList).count > 0


async def test_n_and_shift_n_step_through_the_hits(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"党建")
        await settle(pilot)
        await pilot.press("tab")  # to the list
        reader = app.screen.query_one(Reader)
        assert reader.hit_count > 2 and reader.current == 0
        await pilot.press("n", "n")
        assert reader.current == 2
        await pilot.press("N")
        assert reader.current == 1


async def test_marks_and_notes_survive_a_restart_in_their_own_file(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "j", "space", "j", "space", "k")
        await pilot.press("a")
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"重要", "enter")
        await pilot.press("s", "space")
        assert str(app.screen.query_one(MarkedCount).render()) == "● 4 marked"
    marks = Marks.for_store(db)
    assert marks.path != db and marks.path.is_file()
    assert len(marks.of("article")) == 3 and len(marks.of("school")) == 1
    assert [m.note for m in marks.of("article") if m.note] == ["重要"]
    build(CORPUS, db, force=True)  # a rebuild of the derived store keeps them
    again = make_app(db)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        assert isinstance(again.screen, MarksScreen)
        assert again.screen.query_one(RowList).count == 4


async def test_schools_filter_sort_and_open_a_profile_then_the_evidence(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        assert isinstance(app.screen, SchoolsScreen)
        rows = app.screen.query_one(RowList)
        assert rows.count == 31
        await pilot.press("slash", *"batch:2")
        assert {s.name for s in app.screen.rows} == {"金兴小学", "北碚实验幼儿园", "兴龙湖中学", "凤凰湖中学", "红旗小学"}
        await pilot.press("enter")  # on to the list, filtered
        assert app.focused is rows and rows.count == 5
        await pilot.press("slash", "escape")  # the first Escape clears the filter, a second would go back
        assert rows.count == 31 and isinstance(app.screen, SchoolsScreen)
        names = [s.name for s in app.screen.rows]
        assert names == sorted(names, key=pinyin_key)  # a Chinese reader's alphabetical order first
        assert names.index("北碚实验幼儿园") < names.index("朝阳小学") < names.index("金兴小学")
        await pilot.press("o")
        assert [s.name for s in app.screen.rows] == sorted(names)  # then by character
        await pilot.press("o")
        districts = [s.district or "" for s in app.screen.rows]
        assert districts == sorted(districts, key=pinyin_key)
        await pilot.press("g", "enter")
        assert isinstance(app.screen, ProfileScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.query_one(Reader).hit_count == 1  # the evidence sentence
        await pilot.press("escape", "escape", "escape")
        assert isinstance(app.screen, ArticlesScreen)


async def test_help_lists_keys_query_syntax_and_files(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=200, record=True, file=io.StringIO())
        for widget in app.screen.query(Static):
            console.print(widget.content)
        text = console.export_text()
        assert "NEAR/10" in text and str(db) in text and str(Marks.for_store(db).path) in text
        keys = {b.description for _, bindings in app.screen.groups for b in bindings}
        assert {"Next hit", "Search", "Mark", "Note", "Schools", "Marks", "Quit"} <= keys
        await pilot.press("escape")
        assert isinstance(app.screen, ArticlesScreen)


async def test_page_text_is_shown_literally_and_runs_nothing(tmp_path):
    corpus = tmp_path / "pages"
    corpus.mkdir()
    payload = "[bold red]x [/] [@click=app.quit]点我[/] [link=https://example.org]y[/link] [/"
    (corpus / "p.txt").write_text(
        f"北碚区金兴小学党建工作\n\n金兴小学{payload}打造党建品牌，深化党建引领。\n", encoding="utf-8"
    )
    db = tmp_path / "s.json"
    build(corpus, db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.screen.query_one(Reader)
        assert payload in reader.text()
        await pilot.click(Reader, offset=(5, 3))
        await pilot.click(RowList, offset=(30, 0))
        assert app.is_running and isinstance(app.screen, ArticlesScreen)


def shown(widget: Static) -> str:
    """A Static's text, whether it holds Text or a Typeset (Chinese line breaking) of it."""
    content = widget.content
    return str(getattr(content, "text", content))


def app_with_schools_marked(db, *names):
    marks = Marks.for_store(db)
    for name in names:
        marks.toggle("school", name)
    return make_app(db)


async def test_compare_shows_the_marked_schools_as_columns(db):
    app = app_with_schools_marked(db, *("金兴小学", "朝阳小学"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        assert isinstance(app.screen, CompareScreen)
        names = [str(w.render()) for w in app.screen.query(".name")]
        assert names[1:] == ["金兴小学", "朝阳小学"]
        cells = {shown(w): w for w in app.screen.query("#compare Static")}
        assert "第2批" in cells and "第1批" in cells  # batches differ
        assert "星光点点放光彩" in cells and "向阳花" in cells


async def test_compare_asks_for_two_schools_first(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, ArticlesScreen)
        assert any("Mark two to four schools" in n.message for n in app._notifications)


async def test_concordance_lists_hits_sorts_them_and_opens_the_article_at_one(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"党建品牌")
        await settle(pilot)
        await pilot.press("tab", "K")
        assert isinstance(app.screen, ConcordanceScreen)
        lines = app.screen.shown
        assert len(lines) == len(app.store.concordance("党建品牌")) >= 5
        assert all(line.hit == "党建品牌" for line in lines)
        await pilot.press("r")
        assert [x.right for x in app.screen.shown] == sorted(x.right for x in lines)
        chosen = app.screen.shown[2]
        await pilot.press("j", "j", "enter")
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.article.id == chosen.article
        reader = app.screen.query_one(Reader)
        assert reader._hits[reader.current] == chosen.span


async def test_the_command_palette_lists_every_action_of_the_screen(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Search", "Next hit", "Mark", "Note", "Schools", "Marks", "Compare", "Concordance", "Help"} <= titles
        schools = next(c for c in app.get_system_commands(app.screen) if c.title == "Schools")
        await schools.callback()  # the palette awaits it the same way
        await pilot.pause()
        assert isinstance(app.screen, SchoolsScreen)


async def test_a_query_that_matches_nothing_says_so(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"不存在的词语")
        await settle(pilot)
        assert app.screen.query_one(RowList).count == 0
        assert "0 articles" in status(app)
        assert app.screen.query_one(Reader).text() == "No article matches."


async def test_a_failing_search_is_reported_and_the_next_one_still_runs(db, monkeypatch):
    app = make_app(db)
    rank = app.store.rank

    def broken_for_one_query(query, reprints=False):
        if query == "党建x":
            raise RuntimeError("boom")
        return rank(query, reprints)

    monkeypatch.setattr(app.store, "rank", broken_for_one_query)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"党建x")
        await settle(pilot)
        assert "search failed: RuntimeError: boom" in status(app)
        await pilot.press("backspace")
        await settle(pilot)
        assert "12 articles" in status(app) and "党建" in status(app)


async def test_full_collections_wait_for_input_to_rest(db):
    """The collector's full pass is off while the app runs and made up when input rests."""
    saved = gc.get_threshold()
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        assert gc.get_threshold()[2] == NEVER and gc.get_freeze_count() > 0
        for _ in range(saved[2]):
            gc.collect(1)  # each counts towards a full pass
        await pilot.press("j")
        assert not app.collector.tick()  # just typed
        app.collector.last_input -= REST
        assert app.collector.tick() and gc.get_count()[2] == 0
        assert not app.collector.tick()  # nothing due any more
    assert gc.get_threshold() == saved and gc.get_freeze_count() == 0


async def test_compare_writes_amounts_as_chinese_does(db):
    app = app_with_schools_marked(db, *("两江小学", "人和街小学"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        text = "\n".join(shown(w) for w in app.screen.query("#compare Static"))
        assert "累计播出300余分钟" in text and "科研项目10余个" in text
        assert "分钟余" not in text


async def test_a_damaged_marks_file_is_reported_when_the_app_starts(db):
    db.with_name("store.marks.json").write_text('{"marks": [', encoding="utf-8")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("damaged" in m and "corrupt-" in m for m in messages)
    assert list(db.parent.glob("store.marks.json.corrupt-*"))


async def test_keys_are_echoed_while_a_slow_search_runs(db, monkeypatch):
    """Searching happens off the UI thread: the box keeps up while a search takes a second."""
    app = make_app(db)
    rank = app.store.rank
    typed: list[str] = []

    def slow(query, reprints=False):
        if query in ("党", "党建", "党建品", "党建品牌"):
            typed.append(query)
            if query == "党":
                time.sleep(1.0)
        return rank(query, reprints)

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.3)  # the search thread's warm-up is done
        monkeypatch.setattr(app.store, "rank", slow)
        await pilot.press("slash", "党")
        started = time.perf_counter()
        await pilot.press(*"建品牌")
        assert app.screen.query_one("#query").value == "党建品牌"
        assert time.perf_counter() - started < 0.5  # echoed long before the slow search ends
        await settle(pilot)
        assert app.screen.ranking.query == "党建品牌"
        assert typed == ["党", "党建品牌"]  # the keys typed during the slow search were searched as one


async def test_marks_made_in_another_window_show_up(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        Marks.for_store(db).annotate("school", "朝阳小学", "from the other window")
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MarksScreen)
        assert app.marks.get("school", "朝阳小学").note == "from the other window"
        assert "1 marked" in str(app.screen.query_one(MarkedCount).render())


async def test_a_saved_search_is_kept_with_the_marks_and_runs_again_from_there(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("S")
        assert any("Type a search first" in n.message for n in app._notifications)
        await pilot.press("slash", *"向阳花", "enter")  # Enter: on to the list, where S saves
        await settle(pilot)
        assert app.focused is app.screen.query_one(RowList)
        await pilot.press("S")
        assert any("Saved the search 向阳花" in n.message for n in app._notifications)
        await pilot.press("S")
        assert any("saved already" in n.message for n in app._notifications)
        assert str(app.screen.query_one(MarkedCount).render()) == "● 1 marked"
        await pilot.press("escape", "m")
        assert isinstance(app.screen, MarksScreen)
        assert re.match(r"search  向阳花 +1 article$", app.screen.query_one(RowList).render_line(0).text.rstrip())
        await pilot.press("a", *"看品牌", "enter")
        await pilot.press("s", "m", "enter")  # from the marks, over the schools screen
        await settle(pilot)
        assert isinstance(app.screen, ArticlesScreen)
        assert app.screen.query_one("#query").value == "向阳花"
        assert app.screen.ranking.total == 1 and "1 article" in status(app)
    (saved,) = Marks.for_store(db).of("search")
    assert (saved.key, saved.note) == ("向阳花", "看品牌")


async def test_a_malformed_search_is_not_saved(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"党建 (", "tab")
        await settle(pilot)
        await pilot.press("S")
        assert not Marks.for_store(db).of("search")
        assert any(n.severity == "error" for n in app._notifications)


async def test_on_the_marks_screen_a_note_shows_at_once_and_space_unmarks(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "j", "space", "m")
        assert isinstance(app.screen, MarksScreen)
        await pilot.press("j", "a")
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"改过的笔记", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MarksScreen)
        assert [m.note for m in app.screen.rows] == ["", "改过的笔记"]
        assert "改过的笔记" in "".join(s.text for s in app.screen._row(1, 100))
        assert app.screen.query_one(RowList).cursor == 1
        await pilot.press("space")
        await pilot.pause()
        assert len(app.screen.rows) == 1 and app.screen.rows[0].note == ""
        assert str(app.screen.query_one(MarkedCount).render()) == "● 1 marked"
