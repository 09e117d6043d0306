"""The user's marks and notes survive damage, crashes and a second window."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store.userdata.marks import Marks


def notes(path: Path) -> dict[str, str]:
    return {m["key"]: m["note"] for m in json.loads(path.read_text(encoding="utf-8"))["marks"]}


@pytest.mark.parametrize("damage", [b"", b'{"version": 1, "marks": [{"kind": "school", "ke', b"\x00\xff not json", b"[1, 2]"])
def test_a_damaged_file_is_moved_aside_and_the_backup_restored(tmp_path, damage):
    path = tmp_path / "store.marks.json"
    Marks.load(path).annotate("school", "金兴小学", "第二批")
    Marks.load(path)  # the session's first good read: backed up
    path.write_bytes(damage)
    marks = Marks.load(path)
    assert marks.get("school", "金兴小学").note == "第二批"
    assert "moved to" in marks.notice and "backup" in marks.notice
    aside = list(tmp_path.glob("store.marks.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == damage
    assert notes(path) == {"金兴小学": "第二批"}


def test_without_a_backup_the_damaged_file_is_kept_and_the_user_told(tmp_path):
    path = tmp_path / "store.marks.json"
    path.write_text("{broken", encoding="utf-8")
    marks = Marks.load(path)
    assert len(marks) == 0 and "no backup" in marks.notice
    assert [p.read_text(encoding="utf-8") for p in tmp_path.glob("*.corrupt-*")] == ["{broken"]


def test_two_windows_never_undo_each_others_notes(tmp_path):
    path = tmp_path / "store.marks.json"
    first, second = Marks.load(path), Marks.load(path)
    first.annotate("school", "金兴小学", "from the first")
    second.annotate("school", "朝阳小学", "from the second")  # loaded before the first wrote
    first.toggle("article", "000_a/1")
    assert notes(path) == {"金兴小学": "from the first", "朝阳小学": "from the second", "000_a/1": ""}
    assert len(first) == 3
    second.refresh()
    assert second.get("article", "000_a/1") is not None and len(second) == 3


WRITER = """
import sys
from pathlib import Path
from store.userdata.marks import Marks
marks = Marks.load(Path(sys.argv[1]))
for n in range(int(sys.argv[3])):
    marks.annotate("school", f"{sys.argv[2]}{n}", f"note {n}")
"""


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "store.marks.json"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), name, "40"], env=env) for name in "AB"]
    assert [w.wait(timeout=60) for w in writers] == [0, 0]
    assert len(notes(path)) == 80


def test_killed_at_any_moment_the_file_holds_every_confirmed_note(tmp_path):
    """50 times: a forked writer adds notes, reporting each once saved, and is SIGKILLed at a
    random moment; the file is then valid JSON with every reported note."""
    path = tmp_path / "store.marks.json"
    rng = random.Random(0)
    confirmed: set[str] = set()
    for round_ in range(50):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the writer
            os.close(read)
            marks = Marks.load(path)
            for n in range(10_000):
                key = f"{round_}-{n}"
                marks.annotate("school", key, f"note {key}")
                os.write(write, f"{key}\n".encode())
            os._exit(0)
        os.close(write)
        time.sleep(rng.uniform(0, 0.05))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        with os.fdopen(read, encoding="utf-8") as reports:
            confirmed.update(line.strip() for line in reports if line.endswith("\n"))
        saved = notes(path)  # valid JSON, or this raises
        assert confirmed <= saved.keys()
        assert all(saved[key] == f"note {key}" for key in confirmed)
    assert len(confirmed) > 50


def test_temp_files_a_killed_writer_left_are_removed_at_the_next_start(tmp_path):
    path = tmp_path / "store.marks.json"
    old, fresh = tmp_path / ".store.marks.json.abc.tmp", tmp_path / ".store.marks.json.def.tmp"
    old.write_text("{", encoding="utf-8")
    fresh.write_text("{", encoding="utf-8")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    Marks.load(path)
    assert not old.exists() and fresh.exists()  # a live writer's temp file is left alone


def test_a_saved_search_is_added_once_and_read_back(tmp_path):
    marks = Marks.load(tmp_path / "m.json")
    assert marks.add("search", "党建 品牌") is True
    assert Marks.load(tmp_path / "m.json").add("search", "党建 品牌") is False  # another window saved it
    marks.annotate("search", "党建 品牌", "每周看")
    (saved,) = Marks.load(tmp_path / "m.json").of("search")
    assert (saved.key, saved.note) == ("党建 品牌", "每周看") and saved.added
