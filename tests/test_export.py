"""Markdown exports, parsed back with a CommonMark parser (markdown-it-py, with GFM tables)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_read import md, plain, table

from store.citation import Citations
from store.export import (
    ExportError,
    default_path,
    export_article,
    export_compare,
    export_marks,
    export_results,
    export_school,
    write,
)
from store.export.markdown import cell, escape, slug
from store.userdata.marks import Marks
from tui.app import make_app
from tui.screens.export import ExportDialog

from conftest import CORPUS
from waiting import settle

# A citation in the Chinese style: what is known of the page, the place in the article, the file.
SOURCE = re.compile(r"^——[^（]*?(第\d+段|标题|小标题\d+|图片说明\d+)?（\S+\.txt(；(报刊|日期|报刊、日期)不详)?）$")
NASTY = ["a|b", "line one\nline two", "# not a heading", "> not a quote", "- not a list", "<script>alert(1)</script>",
         "[link](x)", "`code`", "back\\slash", "1. not a list", "**not bold**", "&amp; &copy;", "_x_", "~~gone~~", "|"]


@pytest.fixture(scope="module")
def cites(store) -> Citations:
    return Citations(store, None, "zh")



def split(markdown: str) -> tuple[dict, str]:
    assert markdown.startswith("---\n") and markdown.endswith("\n") and "\r" not in markdown
    end = markdown.index("\n---\n", 4)
    return yaml.safe_load(markdown[4:end]), markdown[end + 5 :]



def blockquotes(body: str) -> list[list[str]]:
    """Each blockquote's paragraphs as plain text."""
    quotes, current, depth = [], None, 0
    for t in md().parse(body):
        if t.type == "blockquote_open":
            depth += 1
            current = []
        elif t.type == "blockquote_close":
            depth -= 1
            quotes.append(current)
        elif t.type == "inline" and depth:
            current.append(plain(t.children))
    return quotes



def check_quotes(body: str) -> int:
    quotes = blockquotes(body)
    for quote in quotes:
        assert SOURCE.match(quote[-1]), quote[-1]
    return len(quotes)


def test_a_comparison_is_a_table_then_the_sentences_behind_it(store, cites):
    made = export_compare(cites, ["金兴小学", "朝阳小学"])
    meta, body = split(made.markdown())
    assert meta["title"] == "比较：金兴小学 · 朝阳小学" and meta["counts"] == {"schools": 2, "fields": 11}
    assert meta["store"] == store.meta["fingerprint"] and meta["corpus_files"]
    header, rows = table(body)
    assert header == ["字段", "金兴小学", "朝阳小学"] and len(rows) == 11
    assert "关键词" not in [row[0] for row in rows]  # a reading aid, not a report's (--keywords)
    with_keywords = table(split(export_compare(cites, ["金兴小学", "朝阳小学"], keywords=True).markdown())[1])[1]
    assert [row[0] for row in with_keywords][-2] == "关键词" and len(with_keywords) == 12
    assert all(len(row) == 3 for row in rows)
    batch = next(row for row in rows if row[0] == "双创")
    assert batch == ["双创", "第2批", "第1批"]
    assert "星光点点放光彩" in body and check_quotes(body) >= 4


def test_a_school_profile_quotes_every_value_with_its_source(store, cites):
    meta, body = split(export_school(cites, "人和街小学").markdown())
    assert meta["counts"]["schools"] == 1
    assert "第1批" in body and "人和立德" in body
    assert check_quotes(body) >= 5


def test_search_results_list_each_article_with_its_hits_in_bold(store, cites):
    made = export_results(cites, "党建 品牌")
    meta, body = split(made.markdown())
    assert meta["query"] == "党建 品牌" and meta["counts"]["articles"] == store.search("党建 品牌").total
    tokens = md().parse(body)
    bold = [c.content for t in tokens if t.type == "inline" for i, c in enumerate(t.children)
            if (i and t.children[i - 1].type in ("strong_open",)) or (c.type == "html_inline" and c.content == "<strong>")]
    assert "党建" in bold and "品牌" in bold and "党建品牌" in bold  # touching hits are one bold run
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"]
    assert len(headings) == meta["counts"]["articles"]
    assert check_quotes(body) >= len(headings)


