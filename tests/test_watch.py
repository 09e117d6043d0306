"""The folder watch that lets the command server skip stat'ing every page (store/ingest/watch.py)."""

from __future__ import annotations

import os
import sys

import pytest

from store.ingest.watch import Watch

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")


@pytest.mark.parametrize("change", ["write", "touch", "add", "remove", "rename", "subfolder"])
def test_any_change_in_a_watched_folder_is_seen(tmp_path, change):
    page = tmp_path / "a.txt"
    page.write_text("党建", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    watch = Watch.of([tmp_path, tmp_path / "sub"])
    assert watch is not None
    assert not watch.changed()
    if change == "write":
        with page.open("r+", encoding="utf-8") as f:
            f.write("品牌")
    elif change == "touch":
        os.utime(page, ns=(1, 1))
    elif change == "add":
        (tmp_path / "b.txt").write_text("x", encoding="utf-8")
    elif change == "remove":
        page.unlink()
    elif change == "rename":
        page.rename(tmp_path / "c.txt")
    else:
        (tmp_path / "sub" / "d.txt").write_text("x", encoding="utf-8")
    assert watch.changed()
    assert watch.changed()  # it stays changed
    watch.close()


def test_reading_a_page_is_not_a_change(tmp_path):
    page = tmp_path / "a.txt"
    page.write_text("党建", encoding="utf-8")
    watch = Watch.of([tmp_path])
    assert watch is not None
    assert page.read_text(encoding="utf-8") == "党建"
    assert not watch.changed()
    watch.close()


def test_a_folder_that_cannot_be_watched_gives_no_watch(tmp_path):
    assert Watch.of([tmp_path / "missing"]) is None
