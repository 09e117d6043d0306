"""Report-ready output in the app, driven by Pilot over the real store: page details set on an
article and used at once, `y`/`Y` copying a sentence with its citation, and the school list and a
comparison exported as spreadsheets."""

from __future__ import annotations

import csv
import io
import json

import openpyxl

from store import Citations, Details, PageDetails
from store.userdata.marks import Marks
from tui.app import make_app
from tui.screens.concordance import ConcordanceScreen
from tui.screens.details import DetailsDialog
from tui.screens.export import ExportDialog
from tui.screens.profile import ArticleScreen, ProfileScreen
from tui.widgets.reader import Reader
from tui.widgets.rows import RowList

from waiting import settle

SIZE = (100, 30)
PAGE = "001_6aa715517b91c0bd.txt"


def notices(app) -> list[str]:
    return [f"{n.title} {n.message}" for n in app._notifications]


async def wait_until(pilot, done, tries: int = 100) -> None:
    for _ in range(tries):
        if done():
            return
        await pilot.pause(0.02)


async def type_into(pilot, field: str, text: str) -> None:
    box = pilot.app.screen.query_one(f"#{field}")
    box.focus()
    box.value = ""
    await pilot.press(*text) if text.isascii() else box.insert_text_at_cursor(text)
    await pilot.pause()


async def open_first_article_of(pilot, page: str) -> ArticleScreen:
    app = pilot.app
    article = next(a for a in app.store.articles() if a.file == page)
    app.push_screen(ArticleScreen(article))
    await settle(pilot)
    return app.screen


async def test_page_details_set_on_an_article_are_its_citation_at_once_and_kept(db):
    app = make_app(db, language="zh")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_first_article_of(pilot, PAGE)
        reader = screen.query_one(Reader)
        assert "报刊、日期不详" in reader.text()
        await pilot.press("d")
        assert isinstance(app.screen, DetailsDialog)
        await type_into(pilot, "publication", "重庆日报")
        await type_into(pilot, "date", "2024年9月6日")
        await type_into(pilot, "edition", "7")
        await type_into(pilot, "title", "北碚：党建引领")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, DetailsDialog)
        assert "——《重庆日报》2024年9月6日 第7版《北碚：党建引领》，金兴小学（001_6aa715517b91c0bd.txt）" in reader.text()
        assert any("重庆日报" in n for n in notices(app))
        await pilot.press("d")  # the dialog shows what was set
        assert app.screen.query_one("#date").value == "2024-09-06"
        await pilot.press("escape")
    saved = json.loads(db.with_name("store.details.json").read_text(encoding="utf-8"))
    assert saved["pages"][PAGE] == {"publication": "重庆日报", "date": "2024-09-06", "edition": "7", "title": "北碚：党建引领"}


