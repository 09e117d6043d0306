"""`baixiao serve`: the app served to web browsers, as a user starts it (a real process on a real
port; the browser itself is test_browser.py's).

Servers listen on `--port 0` (any free port; the address printed is the real one), so tests side
by side never race for a port, and each is started in a session of its own and stopped with
everything it started."""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import os
import queue
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.serve import address_url, app_command

DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy the environment names


class Served:
    """A `baixiao serve` process, its output read line by line as it comes (stderr with stdout)."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, needle: str, timeout: float = 30) -> str:
        """The first line (read so far or to come) holding `needle`."""
        deadline = time.monotonic() + timeout
        for line in self.lines:
            if needle in line:
                return line
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                raise AssertionError(f"baixiao serve ended ({self.proc.wait()}) before {needle!r}:\n" + "\n".join(self.lines))
            self.lines.append(line)
            if needle in line:
                return line
        raise AssertionError(f"{needle!r} never came; baixiao serve said:\n" + "\n".join(self.lines))

    @property
    def url(self) -> str:
        """The address it says to open (its first line, in any language)."""
        found = re.search(r"http://\S+/", self.wait_for("http://"))
        assert found, self.lines
        return found.group()

    def output(self) -> str:
        """Everything it said, once it has ended."""
        while (line := self._queue.get(timeout=10)) is not None:
            self.lines.append(line)
        return "\n".join(self.lines)


@contextlib.contextmanager
def serving(db: Path, *args: str, cwd: Path, lang: str | None = None) -> Iterator[Served]:
    """`baixiao [--lang LANG] serve --db DB ARGS` running, its own HOME and folders under `cwd` (the tabs' apps
    write their exports there); stopped, with every tab's app, when the block ends."""
    home = cwd / "home"
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_CACHE_HOME": str(home / "cache"),
           "XDG_CONFIG_HOME": str(home / "config"), "BAIXIAO_NO_SERVER": "1"}
    language = ["--lang", lang] if lang else []
    proc = subprocess.Popen([sys.executable, "-m", "tui.cli", *language, "serve", "--db", str(db), *args], cwd=cwd, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, encoding="utf-8", start_new_session=True)
    try:
        yield Served(proc)
    finally:
        stop(proc)


