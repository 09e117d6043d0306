"""The command server: a process with the store and the command line loaded, that runs each
command it is handed in a fork of itself (the client is `tui.launch`).

    python -m tui.cmdserver SOCKET [ARGS...]    # ARGS: the command whose store to warm first

A fork starts with everything its parent has loaded: the modules, and each store the server keeps
warm (`Store.keep_warm`: the index mapped, its columns and folding tables made). It takes the
client's standard streams, folder, environment and umask, runs `tui.cli.main`, and sends back the
exit status; whatever the command changes (the language, a rebuilt store) dies with the fork.
The server runs no command itself, so a command that fails, hangs or rebuilds the store holds up
no one.

It leaves when no command has come for IDLE seconds (BAIXIAO_SERVER_IDLE), when its code has
changed (its socket is no longer the one clients look for), or when its socket is gone. Only the
user's own processes reach it: the socket is in a folder only they can enter, and a peer of
another user is turned away.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import marshal
import os
import selectors
import signal
import socket
import struct
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from store import Store, StoreError, watch_corpus
from tui import cli
from tui.launch import LENGTH, socket_path

IDLE = 600.0
TICK = 5.0


def main(argv: Sequence[str]) -> int:
    path = Path(argv[0])
    server = Server(path, _seconds(os.environ.get("BAIXIAO_SERVER_IDLE"), IDLE))
    with contextlib.suppress(Exception, SystemExit):  # a store that cannot be warmed is opened cold by the command
        server.prepare(*cli.paths_of(cli.parse(argv[1:])))
    os.chdir("/")
    if server.listen():
        server.serve()
    return 0


def _seconds(value: str | None, default: float) -> float:
    try:
        return max(float(value or default), 1.0)
    except ValueError:
        return default


class Server:
    def __init__(self, path: Path, idle: float) -> None:
        self.path = path
        self.idle = idle
        self.listener: socket.socket | None = None
        self.inode = 0
        self.stores: dict[Path, Store] = {}
        self.selector = selectors.DefaultSelector()
        self.learned: set[tuple[int, str, bool]] = set()  # searches repeated here (`learn`)

    def listen(self) -> bool:
        """Bind the socket, unless another server already answers on it. The lock file beside it
        keeps two starting servers from both binding, and then holds the server's process id."""
        lock = os.open(f"{self.path}.lock", os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
                try:
                    probe.connect(str(self.path))
                    return False
                except OSError:
                    with contextlib.suppress(FileNotFoundError):
                        self.path.unlink()  # left by a server that died
            self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.listener.bind(str(self.path))
            self.listener.listen(16)
            self.inode = os.stat(self.path).st_ino
            os.ftruncate(lock, 0)
            os.write(lock, f"{os.getpid()}\n".encode())  # who serves, for `kill`
            return True
        finally:
            os.close(lock)

    def serve(self) -> None:
        assert self.listener is not None
        self.selector.register(self.listener, selectors.EVENT_READ)
        last = time.monotonic()
        try:
            while True:
                ready = self.selector.select(timeout=min(TICK, self.idle))
                _reap()
                for key, _ in ready:
                    if key.fileobj is self.listener:
                        conn, _ = self.listener.accept()
                        with conn:
                            self.handle(conn)
                        last = time.monotonic()
                    else:  # a fork has ended
                        self.selector.unregister(key.fileobj)
                        os.close(key.fd)
                        self.learn(key.data)
                if not ready and (time.monotonic() - last > self.idle or self.replaced()):
                    return
        finally:
            if self.ours():
                self.path.unlink()
            self.listener.close()

    def ours(self) -> bool:
        try:
            return os.stat(self.path).st_ino == self.inode
        except OSError:
            return False

    def replaced(self) -> bool:
        """Whether our socket is gone, another server's, or no longer the one clients look for
        (the code changed)."""
        return not self.ours() or socket_path() != str(self.path)

    def prepare(self, corpus: Path, db: Path) -> None:
        """Keep the store warm and the corpus watched for the forks (`watch_corpus`)."""
        self.warm(db)
        watch_corpus(corpus, db)

    def warm(self, db: Path) -> None:
        """Keep this store warm, again once a rebuild has replaced it."""
        db = db.absolute()
        known = self.stores.get(db)
        try:
            store = Store.open(db)
            if known is not None and store.index is known.index:
                return
            store.keep_warm()
        except (StoreError, OSError):
            return
        self.stores[db] = store
        self.learned.clear()  # what an index replaced had learned

    def handle(self, conn: socket.socket) -> None:
        """Read a command, warm its store, and run it in a fork, which answers the client."""
        try:
            req, fds = _receive(conn)
        except (OSError, ValueError, KeyError, TypeError, EOFError, struct.error):
            return
        lesson = None
        ended, ending = os.pipe()  # the fork holds the write end: it reads as ended when the fork does
        try:
            with contextlib.suppress(Exception, SystemExit), _as_client(req):  # the fork says what is wrong
                args = cli.parse(req["argv"])
                corpus, db = cli.paths_of(args)
                self.prepare(corpus, db)
                if args.command == "search" and (store := self.stores.get(db.absolute())):
                    lesson = (store, args.query, args.reprints)
            if os.fork() == 0:
                assert self.listener is not None
                self.listener.close()
                os.close(ended)
                _child(conn, fds, req)
        finally:
            for fd in (*fds, ending):
                os.close(fd)
        self.selector.register(ended, selectors.EVENT_READ, lesson)

    def learn(self, lesson: tuple[Store, str, bool] | None) -> None:
        """Repeat a search a fork ran, once it has answered: the lists a search decodes stay
        decoded here for the next one (a fork's own work ends with it)."""
        if lesson is None or (id(lesson[0].index), *lesson[1:]) in self.learned:
            return
        store, query, reprints = lesson
        with contextlib.suppress(Exception):
            store.search(query, reprints=reprints)
        self.learned.add((id(store.index), query, reprints))


def _receive(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """The request (see `tui.launch.request`) and the client's three standard streams."""
    if hasattr(socket, "SO_PEERCRED"):
        _pid, uid, _gid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))
        if uid != os.getuid():
            raise ValueError("a peer of another user")
    data, fds, _flags, _addr = socket.recv_fds(conn, 1 << 16, 3)
    try:
        want = LENGTH.size + LENGTH.unpack_from(data)[0]
        while len(data) < want:
            chunk = conn.recv(want - len(data))
            if not chunk:
                raise ValueError("cut short")
            data += chunk
        if len(fds) != 3:
            raise ValueError("without its streams")
        req = marshal.loads(data[LENGTH.size : want])
        return {key: req[key] for key in ("argv", "cwd", "env", "umask", "encoding", "errors")}, fds
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise


