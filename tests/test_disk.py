"""Issue 19, item 5: a full disk and a read-only store folder, on a real filesystem.

Root passes every permission check, so only a filesystem that is really full or read-only says
no: each scenario runs tests/diskfull_scenarios.py in a private mount namespace (root's, else a
user namespace's) with a small tmpfs of its own, and judges what it reports. Where no namespace
can be made the full disk is skipped, saying what failed; the read-only folder is then made by
permissions, which hold for a user who is not root.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from store.ingest.build import build

from conftest import CORPUS, ROOT

SCRIPT = Path(__file__).with_name("diskfull_scenarios.py")
EMPTY = hashlib.sha256(b"").hexdigest()


@pytest.fixture(scope="module")
def namespace(tmp_path_factory: pytest.TempPathFactory) -> list[str] | str:
    """The command prefix that runs a scenario in a mount namespace of its own, or why none can
    be made (the skip says it, so CI's log shows what failed)."""
    mountpoint = tmp_path_factory.mktemp("probe")
    prefixes = [["unshare", "--user", "--map-root-user", "--mount"]]
    if os.geteuid() == 0:
        prefixes.insert(0, ["unshare", "--mount", "--propagation", "private"])
    failed = []
    for prefix in prefixes:
        try:
            probe = subprocess.run([*prefix, "mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mountpoint)],
                                   capture_output=True, text=True, encoding="utf-8", timeout=30)
        except (OSError, subprocess.TimeoutExpired) as error:
            failed.append(f"{' '.join(prefix)}: {error}")
            continue
        if probe.returncode == 0:
            return prefix
        failed.append(f"{' '.join(prefix)}: {probe.stderr.strip() or f'exit status {probe.returncode}'}")
    return "; ".join(failed)


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A store built from a copy of the bundled pages (so a page can change), a school marked,
    and beside it another store's marks file, damaged, with a good backup."""
    pages = tmp_path / "pages"
    shutil.copytree(CORPUS, pages)
    seed = tmp_path / "seed"
    seed.mkdir()
    assert build(pages, seed / "store.json").warnings == []
    marks = {"version": 1, "marks": [{"kind": "school", "key": "金兴小学", "note": "", "added": ""}]}
    (seed / "store.marks.json").write_text(json.dumps(marks, ensure_ascii=False), encoding="utf-8")
    (seed / "other.marks.json").write_text('{"marks": [', encoding="utf-8")
    backup = {"version": 1, "marks": [{"kind": "school", "key": "朝阳小学"}]}
    (seed / "other.marks.json.bak").write_text(json.dumps(backup, ensure_ascii=False), encoding="utf-8")
    for folder in ("disk", "home"):
        (tmp_path / folder).mkdir()
    return tmp_path


def scenario(prefix: list[str], name: str, work: Path) -> dict:
    path = os.pathsep.join([str(ROOT), str(ROOT / "tests")])
    proc = subprocess.run([*prefix, sys.executable, str(SCRIPT), name, str(work)], capture_output=True, text=True,
                          encoding="utf-8", timeout=120, env={**os.environ, "PYTHONPATH": path})
    assert proc.returncode == 0, proc.stderr
    return json.loads((work / "report.json").read_text(encoding="utf-8"))


def one_line(said: dict, *needles: str) -> bool:
    """A command that failed as a user's error should: status 2, one line, no traceback."""
    lines = said["stderr"].strip().splitlines()
    return said["rc"] == 2 and len(lines) == 1 and all(n in lines[0] for n in needles)


def warned(said: dict, reason: str) -> bool:
    """A command on a stale store that cannot be rebuilt: it says so and goes on with the store."""
    lines = said["stderr"].strip().splitlines()
    return (said["rc"] == 0 and len(lines) <= 2 and "Traceback" not in said["stderr"]
            and f"cannot be rebuilt there ({reason}): using it as it is" in lines[-1])


def nothing_left_behind(report: dict) -> None:
    """Every file as it was; new only the (empty) lock files and folders a write made first."""
    assert report["changed"] == []
    assert {name: digest for name, digest in report["new"].items() if digest not in ("", EMPTY)} == {}
    assert [name for name, digest in report["new"].items() if digest == EMPTY and not name.endswith(".lock")] == []


def test_a_full_disk_leaves_store_index_and_marks_as_they_were_and_says_so_in_a_line(namespace, work):
    if isinstance(namespace, str):
        pytest.skip(f"no mount namespace for a small filesystem to fill: {namespace}")
    report = scenario(namespace, "full", work)
    assert report["free"] == 0
    assert one_line(report["build"], "cannot write store", "No space left on device")
    # The second build had room for a store, not for its index as well: it replaced neither.
    assert report["sizes"]["store.json"] < report["room"] < sum(report["sizes"].values())
    assert one_line(report["build_index_full"], "cannot write store", "No space left on device")

    app = report["app"]
    assert app["running"] and app["exporting"] == "ExportDialog" and app["screen"] == "MarksScreen"
    errors = [message for severity, _title, message in app["notes"] if severity == "error"]
    assert errors[:3] == [f"Cannot save your marks in {work}/disk/store.marks.json: No space left on device."] * 3
    assert errors[3].startswith(f"cannot write {work}/disk/exports/") and errors[3].endswith(": No space left on device")
    assert len(errors) == 4 and app["marked"] == 1

    assert one_line(report["export"], "cannot write", "school.md", "No space left on device")
    assert one_line(report["export_marks"], "cannot write", "No space left on device")
    assert report["recover"]["error"] == f"cannot recover marks {work}/disk/other.marks.json: No space left on device"

    assert warned(report["stale_search"], "No space left on device")
    assert " articles for 党建" in report["stale_search"]["stdout"]
    opened = report["stale_app"]
    assert opened["rc"] == 0 and opened["running"] and "Traceback" not in opened["stderr"]
    assert [m for _s, title, m in opened["notes"] if title == "Your store" and "No space left on device" in m]
    nothing_left_behind(report)


def test_a_read_only_store_folder_opens_read_only_and_says_marks_cannot_be_saved(namespace, work):
    if isinstance(namespace, list):
        report = scenario(namespace, "read-only", work)
    elif os.geteuid() != 0:
        report = scenario([], "chmod", work)
    else:
        pytest.skip(f"root writes through permissions, and no mount namespace for a read-only mount: {namespace}")
    folder = f"{work}/disk"
    app = report["app"]
    assert app["running"] and app["screen"] == "MarksScreen" and app["marked"] == 1
    said = f"The folder {folder} is read-only: your marks, notes and page details are shown, but changes to them cannot be saved."
    assert ["warning", "Read-only", said] in app["started"]
    errors = [message for severity, _title, message in app["notes"] if severity == "error"]
    assert errors == [f"Cannot save your marks: the folder {folder} is read-only."] * 3
    assert [title for _s, title, _m in app["notes"]][-1] == "Exported to" and len(report["exported"]) == 1
    zh = [message for _s, title, message in report["app_zh"]["notes"] if title == "只读"]
    assert zh == [f"文件夹 {folder} 是只读的：你的标记、笔记和页面信息照常显示，但对它们的修改无法保存。"]
    damaged = report["damaged"]
    assert damaged["read_only"] and damaged["marks"] == ["朝阳小学"] and "read-only" in damaged["notice"]

    assert report["search"]["rc"] == 0 and report["search"]["stderr"] == ""
    assert " articles for 党建" in report["search"]["stdout"]
    assert report["export"]["rc"] == 0 and "金兴小学" in report["export_text"]

    assert warned(report["stale_search"], "its folder is not writable")
    assert " articles for 党建" in report["stale_search"]["stdout"]
    assert one_line(report["stale_build"], "cannot write store", "its folder is not writable")
    opened = report["stale_app"]
    assert opened["rc"] == 0 and opened["running"]
    titles = [title for _s, title, _m in opened["notes"]]
    assert "Your store" in titles and "Read-only" in titles
    nothing_left_behind(report)
