"""The query language, parsed into a small tree.

Parsing never raises anything but QueryError, which carries one readable sentence and the
character position it is about, so the CLI and the app can point at the mistake: a position in
the query as typed, also where its line breaks were folded away before parsing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from store.dates import code, parse_date
from store.errors import cut_short
from store.i18n import N_, _
from store.layout import PARTS

# The syntax as the help shows it: an example, and what it finds (marked for the catalogue).
HELP_ROWS = (
    ("党建 品牌", N_("both")),
    ("党建|思政", N_("either")),
    ("-幼儿园  !幼儿园", N_("not")),
    ('"党建 品牌"', N_("the exact phrase")),
    ("(党建|思政) 品牌", N_("grouping")),
    ("??小学  红色*品牌", N_("? one character, * any run")),
    ("党建 NEAR/10 思政", N_("within 10 characters")),
    ("/党建.{0,4}品牌/", N_("a regular expression")),
    ("word:中学", N_("whole words only (中学, not inside 其中学生)")),
    ("district:北碚区", N_("about a district, city or province")),
    ("school:金兴小学", N_("naming a school (any of its names)")),
    ("type:幼儿园", N_("schools of a type: also primary, secondary, kindergarten, vocational, nine-year, other")),
    ("batch:2", N_("schools of a 双创 batch (any: every 双创 school; unknown: 双创, no batch stated; none: not 双创)")),
    ("brand:向阳花", N_("schools with a brand (brand:=向阳花: that brand exactly)")),
    ("model:三进", N_("schools with a work model")),
    ("file:001", N_("in a page file")),
    ("date:2024  date:2024-09", N_("dated in a year or a month (the page's date)")),
    ("date:2023-09..2024-06", N_("dated within a range (either end may be left open: date:2024..)")),
    ("date:none", N_("pages that give no date")),
    ("in:title", N_("only in the title, headings, body or captions")),
    ("（党建｜思政）品牌", N_("an input method's brackets and bar work too")),
    ("“党建 品牌”  district：北碚区", N_("and its quotes and colon")),
)
HELP_NOTES = (
    N_("Terms match anywhere in the text, also inside longer words; 黨建 finds 党建."),
    N_("A line break between Chinese characters is dropped, so a sentence copied across a hard wrap finds itself."),
)


def help_text(translate: Callable[[str], str] = str) -> str:
    """The syntax as plain text, its columns aligned in terminal cells (a Chinese character takes
    two), for the command line's --help."""
    width = max(_cells(example) for example, _said in HELP_ROWS) + 2
    rows = [f"  {example}{' ' * (width - _cells(example))}{translate(said)}" for example, said in HELP_ROWS]
    return "\n".join([translate(HELP_NOTES[0]), "", *rows, "", translate(HELP_NOTES[1])]) + "\n"


def _cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


MAX_NESTING = 100  # brackets and NOTs around a term; people nest a few
FIELDS = ("district", "school", "type", "batch", "brand", "model", "file", "date", "in", "word")
TYPE_NAMES = {
    "小学": "primary",
    "中学": "secondary",
    "幼儿园": "kindergarten",
    "职业": "vocational",
    "职校": "vocational",
    "九年一贯制": "nine-year",
    "其他": "other",
}
BATCH_VALUES = ("1", "2", "any", "unknown", "none")
TYPES = ("primary", "secondary", "kindergarten", "vocational", "nine-year", "other")

# An input method types these for the operators. Brackets and bars are operators wherever the
# ASCII ones are; the others are also text in the pages, so they are operators only where a term
# starts (minus, exclamation), around a whole term (quotes) or after a field name (colon).
_OPEN, _CLOSE, _BAR = frozenset("(（"), frozenset(")）"), frozenset("|｜")
_NOT = frozenset("-!－！")
_QUOTES = {'"': '"', "“": "”", "‘": "’", "「": "」", "『": "』"}
_ENDS = frozenset({"", *_CLOSE, *_BAR})
_SPECIAL = frozenset({*_OPEN, *_CLOSE, *_BAR, '"'})
_FIELD = re.compile(r"([A-Za-z]+)([:：])")
_LINE_BREAK = re.compile(r"[^\S\n]*\n\s*")


class QueryError(ValueError):
    def __init__(self, message: str, position: int) -> None:
        super().__init__(_("{message} (at character {n})").format(message=message, n=position + 1))
        self.message = message
        self.position = position


@dataclass(frozen=True)
class Term:
    text: str
    whole_words: bool = False

    @property
    def wildcard(self) -> bool:
        return "?" in self.text or "*" in self.text


@dataclass(frozen=True)
class Phrase:
    text: str


@dataclass(frozen=True)
class Regex:
    pattern: str


@dataclass(frozen=True)
class Field:
    name: str
    value: str


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class And:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Near:
    left: Node
    right: Node
    distance: int


Node = Term | Phrase | Regex | Field | Not | And | Or | Near