@contextlib.contextmanager
def _as_client(req: dict[str, Any]) -> Iterator[None]:
    """The client's environment and folder, for the moment it takes to find its store."""
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    try:
        _become(req)
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        os.chdir(saved_cwd)


def _become(req: dict[str, Any]) -> None:
    os.environ.clear()
    os.environ.update(req["env"])
    os.chdir(req["cwd"])


def _reap() -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def _child(conn: socket.socket, fds: list[int], req: dict[str, Any]) -> None:
    """In the fork: become the client's process, run its command, send the status, and exit."""
    status = 1
    gc.freeze()  # what the server made is never the fork's garbage: a full pass over it would copy its pages
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        conn.sendall(LENGTH.pack(os.getpid()))
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        encoding, errors = req["encoding"], req["errors"]
        sys.stdin = open(0, encoding=encoding, closefd=False)  # noqa: SIM115
        sys.stdout = open(1, "w", encoding=encoding, errors=errors, closefd=False, buffering=1 if os.isatty(1) else -1)  # noqa: SIM115
        sys.stderr = open(2, "w", encoding=encoding, errors="backslashreplace", closefd=False, buffering=1)  # noqa: SIM115
        _become(req)
        os.umask(req["umask"])
        sys.argv = ["baixiao", *req["argv"]]
        status = _run(req["argv"])
    except BaseException:
        import traceback

        with contextlib.suppress(OSError):
            os.write(2, traceback.format_exc().encode())  # a bug: said where the command's errors go
    finally:
        with contextlib.suppress(BaseException):
            conn.sendall(LENGTH.pack(status))
        os._exit(0)


def _run(argv: list[str]) -> int:
    """`tui.cli.main` as the `baixiao` command runs it: its status, SystemExit's, or 1 after a
    traceback; the streams flushed."""
    try:
        status = cli.main(argv)
    except SystemExit as done:
        code = done.code
        if isinstance(code, str):
            sys.stderr.write(code + "\n")
        status = code if isinstance(code, int) else (0 if code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
        status = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
