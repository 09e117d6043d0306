"""Fold Traditional characters to Simplified, one character for one, for analysis only.

Name finding, gazetteer lookups and fact patterns are written in Simplified characters; a page
printed in Traditional characters (a Hong Kong or Taiwan reprint, a Big5 file) is analysed through
this fold so 北碚區金興小學 is found as 金兴小学. The mapping is OpenCC's character table as shipped in
`data/common_chars.txt`. Being one-for-one, offsets in the folded text are offsets in the original,
so stored text stays exactly as printed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from importlib.resources import files


@cache
def traditional_to_simplified() -> dict[int, int]:
    table: dict[int, int] = {}
    text = (files("store") / "data" / "common_chars.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        simplified, traditional = line[0], line[1:]
        for ch in traditional:
            table.setdefault(ord(ch), ord(simplified))
    table.update({ord("「"): ord("“"), ord("」"): ord("”"), ord("『"): ord("‘"), ord("』"): ord("’")})
    return table


def one_for_one(table: dict[int, int]) -> Callable[[str], str]:
    """A function that replaces each character `table` maps, leaving the rest as it is.

    Only the few characters that fold are touched: a regular expression finds them far faster
    than str.translate walks a large table over every character of a page.
    """
    pattern = re.compile("[" + "".join(re.escape(chr(c)) for c in table) + "]")
    mapping = {chr(k): chr(v) for k, v in table.items()}
    return lambda text: pattern.sub(lambda m: mapping[m.group()], text)


# Web pages often punctuate with ASCII (川外附中,行远育才学校); the patterns are written with the
# full-width marks newspapers print, so analysis reads both as one.
_HALF_WIDTH_PUNCTUATION = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}


@cache
def _simplifier() -> Callable[[str], str]:
    table = dict(traditional_to_simplified())
    table.update({ord(a): ord(b) for a, b in _HALF_WIDTH_PUNCTUATION.items()})
    return one_for_one(table)


# A full stop typed in ASCII after a Chinese character ends a sentence (授牌.会上), not 1.5 or v1.2.
ASCII_STOP = re.compile(r"(?<=[\u4e00-\u9fff])\.(?![\d.])")


def simplify(text: str) -> str:
    """Simplified characters and full-width punctuation, one character for one: for analysis only.

    ASCII double quotes pair up as “ and ” in turn, and a full stop after a Chinese character
    is 。, so a page typed on an English keyboard reads like a printed one."""
    text = _simplifier()(text)
    if '"' in text:
        marks = iter("“”" * text.count('"'))
        text = re.sub('"', lambda _: next(marks), text)
    return ASCII_STOP.sub("。", text) if "." in text else text
