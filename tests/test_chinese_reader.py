"""Issue 14 as a user meets it: the interface in Chinese, queries from an input method, lines
broken by Chinese rules, and each rough edge a new user reported, at 80×24 and 160×48."""

from __future__ import annotations

import io

import pytest
import yaml
from rich.cells import cell_len
from rich.console import Console
from test_app import app_with_schools_marked
from textual import events
from textual.widgets import Input

from store import HELP_ROWS, _, tally, use_language
from tui.app import make_app
from tui.screens.articles import ArticlesScreen
from tui.screens.compare import CompareScreen
from tui.screens.concordance import SOURCE_CELLS, ConcordanceScreen, kwic
from tui.screens.help import HelpScreen, syntax_table
from tui.screens.profile import ProfileScreen
from tui.screens.schools import SchoolsScreen
from tui.settings import config_path
from tui.widgets.reader import Reader
from tui.widgets.rows import RowList, fit

from waiting import screen_lines, settle

SMALL, LARGE = (80, 24), (160, 48)
CLOSING_MARKS = "，。、；：？！”’）》」』…"  # the list: none may start a line that goes on from the last


def status(app) -> str:
    return str(app.screen.query_one("#status").render())


def from_cell(line: str, x: int) -> str:
    """What a screen row shows from column `x` on (a Chinese character takes two columns)."""
    used = 0
    for n, char in enumerate(line):
        if used >= x:
            return line[n:]
        used += cell_len(char)
    return ""


async def search(pilot, query: str) -> None:
    await pilot.press("slash")
    pilot.app.screen.query_one("#query", Input).value = query
    await settle(pilot)


# ---- the interface in the reader's language ------------------------------------------------------


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_under_a_chinese_locale_every_screen_reads_in_chinese(db, monkeypatch, size):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        shown = "\n".join(screen_lines(app))
        assert "篇文章" in shown and "打开" in shown and "搜索" in shown and "查看按键" in shown
        assert "articles" not in shown and "Open" not in shown and "Search" not in shown
        await pilot.press("s")
        await settle(pilot)
        shown = "\n".join(screen_lines(app))
        assert "学校" in shown and "地区" in shown and "按拼音排序" in shown
        assert "district" not in shown and "school" not in shown


