"""One key for every form of a school's name, so 梁平区实验小学 and 梁平实验小学 are one school.

The build keys every name it finds with this, and the store keys what a user types the same way:
both sides need it, so it lives beside the lexicon rather than in the ingest stage.
"""

from __future__ import annotations

import re
from functools import cache

from store.lexicon import Lexicon, Place, load

NUMERALS = "一二三四五六七八九十〇零百"


@cache
def _full_places() -> tuple[frozenset[str], dict[str, tuple[int, ...]]]:
    """Every full place name, and by first character the lengths of those names, longest first."""
    full = frozenset(p.name for p in load().places.values())
    sizes: dict[str, set[int]] = {}
    for name in full:
        sizes.setdefault(name[0], set()).add(len(name))
    return full, {first: tuple(sorted(n, reverse=True)) for first, n in sizes.items()}


def place_name_at(text: str, pos: int) -> str | None:
    """The longest full place name starting at pos (梁平区, not 梁平)."""
    full, sizes = _full_places()
    for size in sizes.get(text[pos : pos + 1], ()):
        if size > 1 and text[pos : pos + size] in full:
            return text[pos : pos + size]
    return None


def place_chain(text: str, lex: Lexicon) -> tuple[int, list[Place]]:
    """Leftmost run of full place names in text: (where it starts, the places)."""
    for start in range(len(text)):
        chain: list[Place] = []
        pos = start
        while pos < len(text):
            name = place_name_at(text, pos)
            if name is None:
                break
            chain.append((chain and lex.place_in(chain[-1], name)) or lex.places[name])
            pos += len(name)
        if chain:
            return start, chain
    return -1, []


def normalize_key(name: str, lex: Lexicon | None = None) -> str:
    """One key for all the forms of a name: 梁平区实验小学 = 梁平实验小学, 职教中心 = 职业教育中心."""
    lex = lex or load()
    pos, chain = place_chain(name, lex)
    if pos == 0 and chain:
        consumed = sum(len(p.name) for p in chain)
        rest = name[consumed:]
        last = chain[-1]
        name = lex.short_forms.get(last.name, last.name) + rest
    elif name[:1] in "区县市" and len(name) >= 5:
        name = name[1:]  # 区实验一小 is the district's 实验一小
    for long, short in lex["suffix_synonyms"].items():
        if name.endswith(long):
            name = name[: -len(long)] + short
            break
    name = re.sub(f"第([{NUMERALS}\\d]{{1,3}})实验(小|中)学校?$", r"实验第\1\2学", name)  # 第一实验小学 = 实验一小
    m = re.search(f"(?:镇|乡|街道)?第?([{NUMERALS}\\d]{{1,4}})(中|小)(?:学校?)?$", name)
    if m:  # 昆阳二小 = 昆阳镇第二小学, 十一中 = 第十一中学
        name = name[: m.start()] + f"第{m.group(1)}{m.group(2)}学"
    return name


def is_typo(a: str, b: str) -> bool:
    """Two different keys with the same letters, at most two of them swapped (和人街 / 人和街)."""
    return a != b and len(a) == len(b) >= 4 and sorted(a) == sorted(b) and sum(x != y for x, y in zip(a, b, strict=True)) <= 2


def same_school(a: str, b: str) -> bool:
    """Keys of one school: equal, a typo of each other, or one abbreviating the other (实验小学)."""
    if a == b or is_typo(a, b):
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= 4 and longer.endswith(shorter)
