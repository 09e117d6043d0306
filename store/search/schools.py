"""School profiles for display and filtering: the 双创 status line, type names, and the query
language applied to schools rather than articles (a term matches a school's names and brands, its
place, and its names' pinyin)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import groupby

from store.i18n import N_
from store.lexicon import load as load_lexicon
from store.normalize import normalize
from store.records import Evidence, Region, School, SchoolSummary
from store.search.query import And, Field, Near, Node, Not, Or, Phrase, Regex, Term, parse

TYPE_LABELS = {
    "primary": "小学",
    "secondary": "中学",
    "kindergarten": "幼儿园",
    "vocational": "职业学校",
    "nine-year": "九年一贯制",
    "other": "其他",
}

# What each field of a profile is called, marked for the catalogue: the app says it in the
# reader's language, an export in Chinese (`i18n.in_chinese`).
FIELD_LABELS = {
    "district": N_("District"),
    "type": N_("Type"),
    "shuangchuang": N_("双创"),
    "batch": N_("双创 batch"),
    "designations": N_("Designations"),
    "brands": N_("Party-building brands"),
    "education_brands": N_("Education brands"),
    "models": N_("Work models"),
    "leaders": N_("Leaders"),
    "honors": N_("Honours"),
    "stats": N_("Figures"),
    "keywords": N_("Keywords"),
    "articles": N_("Reports"),
    "name": N_("Reports"),
}

# The fields a profile quotes evidence for, in the order it shows them.
EVIDENCE_FIELDS = ("batch", "designations", "brands", "education_brands", "models", "leaders", "honors", "stats")


@dataclass(frozen=True)
class Statement:
    """One sentence of an article and every fact a school's profile takes from it, (field,
    value) in the profile's order: a sentence that gives several facts is quoted once."""

    article: str
    paragraph: int
    sentence: str
    facts: tuple[tuple[str, str], ...]

    @property
    def evidence(self) -> Evidence:
        return Evidence(self.facts[0][1], self.article, self.paragraph, self.sentence)


def statements(school: School, fields: Sequence[str] = (*EVIDENCE_FIELDS, "name")) -> list[Statement]:
    """The sentences a profile quotes, each once with all its facts, in the order of the first
    field each supports."""
    found: dict[tuple[str, int, str], list[tuple[str, str]]] = {}
    for field in fields:
        for item in school.evidence.get(field, ()):
            found.setdefault((item.article, item.paragraph, item.sentence), []).append((field, item.value))
    return [Statement(a, p, s, tuple(f)) for (a, p, s), f in found.items()]


def shuangchuang(school: SchoolSummary) -> str:
    """第1批 / 第2批 when the batch is stated, 是 when only membership is, — otherwise."""
    if school.batch:
        return f"第{school.batch}批"
    return "是" if any("双创" in d for d in school.designations) else "—"


def batch_key(school: SchoolSummary) -> str:
    """Where a school stands in 双创: its batch ("1", "2"), "unknown" when it is a unit but no
    batch is stated, "none" when it is not one."""
    if school.batch:
        return str(school.batch)
    return "unknown" if shuangchuang(school) != "—" else "none"


_BATCHES_OF = {"1": {"1"}, "2": {"2"}, "any": {"1", "2", "unknown"}, "unknown": {"unknown"}, "none": {"none"}}


def shown(field: str, value: str) -> str:
    """An evidence value as people say it: a batch is 第2批, everything else as read."""
    return f"第{value}批" if field == "batch" and value.isdigit() else value


def area(school: SchoolSummary) -> str:
    return school.district or school.city or school.province or "—"


def region_label(school: SchoolSummary) -> str:
    return Region(school.province, school.city, school.district).label() or "—"


def facts(school: SchoolSummary) -> list[str]:
    """The one line a profile and its export open with: where, what kind, whether 双创."""
    return [region_label(school), TYPE_LABELS.get(school.type, school.type), f"双创 {shuangchuang(school)}"]


