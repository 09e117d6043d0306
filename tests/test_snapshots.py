"""Layout snapshots of each screen on the bundled corpus (pytest-textual-snapshot), in English and
in Chinese, at 80×24 and 160×48.

After an intended change of layout: `pytest tests/test_snapshots.py --snapshot-update`, then
look at the new SVGs (snapshot_report.html shows the differences) before committing them.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from unittest.mock import patch

import pytest

from store.export import default_path
from store.search.index import index_path
from store.userdata.marks import Marks
from tui.app import make_app

from waiting import settle

SIZES = {"80x24": (80, 24), "160x48": (160, 48)}
pytestmark = [pytest.mark.parametrize("language", ["en", "zh"]), pytest.mark.parametrize("size", list(SIZES))]


@pytest.fixture
def app_factory(built_db: Path, tmp_path: Path):
    """An app over a private copy of the store, at a fixed path (the path shows on screen)."""
    folder = tmp_path / "snap"
    folder.mkdir()
    db = folder / "store.json"
    shutil.copy(built_db, db)
    shutil.copy(index_path(built_db), index_path(db))

    def make(language: str, *schools: str):
        marks = Marks.for_store(db)
        for name in schools:
            marks.toggle("school", name)
        return make_app(db, exports=Path("exports"), language=language)

    return make


def test_articles(snap_compare, app_factory, language, size):
    assert snap_compare(app_factory(language), terminal_size=SIZES[size], run_before=settle)


def test_articles_filtered(snap_compare, app_factory, language, size):
    async def type_query(pilot):
        await pilot.press("slash", *"向阳花")
        await settle(pilot)
        await pilot.press("tab")

    assert snap_compare(app_factory(language), terminal_size=SIZES[size], run_before=type_query)


def test_schools(snap_compare, app_factory, language, size):
    assert snap_compare(app_factory(language), terminal_size=SIZES[size], press=["s"], run_before=settle)


def test_profile(snap_compare, app_factory, language, size):
    async def open_profile(pilot):
        await settle(pilot)
        await pilot.press("s", "slash", *"金兴", "tab", "enter")

    assert snap_compare(app_factory(language), terminal_size=SIZES[size], run_before=open_profile)


def test_compare(snap_compare, app_factory, language, size):
    assert snap_compare(
        app_factory(language, "金兴小学", "朝阳小学", "北碚实验幼儿园"), terminal_size=SIZES[size], press=["c"], run_before=settle
    )


def test_export_dialog(snap_compare, app_factory, language, size):
    """The path shows today's date: the snapshot is taken on a fixed day."""
    def frozen(kind, name, folder, today=None, format="md"):
        return default_path(kind, name, folder, date(2026, 11, 22), format)

    with patch("store.export.default_path", frozen):
        assert snap_compare(app_factory(language, "金兴小学", "朝阳小学"), terminal_size=SIZES[size], press=["c", "e"],
                            run_before=settle)


def test_page_details(snap_compare, app_factory, language, size):
    """The dialog over the first article, its title known from the manifest (the placeholder)."""
    assert snap_compare(app_factory(language), terminal_size=SIZES[size], press=["d"], run_before=settle)


def test_concordance(snap_compare, app_factory, language, size):
    async def concordance(pilot):
        await pilot.press("slash", *"党建品牌")
        await settle(pilot)
        await pilot.press("tab", "K")

    assert snap_compare(app_factory(language), terminal_size=SIZES[size], run_before=concordance)


def test_help(snap_compare, app_factory, language, size):
    assert snap_compare(app_factory(language), terminal_size=SIZES[size], press=["question_mark"], run_before=settle)


def test_overview(snap_compare, app_factory, language, size):
    assert snap_compare(app_factory(language), terminal_size=SIZES[size], press=["v"], run_before=settle)


def test_overview_with_a_query(snap_compare, app_factory, language, size):
    async def counted(pilot):
        await pilot.press("v", "slash", *"党建", "enter")
        await settle(pilot)

    assert snap_compare(app_factory(language), terminal_size=SIZES[size], run_before=counted)
