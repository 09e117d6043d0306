"""A full disk and a read-only store folder, for real: run by tests/test_disk.py inside a private
mount namespace, where a small tmpfs can be mounted, filled and remounted read-only without
touching anything outside (root's permission checks pass chmod, so only a real filesystem says no).

    PYTHONPATH=.:tests python tests/diskfull_scenarios.py full|read-only|chmod WORK

WORK holds `seed/` (a built store, its index, stat and marks), `pages/` (the pages it was built
from) and `home/` (XDG folders, writable). The store is copied onto WORK/disk, which is then
filled (full) or made read-only (read-only: a remount; chmod: permissions, for a user with
neither root nor namespaces), and driven through the CLI (subprocesses, as a user runs it) and
the app (Textual's Pilot, in this process). What each step showed is written to
WORK/report.json for the test to judge; this script asserts nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest import mock

from store import Marks, StoreError
from tui import cli
from tui.app import BaixiaoApp, make_app

from waiting import settle

ROOT = Path(__file__).resolve().parents[1]

SIZE = (100, 30)
DISK_KB = 2048
CACHE = Path(os.environ["XDG_CACHE_HOME"])  # the test session's: pages parsed there already parse at once


def main(scenario: str, work: Path) -> None:
    disk = work / "disk"
    report: dict[str, Any] = {}
    if scenario == "chmod":
        populate(work, disk)
        before = hashes(disk)
        for path in [disk, *disk.iterdir()]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            read_only(work, disk, report)
        finally:
            for path in [disk, *disk.iterdir()]:
                path.chmod(0o755 if path.is_dir() else 0o644)
    else:
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_KB}k", "tmpfs", str(disk)], check=True)
        populate(work, disk)
        before = hashes(disk)
        if scenario == "full":
            full(work, disk, report)
        else:
            # The mount point read-only, not the filesystem: a user namespace may make only that so.
            subprocess.run(["mount", "-o", "remount,bind,ro", str(disk)], check=True)
            read_only(work, disk, report)
    after = hashes(disk)
    report["changed"] = sorted(name for name in before if before[name] != after.get(name))
    report["new"] = {name: digest for name, digest in after.items() if name not in before}
    (work / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


def populate(work: Path, disk: Path) -> None:
    for path in (work / "seed").iterdir():
        shutil.copy(path, disk / path.name)


def hashes(disk: Path) -> dict[str, str]:
    """Every file and folder on the disk but the filler: its bytes' hash (a folder's is empty)."""
    return {p.relative_to(disk).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else ""
            for p in sorted(disk.rglob("*")) if p.name != "filler"}


def fill(disk: Path) -> int:
    """Fill the disk to its last byte (what is free after: none)."""
    with (disk / "filler").open("ab", buffering=0) as f:
        block = b"\0" * 65536
        while block:
            try:
                f.write(block)
            except OSError:
                block = block[: len(block) // 2]
    return free(disk)


def fill_to(disk: Path, wanted: int) -> int:
    """Cut the filler until `wanted` bytes are free; what is free then (to the filesystem's page)."""
    filler = disk / "filler"
    os.truncate(filler, max(0, filler.stat().st_size - (wanted - free(disk))))
    return free(disk)


def free(disk: Path) -> int:
    stat = os.statvfs(disk)
    return stat.f_bavail * stat.f_frsize


def env(work: Path, cache: Path = CACHE) -> dict[str, str]:
    home = work / "home"
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8",
            "BAIXIAO_NO_SERVER": "1", "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(cache)}


def run(work: Path, *args: str, cache: Path = CACHE, cwd: Path | None = None) -> dict[str, Any]:
    """A `baixiao` command, as a user runs it: its exit status and what it printed."""
    proc = subprocess.run([sys.executable, "-m", "tui.cli", *args], capture_output=True, text=True, encoding="utf-8",
                          cwd=cwd or work, env=env(work, cache))
    return {"rc": proc.returncode, "stderr": proc.stderr, "stdout": proc.stdout[:2000]}


def notes(app: BaixiaoApp) -> list[list[str]]:
    return [[n.severity, n.title, n.message] for n in app._notifications]


async def mark_note_and_export(app: BaixiaoApp) -> dict[str, Any]:
    """What a reader does that writes: mark an article, write a note, mark a school, export."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        started = notes(app)
        await pilot.press("space")  # the article under the cursor
        await pilot.press("a")
        await pilot.press(*"要点", "enter")
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("space")  # the school under the cursor
        await pilot.press("e")
        exporting = type(app.screen).__name__
        await pilot.press("enter")
        for _ in range(100):
            if any(n.title in ("Exported to", "Not exported") for n in app._notifications):
                break
            await pilot.pause(0.02)
        await pilot.press("escape")  # the dialog, if it is still open
        await pilot.pause(0.05)
        await pilot.press("m")  # still answering keys
        await pilot.pause(0.05)
        return {"started": started, "notes": notes(app)[len(started):], "exporting": exporting,
                "screen": type(app.screen).__name__, "running": app.is_running, "marked": len(app.marks)}


async def first_notes(app: BaixiaoApp) -> dict[str, Any]:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        return {"notes": notes(app), "running": app.is_running}


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def opened_by_baixiao(work: Path, disk: Path) -> dict[str, Any]:
    """`baixiao` in a terminal: the store checked (and rebuilt if it can be), then the app; the
    app is taken before it runs, and run here under the Pilot."""
    opened: list[BaixiaoApp] = []
    err = io.StringIO()
    with mock.patch.object(BaixiaoApp, "run", lambda app: opened.append(app)), mock.patch.object(sys, "stdin", _Terminal()), \
            mock.patch.object(sys, "stdout", _Terminal()), mock.patch.object(sys, "stderr", err):
        rc = cli.main(["--db", str(disk / "store.json"), "--corpus", str(work / "pages")])
    said = {"rc": rc, "stderr": err.getvalue()}
    if opened:
        said |= asyncio.run(first_notes(opened[0]))
    return said


def stale(work: Path) -> None:
    """A page changed since the store was built."""
    page = sorted((work / "pages").glob("*.txt"))[0]
    page.write_bytes(page.read_bytes() + "\n补记一行。\n".encode())


def full(work: Path, disk: Path, report: dict[str, Any]) -> None:
    db = str(disk / "store.json")
    pages = str(work / "pages")
    sizes = {name: (disk / name).stat().st_size for name in ("store.json", "store.json.index")}
    os.environ |= env(work)
    report["free"] = fill(disk)
    report["build"] = run(work, "build", "--force", "--db", db, "--corpus", pages, cache=disk / "cache")
    # Room for the new store but not for its index: the store must not be replaced alone.
    report["room"], report["sizes"] = fill_to(disk, sizes["store.json"] + sizes["store.json.index"] // 2), sizes
    report["build_index_full"] = run(work, "build", "--force", "--db", db, "--corpus", pages)
    fill(disk)
    report["app"] = asyncio.run(mark_note_and_export(make_app(disk / "store.json", exports=disk / "exports")))
    report["export"] = run(work, "export", "--school", "金兴小学", "--db", db, "--corpus", pages, "-o", str(disk / "school.md"))
    report["export_marks"] = run(work, "export", "--db", db, "--corpus", pages, cwd=disk)
    report["recover"] = damaged_marks(disk)
    stale(work)
    report["stale_search"] = run(work, "search", "党建", "--db", db, "--corpus", pages)
    report["stale_app"] = opened_by_baixiao(work, disk)


def damaged_marks(disk: Path) -> dict[str, Any]:
    """A damaged marks file whose backup cannot be restored on a full disk: left as it was."""
    try:
        Marks.load(disk / "other.marks.json")
    except StoreError as error:
        return {"error": str(error)}
    return {"error": None}


def read_only(work: Path, disk: Path, report: dict[str, Any]) -> None:
    db = str(disk / "store.json")
    pages = str(work / "pages")
    out = work / "home"
    os.environ |= env(work)
    report["app"] = asyncio.run(mark_note_and_export(make_app(disk / "store.json", exports=out / "exports")))
    report["exported"] = sorted(p.name for p in (out / "exports").iterdir())
    other = Marks.load(disk / "other.marks.json")
    report["damaged"] = {"notice": other.notice, "marks": [m.key for m in other], "read_only": other.read_only}
    report["app_zh"] = asyncio.run(first_notes(make_app(disk / "store.json", exports=out / "exports", language="zh")))
    report["search"] = run(work, "search", "党建", "--db", db, "--corpus", pages)
    report["export"] = run(work, "export", "--db", db, "--corpus", pages, "-o", str(out / "marks.md"))
    report["export_text"] = (out / "marks.md").read_text(encoding="utf-8") if (out / "marks.md").exists() else ""
    stale(work)
    report["stale_search"] = run(work, "search", "党建", "--db", db, "--corpus", pages)
    report["stale_build"] = run(work, "build", "--db", db, "--corpus", pages)
    report["stale_app"] = opened_by_baixiao(work, disk)


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
