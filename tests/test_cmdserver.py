"""The command server (issue 17): `baixiao search` from the shell answered by a warm process, with
the same output, errors and exit status as the command run on its own, and never a stale store."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tui import launch

from conftest import CORPUS

BAIXIAO = Path(sys.executable).with_name("baixiao")

pytestmark = pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="the command server needs Unix sockets")


@pytest.fixture
def env():
    """A shell's environment with servers on, their sockets in a folder of this test's (short: a
    socket's path must fit in about a hundred bytes)."""
    runtime = Path(tempfile.mkdtemp(prefix="bx-"))
    served = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "BAIXIAO_SERVER_IDLE": "60"}
    served.pop("BAIXIAO_NO_SERVER")
    yield served
    for lock in (runtime / "baixiao").glob("*.lock"):
        if pid := lock.read_text(encoding="utf-8").strip():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGTERM)
    shutil.rmtree(runtime, ignore_errors=True)


def baixiao(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BAIXIAO), *args], capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)


def sockets(env: dict[str, str]) -> list[Path]:
    return sorted(Path(env["XDG_RUNTIME_DIR"], "baixiao").glob("cmd-*.sock"))


def wait_for_server(env: dict[str, str]) -> Path:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for path in sockets(env):
            with socket.socket(socket.AF_UNIX) as probe:
                try:
                    probe.connect(str(path))
                    return path
                except OSError:
                    pass
        time.sleep(0.1)
    raise AssertionError(f"no server answered in {env['XDG_RUNTIME_DIR']}")


def served_without_numpy(proc: subprocess.CompletedProcess[str]) -> bool:
    """Run with PYTHONPROFILEIMPORTTIME: the client's own imports are on stderr."""
    imports = [line for line in proc.stderr.splitlines() if line.startswith("import time:")]
    return bool(imports) and not any(" numpy" in line for line in imports)


def test_a_served_search_prints_what_the_command_prints_on_its_own(built_db, env):
    args = ("--db", str(built_db), "--corpus", str(CORPUS))
    alone = {
        q: baixiao("search", *q, *args, env={**env, "BAIXIAO_NO_SERVER": "1"})
        for q in (("党建", "品牌"), ("党建品牌", "--json"), ('"党建 AND',), ("党建", "--limit", "many"))
    }
    assert [p.returncode for p in alone.values()] == [0, 0, 2, 2]
    first = baixiao("search", "党建", "品牌", *args, env=env)  # no server yet: runs here, starts one
    assert first.stdout == alone[("党建", "品牌")].stdout
    wait_for_server(env)
    for q, expected in alone.items():
        proc = baixiao("search", *q, *args, env={**env, "PYTHONPROFILEIMPORTTIME": "1"})
        assert served_without_numpy(proc), proc.stderr[-2000:]
        assert proc.returncode == expected.returncode
        assert proc.stdout == expected.stdout
        said = [line for line in proc.stderr.splitlines() if not line.startswith("import time:")]
        assert said == expected.stderr.splitlines()
    assert json.loads(alone[("党建品牌", "--json")].stdout)["total"] > 0


def test_a_served_search_sees_pages_added_since_the_server_warmed_its_store(tmp_path, env):
    pages = tmp_path / "pages"
    pages.mkdir()
    first, second = sorted(CORPUS.glob("*.txt"))[:2]
    shutil.copy(first, pages)
    db = tmp_path / "store.json"
    args = ("--db", str(db), "--corpus", str(pages))
    assert baixiao("build", *args, env=env).returncode == 0
    old, new = first.read_text(encoding="utf-8"), second.read_text(encoding="utf-8")
    term = next(t for t in ("劳动教育", "清廉", "少先队", "家校") if t in new and t not in old)
    before = baixiao("search", term, *args, env=env)
    assert "0 articles" in before.stdout
    wait_for_server(env)
    shutil.copy(second, pages)
    after = baixiao("search", term, *args, env={**env, "PYTHONPROFILEIMPORTTIME": "1"})
    assert served_without_numpy(after)
    assert after.returncode == 0
    assert "rebuilding" in after.stderr
    assert "0 articles" not in after.stdout
    again = baixiao("search", term, *args, env=env)  # the server warms the rebuilt store
    assert again.stdout == after.stdout
    assert "rebuilding" not in again.stderr


def test_without_a_private_folder_for_its_socket_no_server_is_used(built_db, env):
    shared = Path(env["XDG_RUNTIME_DIR"], "baixiao")
    shared.mkdir()
    shared.chmod(0o777)
    proc = baixiao("search", "党建", "--db", str(built_db), "--corpus", str(CORPUS), env=env)
    assert proc.returncode == 0 and "articles for" in proc.stdout
    time.sleep(1)
    assert list(shared.glob("*.sock")) == []