def test_one_article_is_its_text_as_paragraphs(store, cites):
    article = next(a for a in store.articles() if set(a.schools) - {a.subject})
    meta, body = split(export_article(cites, article.id).markdown())
    assert meta["corpus_files"] == [article.file]
    paragraphs = [plain(t.children) for t in md().parse(body) if t.type == "inline"]
    for paragraph in article.paragraphs:
        assert paragraph in paragraphs
    line = next(p for p in paragraphs if article.file in p)  # who, where, and its citation
    assert line.startswith(f"{article.subject} · ") and article.subject not in line.split("提及：")[-1]
    assert line.endswith(cites.of(article, None))
    others = [s for s in article.schools if s != article.subject]
    assert others and f"提及：{'、'.join(others)}" in line


def test_marks_export_articles_and_schools_with_notes(store, cites, db):
    marks = Marks.for_store(db)
    marks.toggle("school", "金兴小学")
    marks.annotate("school", "金兴小学", "对比 | <b>用</b> # 注意")
    marks.toggle("article", store.index.docs[0].id)
    meta, body = split(export_marks(cites, list(Marks.for_store(db))).markdown())
    assert meta["counts"] == {"articles": 1, "schools": 1, "searches": 0}
    texts = [plain(t.children) for t in md().parse(body) if t.type == "inline"]
    assert "笔记： 对比 | <b>用</b> # 注意" in texts
    assert "<b>" not in md().render(body)  # the note's HTML is text, not markup
    check_quotes(body)
    with pytest.raises(ExportError, match="nothing is marked"):
        export_marks(cites, [])


def test_marks_export_runs_each_saved_search_again(store, cites, db):
    marks = Marks.for_store(db)
    marks.add("search", "党建 品牌")
    marks.annotate("search", "党建 品牌", "本周 *重点*")
    marks.add("search", "[/bold]")
    meta, body = split(export_marks(cites, list(Marks.for_store(db))).markdown())
    assert meta["counts"] == {"articles": 0, "schools": 0, "searches": 2}
    found = store.search("党建 品牌", limit=None)
    tokens = md().parse(body)
    headings = [plain(t.children) for i, t in enumerate(tokens[1:]) if t.type == "inline" and tokens[i].tag == "h2"]
    assert headings == ["搜索：党建 品牌", "搜索：[/bold]"]
    texts = [plain(t.children) for t in tokens if t.type == "inline"]
    assert f"{found.total} 篇文章" in texts and "笔记： 本周 *重点*" in texts
    items = [t for t in texts if t.endswith("）") and ".txt" in t]
    assert len(items) == min(found.total, 50)
    assert set(meta["corpus_files"]) == {store.article(h.article).file for h in found.hits}


@pytest.mark.parametrize("text", NASTY)
def test_hostile_cell_text_stays_in_its_cell(text):
    body = "| a | b |\n|---|---|\n" + f"| {cell(text)} | {cell('x')} |\n"
    header, rows = table(body)
    assert header == ["a", "b"] and rows == [[text, "x"]]
    assert "<script>" not in md().render(body)


@settings(max_examples=500, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), whitelist_characters="\n\t "), min_size=1)
       .filter(lambda t: t.strip(" \t\n") and t == t.strip("\n")))
def test_escaped_text_reads_back_as_itself(text):
    """Any text a page or a note can hold (control characters are removed at ingest) comes back
    from the rendered Markdown exactly: spaces at line ends and line breaks inside it included.
    (A line break at either end of a paragraph has no Markdown form, and no page needs one.)"""
    tokens = [t for t in md().parse(escape(text)) if t.type == "inline"]
    assert len(tokens) == 1 and plain(tokens[0].children) == text


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), whitelist_characters="\n\t "), min_size=1)
       .filter(lambda t: t.strip(" \t\n") and t == t.strip("\n") and "\n\n" not in t))
def test_any_cell_text_reads_back_as_itself_and_keeps_the_table(text):
    header, rows = table("| a | b |\n|---|---|\n" + f"| {cell(text)} | x |\n")
    assert header == ["a", "b"] and rows == [[text, "x"]]


def test_file_names_are_slugs_cut_by_bytes(tmp_path):
    title = "重庆市北碚区" * 15
    name = default_path("article", title, tmp_path)
    assert len(name.name.encode("utf-8")) < 100 and name.parent == tmp_path
    assert slug("a/b\\c..d") == "a-b-c-d"
    assert default_path("marks", "marks", tmp_path).name.startswith("marks-") and "marks-marks" not in str(name)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",))))
def test_a_default_path_never_leaves_the_export_folder(name):
    folder = Path("/exports")
    path = default_path("results", name, folder)
    assert path.parent == folder and path.name.endswith(".md") and "/" not in path.name
    assert ".." not in path.name and len(path.name.encode("utf-8")) <= 100


