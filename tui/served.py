"""One browser tab's app: what `baixiao serve` runs (through textual-serve) for each tab.

    python -m tui.served --db PATH [--lang zh|en]

The app over the store at PATH, which `baixiao serve` has built or checked already: never
rebuilt here (a tab opens in the time the app takes to start). Keys and screen go through this
process's standard streams to textual-serve, which passes them to the browser.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from textual import events
from textual.drivers.web_driver import WebDriver

from store import LANGUAGES, StoreError, _


class PageDriver(WebDriver):
    """Textual's web driver, but the app starts with focus, as the page's terminal does
    (`tui.serve` gives it focus as the page opens; that word is lost, sent before the websocket
    is open). Textual's driver starts the app as if the page had lost focus, and then takes the
    first key as a click that brings focus back; keys typed quickly after it were handled before
    it, or lost."""

    def start_application_mode(self) -> None:
        super().start_application_mode()  # which ends by posting AppBlur, after what is queued
        self._app.call_later(self._app.post_message, events.AppFocus())  # after it, in order


def main(argv: Sequence[str] | None = None) -> int:
    # Ctrl-C in the terminal that runs `baixiao serve` reaches its whole process group: the server
    # stops and tells each tab's app to quit; the app must not die of the signal on its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parser = argparse.ArgumentParser(prog="python -m tui.served", description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--lang", choices=LANGUAGES)
    args = parser.parse_args(argv)
    from tui.app import make_app

    try:
        app = make_app(args.db, language=args.lang)
    except StoreError as error:  # the store removed or replaced since `baixiao serve` checked it
        sys.stderr.write(_("baixiao: error: {error}").format(error=error) + "\n")
        return 2
    if issubclass(app.driver_class, WebDriver):  # run by textual-serve (TEXTUAL_DRIVER); not in a terminal
        app.driver_class = PageDriver
    app.run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
