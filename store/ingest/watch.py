"""Whether anything in a set of folders has changed since a moment: Linux's inotify, through ctypes.

A long-lived process (the command server) checks a corpus's freshness once, then watches its
folders: while no event has come, the corpus is as it was and the stat of every page (a tenth of
a second at 100,000 articles) can be skipped, as git's fsmonitor skips it. The kernel queues an
event before the write that causes it returns, so a change made before a command starts is
always seen by the time the command asks. What it cannot see, it does not vouch for: on another
platform, past the kernel's watch limits, or when an event queue overflows, `Watch.of` gives None
or `changed` says True, and the pages are stat'ed as before.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable
from pathlib import Path

# <sys/inotify.h>: a change to a file's bytes or times, or a name added, removed or moved
MASK = 0x2 | 0x4 | 0x8 | 0x40 | 0x80 | 0x100 | 0x200 | 0x400 | 0x800  # MODIFY ATTRIB CLOSE_WRITE MOVED_* CREATE DELETE *_SELF


class Watch:
    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._changed = False

    @classmethod
    def of(cls, folders: Iterable[Path]) -> Watch | None:
        """A watch on these folders (not their subfolders: list each), or None when they cannot
        all be watched."""
        if not sys.platform.startswith("linux"):
            return None
        import ctypes  # here: every command imports this module, few watch

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        except (OSError, AttributeError):
            return None
        if fd < 0:
            return None
        for folder in folders:
            if libc.inotify_add_watch(fd, os.fsencode(folder), MASK) < 0:
                os.close(fd)
                return None
        return cls(fd)

    def changed(self) -> bool:
        """Whether any event has come since the watch began (it stays True once it has)."""
        while not self._changed:
            try:
                self._changed = bool(os.read(self._fd, 1 << 16))
            except BlockingIOError:
                break
            except OSError:
                self._changed = True
        return self._changed

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._fd)
