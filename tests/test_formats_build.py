"""A folder of the bundled pages as users get them (saved web pages, Word files, newspaper PDFs)
builds a store with the same schools as the text pages, and none of the files' furniture."""

from __future__ import annotations

import html
import io
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from pdf_fixtures import blank_pages_pdf, newspaper_pdf, pages_pdf
from reportlab.lib.pagesizes import A2

from store import Store
from store.ingest.build import build
from store.ingest.reflow import reflow

from conftest import CORPUS

FURNITURE = ["首页", "当前位置", "广告文字", "版权所有", "ICP备", "color"]


def blocks(text: str) -> list[str]:
    return [b.replace("\n", "") for b in (b.strip() for b in text.split("\n\n")) if b]


def web_page(text: str) -> bytes:
    """A district education site's page around the text: navigation, breadcrumbs, a script that
    writes, a style, a footer."""
    body = "".join(f"<p>{html.escape(b)}</p>\n" for b in blocks(text))
    return f"""<!DOCTYPE html><html><head><meta charset="gbk"><title>新闻_某区教育网</title>
<script>document.write('广告文字');</script><style>.x{{color:red}}</style></head><body>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/a">教育新闻</a></li></ul>
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; 新闻</div>
<div class="article"><div class="content">{body}</div></div>
<div class="footer"><p>版权所有：某区教育委员会 渝ICP备12345678号</p></div></body></html>""".encode("gb18030")


