"""A folder of the bundled pages as users get them (saved web pages, Word files, newspaper PDFs)
builds a store with the same schools as the text pages, and none of the files' furniture."""

from __future__ import annotations

import html
import io
import shutil
from pathlib import Path

import docx
import pytest

from store import Store
from store.ingest.build import build

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