async def test_a_bad_date_or_an_overlong_value_is_refused_with_the_reason(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_first_article_of(pilot, PAGE)
        await pilot.press("d")
        await type_into(pilot, "date", "last week")
        await pilot.press("enter")
        dialog = app.screen
        assert isinstance(dialog, DetailsDialog)
        said = str(dialog.query_one("#details-status").render())
        assert "Date:" in said and "“last week” is not a date" in said and dialog.focused.id == "date"
        await type_into(pilot, "date", "")
        dialog.query_one("#title").value = "长" * 201
        await pilot.press("enter")
        assert isinstance(app.screen, DetailsDialog) and "too long" in str(dialog.query_one("#details-status").render())
        await pilot.press("escape")
    assert not db.with_name("store.details.json").exists()


async def test_y_copies_the_sentence_under_the_cursor_with_its_citation_and_Y_the_citation(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"星光点点", "enter")
        await settle(pilot)
        await pilot.press("y")
        copied = app.clipboard  # an English reader: the English style
        assert copied.startswith("“2024年，北碚区金兴小学成功入选") and "‘星光点点放光彩’" in copied
        assert copied.endswith("。” — 金兴小学 para. 1 (001_6aa715517b91c0bd.txt; publication and date unknown)")
        assert any("Copied the sentence" in n for n in notices(app))
        await pilot.press("Y")
        assert app.clipboard == "— 金兴小学 para. 1 (001_6aa715517b91c0bd.txt; publication and date unknown)"
        assert any("Copied the citation" in n for n in notices(app))


async def test_copying_follows_the_citation_style_and_the_details(db):
    Details.for_store(db).set(PAGE, PageDetails("重庆日报", "2024-09-06"))
    app = make_app(db, language="zh")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_first_article_of(pilot, PAGE)
        await pilot.press("y")  # no hit: the sentence at the top of the view
        first = screen.article.paragraphs[0]
        nested = first[: first.index("。") + 1].replace("“", "‘").replace("”", "’")
        assert app.clipboard.startswith(f"“{nested}”——《重庆日报》2024年9月6日")


async def test_y_in_the_profile_and_the_concordance_copies_that_sentence(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        school = app.store.school("人和街小学")
        app.push_screen(ProfileScreen(school))
        await settle(pilot)
        facts = app.screen.query_one("#facts")
        facts.highlighted = 0
        await pilot.press("y")
        statement = app.screen.statements[0]
        nested = statement.sentence.replace("“", "‘").replace("”", "’")
        assert app.clipboard.startswith(f"“{nested}”") and "¶" not in app.clipboard
        assert app.clipboard.endswith("000_cffeeb912b6cb14d.txt; publication and date unknown)")  # English reader
        await pilot.press("escape")
        await pilot.press("slash", *"党建品牌", "enter")
        await settle(pilot)
        await pilot.press("K")
        assert isinstance(app.screen, ConcordanceScreen)
        rows = app.screen.query_one(RowList)
        rows.cursor = 1
        await pilot.press("y")
        line = app.screen.shown[1]
        assert line.left[-3:] + line.hit in app.clipboard
        cites = Citations(app.store, None, "en")
        quote, citation = cites.quoted(app.store.article(line.article), line.span)
        assert app.clipboard == quote and citation.startswith("— ")


async def test_nothing_to_copy_says_so(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"zzzz", "enter")
        await settle(pilot)
        await pilot.press("y")
        assert any("Nothing to copy" in n for n in notices(app))


async def test_e_on_the_schools_screen_exports_the_filtered_list_as_a_spreadsheet(db, tmp_path):
    app = make_app(db, exports=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s", "slash", *"beibei", "enter")
        await pilot.pause(0.2)
        shown = app.screen.query_one(RowList).count
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog) and dialog.chosen.kind == "schools"
        assert f"{shown} schools" in dialog.chosen.label and "beibei" in dialog.chosen.label
        dialog.query_one("#form-xlsx").value = True
        await pilot.pause()
        path = dialog.query_one("#path").value
        assert path.endswith(".xlsx") and "schools-" in path
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, ExportDialog))
    sheet = openpyxl.load_workbook(tmp_path / path.rsplit("/", 1)[-1]).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "学校" and len(rows) == shown + 1
    assert all(app.store.school(r[0]).district == "北碚区" for r in rows[1:])


async def test_a_comparison_exports_as_csv_from_the_app_and_markdown_only_kinds_offer_only_markdown(db, tmp_path):
    marks = Marks.for_store(db)
    for name in ("金兴小学", "朝阳小学"):
        marks.toggle("school", name)
    app = make_app(db, exports=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c", "e")
        dialog = app.screen
        dialog.query_one("#form-csv").value = True
        await pilot.pause()
        assert dialog.query_one("#front").disabled  # front matter is Markdown's
        marks_choice = len(dialog.choices) - 1
        dialog.query_one("#what").query("RadioButton")[marks_choice].value = True
        await pilot.pause()
        assert dialog.form == "md" and not dialog.query("#form-xlsx")  # a Markdown-only export offers no other
        assert dialog.query_one("#path").value.endswith(".md")
        dialog.query_one("#what").query("RadioButton")[0].value = True
        await pilot.pause()
        dialog.query_one("#form-csv").value = True
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, ExportDialog))
    [written] = tmp_path.glob("compare-*.csv")
    rows = list(csv.reader(io.StringIO(written.read_bytes().decode("utf-8-sig"))))
    assert rows[0] == ["字段", "金兴小学", "朝阳小学"] and rows[-1][0] == "出处"


