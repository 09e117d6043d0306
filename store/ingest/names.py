"""Find school and place names in running Chinese text.

Chinese has no spaces, so a name's right edge is its suffix (小学, 幼儿园, 职业教育中心…) and its
left edge has to be inferred: punctuation, a place name from the gazetteer, or a function word
that cannot sit inside a name. Every rule is a suffix, a gazetteer entry or a word list from
`lexicon.yaml`, so it holds on pages from other districts and papers.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache

from store.fold import simplify
from store.ingest import tokenize
from store.ingest.pagememo import per_page
from store.lexicon import Lexicon, Place, load
from store.namekey import NUMERALS, normalize_key, place_chain, place_name_at
from store.records import Region

CJK = r"\u4e00-\u9fff〇"
_NAME_CHAR = re.compile(f"[{CJK}\\d]")


@dataclass(frozen=True)
class Mention:
    """One occurrence of a school name. `key` is the same for every form of one school."""

    start: int
    end: int
    surface: str
    display: str
    key: str
    places: tuple[Place, ...]
    quoted: bool = False
    weak: bool = False
    short_place: bool = False

    @property
    def region(self) -> Region | None:
        return self.places[-1].region if self.places else None

    @property
    def strong_region(self) -> bool:
        """A full place name in front (北碚区金兴小学), not a short form that may be a word (朝阳小学)."""
        return bool(self.places) and not self.short_place


@dataclass(frozen=True)
class _Patterns:
    suffix: re.Pattern[str]
    party: re.Pattern[str]
    numbered: re.Pattern[str]
    leading: re.Pattern[str]
    honor: re.Pattern[str]


@cache
def _patterns() -> _Patterns:
    lex = load()
    suffixes = sorted((s.suffix for s in lex.suffixes), key=len, reverse=True)
    numbered = lex["numbered_school_pattern"]
    alternation = "|".join(map(re.escape, [*lex["blocked_suffixes"], *suffixes]))
    return _Patterns(
        suffix=re.compile(f"(?:{numbered})|(?:{lex['numbered_primary_pattern']})|(?:{alternation})"),
        party=re.compile(lex["party_committee_pattern"]),
        numbered=re.compile(f"^(?P<head>.*?)(?:{numbered})$"),
        leading=re.compile("|".join(map(re.escape, sorted(lex["leading_words"], key=len, reverse=True)))),
        honor=re.compile("|".join(map(re.escape, lex["honor_triggers"]))),
    )


def _short_place_at(text: str, lex: Lexicon) -> tuple[int, Place | None]:
    for start in range(len(text)):
        for size in (4, 3, 2):
            place = lex.place(text[start : start + size])
            if place and place.name != text[start : start + size]:
                return start, place
    return -1, None


def _strip_leading(text: str, words: re.Pattern[str]) -> str:
    """Drop leading words (在, 走进, 此前…) one at a time, never the last character."""
    while (m := words.match(text)) and len(text) > m.end():
        text = text[m.end() :]
    return text


def _is_generic(core: str, lex: Lexicon) -> bool:
    cores = lex["generic_cores"]
    return core in cores or core.endswith(_generic_endings(tuple(cores)))


@cache
def _generic_endings(cores: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(g for g in cores if len(g) >= 2)


def inside_quotes(text: str, pos: int) -> bool:
    """More “ than ” before pos: pos is inside a quotation."""
    before = text[:pos]
    return before.count("“") > before.count("”")


# Looking further back for a sentence's start would make a page with no sentence ends quadratic.
SENTENCE_MAX = 500


def _quoted(text: str, pos: int) -> bool:
    """Inside quotes, or in a list of honours (荣获重庆市绿色学校): a title, not a school."""
    floor = max(0, pos - SENTENCE_MAX)
    sentence_start = 1 + max(
        text.rfind("。", floor, pos), text.rfind("！", floor, pos), text.rfind("？", floor, pos), text.rfind("\n", floor, pos), floor - 1
    )
    if inside_quotes(text[sentence_start:pos], pos - sentence_start):
        return True
    clause = re.split(r"[，；：]", text[sentence_start:pos])[-1]
    return bool(_patterns().honor.search(clause))


def _on_word_edge(text: str, start: int, suffix_start: int, end: int) -> bool:
    """The suffix must begin or end a word: 集中学习 holds 中学 inside two words, no school;
    实验小学 and 小学校长 are single words that hold a real suffix at one edge."""
    boundaries = {0}
    pos = 0
    for token in tokenize.cut(text[start : end + 3]):
        if suffix_start - start < pos < end - start < pos + len(token) and not _patterns().suffix.match(token):
            return False  # a word starts inside the suffix and runs past it: 制茶中 / 学习 (not 一 / 中学生)
        pos += len(token)
        boundaries.add(pos)
    return (suffix_start - start) in boundaries or (end - start) in boundaries


def _trim_by_words(left: str, suffix: str) -> tuple[str, bool]:
    """Drop words before the name that cannot belong to one (verbs, numbers, adverbs…).

    Returns the remaining core and whether a non-name word had to be cut.
    """
    tokens = tokenize.cut(left + suffix)
    consumed = 0
    start = 0
    for i, token in enumerate(tokens):
        if consumed >= len(left):
            break
        consumed += len(token)
        if _joins_two_names(tokens, i) or not (tokenize.is_name_word(token) or _numeral_in_name(tokens, i)):
            start = consumed
    return left[min(start, len(left)) :], start > 0


def _joins_two_names(tokens: tuple[str, ...], i: int) -> bool:
    """和 between two words joins two names (班级区角和红星分园); 人和街 is one name."""
    inside = 0 < i < len(tokens) - 1
    return tokens[i] in ("和", "与", "及", "或") and inside and len(tokens[i - 1]) > 1 and len(tokens[i + 1]) > 1


def _numeral_in_name(tokens: tuple[str, ...], i: int) -> bool:
    """滨江四牌坊小学, 几江幼儿园: a lone numeral before a noun is part of the name; before a
    measure word (6所学校, 三所) it counts."""
    if len(tokens[i]) != 1 or tokens[i] not in NUMERALS + "几两" or i + 1 >= len(tokens):
        return False
    following = tokens[i + 1]
    return tokenize.tag(following) not in ("q", "m", "mq") and not following.startswith(tuple("所个名家项批类"))


def _mention(text: str, start: int, end: int, suffix_start: int, lex: Lexicon) -> Mention | None:
    """Decide where the name that ends at `end` begins, or that there is none.

    In order of trust: a full place name in front (北碚区金兴小学), a short one (北碚实验幼儿园),
    or a bare name whose left edge is found by cutting off words no name contains.
    """
    left = _strip_leading(text[start:suffix_start], _patterns().leading)
    start = suffix_start - len(left)
    if not _on_word_edge(text, start, suffix_start, end):
        return None
    suffix = text[suffix_start:end]
    pos, chain = place_chain(left, lex)
    if chain:
        return _after_place_chain(text, start + pos, end, left[pos:], suffix, chain, lex)
    if suffix in lex["branch_suffixes"]:
        return _bare(text, end, left, suffix, lex)  # 鸣凰幼儿园滨湖分园: 滨湖 names the branch, not a district
    spos, place = _short_place_at(left, lex)
    if place is not None and _short_place_opens(text, start, end, left, suffix, spos):
        mention = _after_short_place(text, start + spos, end, left[spos:], suffix, place, lex)
        if mention is not None:
            return mention  # else the place was a misreading (合阳 in 融合阳明小学): read it bare
    return _bare(text, end, left, suffix, lex)


def _short_place_opens(text: str, start: int, end: int, left: str, suffix: str, spos: int) -> bool:
    """Whether the short place form at spos opens the name (北碚实验幼儿园, 今天参观重庆七中) or
    stands inside it, a character or two in (兴龙湖中学, 川外九龙附小): there, only when what
    precedes it is no part of a name and the name is not a list's whole item."""
    if spos == 0:
        return True
    if _is_list_item(text, start, end):
        return False
    return spos >= 3 or len(_trim_by_words(left, suffix)[0]) <= len(left) - spos