def word_file(text: str) -> bytes:
    document = docx.Document()
    for block in blocks(text):
        document.add_paragraph(block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def schools_by_page(db: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for article in Store.open(db).articles():
        found.setdefault(article.file.split(".")[0], set()).update(article.schools)
    return found


@pytest.fixture(scope="module")
def text_schools(built_db) -> dict[str, set[str]]:
    return schools_by_page(built_db)


@pytest.mark.parametrize("kind, make", [("html", web_page), ("docx", word_file)])
def test_each_bundled_page_as_a_web_page_or_word_file_gives_the_same_schools(tmp_path, text_schools, kind, make):
    folder = tmp_path / kind
    folder.mkdir()
    for page in CORPUS.glob("*.txt"):
        (folder / f"{page.stem}.{kind}").write_bytes(make(page.read_text(encoding="utf-8")))
    result = build(folder, tmp_path / "s.json")
    assert result.warnings == [] and result.pages == 5
    assert schools_by_page(tmp_path / "s.json") == text_schools
    text = "\n".join(a.text() for a in Store.open(tmp_path / "s.json").articles())
    assert [f for f in FURNITURE if f in text] == []


def test_a_mixed_folder_builds_one_store_and_a_copy_in_another_kind_is_one_story(tmp_path, text_schools):
    """A text page, the same page as a Word file, another page as a web page: three files, and
    the Word file's stories are reprints of the text page's, found and counted once."""
    first, second = sorted(CORPUS.glob("*.txt"))[:2]
    folder = tmp_path / "mixed"
    (folder / "web").mkdir(parents=True)
    shutil.copy(second, folder)
    (folder / "memo.docx").write_bytes(word_file(second.read_text(encoding="utf-8")))
    (folder / "web" / "page.html").write_bytes(web_page(first.read_text(encoding="utf-8")))
    result = build(folder, tmp_path / "s.json")
    assert result.warnings == [] and result.pages == 3
    store = Store.open(tmp_path / "s.json")
    assert {p.id for p in store.pages()} == {second.stem, "web-page.html", "memo.docx"}
    assert [len(group) for group in store.reprints()] == [2] * 5 and all(g[1].startswith("memo.docx/") for g in store.reprints())
    assert store.search("星光点点").total == 1 and store.search("星光点点", reprints=True).total == 2
    assert {s.name for s in store.schools()} >= text_schools[first.stem] | text_schools[second.stem]


def test_each_bundled_page_as_a_newspaper_pdf_page_gives_the_same_subjects_and_schools(tmp_path, built_db):
    """Each bundled page printed on one broadsheet page (A2) in four columns, under the paper's
    header and over its footer, as a digital edition prints it."""
    folder = tmp_path / "pdf"
    folder.mkdir()
    for page in CORPUS.glob("*.txt"):
        paragraphs = "\n\n".join(block.text for block in reflow(page.read_text(encoding="utf-8")))  # as printed: no hard wraps
        (folder / f"{page.stem}.pdf").write_bytes(newspaper_pdf(paragraphs, columns=4, sheet=A2))
    result = build(folder, tmp_path / "s.json")
    assert result.warnings == []
    store, text = Store.open(tmp_path / "s.json"), Store.open(built_db)
    assert sorted(p.file for p in store.pages()) == sorted(f"{p.stem}.pdf#1" for p in CORPUS.glob("*.txt"))
    assert all(p.edition == "7" and p.date == "2024-09-06" and p.publication == "青松日报" for p in store.pages())
    assert schools_by_page(tmp_path / "s.json") == schools_by_page(built_db)
    subjects = {a.file.split(".")[0]: [] for a in text.articles()}
    for article in store.articles():
        subjects[article.file.split(".")[0]].append(article.subject)
    assert subjects == {f: [a.subject for a in text.articles() if a.file.startswith(f)] for f in subjects}
    everything = "\n".join(a.text() for a in store.articles())
    assert "青松日报" not in everything and "第07版" not in everything and "责任编辑" not in everything


def test_bad_files_of_every_kind_are_each_one_warning_and_the_rest_ingest(tmp_path):
    """Encrypted, truncated, empty, mislabelled and hostile files beside a good page."""
    good = sorted(CORPUS.glob("*.txt"))[1]
    pdf = pages_pdf(["青松路小学打造“松针”党建品牌。"])
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", bytes(20_000_000))
    folder = tmp_path / "bad"
    folder.mkdir()
    shutil.copy(good, folder)
    files = {
        "locked.pdf": pages_pdf(["党建"], encrypt="secret"),
        "cut.pdf": pdf[: len(pdf) // 2],
        "zero.pdf": b"",
        "page.pdf": web_page("党建工作"),  # a web page saved under the wrong name
        "blank.pdf": blank_pages_pdf(10_000),
        "bomb.docx": bomb.getvalue(),
        "notes.docx": b"not a zip at all",
        "nav.html": b"<html><body><ul><li><a href='/'>\xe9\xa6\x96\xe9\xa1\xb5</a></li></ul></body></html>",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    result = build(folder, tmp_path / "s.json")
    said = {w.split(": ", 1)[0].removeprefix(f"{folder}/"): w.split(": ", 1)[1] for w in result.warnings}
    assert set(said) == set(files)  # one warning each, naming the file
    assert all(reason.startswith("skipped: ") for reason in said.values())
    assert "encrypted" in said["locked.pdf"] and "too many pages" in said["blank.pdf"] and "not a PDF" in said["page.pdf"]
    assert "too large when unpacked" in said["bomb.docx"]
    assert result.pages == 1 and Store.open(tmp_path / "s.json").school("金兴小学") is not None


def test_sheets_that_print_one_edition_are_one_page_and_a_new_edition_a_new_page(tmp_path):
    """A story running on to the next sheet of one 版 is read whole; the issue's next 版 is a page
    of its own."""
    story = sorted(CORPUS.glob("*.txt"))[2].read_text(encoding="utf-8")
    folder = tmp_path / "pdfs"
    folder.mkdir()
    (folder / "story.pdf").write_bytes(newspaper_pdf(story))  # A4: it runs over several sheets
    body = "学校党支部打造“松针”党建品牌，推动党建与教学深度融合。"
    (folder / "issue.pdf").write_bytes(pages_pdf([
        f"青松日报 2024年9月6日 星期五 第07版：教育\n青松路小学{body}",
        f"青松日报 2024年9月6日 星期五 第08版：综合\n柏树街小学{body}",
    ]))
    assert build(folder, tmp_path / "s.json").warnings == []
    store = Store.open(tmp_path / "s.json")
    pages = {p.file: p for p in store.pages()}
    [story_page] = [f for f in pages if f.startswith("story.pdf#1-")]
    assert int(story_page.rsplit("-", 1)[1]) > 1  # every sheet of the story, as one page
    assert store.search("变革型党组织").total == 1  # the sentence cut at a sheet's foot, whole again
    assert (pages["issue.pdf#1"].edition, pages["issue.pdf#2"].edition) == ("7", "8")
    assert {a.page for a in store.articles() if "柏树街小学" in a.schools} == {"issue.pdf#2"}
