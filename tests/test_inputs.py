"""Folders as users keep them: every file read or named in a warning with the reason, page ids
unique across kinds of file, Markdown headings kept, a page with a stray byte kept without it,
and warnings that name the file as given this time, never as the page cache first saw it."""

from __future__ import annotations

import os
import shutil

import pytest

from store import Store
from store.ingest.build import build
from store.ingest.read import NUL_SHARE, UndecodableError, decode

from conftest import CORPUS, page_text

JINXING = "001_6aa715517b91c0bd.txt"


def folder_with(tmp_path, **files: bytes):
    folder = tmp_path / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        path = folder / name.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def test_one_stray_nul_byte_is_removed_and_said_and_the_page_ingests(tmp_path):
    text = page_text(JINXING).encode("utf-8")
    damaged = text[:300] + b"\x00" + text[300:]
    folder = folder_with(tmp_path, **{"page.txt": damaged})
    result = build(folder, tmp_path / "s.json")
    assert [w.split(": ", 1)[1] for w in result.warnings] == ["removed 1 NUL byte"]
    assert result.warnings[0].startswith(str(folder / "page.txt"))
    store = Store.open(tmp_path / "s.json")
    assert store.school("金兴小学") is not None and "\x00" not in store.articles()[0].text()


def test_a_page_is_binary_only_when_its_bytes_say_so_as_a_whole():
    text = page_text(JINXING).encode("utf-8")
    few = text.replace("。".encode(), "。".encode() + b"\x00", 3)
    assert decode(few).removed == ("3 NUL bytes",)
    many = b"\x00".join(text[i : i + 2000] for i in range(0, len(text), 2000))
    assert many.count(b"\x00") <= len(many) * NUL_SHARE
    assert decode(many).text.replace("\n", "")[:50] == decode(text).text.replace("\n", "")[:50]
    with pytest.raises(UndecodableError, match="binary"):
        decode(text[:2000] + b"\x00" * 40)
    short = "青松路小学打造党建品牌。".encode() * 8  # a short page: one NUL is still damage, not a binary file
    assert decode(short[:60] + b"\x00" + short[60:]).removed == ("1 NUL byte",)


def test_stray_control_characters_and_a_broken_sequence_are_removed_and_said():
    text = page_text(JINXING).encode("utf-8")
    controlled = text[:90] + b"\x07\x01" + text[90:]
    assert decode(controlled).removed == ("2 control characters",)
    cut = text.index("。".encode()) + len("。".encode())  # a character cut in half, as a broken download leaves it
    broken = text[:cut] + "党".encode()[:2] + text[cut:]
    decoded = decode(broken)
    assert decoded.removed == ("1 undecodable byte sequence",) and "\ufffd" not in decoded.text


def test_every_file_is_read_or_named_with_the_reason(tmp_path):
    folder = folder_with(tmp_path, **{
        "a.txt": page_text(JINXING).encode(),
        "photo.jpg": b"\xff\xd8\xff\xe0JFIF",
        "table.xls": b"\xd0\xcf\x11\xe0",
        "notes__empty.html": b"",
        ".hidden.txt": b"x",
    })
    result = build(folder, tmp_path / "s.json")
    said = {w.split(": ", 1)[0].removeprefix(str(folder) + "/"): w.split(": ", 1)[1] for w in result.warnings}
    assert said.keys() == {"photo.jpg", "table.xls", "notes/empty.html"}
    assert said["photo.jpg"].startswith("skipped: not a kind of page baixiao reads (") and "pdf" in said["photo.jpg"]
    assert said["notes/empty.html"].startswith("skipped:")
    assert result.pages == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_an_unreadable_file_is_named_and_the_rest_ingest(tmp_path):
    folder = folder_with(tmp_path, **{"a.txt": page_text(JINXING).encode(), "locked.txt": b"x"})
    (folder / "locked.txt").chmod(0)
    try:
        result = build(folder, tmp_path / "s.json")
    finally:
        (folder / "locked.txt").chmod(0o644)
    assert any("locked.txt: skipped: unreadable" in w for w in result.warnings) and result.pages == 1


def test_page_ids_stay_unique_across_kinds_and_text_pages_keep_theirs(tmp_path):
    text = page_text(JINXING)
    folder = folder_with(tmp_path, **{
        "01.txt": text.encode(),
        "01.md": ("# 北碚：党建引领\n\n" + text.replace("金兴小学", "金星小学")).encode(),
        "sub__01.txt": text.replace("金兴小学", "银兴小学").encode(),
    })
    build(folder, tmp_path / "s.json")
    pages = {p.id: p.file for p in Store.open(tmp_path / "s.json").pages()}
    assert pages == {"01": "01.txt", "01.md": "01.md", "sub-01": "sub/01.txt"}


def test_a_markdown_heading_is_a_heading_and_its_markup_is_not_text(tmp_path):
    note = ("# 青松路小学：党建引领\n\n发布时间：2024-05-06\n\n青松路小学入选重庆市第二批中小学校党建“双创”创建单位。\n\n"
            "## 打造品牌\n\n学校打造**“松针”**党建品牌，教师们积极参与，[成效显著](http://example.com)。\n")
    folder = folder_with(tmp_path, **{"note.md": note.encode()})
    build(folder, tmp_path / "s.json")
    store = Store.open(tmp_path / "s.json")
    [article] = store.articles()
    assert article.title == "青松路小学：党建引领" and "打造品牌" in article.headings
    assert not any(mark in article.text() for mark in ("#", "**", "](", "http"))
    assert store.pages()[0].date == "2024-05-06" and store.school("青松路小学").batch == 2


def test_a_warning_names_the_file_given_this_time_not_the_one_the_cache_saw_first(tmp_path):
    """Issue 16: the page cache kept the path of the first file with those bytes."""
    first = folder_with(tmp_path / "w1", **{"empty.txt": b"   \n", "a.txt": page_text(JINXING).encode()})
    build(first, tmp_path / "one.json")
    second = tmp_path / "w2"
    shutil.copytree(first, second)
    result = build(second, tmp_path / "two.json")
    assert result.reparsed == 0  # both pages from the cache...
    assert result.warnings == [f"{second / 'empty.txt'}: skipped: empty file"]  # ...named as given now


def test_the_bundled_pages_are_unchanged_by_the_new_kinds(store):
    assert sorted(p.file for p in store.pages()) == sorted(p.name for p in CORPUS.glob("*.txt"))
