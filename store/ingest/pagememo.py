"""Answers about a text remembered while one page is read.

A page's lines are asked about again and again: the segmenter reads each line for school names
and credits as it decides what the line is, and the analysis reads the same lines as sentences
(on real pages a quarter of the texts asked for names were asked before; a line's credit, five
times). Remembered for one page only, so memory stays a page's worth and one page's answers
never speed up another's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import TypeVar

T = TypeVar("T")

_memos: list[dict[str, object]] = []
_reading = False


def per_page(function: Callable[[str], T]) -> Callable[[str], T]:
    """`function` of a text, remembered within `reading_one_page`; its answer must not be
    changed by a caller (a tuple, not a list)."""
    memo: dict[str, object] = {}
    _memos.append(memo)

    @wraps(function)
    def remembered(text: str) -> T:
        if not _reading:
            return function(text)
        if text in memo:
            return memo[text]  # type: ignore[return-value]
        answer = memo[text] = function(text)
        return answer

    return remembered


@contextmanager
def reading_one_page() -> Iterator[None]:
    global _reading
    _reading = True
    try:
        yield
    finally:
        _reading = False
        for memo in _memos:
            memo.clear()
