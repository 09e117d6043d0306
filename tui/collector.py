"""Full garbage collections while the user rests, never in the middle of a keystroke.

CPython's full pass visits every object it tracks: with Textual's caches that is 10–20 ms at
10,000 articles, and it runs whenever enough objects have survived, which during typing means
in the middle of some keystroke. The app turns the automatic full pass off while it runs and
makes it up once input has rested; young collections stay automatic (they take microseconds).
What exists when the app starts (the store, the app's own widgets) lives as long as the app, so
it is frozen out of full passes altogether.
"""

from __future__ import annotations

import gc
import time

REST = 1.0  # seconds without input before a full pass may run
NEVER = 2**31 - 1


class IdleCollector:
    def __init__(self) -> None:
        self.last_input = time.monotonic()
        self._saved: tuple[int, int, int] | None = None

    def start(self) -> None:
        self._saved = gc.get_threshold()
        young, middle, _ = self._saved
        gc.set_threshold(young, middle, NEVER)
        gc.freeze()

    def stop(self) -> None:
        if self._saved is not None:
            gc.unfreeze()
            gc.set_threshold(*self._saved)
            self._saved = None

    def touched(self) -> None:
        self.last_input = time.monotonic()

    def tick(self) -> bool:
        """Run the full pass if it is due (as often as CPython would) and input has rested."""
        if self._saved is None or time.monotonic() - self.last_input < REST:
            return False
        if gc.get_count()[2] < self._saved[2]:
            return False
        gc.collect()
        return True
