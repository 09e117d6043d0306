"""Search normalisation: fold text and query alike so 黨建 finds 党建 and ＡＢＣ finds abc.

Every mapping here is one character for one character — Traditional → Simplified (OpenCC's
character table, via `store.fold`), full-width → half-width, upper → lower case — so the folded
text is exactly as long as the original and an offset into one is the same offset into the other.
That is what lets a hit found in folded text be highlighted on the characters as printed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from store.fold import one_for_one, traditional_to_simplified


@cache
def _table() -> dict[int, int]:
    table = dict(traditional_to_simplified())
    for code in range(0xFF01, 0xFF5F):  # ＡＢＣ１２３！ → ABC123!
        table[code] = code - 0xFEE0
    table[0x3000] = 0x20  # ideographic space
    lower = {code: ord(low) for code in range(0x10000) if len(low := chr(code).lower()) == 1 and low != chr(code)}
    for code, target in lower.items():
        table.setdefault(code, target)
    # Fold chains: Ａ → A → a, in one pass.
    for code, target in list(table.items()):
        table[code] = table.get(target, target) if target != code else target
    return table


@cache
def _normalizer() -> Callable[[str], str]:
    return one_for_one(_table())


def normalize(text: str) -> str:
    """Same length as `text`; offsets carry over unchanged."""
    return _normalizer()(text)


def folded_codes() -> dict[int, int]:
    """Each code point that folds, and what it folds to: for folding a whole corpus's code
    points at once (the index's build does it with numpy)."""
    return dict(_table())


@cache
def folded_from(char: str) -> tuple[int, ...]:
    """The code points that fold to `char` (itself among them unless it folds to another):
    where a folded character stands, found in text as printed."""
    table = _table()
    return tuple(sorted({ord(char)} - set(table) | {k for k, v in table.items() if v == ord(char)}))
