"""End to end in a real terminal: tmux runs `baixiao`, a person's keystrokes go in, the pane is
read back. Start, search, mark two schools, compare them, quit with q, exit status 0."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import time
from pathlib import Path

import pytest
from pdf_fixtures import newspaper_pdf
from reportlab.lib.pagesizes import A2
from test_formats_build import web_page, word_file

from store.ingest.build import build
from store.ingest.reflow import reflow

from conftest import CORPUS, copy_of
from terminal import Pane, tmux

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
BAIXIAO = Path(sys.executable).with_name("baixiao")


def start(db: Path, tmp_path: Path, name: str, lang: str = "C.UTF-8", size: tuple[int, int] = (100, 30)) -> tuple[Pane, Path]:
    rc = tmp_path / "rc"
    env = " ".join(f"{k}={shlex.quote(v)}" for k, v in {
        "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"],
        "XDG_CONFIG_HOME": str(tmp_path / "config"), "LANG": lang, "LC_ALL": "",
    }.items())
    command = f"{env} {shlex.quote(str(BAIXIAO))} --db {shlex.quote(str(db))}; echo $? > {shlex.quote(str(rc))}"
    tmux(name, "new-session", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]), command)
    return Pane(name), rc


def finished(rc: Path) -> str:
    deadline = time.monotonic() + 10
    while not rc.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    return rc.read_text(encoding="utf-8").strip()


@pytest.fixture
def store_copy(built_db: Path, tmp_path: Path) -> Path:
    return copy_of(built_db, tmp_path)


@pytest.fixture
def session():
    name = f"baixiao-test-{os.getpid()}"
    yield name
    tmux(name, "kill-server", check=False)


@pytest.fixture
def pane(store_copy: Path, tmp_path: Path, session: str):
    return start(store_copy, tmp_path, session)


def test_search_mark_compare_and_quit_in_a_real_terminal(pane):
    p, rc = pane
    p.wait_for("12 articles")
    p.keys("/")
    p.keys("向阳花")
    screen = p.wait_for("1 article")
    deadline = time.monotonic() + 10
    while screen.count("向阳花") < 2 and time.monotonic() < deadline:  # the box, then the hit in the reader
        screen = p.text()
    assert "朝阳小学" in screen and screen.count("向阳花") >= 2 and "党建品牌" in screen
    p.keys("Escape", "s")
    p.wait_for("31 schools")
    p.keys("/")
    p.keys("batch:2 district:北碚区")
    p.wait_for("2 schools")
    p.keys("Tab", "Space", "j", "Space", "c")
    screen = p.wait_for("differs")
    assert "金兴小学" in screen and "北碚实验幼儿园" in screen and "第2批" in screen
    p.keys("q")
    assert finished(rc) == "0"


def test_in_chinese_at_80x24_an_input_method_query_and_a_pinyin_filter(store_copy, tmp_path, session):
    p, rc = start(store_copy, tmp_path, session, lang="zh_CN.UTF-8", size=(80, 24))
    p.wait_for("12 篇文章")
    p.keys("/")
    p.keys("(党建|思政)品牌")
    ascii_form = p.wait_for("篇文章  查询")
    found = ascii_form.split("篇文章  查询")[0].split()[-1]
    p.keys("Escape", "/")
    p.keys("（党建｜思政）品牌")
    assert f"{found} 篇文章  查询" in p.wait_for("篇文章  查询")
    p.keys("Escape", "s")
    p.wait_for("31 所学校")
    p.keys("/")
    p.keys("jinxing")  # pinyin, typed without an input method
    p.wait_for("1 所学校")
    p.keys("Enter", "Enter")
    screen = p.wait_for("双创批次")
    assert screen.splitlines()[0].startswith("金兴小学")
    p.keys("q")
    assert finished(rc) == "0"


def test_control_sequences_in_a_page_never_reach_the_terminal(tmp_path):
    """A page carrying a window-title OSC, a clear-screen and bidi overrides: the text shows,
    the title stays, nothing is cleared."""
    corpus = tmp_path / "pages"
    corpus.mkdir()
    hostile = "\x1b]0;PWNED\x07北碚区金兴小学\x1b[2J打造\u202e党建品牌\u202c，深化党建引领。"
    (corpus / "p.txt").write_text(f"金兴小学党建工作\n\n{hostile}\n", encoding="utf-8")
    db = tmp_path / "s.json"
    build(corpus, db)
    name = f"baixiao-osc-{os.getpid()}"
    p, rc = start(db, tmp_path, name)
    try:
        screen = p.wait_for("打造党建品牌")
        title = tmux(name, "display-message", "-p", "-t", name, "#{pane_title}").stdout
        assert "PWNED" not in title and "PWNED" not in screen and "]0;" not in screen
        assert "北碚区金兴小学" in screen
        p.keys("q")
        assert finished(rc) == "0"
    finally:
        tmux(name, "kill-server", check=False)


def test_a_report_writer_sets_page_details_compares_exports_and_copies_in_a_real_terminal(store_copy, tmp_path, session):
    """Issue 15's path, as a person takes it in Chinese: set a page's publication, date and 版次 on
    an article, copy a quote, mark two schools, compare them and export the comparison as
    Markdown, CSV and XLSX; every citation names the publication and date."""
    import csv
    import io

    import openpyxl

    exports = tmp_path / "out"
    (tmp_path / "config" / "baixiao").mkdir(parents=True)
    (tmp_path / "config" / "baixiao" / "config.yaml").write_text(f"exports: {exports}\n", encoding="utf-8")
    p, rc = start(store_copy, tmp_path, session, lang="zh_CN.UTF-8", size=(120, 36))
    p.wait_for("12 篇文章")
    p.keys("/")
    p.keys("星光点点")
    p.wait_for("1 篇文章")
    p.keys("Enter", "d")
    p.wait_for("页面信息")
    p.keys("重庆日报", "Tab", "2024-09-06", "Tab", "7", "Enter")
    p.wait_for("——《重庆日报》2024年9月6日 第7版")
    p.keys("y")
    screen = p.wait_for("已复制引文及出处")
    assert "“2024年，北碚区金兴小学成功入选" in screen
    p.keys("Escape", "s")
    p.wait_for("31 所学校")
    p.keys("/")
    p.keys("batch:2 district:北碚区")
    p.wait_for("2 所学校")
    p.keys("Enter", "Space", "j", "Space", "c")
    p.wait_for("表示不同")
    p.keys("e")
    p.wait_for("本次比较")
    p.keys("Enter")
    p.wait_for("已导出到")
    for downs in (1, 2):  # CSV, then XLSX: back from the path to the forms, down, choose (on to the path), export
        p.keys("e")
        p.wait_for("本次比较")
        p.keys("BTab", "BTab", *["Down"] * downs, "Enter")
        p.wait_for(".xlsx" if downs == 2 else ".csv")
        p.keys("Enter")
        p.wait_for("已导出到")
    deadline = time.monotonic() + 10
    while len(list(exports.glob("compare-*"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    p.keys("q")
    assert finished(rc) == "0"
    [markdown] = exports.glob("compare-*.md")
    text = markdown.read_text(encoding="utf-8")
    citations = [line for line in text.splitlines() if line.startswith("> ——")]
    assert citations and all("《重庆日报》2024年9月6日 第7版" in c for c in citations if "001_6aa715517b91c0bd.txt" in c)
    [table] = exports.glob("compare-*.csv")
    rows = list(csv.reader(io.StringIO(table.read_bytes().decode("utf-8-sig"))))
    assert rows[0] == ["字段", "北碚实验幼儿园", "金兴小学"] and "《重庆日报》2024年9月6日" in rows[-1][2]
    [sheet] = exports.glob("compare-*.xlsx")
    assert [c.value for c in next(openpyxl.load_workbook(sheet).active.iter_rows())] == rows[0]


def test_a_folder_of_pdf_web_word_and_text_pages_is_found_read_compared_and_cited(tmp_path, session):
    """Issue 16's path: a user's folder of mixed kinds builds a store the app searches, reads
    (a PDF page under its paper's citation), compares across kinds and cites."""
    pages = sorted(CORPUS.glob("*.txt"))
    folder = tmp_path / "pages"
    (folder / "pdf").mkdir(parents=True)
    printed = "\n\n".join(block.text for block in reflow(pages[1].read_text(encoding="utf-8")))
    (folder / "pdf" / "issue.pdf").write_bytes(newspaper_pdf(printed, columns=4, sheet=A2))
    (folder / "news.html").write_bytes(web_page(pages[0].read_text(encoding="utf-8")))
    (folder / "memo.docx").write_bytes(word_file(pages[2].read_text(encoding="utf-8")))
    shutil.copy(pages[3], folder)
    db = tmp_path / "store.json"
    assert build(folder, db).warnings == []
    p, rc = start(db, tmp_path, session, size=(120, 36))
    p.wait_for("articles")
    p.keys("/")
    p.keys("星光点点")
    p.wait_for("1 article")
    p.keys("Enter")
    screen = p.wait_for("pdf/issue.pdf#1")
    assert "青松日报, 6 September 2024, p. 7" in screen and "第07版" not in screen
    p.keys("y")
    p.wait_for("Copied the sentence")
    p.keys("Escape", "s")
    p.wait_for("schools")
    for name in ("金兴小学", "人和街小学"):  # from the PDF and from the web page
        p.keys("/")
        p.keys(name)
        p.wait_for("1 school")
        p.keys("Enter", "Space", "Escape")
    p.keys("c")
    screen = p.wait_for("differs")
    assert "金兴小学" in screen and "人和街小学" in screen
    p.keys("q")
    assert finished(rc) == "0"


def test_the_overview_a_cell_a_date_query_and_its_export_in_a_real_terminal(dated_db, tmp_path, session):
    """Issue 18 as a user does it: open the overview, read the district × batch table, open a cell,
    count the hits of date:2024, export the overview."""
    db = copy_of(dated_db, tmp_path)
    exports = tmp_path / "out"
    (tmp_path / "config" / "baixiao").mkdir(parents=True)
    (tmp_path / "config" / "baixiao" / "config.yaml").write_text(f"exports: {exports}\n", encoding="utf-8")
    p, rc = start(db, tmp_path, session, size=(120, 40))
    p.wait_for("12 articles")
    p.keys("v")
    screen = p.wait_for("Schools by district and 双创 batch")
    row = next(line for line in screen.splitlines() if "北碚区" in line)
    assert row.split()[1:6] == ["1", "2", "1", "1", "5"]  # 第1批 第2批 not stated, not 双创, total
    assert "2 with no date" not in screen and "12 articles" in screen
    p.keys("j", "j", "Left", "Left", "Left", "Enter")
    screen = p.wait_for("北碚区 × 第2批: 2 schools")
    assert "金兴小学" in screen and "北碚实验幼儿园" in screen
    p.keys("Escape", "/")
    p.keys("date:2024")
    p.keys("Enter")
    screen = p.wait_for("found for date:2024")
    assert "Hits by year" in screen
    p.keys("e")
    p.wait_for("The overview's tables, with the hits of date:2024")
    p.keys("Enter")
    p.wait_for("Exported to")
    [written] = exports.glob("overview-*.md")
    assert "## 命中：各年份" in written.read_text(encoding="utf-8")
    p.keys("q")
    assert finished(rc) == "0"