def test_writing_refuses_to_overwrite_and_leaves_nothing_half_written(cites, tmp_path):
    made = export_school(cites, "金兴小学")
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    target = tmp_path / "out.md"
    target.write_text("mine", encoding="utf-8")
    with pytest.raises(ExportError, match="exists"):
        write(made, target)
    assert target.read_text(encoding="utf-8") == "mine"
    assert write(made, target, force=True).read_text(encoding="utf-8") == made.markdown()
    (tmp_path / "folder.md").mkdir()
    with pytest.raises(ExportError, match="is a folder"):
        write(made, tmp_path / "folder.md")
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match="cannot write"):
        write(made, blocker / "out.md")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "folder.md", "out.md"]  # no temp files left


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], capture_output=True, text=True, encoding="utf-8", cwd=cwd,
                          env={"PYTHONPATH": str(Path(__file__).resolve().parents[1]), "PATH": "/usr/bin:/bin"})


def test_the_command_line_exports_each_kind(db, tmp_path):
    common = ["--db", str(db), "--corpus", str(CORPUS)]
    proc = run("export", "--compare", "金兴小学", "朝阳小学", *common, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    written = list((tmp_path / "exports").glob("compare-*-金兴小学-朝阳小学.md"))
    assert len(written) == 1 and "wrote" in proc.stderr
    out = run("export", "--query", "党建 品牌", "-o", "-", *common, cwd=tmp_path)
    assert out.returncode == 0 and split(out.stdout)[0]["query"] == "党建 品牌"
    target = tmp_path / "school.md"
    assert run("export", "--school", "人和街小学", "-o", str(target), *common, cwd=tmp_path).returncode == 0
    again = run("export", "--school", "人和街小学", "-o", str(target), *common, cwd=tmp_path)
    assert again.returncode == 2 and "exists" in again.stderr and "Traceback" not in again.stderr
    assert run("export", "--school", "人和街小学", "-o", str(target), "--force", *common, cwd=tmp_path).returncode == 0
    unknown = run("export", "--compare", "金兴小学", "朝阳小", *common, cwd=tmp_path)
    assert unknown.returncode == 2 and "朝阳小学" in unknown.stderr and "Traceback" not in unknown.stderr
    empty = run("export", *common, cwd=tmp_path)
    assert empty.returncode == 2 and "nothing is marked" in empty.stderr


async def test_export_from_the_app_writes_the_marks(db, tmp_path):
    marks = Marks.for_store(db)
    marks.toggle("school", "朝阳小学")
    app = make_app(db, exports=tmp_path / "exports")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("enter")
        for _ in range(100):
            if not isinstance(app.screen, ExportDialog):
                break
            await pilot.pause(0.02)
        written = list((tmp_path / "exports").glob("marks-*.md"))
        assert len(written) == 1
        assert "朝阳小学" in written[0].read_text(encoding="utf-8")
        assert any(n.title == "Exported to" and n.message.endswith(".md") for n in app._notifications)
        await pilot.press("e", "enter")  # the same name again: asks before replacing
        await pilot.pause(0.1)
        assert isinstance(app.screen, ExportDialog)
        assert "exists" in str(app.screen.query_one("#export-status").render())
        await pilot.press("escape")
        assert not isinstance(app.screen, ExportDialog)


async def test_export_on_the_compare_screen_defaults_to_the_comparison(db, tmp_path):
    marks = Marks.for_store(db)
    for name in ("金兴小学", "朝阳小学"):
        marks.toggle("school", name)
    app = make_app(db, exports=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("c", "e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog) and dialog.chosen.kind == "compare"
        assert "compare-" in dialog.query_one("#path").value


async def test_an_export_that_cannot_be_written_says_why_and_writes_nothing(db, tmp_path):
    Marks.for_store(db).toggle("school", "朝阳小学")
    tmp_path = tmp_path / "exports"
    (tmp_path / "taken.md").mkdir(parents=True)
    app = make_app(db, exports=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        app.screen.query_one("#path").value = str(tmp_path / "taken.md")
        await pilot.press("enter")
        for _ in range(100):
            if "folder" in str(app.screen.query_one("#export-status").render()):
                break
            await pilot.pause(0.02)
        assert isinstance(app.screen, ExportDialog)
        assert any("is a folder" in n.message for n in app._notifications)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.md"] and not any((tmp_path / "taken.md").iterdir())
