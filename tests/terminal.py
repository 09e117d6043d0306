"""A tmux pane driven like a person at a terminal, shared by the end-to-end tests."""

from __future__ import annotations

import subprocess
import time


def tmux(name: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """tmux on a server of the test's own (`-L name`): tests running side by side (pytest-xdist)
    never share one, so one's window sizes and sessions never touch another's."""
    return subprocess.run(["tmux", "-L", name, *args], check=check, capture_output=True, text=True, encoding="utf-8")


class Pane:
    def __init__(self, name: str) -> None:
        self.name = name

    def keys(self, *keys: str, wait: float = 0.4) -> None:
        for key in keys:
            tmux(self.name, "send-keys", "-t", self.name, key)
            # A terminal cannot tell Escape from the start of an escape sequence until a pause.
            time.sleep(0.3 if key == "Escape" else 0.05)
        time.sleep(wait)

    def text(self) -> str:
        return tmux(self.name, "capture-pane", "-p", "-t", self.name, check=False).stdout

    def wait_for(self, needle: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in (screen := self.text()):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{needle!r} never appeared; the pane shows:\n{self.text()}")