async def test_unticking_front_matter_writes_a_clean_paste(db, tmp_path):
    Marks.for_store(db).toggle("school", "朝阳小学")
    app = make_app(db, exports=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        app.screen.query_one("#front").value = False
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, ExportDialog))
    [written] = tmp_path.glob("marks-*.md")
    assert written.read_text(encoding="utf-8").startswith("# 标记与笔记\n")



async def test_the_reader_and_the_profile_move_by_j_k_g_G_as_every_list_does(db):
    app = make_app(db)
    async with app.run_test(size=(80, 16)) as pilot:
        await settle(pilot)
        screen = await open_first_article_of(pilot, "003_d536ef65ba6ff6bf.txt")  # a long article
        reader = screen.query_one(Reader)
        await pilot.press("j", "j", "j")
        assert reader.scroll_y == 3
        await pilot.press("G")
        assert reader.scroll_y == reader.max_scroll_y > 3
        await pilot.press("k", "g")
        assert reader.scroll_y == 0
        await pilot.press("escape")
        app.push_screen(ProfileScreen(app.store.school("人和街小学")))
        await settle(pilot)
        facts = app.screen.query_one("#facts")
        await pilot.press("j", "j")
        assert facts.highlighted == 2
        await pilot.press("G")
        assert facts.highlighted == len(app.screen.statements) - 1
        await pilot.press("g")
        assert facts.highlighted == 0


async def test_the_concordance_from_a_profile_takes_the_search_behind_it(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"星光点点", "enter")
        await settle(pilot)
        app.push_screen(ProfileScreen(app.store.school("金兴小学")))
        await settle(pilot)
        await pilot.press("K")
        assert isinstance(app.screen, ConcordanceScreen) and app.screen.searched == "星光点点"
        assert "金兴小学 para. 1" in str(app.screen.query_one("#cited").render())


async def test_choosing_a_form_moves_on_to_the_file_name_where_enter_exports(db, tmp_path):
    Marks.for_store(db).toggle("school", "朝阳小学")
    app = make_app(db, exports=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s", "e")
        await pilot.press("shift+tab", "shift+tab", "down", "space")  # to the forms, CSV chosen with space
        assert app.screen.focused.id == "path" and app.screen.form == "csv"
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, ExportDialog))
    assert list(tmp_path.glob("schools-*.csv"))


async def test_the_citation_style_switches_from_the_palette_and_is_kept(db, tmp_path, monkeypatch):
    from tui.settings import load

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # the choice is saved: in a settings file of its own
    app = make_app(db)  # an English reader: the English style
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_first_article_of(pilot, PAGE)
        reader = screen.query_one(Reader)
        assert "publication and date unknown" in reader.text()
        await pilot.press("ctrl+p", *"citation style")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert "金兴小学 第1段" not in reader.text() and "报刊、日期不详" in reader.text()
        await pilot.press("y")
        assert app.clipboard.endswith("金兴小学 第1段（001_6aa715517b91c0bd.txt；报刊、日期不详）")
    assert load()[0].citation == "zh"


async def test_details_set_from_an_article_reach_the_profile_beneath_it(db):
    app = make_app(db, language="zh")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ProfileScreen(app.store.school("金兴小学")))
        await settle(pilot)
        await pilot.press("enter")  # the first fact's sentence, in its article
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("d")
        await type_into(pilot, "publication", "重庆日报")
        await pilot.press("enter", "escape")
        await settle(pilot)
        facts = "\n".join(o.prompt.text.plain for o in app.screen.query_one("#facts").options)
        assert "——《重庆日报》，金兴小学 第1段" in facts