def describe(node: Node) -> str:
    """The parsed form, shown under the search box so users see how their query was read."""
    match node:
        case Term(text, whole):
            return f"word:{text}" if whole else text
        case Phrase(text):
            return f'"{text}"'
        case Regex(pattern):
            return f"/{pattern}/"
        case Field(name, value):
            return f"{name}:{field_value(value)}"
        case Not(inner):
            return f"NOT {describe(inner)}"
        case And(nodes):
            return "(" + " AND ".join(map(describe, nodes)) + ")"
        case Or(nodes):
            return "(" + " OR ".join(map(describe, nodes)) + ")"
        case Near(left, right, distance):
            return f"({describe(left)} NEAR/{distance} {describe(right)})"
    raise TypeError(node)


def field_value(value: str) -> str:
    """A field's value as a query is written: in quotes when it holds what would end it."""
    if not any(c.isspace() or c in _SPECIAL for c in value):
        return value
    exact, bare = value.startswith("="), value.replace('"', "")
    return ("=" if exact else "") + f'"{bare.removeprefix("=")}"'


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.depth = 0  # brackets and NOTs open around what is being read

    def _deeper(self, start: int) -> None:
        """One level deeper: past MAX_NESTING, a query error rather than Python's recursion limit
        (a pasted query of 5,000 brackets was a traceback)."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise QueryError(_("brackets and NOTs nested more than {n} deep").format(n=MAX_NESTING), start)

    def parse(self) -> Node:
        self._skip()
        if self.pos >= len(self.text):
            raise QueryError(_("the query is empty"), 0)
        node = self._or()
        self._skip()
        if self.pos < len(self.text):
            if self.text[self.pos] in _CLOSE:
                raise QueryError(_("a ')' has no matching '('"), self.pos)
            raise QueryError(_("unexpected {char!r}").format(char=self.text[self.pos]), self.pos)
        return node

    def _skip(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def _peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def _or(self) -> Node:
        nodes = [self._and()]
        while True:
            self._skip()
            if self._peek() not in _BAR:
                break
            self.pos += 1
            self._skip()
            if self._peek() in _ENDS:
                raise QueryError(_("'|' needs something on both sides"), self.pos - 1)
            nodes.append(self._and())
        return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))

    def _and(self) -> Node:
        nodes = [self._unary()]
        while True:
            self._skip()
            if self._peek() in _ENDS:
                break
            near = re.compile(r"NEAR/(\d+)(?=\s|$)").match(self.text, self.pos)
            if near:
                self.pos = near.end()
                self._skip()
                if self._peek() in _ENDS:
                    raise QueryError(_("NEAR needs a term on both sides"), near.start())
                nodes[-1] = Near(nodes[-1], self._unary(), int(near.group(1)))
                continue
            nodes.append(self._unary())
        return nodes[0] if len(nodes) == 1 else And(tuple(nodes))

    def _unary(self) -> Node:
        start = self.pos
        if self._peek() in _NOT and self.pos + 1 < len(self.text) and not self.text[self.pos + 1].isspace():
            self._deeper(start)
            self.pos += 1
            node = Not(self._unary())
            self.depth -= 1
            return node
        if self._peek() in _NOT:
            raise QueryError(_("'{mark}' must stand right before what it excludes").format(mark=self._peek()), start)
        return self._atom()

    def _atom(self) -> Node:
        start, ch = self.pos, self._peek()
        if ch in _OPEN:
            self._deeper(start)
            self.pos += 1
            self._skip()
            if self._peek() in _CLOSE:
                raise QueryError(_("empty brackets"), start)
            node = self._or()
            self._skip()
            if self._peek() not in _CLOSE:
                raise QueryError(_("a '(' is never closed"), start)
            self.pos += 1
            self.depth -= 1
            return node
        if ch in _CLOSE:
            raise QueryError(_("a ')' has no matching '('"), start)
        if ch in _QUOTES:
            # Curly and corner quotes are also text the pages print, so they make a phrase only
            # around a whole term: a term copied with its quotes (“双创”为, or “向阳花 with no
            # closing quote) finds that text, and the app goes on finding things while the
            # closing quote is still to be typed. Only an ASCII quote left open is a mistake.
            end = self.text.find(_QUOTES[ch], start + 1)
            if ch == '"' or (end > 0 and self._term_ends(end + 1)):
                return self._phrase(start, end)
        if ch == "/":
            end = self.text.find("/", start + 1)
            while end > 0 and self.text[end - 1] == "\\":
                end = self.text.find("/", end + 1)
            if end < 0:
                raise QueryError(_("a regular expression /…/ is never closed"), start)
            pattern = self.text[start + 1 : end]
            try:  # Python's syntax and messages; then the `regex` module's, which searches with it
                re.compile(pattern)
                regex_module().compile(pattern, regex_module().MULTILINE)
            except (re.error, regex_module().error) as err:
                # `regex` reads a few patterns `re` takes otherwise (a { that opens no repeat)
                raise QueryError(_("bad regular expression: {error}").format(error=err.msg), start + 1 + (err.pos or 0)) from None
            if not pattern:
                raise QueryError(_("an empty regular expression"), start)
            self.pos = end + 1
            return Regex(pattern)
        word = self._word()
        field = _FIELD.match(word)
        if field and (field.group(2) == ":" or field.group(1).lower() in FIELDS):
            value = word[field.end() :]
            if value in ("", "=") and self._peek() == '"':  # brand:="红色 领航": a value with spaces or brackets
                end = self.text.find('"', self.pos + 1)
                if end < 0:
                    raise QueryError(_('a quote " is never closed'), self.pos)
                value += self.text[self.pos + 1 : end]
                self.pos = end + 1
            return self._field(field.group(1).lower(), value, start)
        return Term(word)

    def _phrase(self, start: int, end: int) -> Phrase:
        if end < 0:
            raise QueryError(_('a quote " is never closed'), start)
        self.pos = end + 1
        phrase = self.text[start + 1 : end]
        if not phrase.strip():
            raise QueryError(_("an empty phrase"), start)
        return Phrase(phrase)

    def _term_ends(self, pos: int) -> bool:
        return pos == len(self.text) or self.text[pos].isspace() or self.text[pos] in _SPECIAL

    def _word(self) -> str:
        start = self.pos
        while not self._term_ends(self.pos):
            self.pos += 1
        if self.pos == start:
            if start == len(self.text):
                raise QueryError(_("the query ends where a term was expected"), start)
            raise QueryError(_("unexpected {char!r}").format(char=self.text[start]), start)
        return self.text[start : self.pos]

    def _field(self, name: str, value: str, start: int) -> Node:
        if name not in FIELDS:
            fields = ", ".join(FIELDS)
            raise QueryError(_("unknown field {name}: (fields: {fields})").format(name=cut_short(name, 30), fields=fields), start)
        if not value:
            raise QueryError(_("{name}: needs a value").format(name=name), start)
        if name == "word":
            return Term(value, whole_words=True)
        if name == "batch" and value not in BATCH_VALUES:
            raise QueryError(_("batch: is 1, 2, any, unknown or none"), start)
        if name == "date":
            return Field(name, _date_range(value, start + len(name) + 1))
        if name == "type":
            value = TYPE_NAMES.get(value, value)
            if value not in TYPES:
                raise QueryError(_("type: is one of {types} (or 小学, 中学, 幼儿园 …)").format(types=", ".join(TYPES)), start)
        if name == "in" and value not in PARTS:
            raise QueryError(_("in: is one of {parts}").format(parts=", ".join(PARTS)), start)
        return Field(name, value)


def _date_range(value: str, at: int) -> str:
    """A date: value in one form, first..last (either may be empty: open), or "none"; `at` is
    where the value starts, for pointing at what is not a date."""
    if value.lower() in ("none", "无"):
        return "none"
    first, dots, last = value.partition("..")
    ends = [(first, at), (last, at + len(first) + 2)] if dots else [(value, at)]
    dated = []
    for text, where in ends:
        iso = parse_date(text) if text else ""
        if iso is None:
            raise QueryError(_('"{text}" is not a date: write date:2024, date:2024-09, date:2023-09..2024-06 or date:none')
                             .format(text=cut_short(text, 30)), where)
        dated.append(iso)
    if not dots:
        return dated[0]
    if not any(dated):
        raise QueryError(_("a date range needs a first or a last date: date:2023..2024"), at)
    if all(dated) and code(dated[0]) > code(dated[1]):
        raise QueryError(_("the date range ends before it begins"), at)
    return f"{dated[0]}..{dated[1]}"


def regex_module() -> Any:
    """The `regex` module, imported with the first regular expression typed, not with search."""
    import regex

    return regex


def _wide(ch: str) -> bool:
    """Chinese puts no space between its characters, its punctuation and its curly quotes, so a
    hard wrap between two of them hides none."""
    return unicodedata.east_asian_width(ch) in ("W", "F") or ch in "“”‘’"


def _unwrap(text: str) -> tuple[str, list[int]]:
    """Line breaks folded as a hard-wrapped page's are when its lines are joined (gone between
    Chinese characters, a space elsewhere), so a sentence copied across a wrap finds itself.
    `origin[i]` is where character i of the result was typed, with one more entry for its end,
    so an error points into what the user typed rather than into the fold."""
    pieces: list[str] = []
    origin: list[int] = []
    done = 0
    for m in _LINE_BREAK.finditer(text):
        joined = m.start() > 0 and m.end() < len(text) and _wide(text[m.start() - 1]) and _wide(text[m.end()])
        gap = "" if joined else " "
        pieces += [text[done : m.start()], gap]
        origin += range(done, m.start() + len(gap))
        done = m.end()
    pieces.append(text[done:])
    origin += range(done, len(text) + 1)
    return "".join(pieces), origin


def unwrap(text: str) -> str:
    """A query typed or pasted over several lines, as one line: what a search box shows."""
    return _unwrap(text)[0]


def parse(text: str) -> Node:
    """Parse a query; raises QueryError with a message and a position, never anything else.

    An ideographic space is read as a space, so a regular expression that holds one finds the
    folded text (where it is one) and a phrase reads as its ASCII form."""
    folded, origin = _unwrap(text.replace("\u3000", " "))
    try:
        return _Parser(folded).parse()
    except QueryError as err:
        raise QueryError(err.message, origin[err.position]) from None