async def test_lang_flag_beats_the_locale(db, monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    app = make_app(db, language="en")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert "12 articles" in "\n".join(screen_lines(app))


async def test_the_palette_finds_a_command_by_chinese_english_or_pinyin(db):
    app = make_app(db, language="zh")
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        from tui.commands import Commands

        provider = Commands(app.screen)
        for typed, title in (("学校", "学校"), ("Schools", "学校"), ("xuexiao", "学校"), ("xx", "学校"),
                             ("Theme", "主题"), ("zt", "主题")):  # Textual's own commands too
            titles = [hit.text or str(hit.match_display) async for hit in provider.search(typed)]
            assert any(title in t for t in titles), typed


async def test_in_english_the_palette_finds_a_command_by_its_chinese_name_or_pinyin_too(db):
    app = make_app(db, language="en")
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        from tui.commands import Commands

        provider = Commands(app.screen)
        for typed, title in (("概览", "Overview"), ("gailan", "Overview"), ("学校", "Schools"), ("xuexiao", "Schools")):
            titles = [hit.text or str(hit.match_display) async for hit in provider.search(typed)]
            assert any(title in t for t in titles), typed


# ---- queries from an input method ----------------------------------------------------------------


@pytest.mark.parametrize(
    "ime,ascii_form",
    [("（党建|思政）品牌", "(党建|思政)品牌"), ("党建｜思政", "党建|思政"), ("“党建 品牌”", '"党建 品牌"'),
     ("district：北碚区", "district:北碚区")],
)
async def test_a_query_typed_with_an_input_method_finds_what_its_ascii_form_finds(db, ime, ascii_form):
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        await search(pilot, ascii_form)
        expected = [app.store.article_summaries()[int(d)].id for d in app.screen.rows]
        await search(pilot, ime)
        assert [app.store.article_summaries()[int(d)].id for d in app.screen.rows] == expected
        assert expected


async def test_a_query_pasted_over_several_lines_is_kept_whole(db):
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("slash")
        box = app.screen.query_one("#query", Input)
        box.post_message(events.Paste("党建\n品牌"))
        await settle(pilot)
        assert box.value == "党建品牌"
        assert app.screen.ranking is not None and app.screen.ranking.total > 0


# ---- Chinese line breaking -----------------------------------------------------------------------


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_no_line_of_the_reader_starts_with_closing_punctuation(db, size):
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        rows = app.screen.query_one(RowList)
        checked = 0
        for _ in range(rows.count):
            await settle(pilot)
            reader = app.screen.query_one(Reader)
            x = reader.region.x + 1
            after_break = False  # a line that goes on from the one above, not a block's first
            for line in screen_lines(app)[reader.region.y : reader.region.bottom]:
                text = from_cell(line, x).strip()
                if text and after_break:
                    assert text[0] not in CLOSING_MARKS, line
                    checked += 1
                after_break = bool(text)
            await pilot.press("j")
        assert checked > 100


async def test_a_highlighted_hit_is_never_split_across_lines(db):
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        await search(pilot, "党建品牌")
        await pilot.press("down")
        for _ in range(4):
            await settle(pilot)
            text = "\n".join(screen_lines(app))
            assert "党建品\n" not in text and "党建\n" not in text.replace("党建品牌", "")
            await pilot.press("j")


# ---- the defects ---------------------------------------------------------------------------------


async def test_1_the_profile_shows_the_school_name_at_80x24(db):
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("s", "slash", *"金兴", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        assert screen_lines(app)[0].startswith("金兴小学")


async def test_2_typing_chinese_in_the_list_starts_a_search_and_the_status_says_how(db):
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert "/ searches" in status(app)
        await pilot.press("向", "阳", "花")
        await settle(pilot)
        assert app.screen.query_one("#query", Input).value == "向阳花"
        assert app.screen.ranking is not None and app.screen.ranking.total == 1


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_3_the_sort_arrow_always_shows_and_names_are_whole_when_there_is_room(db, size):
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        for _ in range(7):
            assert "▲" in str(app.screen.query_one("#heading").render())
            await pilot.press("o")
        if size == LARGE:
            shown = "\n".join(screen_lines(app))
            assert "开州区职业教育中心" in shown and "文理学院附属幼儿园" in shown


async def test_4_compare_scrolls_with_j_and_pagedown_and_keeps_the_names_in_sight(db):
    app = app_with_schools_marked(db, "金兴小学", "朝阳小学", "北碚实验幼儿园")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("c")
        assert isinstance(app.screen, CompareScreen)
        fields = app.screen.query_one("#fields")
        await pilot.press("j", "j")
        await pilot.pause()
        assert fields.scroll_y == 2
        await pilot.press("pagedown")
        await pilot.pause()
        assert fields.scroll_y > 2
        assert "金兴小学" in screen_lines(app)[1]


async def test_5_and_6_concordance_counts_hits_and_says_where_each_line_is_from(db):
    app = make_app(db)
    async with app.run_test(size=LARGE) as pilot:
        await search(pilot, "党建品牌")
        await pilot.press("down", "K")
        assert isinstance(app.screen, ConcordanceScreen)
        lines = app.screen.lines
        counted = tally(lines)
        assert sum(counted.by_district.values()) == sum(counted.by_page.values()) == len(lines)
        assert set(counted.by_school) <= {x.school for x in lines}
        for line in lines:  # each starts with its school, or the article's subject, cut to fit
            assert kwic(line, 80).plain.startswith(fit(line.school or line.subject, SOURCE_CELLS))
        shown = "\n".join(screen_lines(app))
        assert f"{len(lines)} hits" in shown and "hits by district" in shown


async def test_7_a_long_query_is_echoed_cut_with_an_ellipsis(db):
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        await search(pilot, "党建 " * 100)
        row = screen_lines(app)[3]
        assert "for" in row and "党建" in row.split("for", 1)[1] and row.rstrip().endswith("…")


@pytest.mark.parametrize("language", ["en", "zh"])
def test_10_the_help_aligns_the_query_table_in_terminal_cells(language):
    use_language(language)
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(syntax_table())
    lines = console.export_text().splitlines()
    columns = {cell_len(line[: line.index(_(said))]) for (_example, said), line in zip(HELP_ROWS, lines, strict=True)}
    assert len(columns) == 1


async def test_11_one_hit_is_one_hit_and_a_question_mark_in_the_box_is_a_wildcard(db):
    app = make_app(db)
    async with app.run_test(size=LARGE) as pilot:
        await search(pilot, "向阳花")
        await pilot.press("down", "K")
        assert "1 hit " in "\n".join(screen_lines(app))
        await pilot.press("escape", "slash", "escape")  # back, and the box emptied
        await pilot.press("slash", "?", "?", "小", "学")
        await settle(pilot)
        assert isinstance(app.screen, ArticlesScreen)
        assert app.screen.query_one("#query", Input).value == "??小学"
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


@pytest.fixture
def settings_file():
    """The settings file the app reads, removed after the test."""
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    yield path
    path.unlink(missing_ok=True)


async def test_12_the_theme_chosen_is_the_theme_next_time(db, settings_file):
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await pilot.pause()
    assert yaml.safe_load(settings_file.read_text(encoding="utf-8"))["theme"] == "nord"
    again = make_app(db)
    async with again.run_test(size=SMALL):
        assert again.theme == "nord"


async def test_12_keys_remapped_in_the_settings_apply_by_binding_id(db, settings_file):
    settings_file.write_text("keys:\n  app.schools: x\n", encoding="utf-8")
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("x")
        assert isinstance(app.screen, SchoolsScreen)


async def test_a_damaged_settings_file_is_one_notice_and_the_defaults(db, settings_file):
    settings_file.write_text("language: [zh\n", encoding="utf-8")
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert any("not valid YAML" in n.message for n in app._notifications)
        assert "12 articles" in "\n".join(screen_lines(app))


async def test_13_a_profile_quotes_each_sentence_once_and_names_the_report(db):
    app = make_app(db)
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await pilot.press("s", "slash", *"北碚实验幼儿园", "enter", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ProfileScreen)
        sentences = [x.sentence for x in screen.statements]
        assert len(sentences) == len(set(sentences))
        honours = next(x for x in screen.statements if any(f == "honors" for f, _ in x.facts))
        assert {f for f, _ in honours.facts} >= {"honors", "stats"}
        report = next(x for x in screen.statements if any(f == "name" for f, _ in x.facts))
        article = app.store.article(report.article)
        assert (article.title or article.subject) in "\n".join(screen_lines(app))


async def test_14_the_footer_says_how_to_leave_the_box_and_a_fifth_school_is_announced(db):
    app = app_with_schools_marked(db, "金兴小学", "朝阳小学", "北碚实验幼儿园", "两江小学")
    async with app.run_test(size=LARGE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert "To the list" in screen_lines(app)[-1]
        await pilot.press("down")
        assert isinstance(app.focused, RowList)
        await pilot.press("s", "slash", *"梁平中学", "enter", "space")
        assert any("5 schools are marked" in n.message for n in app._notifications)


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_the_marked_count_reads_whole_beside_the_keys(db, monkeypatch, size):
    """It shared the right edge with the palette key, which cut a character out of it."""
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    app = app_with_schools_marked(db, "金兴小学", "朝阳小学")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert "● 已标记 2 项" in screen_lines(app)[-1]
