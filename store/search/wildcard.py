"""Wildcard terms (红色*品牌, ??小学) found in time linear in the text.

`?` is one character and `*` any run of them within a line. As a regular expression (`.` and
`[^\\n]*?`) that backtracks: `?*?*?*?*?*x` over a paragraph without an x tried every way of
cutting it and never finished. Here each piece between stars is looked for once, leftmost, after
the one before: if a piece is not on the rest of the line, no later start can find it either. The
matches are the ones the lazy regular expression gives (leftmost start, shortest stars), one
after another as `finditer` gives them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache


class Wildcard:
    def __init__(self, text: str) -> None:
        self.leading_star = text.startswith("*")
        self.pieces = [re.compile("".join("." if c == "?" else re.escape(c) for c in piece))
                       for piece in text.split("*") if piece]

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of each match, one after another, in one string of lines."""
        line = 0
        while line <= len(text):
            end = text.find("\n", line)
            end = len(text) if end < 0 else end
            yield from self._in_line(text, line, end)
            line = end + 1

    def _in_line(self, text: str, pos: int, end: int) -> Iterator[tuple[int, int]]:
        if not self.pieces:  # stars alone: every character, as the regular expression finds them
            yield from ((at, at + 1) for at in range(pos, end))
            return
        while pos <= end:
            start = at = pos
            for n, piece in enumerate(self.pieces):
                found = piece.search(text, at, end)
                if found is None:
                    return
                if n == 0 and not self.leading_star:
                    start = found.start()
                at = found.end()
            yield start, at
            pos = at if at > start else at + 1


@lru_cache(maxsize=256)
def wildcard(text: str) -> Wildcard:
    return Wildcard(text)
