"""Reprints: one story printed on two pages (another outlet's headline, date line and small
edits) is found as one story, listed and counted once, and each printing says where else it is."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from store import Store
from store.ingest import forked, reprints
from store.ingest.build import build
from store.ingest.reprints import find_reprints
from tui.app import make_app
from tui.screens.articles import ArticlesScreen
from tui.widgets.reader import Reader
from tui.widgets.rows import RowList

from conftest import CORPUS, ROOT
from waiting import settle

JINXING = "001_6aa715517b91c0bd/1"


def reprint_of(store: Store) -> str:
    """金兴小学's profile as a district site reprints it: its own headline and date line, a word
    changed, a paragraph dropped, an editor's line at the foot."""
    body = list(store.article(JINXING).paragraphs)
    body[1] = body[1].replace("努力", "着力")
    del body[3]
    return "金兴小学：星光点点放光彩\n\n发布时间：2024-09-10 来源：北碚教育网\n\n" + "\n\n".join(body) + "\n\n（责任编辑：王某）\n"


@pytest.fixture(scope="module")
def reprinted(store, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("reprinted")
    for page in CORPUS.glob("*.txt"):
        shutil.copy(page, folder)
    (folder / "web").mkdir()
    (folder / "web" / "jinxing.txt").write_text(reprint_of(store), encoding="utf-8")
    db = folder / "store.json"
    assert build(folder, db).warnings == []
    return db


def test_the_bundled_pages_hold_no_reprints(store):
    assert store.reprints() == [] and find_reprints(store.articles()) == []
    assert store.stories() == list(range(len(store.article_summaries())))


def test_a_reprint_on_another_page_is_one_story(reprinted, monkeypatch):
    store = Store.open(reprinted)
    assert store.reprints() == [[JINXING, "web-jinxing/1"]]
    monkeypatch.setattr(reprints, "CHUNK", 300)  # texts hashed a few at a time find the same
    assert find_reprints(store.articles()) == [(JINXING, "web-jinxing/1")]
    assert store.also_in(JINXING) == ["web-jinxing/1"] and store.also_in("web-jinxing/1") == [JINXING]
    assert len(store.stories()) == len(store.article_summaries()) - 1


def test_a_story_is_counted_once(reprinted):
    store = Store.open(reprinted)
    school = store.school("金兴小学")
    assert school.articles == (JINXING,)  # its reports: one story, not two
    quoted = [(f, e.value) for f, items in school.evidence.items() for e in items]
    assert len(quoted) == len(set(quoted)) and all(e.article == JINXING for items in school.evidence.values() for e in items)
    once, every = store.search("星光点点"), store.search("星光点点", reprints=True)
    assert (once.total, every.total) == (1, 2)
    assert once.by_page == {"001_6aa715517b91c0bd.txt": 1} and sum(every.by_page.values()) == 2
    assert once.to_json()["hits"][0]["also_in"] == ["web-jinxing/1"]
    assert len(store.concordance("星光点点")) == 1 and len(store.concordance("星光点点", reprints=True)) == 2


def test_the_dump_lists_the_reprints(reprinted):
    proc = subprocess.run([sys.executable, "-m", "tui.cli", "dump", "--db", str(reprinted)], capture_output=True, text=True,
                          encoding="utf-8", env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    assert json.loads(proc.stdout)["reprints"] == [[JINXING, "web-jinxing/1"]]


def test_different_stories_that_share_the_genre_s_phrases_are_not_reprints(store):
    """Reports on two schools share 党建引领 and 立德树人 but not their sentences."""
    articles = store.articles()
    assert find_reprints(articles) == []
    doubled = find_reprints([*articles, *(a for a in articles if a.id == JINXING)])
    assert doubled == []  # the same article on the same page twice is no reprint across pages


async def test_the_app_lists_a_story_once_says_where_else_and_lists_every_printing_on_R(reprinted, tmp_path):
    db = tmp_path / "store.json"
    shutil.copytree(reprinted.parent, tmp_path, dirs_exist_ok=True)
    app = make_app(db)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(pilot)
        rows = app.screen.query_one(RowList)
        everything = len(app.store.article_summaries())
        assert rows.count == everything - 1 and "1 reprinted once" in str(app.screen.query_one("#status").render())
        await pilot.press("slash", *"星光点点", "enter")
        await settle(pilot)
        assert rows.count == 1
        assert "also in: web/jinxing.txt《金兴小学：星光点点放光彩》" in app.screen.query_one(Reader).text()
        await pilot.press("R")
        await settle(pilot)
        assert rows.count == 2 and isinstance(app.screen, ArticlesScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert rows.count == everything


def test_reprints_found_in_a_fork_are_found_here_when_the_fork_fails(reprinted, monkeypatch):
    articles = Store.open(reprinted).articles()
    assert forked.meanwhile(find_reprints, articles)() == [(JINXING, "web-jinxing/1")]
    monkeypatch.setattr(forked, "_send", lambda work, args, there: os._exit(3))
    assert forked.meanwhile(find_reprints, articles)() == [(JINXING, "web-jinxing/1")]


def test_work_that_fails_in_the_fork_fails_here_once_and_the_fork_says_nothing(capfd):
    def failing() -> None:
        raise ValueError("no answer")

    answer = forked.meanwhile(failing)
    with pytest.raises(ValueError, match="no answer"):
        answer()
    assert capfd.readouterr().err == ""