def _is_list_item(text: str, start: int, end: int) -> bool:
    """兴龙湖中学、凤凰湖中学: a name opening a clause and followed by 、 is whole."""
    return (start == 0 or text[start - 1] in _CLAUSE_OPENERS) and text.startswith("、", end)


def _after_place_chain(
    text: str, start: int, end: int, left: str, suffix: str, chain: list[Place], lex: Lexicon
) -> Mention | None:
    """重庆市南岸区天台岗小学校 → 天台岗小学校; 开州区职业教育中心 keeps its place: it is the name."""
    core = left[sum(len(p.name) for p in chain) :]
    if any(ch in lex["core_stop_chars"] for ch in core):
        return None
    if core == "" and suffix in lex["place_named_suffixes"]:
        display = chain[-1].name + suffix
    elif core in lex["place_named_cores"] or _ORDINAL_CORE.match(core) or _patterns().numbered.match(core + suffix):
        display = chain[-1].name + core + suffix
    elif len(core) >= 2 and not _is_generic(core, lex):
        display = core + suffix
    else:
        return None
    return _finish(text, start, end, left + suffix, display, tuple(chain), lex)


def _after_short_place(
    text: str, start: int, end: int, left: str, suffix: str, place: Place, lex: Lexicon
) -> Mention | None:
    """梁平实验小学: a short place form opens the name and stays part of it."""
    surface = left + suffix
    size = next(n for n in (4, 3, 2) if n <= len(left) and lex.place(left[:n]) == place)
    core, _ = _trim_by_words(left, suffix)
    # Words may end at the place (城口 / 二中, however jieba tags 口), not inside it (合 / 阳明小学)
    # or after it (北碚推动…); 成都四十九中: 都 is the place's, not a stop.
    if len(left) - len(core) not in (0, size) or any(ch in lex["core_stop_chars"] for ch in surface[size:]):
        return None
    if _is_generic(left[size:], lex) and suffix not in lex["place_named_suffixes"]:
        return None  # 红河州中职学校: a kind of school in a place, not a school
    mention = _finish(text, start, end, surface, surface, (place,), lex)
    return replace(mention, short_place=True) if mention else None