def stop(proc: subprocess.Popen[str]) -> None:
    """End the server and all it started (its process group), however it is doing."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):  # a tab's app still leaving
        os.killpg(proc.pid, signal.SIGKILL)


def get(url: str, timeout: float = 30) -> tuple[int, str]:
    """GET `url`, asked again until the server answers."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with DIRECT.open(url, timeout=5) as response:
                return response.status, response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def run_serve(db: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tui.cli", "serve", "--db", str(db), *args], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("baixiao: error: ")
    for needle in needles:
        assert needle in lines[0]
    assert proc.stdout == ""  # nothing said of serving


def test_a_port_in_use_is_one_line_and_status_2(db, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = run_serve(db, "--port", str(port), cwd=tmp_path)
    assert_one_line_error(proc, f"cannot listen on 127.0.0.1:{port}", "the port is in use", "--port")


@pytest.mark.parametrize(("args", "said"), [
    (("--host", "192.0.2.1"), "192.0.2.1 is not an address of this computer"),  # TEST-NET-1: nobody's
    (("--port", "70000"), "the port is a number from 0 to 65535"),
])
def test_an_address_that_cannot_be_had_is_one_line_and_status_2(db, tmp_path, args, said):
    assert_one_line_error(run_serve(db, *args, cwd=tmp_path), said)


def test_by_default_it_serves_this_computer_only_and_answers_the_page(db, tmp_path):
    with serving(db, "--port", "0", cwd=tmp_path) as served:
        assert served.wait_for("http://").startswith("Serving baixiao at http://127.0.0.1:")
        url = served.url
        served.wait_for("Only this computer can reach it")
        status, page = get(url)
    assert status == 200
    assert 'class="textual-terminal"' in page
    port = url.rstrip("/").rsplit(":", 1)[1]
    assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page
    assert "<title>baixiao 百校</title>" in page
    assert "googleapis" not in page  # the font is served from here: the page asks nothing of the internet
    assert "warning" not in "\n".join(served.lines)


def test_any_other_host_warns_that_the_network_can_reach_it(db, tmp_path):
    with serving(db, "--host", "0.0.0.0", "--port", "0", cwd=tmp_path) as served:
        port = served.url.rstrip("/").rsplit(":", 1)[1]
        warning = served.wait_for("warning:")
        # the page's addresses are those the browser used, not 0.0.0.0
        assert 'ws://127.0.0.1:' in get(served.url)[1]
    assert f"reachable from the network (listening on 0.0.0.0:{port})" in warning
    assert "anyone who can reach this computer can read the store and change the marks" in warning
    assert "Only this computer" not in "\n".join(served.lines)


def test_another_sites_page_may_not_open_the_app(db, tmp_path):
    """Any page a browser shows may open a websocket to localhost, or name another site that
    points here: neither gets the app."""
    with serving(db, "--port", "0", cwd=tmp_path) as served:
        url = served.url
        get(url)
        port = int(url.rstrip("/").rsplit(":", 1)[1])

        def status(path: str, headers: dict[str, str]) -> int:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                conn.request("GET", path, headers=headers)
                return conn.getresponse().status
            finally:
                conn.close()

        upgrade = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
                   "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
        assert status("/ws", {**upgrade, "Origin": "https://example.com"}) == 403
        assert status("/ws", {**upgrade, "Host": f"rebound.example:{port}", "Origin": f"http://rebound.example:{port}"}) == 403
        assert status("/", {"Host": f"rebound.example:{port}"}) == 403
        assert status("/", {"Host": '127.0.0.1"><script>'}) == 403  # the page's addresses are made from it
        assert status("/ws", {**upgrade, "Origin": f"http://127.0.0.1:{port}"}) == 101
        served.wait_for("refused a connection from a page of another site (https://example.com)")


def test_the_app_command_is_this_python_over_the_same_store(tmp_path):
    db = tmp_path / "my pages" / "store.json"  # a space: quoted for the shell
    command = app_command(db, "zh")
    assert command.startswith("exec ")  # the shell gives way to the app
    assert shlex.split(command)[1:] == [sys.executable, "-m", "tui.served", "--db", str(db.resolve()), "--lang", "zh"]
    assert "--lang" not in app_command(db, None)


def test_the_address_to_open():
    assert address_url("127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    assert address_url("0.0.0.0", 8000) == "http://127.0.0.1:8000/"
    assert address_url("::", 8000) == "http://[::1]:8000/"
    assert address_url("::1", 8000) == "http://[::1]:8000/"
    assert address_url("localhost", 80) == "http://localhost:80/"


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(n) for n in path.read_text(encoding="utf-8").split()] if path.exists() else []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads the server's children from /proc (Linux)")
def test_each_tab_is_an_app_of_its_own_and_ctrl_c_ends_them_all(db, tmp_path):
    from aiohttp import ClientSession, WSMsgType

    with serving(db, "--port", "0", cwd=tmp_path, lang="zh") as served:
        ws_url = served.url.replace("http://", "ws://") + "ws?width=100&height=30"

        async def two_tabs() -> dict[int, list[str]]:
            async with ClientSession() as session:
                tabs = [await session.ws_connect(ws_url), await session.ws_connect(ws_url)]
                for tab in tabs:  # each draws its screen
                    drawn = 0
                    while drawn < 1000:
                        message = await asyncio.wait_for(tab.receive(), timeout=30)
                        assert message.type == WSMsgType.BINARY, message
                        drawn += len(message.data)
                apps = {pid: Path(f"/proc/{pid}/cmdline").read_text(encoding="utf-8").split("\0")[:-1]
                        for pid in children(served.proc.pid)}
                # Ctrl-C in the terminal: the whole foreground group gets SIGINT
                os.killpg(served.proc.pid, signal.SIGINT)
                for tab in tabs:  # the server closes each tab
                    while (await asyncio.wait_for(tab.receive(), timeout=10)).type not in (WSMsgType.CLOSE, WSMsgType.CLOSED):
                        pass
                return apps

        apps = asyncio.run(two_tabs())
        assert served.proc.wait(timeout=10) == 0
        said = served.output()
    # two apps, started as `serve` was asked: this Python, the app over this store, in Chinese
    assert len(apps) == 2
    for argv in apps.values():
        assert argv == [sys.executable, "-m", "tui.served", "--db", str(db.resolve()), "--lang", "zh"]
    for pid in apps:  # and gone with the server
        assert not Path(f"/proc/{pid}").exists()
    assert "Traceback" not in said
    assert "Error" not in said
