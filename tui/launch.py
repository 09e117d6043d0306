"""The `baixiao` command's entry point: a search is handed to a warm command server when one is
running, else run here, and a server is started for the next one.

A fresh Python that imports numpy, Rich and the store takes a quarter of a second before it
searches; ripgrep answers in a twentieth. So, as Mercurial's chg and Bazel's client do, this
module imports nothing heavy: it passes its standard streams (the file descriptors themselves,
over a Unix socket), working folder, environment, umask and arguments to a server that has
everything loaded, which forks and runs the command in the fork exactly as this process would
have (`tui.cmdserver`); the fork writes straight to this terminal and this process exits with
its status. A signal this process receives is passed on to the fork.

Only `search` goes to a server, and never when BAIXIAO_NO_SERVER is set or the platform has no
Unix sockets. The server is per user and per installed code: its socket sits in a folder only
the user can enter, named by a hash of the code's files, so an edit or an upgrade starts a new
server and the old one exits.
"""

from __future__ import annotations

import _socket  # the C module under `socket`: the wrapper's enum set-up is a tenth of this start
import contextlib
import marshal
import os
import signal
import struct
import sys
import zlib
from collections.abc import Sequence

SERVED = ("search",)
OPTIONS_WITH_VALUES = ("--db", "--corpus", "--lang")
PACKAGES = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LENGTH = struct.Struct("!I")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    served = _served(args) and _enabled()
    if served:
        try:
            status = _ask_server(args)
        except KeyboardInterrupt:  # before the server said which fork to pass it on to
            return 130
        if status is not None:
            return status
    from tui.cli import main as run

    status = run(args)
    if served:
        _start_server(args)
    return status


def _served(args: Sequence[str]) -> bool:
    """Whether the command (the first argument that is not a main option) is one a server runs."""
    rest = iter(args)
    for arg in rest:
        if arg in OPTIONS_WITH_VALUES:
            next(rest, None)
        elif not arg.startswith("-"):
            return arg in SERVED
        elif arg in ("-h", "--help", "--config-path"):
            return False
    return False


def _enabled() -> bool:
    return hasattr(_socket, "AF_UNIX") and hasattr(_socket, "SCM_RIGHTS") and not os.environ.get("BAIXIAO_NO_SERVER")


def runtime_dir() -> str | None:
    """The folder for the user's server sockets, made private; None when it cannot be made so.
    A socket's path must fit in about a hundred bytes: a long $XDG_RUNTIME_DIR gives way to /tmp."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    fallback = f"/tmp/baixiao-{os.getuid()}"
    folder = os.path.join(runtime, "baixiao") if runtime and len(os.fsencode(runtime)) < 60 else fallback
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return None
    private = info.st_uid == os.getuid() and (info.st_mode & 0o077) == 0 and stat_is_dir(info.st_mode)
    return folder if private else None


def stat_is_dir(mode: int) -> bool:
    return (mode & 0o170000) == 0o040000  # S_ISDIR, without importing `stat`


def code_key(packages: str | os.PathLike[str] = PACKAGES) -> str:
    """A checksum of the interpreter and of every file of the code (name, size, modification
    time): it names the server, so a server never runs code other than what this process would."""
    seen = [sys.executable, sys.version, os.fspath(packages)]
    for package in ("store", "tui"):
        for root, folders, files in os.walk(os.path.join(packages, package)):
            folders[:] = sorted(f for f in folders if f != "__pycache__")
            for name in sorted(files):
                info = os.stat(os.path.join(root, name))
                seen.append(f"{root}/{name}:{info.st_size}:{info.st_mtime_ns}")
    for entry in sys.path[1:]:  # an installed or upgraded package changes its folder's time (not the script's folder)
        if entry and os.path.isdir(entry):
            seen.append(f"{entry}:{os.stat(entry).st_mtime_ns}")
    text = "\n".join(seen).encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(text):08x}{zlib.adler32(text):08x}"


def socket_path() -> str | None:
    folder = runtime_dir()
    return None if folder is None else os.path.join(folder, f"cmd-{code_key()}.sock")


def request(args: Sequence[str]) -> bytes:
    """What the server needs to run the command as this process would (in `marshal`'s format:
    the server is the same Python, named by `code_key`)."""
    umask = os.umask(0o022)
    os.umask(umask)
    out = sys.stdout
    body = marshal.dumps({
        "argv": list(args),
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "umask": umask,
        "encoding": getattr(out, "encoding", None) or "utf-8",
        "errors": getattr(out, "errors", None) or "strict",
    })
    return LENGTH.pack(len(body)) + body


def _ask_server(args: Sequence[str]) -> int | None:
    """The command's exit status as the server ran it, or None when no server took it (nothing
    has run, so the caller runs it here)."""
    path = socket_path()
    if path is None:
        return None
    conn = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        conn.connect(path)
        streams = struct.pack("3i", *_streams())
        data = request(args)
        sent = conn.sendmsg([data], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, streams)])
        conn.sendall(data[sent:])
        pid = _read_int(conn)
    except (OSError, ValueError):
        conn.close()
        return None
    if pid is None:  # the server was leaving as we came
        conn.close()
        return None
    return _wait(conn, pid)


def _streams() -> list[int]:
    """This process's standard streams; one that is closed is passed as the null device."""
    fds = []
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
            fds.append(fd)
        except OSError:
            fds.append(os.open(os.devnull, os.O_RDWR))
    return fds


def _wait(conn: _socket.socket, pid: int) -> int:
    """Pass on signals to the fork running the command until it reports its status."""
    forwarded: list[int] = []

    def forward(signum: int, _frame: object) -> None:
        forwarded.append(signum)
        with contextlib.suppress(OSError):
            os.kill(pid, signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, forward)
    try:
        status = _read_int(conn)
    except (OSError, ValueError):
        status = None
    finally:
        conn.close()
    if status is not None:
        return status
    if forwarded:
        return 128 + forwarded[-1]
    sys.stderr.write("baixiao: the command server stopped before the command ended; run it again\n")
    return 1


def _read_int(conn: _socket.socket) -> int | None:
    """One 4-byte number, or None at the end of the stream."""
    data = b""
    while len(data) < LENGTH.size:
        chunk = conn.recv(LENGTH.size - len(data))
        if not chunk:
            return None
        data += chunk
    return int(LENGTH.unpack(data)[0])


def _start_server(args: Sequence[str]) -> None:
    """Start a server for the next command, detached from this terminal; it opens this command's
    store while no one waits for it, and leaves at once if another has started meanwhile.
    Nothing is said when it cannot be started."""
    path = socket_path()
    if path is None:
        return
    import subprocess

    with contextlib.suppress(OSError):
        subprocess.Popen(
            [sys.executable, "-m", "tui.cmdserver", path, *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, close_fds=True,
        )


if __name__ == "__main__":
    raise SystemExit(main())