def _last_stop(left: str, stops: str) -> int:
    """Where the last character that no name holds stands in `left`, or -1."""
    m = _stop_pattern(stops).search(left)
    return m.end() - 1 if m else -1


@cache
def _stop_pattern(stops: str) -> re.Pattern[str]:
    return re.compile(f".*[{re.escape(stops)}]", re.DOTALL)


def _bare(text: str, end: int, left: str, suffix: str, lex: Lexicon) -> Mention | None:
    """金兴小学, 玛瑙学校: no place in front, so the left edge is where non-name words stop."""
    pats = _patterns()
    if pats.numbered.match(left + suffix) and len(left) <= 1:
        return _finish(text, end - len(left + suffix), end, left + suffix, left + suffix, (), lex)
    cut = _last_stop(left, lex["core_stop_chars"])
    core, trimmed = _trim_by_words(_strip_leading(left[cut + 1 :], pats.leading), suffix)
    if cut < 0 and trimmed and _is_list_item(text, end - len(left + suffix), end):
        whole = _strip_leading(left, pats.leading)
        if len(whole) - len(core) == 1:
            core, trimmed = whole, False  # jieba cut one character off a listed name (兴 / 龙湖中学)
    weak = suffix in lex["weak_suffixes"]
    if len(core) < 2 or _is_generic(core, lex) or (weak and (trimmed or cut >= 0)):
        return None
    # One dictionary word before 学校 (指导学校, 助力学校) is more often a phrase than a name.
    weak = (weak and len(tokenize.cut(core)) < 2) or core in lex["place_named_cores"]
    surface = core + suffix
    return _finish(text, end - len(surface), end, surface, surface, (), lex, weak=weak)


_CLAUSE_OPENERS = "，。；：、！？（“\n "
# 桂西学校等6所民办学校, 鸣凰幼儿园党支部, 汉昌学校是一所…: a name counted into a number of
# schools, with a Party branch of its own, or said to be a school, is a school's.
_CONFIRMED = re.compile(f"等[\\d{NUMERALS}两]+所|党委|党总支|党支部|是一所")
# 第五小学, 第一实验小学: an ordinal names a school only with the place it counts in.
_ORDINAL_CORE = re.compile(f"第[{NUMERALS}\\d]")


def _finish(
    text: str,
    start: int,
    end: int,
    surface: str,
    display: str,
    places: tuple[Place, ...],
    lex: Lexicon,
    weak: bool = False,
) -> Mention | None:
    """`weak`: a name like 玛瑙学校 with no place in front; the corpus must confirm it elsewhere."""
    key = normalize_key(display, lex)
    if any(word in surface for word in lex["core_stop_words"]) or len(key) > 16:
        return None
    weak = weak and not _CONFIRMED.match(text, end)
    return Mention(start, end, surface, display, key, places, _quoted(text, start), weak)