def comparison(schools: list[School], keywords: dict[str, tuple[str, ...]] | None = None) -> list[tuple[str, list[list[str]]]]:
    """(field, each school's values) in the order a comparison shows them, on screen or in an
    export; `FIELD_LABELS` names the fields. Keywords (jieba's, a reading aid, noise in a
    report) only when given."""
    rows = [
        ("district", [[region_label(s)] for s in schools]),
        ("type", [[TYPE_LABELS.get(s.type, s.type)] for s in schools]),
        ("shuangchuang", [[shuangchuang(s)] for s in schools]),
        ("designations", [list(s.designations) for s in schools]),
        ("brands", [list(s.brands) for s in schools]),
        ("education_brands", [list(s.education_brands) for s in schools]),
        ("models", [list(s.models) for s in schools]),
        ("leaders", [[f"{x.role} {x.name}" for x in s.leaders] for s in schools]),
        ("honors", [list(s.honors) for s in schools]),
        ("stats", [[x.said for x in s.stats] for s in schools]),
        ("keywords", [list(keywords.get(s.name, ())) for s in schools] if keywords is not None else None),
        ("articles", [[f"{len(s.articles)} 篇"] for s in schools]),
    ]
    return [(field, values) for field, values in rows if values is not None]


def _text(school: SchoolSummary) -> str:
    return normalize("\n".join((school.name, *school.aliases, *school.brands, *school.education_brands, *school.models)))


@cache
def _folded_place(name: str | None) -> str:
    """Cached: a store names few places, and every school is read on every keystroke."""
    return normalize(name or "")


def in_place(value: str, place: Sequence[str | None]) -> bool:
    """district:'s reading: the (normalized) value is part of the province, city or district."""
    return any(value in _folded_place(p) for p in place)


def field_matches(node: Field, school: SchoolSummary) -> bool:
    """Whether a school has what a field asks for: the one reading of district:, school:, type:,
    batch:, brand: and model:, for schools here and for the articles that name them in search (an article's
    own district: is its place, read by `in_place` too). A field about articles alone (file:, in:,
    date:) keeps every school."""
    value = normalize(node.value)
    match node.name:
        case "district":
            if value.startswith("="):  # the overview's exact place: 重庆市 itself, not its districts
                return area(school) == value[1:]
            return in_place(value, (school.province, school.city, school.district))
        case "school":
            return value in map(normalize, (school.name, *school.aliases))
        case "type":
            return school.type == node.value
        case "batch":
            return batch_key(school) in _BATCHES_OF[node.value]
        case "brand":
            return _named(value, (*school.brands, *school.education_brands))
        case "model":
            return _named(value, school.models)
    return True


def _named(value: str, names: Sequence[str]) -> bool:
    """brand: and model:: part of one of the names, or with = before it (as the overview asks),
    one of them exactly."""
    if value.startswith("="):
        return value[1:] in map(normalize, names)
    return any(value in normalize(n) for n in names)


# Where pypinyin's dictionary reads a name as the ordinary word: in 朝阳小学 the school faces the
# sun (cháo, as in 朝阳区); it is not the morning (zhāo).
_NAME_PHRASES = {"朝阳": [["cháo"], ["yáng"]]}


@cache
def _lazy_pinyin() -> Callable[[str], list[str]]:
    """pypinyin, imported at the first sort or pinyin term rather than with the app: its
    dictionaries take a seventh of a second to load."""
    from pypinyin import lazy_pinyin, load_phrases_dict

    load_phrases_dict(_NAME_PHRASES)
    return lazy_pinyin


@cache
def pinyin_key(name: str) -> str:
    """Sorts names as a Chinese reader alphabetises them: by pinyin, each character read as the
    words around it have it (重庆 chong), syllable by syllable (西安 xi an before 先 xian); then by
    the characters, so that names read alike keep one order. Cached: pypinyin takes some 30 µs
    a name, and a list is sorted again whenever it changes."""
    return " ".join(_lazy_pinyin()(name)).lower() + "\0" + name


@cache
def _char_readings(char: str) -> tuple[str, ...]:
    """Every reading of a character without tones, the likeliest first; none for one that is not
    Chinese. Each character once, out of context: pypinyin reading whole names (to weigh the words
    around each character) made the first pinyin term over 10,000 schools take seconds, and
    context could only narrow what a term matches."""
    from pypinyin import Style, pinyin

    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    return tuple(dict.fromkeys(r for rs in found for r in rs if r.isascii()))