def test_a_dead_servers_socket_is_taken_over(built_db, env):
    key = subprocess.run([sys.executable, "-c", "from tui import launch; print(launch.code_key())"],
                         capture_output=True, text=True, encoding="utf-8", env=env, check=True).stdout.strip()
    path = Path(env["XDG_RUNTIME_DIR"], "baixiao", f"cmd-{key}.sock")
    path.parent.mkdir(mode=0o700, exist_ok=True)
    dead = socket.socket(socket.AF_UNIX)
    dead.bind(str(path))  # bound, never listening, then closed: what a killed server leaves
    dead.close()
    args = ("search", "党建", "--db", str(built_db), "--corpus", str(CORPUS))
    assert baixiao(*args, env=env).returncode == 0
    wait_for_server(env)
    proc = baixiao(*args, env={**env, "PYTHONPROFILEIMPORTTIME": "1"})
    assert proc.returncode == 0 and served_without_numpy(proc)
    assert sockets(env) == [path]


def test_an_idle_server_leaves_and_takes_its_socket(built_db, env):
    env = {**env, "BAIXIAO_SERVER_IDLE": "1"}
    assert baixiao("search", "党建", "--db", str(built_db), "--corpus", str(CORPUS), env=env).returncode == 0
    path = wait_for_server(env)
    deadline = time.monotonic() + 20
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not path.exists()


def test_the_server_is_named_by_the_code_it_runs(tmp_path):
    for package in ("store", "tui"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "mod.py").write_text("x = 1\n", encoding="utf-8")
    key = launch.code_key(tmp_path)
    assert launch.code_key(tmp_path) == key
    (tmp_path / "tui" / "mod.py").write_text("x = 22\n", encoding="utf-8")
    assert launch.code_key(tmp_path) != key


def test_the_entry_point_imports_nothing_heavy():
    """The point of the client: it starts in the time Python itself takes."""
    from conftest import python

    proc = python(
        "import sys, tui.launch\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('numpy', 'rich', 'store', 'textual', 'yaml', 'jieba')]\n"
        "print(heavy)\nraise SystemExit(1 if heavy else 0)\n"
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ctrl_c_stops_the_served_command_and_its_status_says_so(tmp_path, env):
    pages = tmp_path / "pages"
    shutil.copytree(CORPUS, pages, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    db = tmp_path / "store.json"
    args = ("search", "党建", "--db", str(db), "--corpus", str(pages))
    assert baixiao(*args, env=env).returncode == 0
    wait_for_server(env)
    for page in pages.glob("*.txt"):
        page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # stale: the fork rebuilds, for seconds
    client = subprocess.Popen([str(BAIXIAO), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    time.sleep(0.5)  # the rebuild of five pages takes seconds
    client.send_signal(signal.SIGINT)
    _out, err = client.communicate(timeout=60)
    assert client.returncode == 130, err.decode("utf-8", "replace")
    assert b"Traceback" not in err


def test_a_page_edited_in_place_with_the_same_size_is_seen_by_the_served_search(tmp_path, env):
    """The server skips the stat of every page while its watch on the folders sees nothing: an
    edit in place, the file's size unchanged, must still be seen."""
    pages = tmp_path / "pages"
    pages.mkdir()
    page = pages / "p.txt"
    source = sorted(CORPUS.glob("*.txt"))[0].read_text(encoding="utf-8")
    page.write_text(source, encoding="utf-8")
    db = tmp_path / "store.json"
    args = ("search", "鑫鑫鑫", "--db", str(db), "--corpus", str(pages))
    assert "0 articles" in baixiao(*args, env=env).stdout
    wait_for_server(env)
    assert "0 articles" in baixiao(*args, env=env).stdout  # served, and the watch is set
    first_line = next(line for line in source.splitlines() if len(line) >= 3 and "\u3000" not in line)
    edited = source.replace(first_line, "鑫鑫鑫" + first_line[3:], 1)
    assert len(edited.encode("utf-8")) == len(source.encode("utf-8"))
    with page.open("r+", encoding="utf-8") as f:  # in place: the same file, the same size
        f.write(edited)
    proc = baixiao(*args, env={**env, "PYTHONPROFILEIMPORTTIME": "1"})
    assert served_without_numpy(proc)
    assert "0 articles" not in proc.stdout, proc.stdout


def test_a_runtime_folder_too_deep_for_a_socket_gives_way_to_tmp(monkeypatch, tmp_path):
    deep = tmp_path / ("x" * 80)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(deep))
    assert launch.runtime_dir() == f"/tmp/baixiao-{os.getuid()}"
    monkeypatch.setenv("XDG_RUNTIME_DIR", "/tmp")
    assert launch.runtime_dir() == "/tmp/baixiao"
