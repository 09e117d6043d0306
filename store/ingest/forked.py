"""Work done in a forked child while the build goes on in this process.

After parsing, the build has three large jobs that need only what is already in memory:
resolving schools (this process), finding reprints and making the index's positions. A thread
would share the interpreter with the first; a forked child reads the articles where they lie
(nothing is copied or pickled on the way in) and runs on the other core, and only its answer
comes back, pickled.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TypeVar

FORK_MIN = 2_000  # articles; fewer are done in a tenth of a second, less than a fork is worth

T = TypeVar("T")


def meanwhile(work: Callable[..., T], *args: object, fork: bool = True) -> Callable[[], T]:
    """Start `work(*args)` in a forked child; returns a function that waits for its answer.
    Fork before starting threads. Without `fork`, where there is no fork, or when the child
    fails (it dies quietly), the work is done here, so a failure is raised here, once."""
    if not fork or "fork" not in multiprocessing.get_all_start_methods():
        result = work(*args)
        return lambda: result
    context = multiprocessing.get_context("fork")
    here, there = context.Pipe(duplex=False)
    child = context.Process(target=_send, args=(work, args, there), daemon=True)
    child.start()
    there.close()

    def answer() -> T:
        try:
            result: T = here.recv()
        except EOFError:
            result = work(*args)
        child.join()
        here.close()
        return result

    return answer


def _send(work: Callable[..., T], args: tuple[object, ...], there: Connection) -> None:
    """Ends the child itself, quietly: on failure the parent does the work again and says what
    fails; and multiprocessing's own ending would flush the standard streams, whose locks a
    thread of the parent (a progress bar's) may have held when it forked."""
    gc.disable()  # a collection would touch, and so copy, every page of what it shares
    ended = 1
    try:
        with contextlib.suppress(BrokenPipeError):
            there.send(work(*args))
        ended = 0
    finally:
        os._exit(ended)