def _readings(name: str) -> list[tuple[str, ...]]:
    """A name's syllables, each as its readings; a run of other characters is one syllable as
    written, in lower case, less its punctuation and spaces."""
    syllables: list[tuple[str, ...]] = []
    for chinese, run in groupby(name, key=lambda char: bool(_char_readings(char))):
        if chinese:
            syllables.extend(map(_char_readings, run))
        elif written := re.sub("[^a-z0-9]", "", "".join(run).lower()):
            syllables.append((written,))
    return syllables


@cache
def _spelled(names: tuple[str, ...]) -> str:
    """A school's names as pinyin terms are looked for in them: a line a name, each syllable
    between bars with every reading (|zhao,chao|yang|), since pypinyin's likeliest need not be the
    name's own (长嘉汇 is chang); then the lines again with the initials (|z,c|y|), so that jxxx
    is read as four one-letter syllables by the same pattern. Cached: every school is read on
    every keystroke."""
    readings = [_readings(n) for n in names]
    full = ("|" + "|".join(",".join(rs) for rs in r) + "|" for r in readings)
    initials = ("|" + "|".join(",".join(dict.fromkeys(x[0] for x in rs)) for rs in r) + "|" for r in readings)
    return "\n".join((*full, *initials))


# Between two letters of a term in `_spelled` text: the syllable goes on, or it ends and one of the
# next syllable's readings begins.
_NEXT_LETTER = r"(?:(?:,[^|]*)?\|(?:[^,|]*,)*)?"


@lru_cache(maxsize=64)
def _folded_term(text: str) -> tuple[str, re.Pattern[str] | None]:
    """A term folded as the text it is looked for in, spaces dropped; and a term of Latin letters
    as pinyin starting on a syllable (xing is 兴, ing is nothing). Once a query, not once a school."""
    term = normalize(text.replace(" ", ""))
    if not (term.isascii() and term.isalpha()):
        return term, None
    # The first letter bare, its syllable start checked behind it: re then skips to that letter.
    return term, re.compile(term[0] + f"(?<=[|,]{term[0]})" + "".join(_NEXT_LETTER + letter for letter in term[1:]))


@lru_cache(maxsize=4096)
def _names_place(term: str, province: str | None, city: str | None, district: str | None) -> bool:
    """A term names a school's place as district: does (北碚 is part of 北碚区), or by a form the
    gazetteer knows that is no part of the full name (恩施州; 开县, 开州区 before its renaming); a
    province or city holds every district in it. Cached: a store has few places, and a query
    asks about each of them for every school in it."""
    if in_place(term, (province, city, district)):
        return True
    named = load_lexicon().place(term)
    if named is None:
        return False
    region = named.region
    return all(part in (None, have) for part, have in ((region.province, province), (region.city, city), (region.district, district)))


def spelled(term: str, text: str) -> bool:
    """Whether Latin letters spell part of Chinese text in pinyin, in full or by initials, from a
    syllable's start (xuexiao and xx both spell 学校): how the command palette finds a Chinese
    command typed without an input method."""
    pinyin = _folded_term(term)[1]
    return pinyin is not None and pinyin.search(_spelled((text,))) is not None


def _term_matches(text: str, school: SchoolSummary) -> bool:
    """A term read as people type a school: characters of its names, brands or models; its place;
    or, in Latin letters, its names' pinyin."""
    term, pinyin = _folded_term(text)
    if term in _text(school) or _names_place(term, school.province, school.city, school.district):
        return True
    return pinyin is not None and pinyin.search(_spelled((school.name, *school.aliases))) is not None


def _matches(node: Node, school: SchoolSummary) -> bool:
    match node:
        case Term(text) | Phrase(text):
            return _term_matches(text, school)
        case Regex() | Near():
            return False
        case Field():
            return field_matches(node, school)
        case Not(inner):
            return not _matches(inner, school)
        case And(nodes):
            return all(_matches(n, school) for n in nodes)
        case Or(nodes):
            return any(_matches(n, school) for n in nodes)
    raise TypeError(node)


def filter_schools(schools: list[SchoolSummary], query: str) -> list[SchoolSummary]:
    """The schools a query keeps; raises QueryError for a malformed query. Terms match names,
    aliases, brands and models, places (北碚 for 北碚区) and, in Latin letters, the names' pinyin
    (jinxing, jxxx); fields as in article search; wildcards, NEAR and regular expressions are for
    article text and match no school."""
    if not query.strip():
        return list(schools)
    node = parse(query)
    return [s for s in schools if _matches(node, s)]