def find_schools(text: str, lex: Lexicon | None = None) -> list[Mention]:
    """Every school name in text, left to right, quoted ones flagged (they are titles and honours)."""
    if lex is not None and lex is not load():
        return _find_schools(text, lex)
    return list(_schools_in(text))


@per_page
def _schools_in(text: str) -> tuple[Mention, ...]:
    return tuple(_find_schools(text, load()))


def _find_schools(text: str, lex: Lexicon) -> list[Mention]:
    pats = _patterns()
    text = simplify(text)
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for m in pats.party.finditer(text):
        inner = m.group("inner")
        hit = pats.suffix.search(inner)
        if hit and hit.end() == len(inner):
            mention = _mention(text, m.start("inner"), m.end("inner"), m.start("inner") + hit.start(), lex)
            if mention:
                found.append(mention)
                taken.append((m.start(), m.end()))
    boundary = 0
    for hit in pats.suffix.finditer(text):
        s, e = hit.span()
        if hit.group().endswith("校") and text.startswith("长", e):
            e -= 1  # 清泉小学校长: the school is 清泉小学, 校长 its principal
        if any(a <= s < b for a, b in taken) or hit.group() in lex["blocked_suffixes"]:
            boundary = e
            continue
        start = s
        while start > max(boundary, s - 14) and _NAME_CHAR.match(text, start - 1):
            start -= 1
        mention = _mention(text, start, e, s, lex)
        boundary = e
        if mention:
            found.append(mention)
    return sorted(found, key=lambda m: m.start)


def find_places(text: str, lex: Lexicon | None = None) -> list[tuple[int, Place]]:
    """Full place names in text (梁平区, 河北省廊坊市 gives two), with their offsets."""
    lex = lex or load()
    text = simplify(text)
    out: list[tuple[int, Place]] = []
    pos = 0
    while pos < len(text):
        name = place_name_at(text, pos)
        if name:
            after = out[-1][1] if out and out[-1][0] + len(out[-1][1].name) == pos else None
            out.append((pos, (after and lex.place_in(after, name)) or lex.places[name]))
            pos += len(name)
        else:
            pos += 1
    return out


def districts_named(text: str, lex: Lexicon | None = None) -> Counter[str]:
    """The county-level places a text names, counted. Looked up from their last character (区,
    县, 市, 旗…), not from every character as find_places does: a whole article costs little."""
    lex = lex or load()
    text = simplify(text)
    ends, sizes = _district_shapes()
    counts: Counter[str] = Counter()
    for end in (m.end() for m in ends.finditer(text)):
        for size in sizes:
            name = text[end - size : end] if size <= end else ""
            place = lex.places.get(name)
            if place is not None and place.level == "district" and place.name == name:
                counts[name] += 1
                break
    return counts


@cache
def _district_shapes() -> tuple[re.Pattern[str], tuple[int, ...]]:
    names = [p.name for p in load().places.values() if p.level == "district"]
    ends = re.compile("[" + "".join(sorted({re.escape(n[-1]) for n in names})) + "]")
    return ends, tuple(sorted({len(n) for n in names}, reverse=True))


def place_from_label(label: str, lex: Lexicon | None = None) -> Place | None:
    """A headline's place label, full or short: 南岸 → 南岸区, 河北省廊坊市 → 廊坊市."""
    lex = lex or load()
    label = simplify(label).strip().rstrip("：:")
    pos, chain = place_chain(label, lex)
    if pos == 0 and chain and sum(len(p.name) for p in chain) == len(label):
        return chain[-1]
    return lex.place(label) or _after_short_ancestors(label, lex)


def _after_short_ancestors(label: str, lex: Lexicon) -> Place | None:
    """甘肃张掖甘州区, 贵州湄潭: a place after the (short) names of its own province and city."""
    for i in range(1, len(label) - 1):
        place = lex.places.get(label[i:])
        if place is None:
            continue
        ancestors = {n for n in (place.region.province, place.region.city) if n}
        forms = sorted(ancestors | {lex.short_forms.get(n, n) for n in ancestors}, key=len, reverse=True)
        rest = label[:i]
        while rest and (form := next((f for f in forms if rest.startswith(f)), None)):
            rest = rest[len(form) :]
        if not rest:
            return place
    return None
