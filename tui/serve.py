"""`baixiao serve`: the app in web browsers, through textual-serve.

textual-serve answers the page (xterm.js) and, for each websocket a tab opens, starts the app
in a process of its own (`tui.served`) and passes keys and screen between the two. So every tab
is its own session over the same store, and marks are shared through the marks file as between
two terminals.

The address is bound here, before textual-serve is handed the sockets: a port in use or an
address that is not this computer's is one line and exit status 2, not a traceback from inside
aiohttp, and `--port 0` takes any free port (the address printed is the real one).

The page is textual-serve's, with three changes: its addresses are those the browser used (so
`--host 0.0.0.0` gives a page that works from another computer, where textual-serve would send
it to ws://0.0.0.0), the Roboto Mono font comes from textual-serve's own files instead of Google
Fonts (no request leaves for the internet, and a computer offline draws the same page), and a
websocket from another site's page is refused (any page a browser shows may open a websocket
to localhost: without this one could drive the app).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import ipaddress
import logging
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import WSCloseCode, web
from rich.console import Console
from rich.logging import RichHandler
from rich.text import Text
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from store import _

TITLE = "baixiao 百校"
SHUTDOWN = 2.0  # seconds a tab's app has to leave once the server is stopped
GOOGLE_FONTS = re.compile(r'<link\s[^>]*href="https://fonts\.googleapis\.com/[^"]*"[^>]*>', re.S)
FONT = "fonts/RobotoMono-VariableFont_wght.ttf"  # in textual-serve's static folder
HOST = re.compile(r"[A-Za-z0-9.\-]+(:\d+)?|\[[0-9A-Fa-f:.]+(%\w+)?\](:\d+)?")  # a Host header that names a host
# Keys go to the app as soon as the page is open, without a click first (this runs after
# textual-serve's own handler, which makes the terminal). The app, told nothing of it (the page's
# word goes before its websocket is open), starts focused all the same: `tui.served.PageDriver`.
FOCUS = '<script>window.addEventListener("load", () => document.querySelector(".xterm-helper-textarea")?.focus());</script>'

log = logging.getLogger("textual-serve")


def serve(db: Path, host: str, port: int, language: str | None, err: Console) -> int:
    """Serve the app over the store at `db` (built and current already) until Ctrl-C; the exit
    status (2 when the address cannot be listened on)."""
    try:
        sockets = listen(host, port)
    except OSError as error:
        err.print(Text(_("baixiao: error: {error}").format(error=_cannot_listen(host, port, error))), style="red",
                  highlight=False)
        return 2
    port = sockets[0].getsockname()[1]
    local = all(_is_loopback(s.getsockname()[0]) for s in sockets)
    out = Console(soft_wrap=True)
    url = address_url(host, port)
    out.print(Text(_("Serving baixiao at {url}").format(url=url)), highlight=False)
    if local:
        out.print(Text(_("Open it in a web browser: every tab is a session of its own. Only this computer can reach it "
                         "(--host 0.0.0.0 serves it to the network). Ctrl+C stops it.")), highlight=False)
    else:
        out.print(Text(_("Open it in a web browser: every tab is a session of its own. Ctrl+C stops it.")), highlight=False)
        warning = _("the app is reachable from the network (listening on {address}): anyone who can reach this "
                    "computer can read the store and change the marks").format(address=_host_port(host, port))
        err.print(Text(_("warning: {warning}").format(warning=warning)), style="yellow", highlight=False)
    sys.stdout.flush()
    server = BaixiaoServer(app_command(db, language), names={host.lower()} if local else None, err=err)
    try:
        asyncio.run(server.run(sockets))
    except OSError as error:
        err.print(Text(_("baixiao: error: {error}").format(error=error)), style="red", highlight=False)
        return 2
    except KeyboardInterrupt:  # where the loop had no signal handlers (Windows)
        return 0
    finally:
        for sock in sockets:
            sock.close()
    return 0


def app_command(db: Path, language: str | None) -> str:
    """The shell command textual-serve runs for each tab: this Python, the app over `db`."""
    argv = [sys.executable, "-m", "tui.served", "--db", str(db.resolve())]
    if language:
        argv += ["--lang", language]
    if os.name == "posix":
        return "exec " + shlex.join(argv)  # the shell gives way to the app: stopping it stops the app
    return subprocess.list2cmdline(argv)


def listen(host: str, port: int) -> list[socket.socket]:
    """Listening sockets on every address `host` names (both of localhost's, for one), on `port`
    (0: a free one, the same for all); OSError when any cannot be had (socket.gaierror for an
    unknown host, EINVAL for a port out of range)."""
    if not 0 <= port <= 65535:
        raise OSError(errno.EINVAL, "port out of range")
    infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    sockets: list[socket.socket] = []
    seen = set()
    try:
        for family, kind, proto, _name, address in infos:
            if (family, address[0]) in seen:
                continue
            seen.add((family, address[0]))
            sock = socket.socket(family, kind, proto)
            sockets.append(sock)
            if os.name == "posix":  # a restart within a minute of the last (TIME_WAIT); never a port in use
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            if sockets[1:]:  # the port the first one got
                address = (address[0], sockets[0].getsockname()[1], *address[2:])
            sock.bind(address)
            sock.listen(128)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def address_url(host: str, port: int) -> str:
    """The address to open on this computer: an address of any interface is opened as 127.0.0.1."""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return f"http://{host or '127.0.0.1'}:{port}/"
    if ip.is_unspecified:
        return f"http://127.0.0.1:{port}/" if ip.version == 4 else f"http://[::1]:{port}/"
    return f"http://[{ip}]:{port}/" if ip.version == 6 else f"http://{ip}:{port}/"


def _host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host or '*'}:{port}"


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%")[0]).is_loopback
    except ValueError:
        return False


def _cannot_listen(host: str, port: int, error: OSError) -> str:
    """Why the address cannot be listened on, said for the person who typed it."""
    where = _host_port(host, port)
    if isinstance(error, socket.gaierror):
        reason = _("no such host: {host}").format(host=host)
    elif error.errno == errno.EADDRINUSE:
        reason = _("the port is in use (choose another with --port, or 0 for any free one)")
    elif error.errno == errno.EACCES:
        reason = _("permission denied (ports below 1024 are for root; choose another with --port)")
    elif error.errno == errno.EADDRNOTAVAIL:
        reason = _("{host} is not an address of this computer").format(host=host)
    elif error.errno == errno.EINVAL and not 0 <= port <= 65535:
        reason = _("the port is a number from 0 to 65535")
    else:
        reason = error.strerror or str(error)
    return _("cannot listen on {address}: {reason}").format(address=where, reason=reason)


class BaixiaoServer(Server):
    """textual-serve's server on sockets bound already, quiet but for what goes wrong, stopped
    by Ctrl-C or SIGTERM (its tabs' apps told to quit)."""

    def __init__(self, command: str, *, names: set[str] | None, err: Console) -> None:
        """`names`: served to this computer only, the names (besides localhost and loopback
        addresses) a browser may reach it by; None: served to the network."""
        super().__init__(command, title=TITLE)
        self.names = names
        self.console = err
        self.tabs: dict[web.WebSocketResponse, asyncio.Task[Any] | None] = {}  # each open tab's websocket and handler

    def initialize_logging(self) -> None:
        """textual-serve's warnings and errors (an app that did not start, with what it said),
        on stderr; nothing of each request."""
        if not any(isinstance(handler, RichHandler) for handler in log.handlers):
            log.addHandler(RichHandler(console=self.console, show_time=False, show_path=False, markup=False))
        log.setLevel(logging.WARNING)
        log.propagate = False

    async def on_startup(self, app: web.Application) -> None:
        """(textual-serve prints its logo here; `serve` has said where it is, in the reader's language.)"""

    async def on_shutdown(self, app: web.Application) -> None:
        """Every tab's websocket is closed, which ends its handler: its app is told to quit and
        waited for (aiohttp would wait for each browser to close its tab)."""
        handlers = [task for task in self.tabs.values() if task is not None]
        await asyncio.gather(*(websocket.close(code=WSCloseCode.GOING_AWAY) for websocket in list(self.tabs)),
                             return_exceptions=True)
        if handlers:
            await asyncio.wait(handlers, timeout=SHUTDOWN)

    async def run(self, sockets: list[socket.socket]) -> None:
        self.initialize_logging()
        runner = web.AppRunner(await self._make_app(), access_log=None, shutdown_timeout=SHUTDOWN)
        await runner.setup()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, stop.set)
        try:
            for sock in sockets:
                await web.SockSite(runner, sock).start()
            await stop.wait()
        finally:
            await runner.cleanup()

    def _allowed(self, request: web.Request) -> bool:
        """A request from this server's own page: a browser names the page's site in Origin, which
        must be this server as the browser reached it; and served to this computer only, that must
        be by a name of this computer (not another site's name that now points here)."""
        if not HOST.fullmatch(request.host):  # it goes into the page's addresses
            return False
        origin = request.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc != request.host:
            return False
        if self.names is None:
            return True
        name = urlsplit(f"//{request.host}").hostname or ""
        return name in self.names or name == "localhost" or name.endswith(".localhost") or _is_loopback(name)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """textual-serve's page, with addresses as the browser reached this server."""
        if not self._allowed(request):
            raise web.HTTPForbidden(text="baixiao serve: this page is served to this computer's own addresses only")
        base = f"{request.scheme}://{request.host}"
        websocket = ("wss" if request.scheme == "https" else "ws") + base[len(request.scheme):]
        static = f"{base}/static/"
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": websocket + str(request.app.router["websocket"].url_for()),
            "config": {"static": {"url": static}},
            "application": {"name": self.title},
        }
        page = aiohttp_jinja2.render_string("app_index.html", request, context)
        font = f'<style>@font-face {{ font-family: "Roboto Mono"; src: url("{static}{FONT}"); }}</style>'
        page = GOOGLE_FONTS.sub(lambda _match: font, page, count=1)
        page = page.replace("<head>", f"<head>\n    <title>{TITLE}</title>", 1)
        page = page.replace("</body>", f"{FOCUS}\n  </body>", 1)
        return web.Response(text=page, content_type="text/html")

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """A tab: its app started, and keys and screen passed between the two until either
        closes (textual-serve's handler, but the websocket kept, to close it on shutdown)."""
        if not self._allowed(request):
            log.warning(_("refused a connection from a page of another site ({origin})").format(
                origin=request.headers.get("Origin", "?")))
            raise web.HTTPForbidden(text="baixiao serve: another site's page may not open the app")
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)

        async def close() -> None:  # the app has left
            await websocket.close()

        service = AppService(self.command, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                             close=close, download_manager=self.download_manager, debug=self.debug)
        self.tabs[websocket] = asyncio.current_task()
        try:
            await service.start(to_int(request.query.get("width", "80"), 80), to_int(request.query.get("height", "24"), 24))
            await self._process_messages(websocket, service)
        except OSError as error:  # no process could be started for it
            log.error(_("a tab's app could not be started: {error}").format(error=error))
        finally:
            del self.tabs[websocket]
            await service.stop()  # the app told to quit, and waited for
            await websocket.close()
        return websocket
