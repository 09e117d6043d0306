"""Chinese line breaking (kinsoku shori) for every text view of the app.

Rich folds CJK text at whatever character meets the edge, so its lines may begin with `，` or `。`,
leave an opening `“` hanging at their end, and tear a highlighted hit in two (党 / 建品牌). Here the
breaks are chosen by the rules a typesetter follows; the widgets print the lines exactly as given.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, get_character_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import Style
from rich.text import Text

# Marks that close what came before: a line that begins with one reads as a stray.
CLOSING = frozenset("，。、；：？！”’）》」』〉】〕〗…—·" + "%,.;:?!)]}" + "％］｝")
# Marks that open what comes after: left at a line's end, they point at nothing.
OPENING = frozenset("“‘（《「『〈【〔〖" + "([{" + "［｛")

MIN_WIDTH = 2  # one CJK character: the narrowest line that can always hold something


def break_lines(text: str, width: int, keep: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Where each display line of `text` starts and ends, at `width` cells.

    Offsets rather than strings, so a caller can slice a styled Text or tell which row a hit is on.
    A `keep` span (a search hit, say) is never torn across two lines when it fits in one; spans that
    overlap count as their union.
    """
    return _Page.of(text, max(width, MIN_WIDTH), keep).lines()


def styled_spans(text: Text, styles: Collection[str | Style]) -> list[tuple[int, int]]:
    """The spans of `text` drawn in one of `styles`: how highlighted hits are found to be kept whole.

    Styles are compared by their normalized definition, so "reverse bold" matches "bold reverse".
    """
    wanted = {Style.normalize(str(style)) for style in styles}
    return [(span.start, span.end) for span in text.spans if Style.normalize(str(span.style)) in wanted]


def typeset_lines(text: Text, width: int, keep: Sequence[tuple[int, int]] = (), keep_styles: Collection[str | Style] = ()) -> list[Text]:
    """The lines `Typeset` prints, for callers that must know which row holds what (the reader's scroll)."""
    spans = break_lines(text.plain, width, [*keep, *styled_spans(text, keep_styles)])
    # Cut once at every line's ends (slicing a Text cuts the whole of it each time: a long article
    # took half a second); no line holds another's end, so the piece that starts a line is the line.
    cuts = sorted({offset for span in spans for offset in span})
    pieces = dict(zip(cuts, text.divide(cuts)[1:], strict=True))
    lines = []
    for start, end in spans:
        line = pieces[start] if end > start else text.blank_copy()
        # Each line already fits: Rich must print it as it is, never fold it again.
        line.no_wrap, line.overflow, line.end = True, "ignore", "\n"
        lines.append(line)
    return lines


class Typeset:
    """A Rich renderable: `text` broken into lines by the Chinese rules at whatever width it is given.

    `keep` names character spans to hold on one line; `keep_styles` keeps every span of `text` drawn
    in one of those styles, so `Typeset(page, keep_styles={HIT})` never splits a highlighted hit.
    """

    def __init__(self, text: Text, *, keep: Sequence[tuple[int, int]] = (), keep_styles: Collection[str | Style] = ()) -> None:
        self.text = text
        self.keep = keep
        self.keep_styles = keep_styles

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from typeset_lines(self.text, options.max_width, self.keep, self.keep_styles)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        """At least the widest piece no rule lets us break; at most the widest line as written."""
        plain = self.text.plain
        # As wide as the whole text, so that every kept span fits and counts as one piece.
        page = _Page.of(plain, cell_len(plain), [*self.keep, *styled_spans(self.text, self.keep_styles)])
        minimum = max(MIN_WIDTH, page.widest_unit())
        return Measurement(minimum, max(minimum, *(cell_len(line.rstrip(" ")) for line in plain.split("\n"))))


@dataclass(frozen=True)
class _Page:
    """One text at one width, with what every break test needs worked out once.

    A break `b` falls between text[b - 1] and text[b]. Spaces around a break hang: they end the
    line before it (costing no width) and are dropped, so the next line starts on a visible character.
    """

    text: str
    width: int
    cells: list[int]  # cells[i]: the cell width of text[:i], so any slice's width is one subtraction
    inside: list[bool]  # inside[b]: a break at b would split a kept span

    @classmethod
    def of(cls, text: str, width: int, keep: Sequence[tuple[int, int]]) -> _Page:
        cells = [0]
        for char in text:
            cells.append(cells[-1] + get_character_cell_size(char))
        inside = [False] * (len(text) + 1)
        for start, end in _merged(_trimmed(text, keep)):
            if "\n" not in text[start:end] and cells[end] - cells[start] <= width:
                inside[start + 1 : end] = [True] * (end - start - 1)
        return cls(text, width, cells, inside)

    def lines(self) -> list[tuple[int, int]]:
        lines = []
        for first, end in _paragraphs(self.text):
            start = first
            while True:
                b = self._line_end(start, end)
                lines.append((start, self._strip(start, b)))
                start = self._skip(b, end)
                if start == end:
                    break
        return lines

    def widest_unit(self) -> int:
        """The widest run between two breaks that obey every rule: the least width that needs no fallback."""
        widest = 0
        for first, end in _paragraphs(self.text):
            cut = first
            for b in range(first + 1, end + 1):
                if b == end or self._breakable(cut, b, end):
                    widest = max(widest, self.cells[self._strip(cut, b)] - self.cells[cut])
                    cut = self._skip(b, end)
        return widest

    def _line_end(self, start: int, end: int) -> int:
        """The break that ends the line begun at `start`: the latest that fits and obeys the rules.

        Falling back, in turn: fold an unbreakable word (still obeying kinsoku and kept spans), then
        let punctuation lead or trail a line (still keeping spans whole). The last always finds a
        break, as kept spans are disjoint and fit: the line's room ends outside them or one begins in it.
        """
        limit = self._fit(start, end)
        if limit == end:
            return end
        rules = (self._breakable, self._clean, self._whole)
        return next(b for allowed in rules for b in range(limit, start, -1) if allowed(start, b, end))

    def _fit(self, start: int, end: int) -> int:
        """The furthest break whose line fits (trailing spaces hang, so they cost nothing); always past `start`."""
        limit = content = start
        for b in range(start + 1, end + 1):
            if self.text[b - 1] != " ":
                content = b
            if self.cells[content] - self.cells[start] > self.width:
                break
            limit = b
        return limit

    def _breakable(self, start: int, b: int, end: int) -> bool:
        return self._opportunity(b) and self._clean(start, b, end)

    def _clean(self, start: int, b: int, end: int) -> bool:
        """Kinsoku: the line does not end on an opening mark, the next does not begin with a closing one."""
        last, first = self._strip(start, b), self._skip(b, end)
        ends_open = last > start and self.text[last - 1] in OPENING
        starts_closed = first < end and self.text[first] in CLOSING
        return self._whole(start, b, end) and not ends_open and not starts_closed

    def _whole(self, start: int, b: int, end: int) -> bool:
        return not self.inside[b]

    def _opportunity(self, b: int) -> bool:
        """Chinese may break between any two characters, a Latin word only at its edges or after a space."""
        before, after = self.text[b - 1], self.text[b]
        if after == " " or get_character_cell_size(after) == 0:  # a space hangs; a combining mark holds on
            return False
        wide = get_character_cell_size(before) == 2 or get_character_cell_size(after) == 2
        return before == " " or wide or (before in CLOSING and after in OPENING)

    def _strip(self, start: int, b: int) -> int:
        while b > start and self.text[b - 1] == " ":
            b -= 1
        return b

    def _skip(self, b: int, end: int) -> int:
        while b < end and self.text[b] == " ":
            b += 1
        return b


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Each stretch between forced breaks: a newline belongs to no line."""
    start = 0
    for part in text.split("\n"):
        yield start, start + len(part)
        start += len(part) + 1


def _trimmed(text: str, keep: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Kept spans inside the text without their edge spaces, which hang at a break rather than hold one."""
    spans = []
    for start, end in keep:
        start, end = max(start, 0), min(end, len(text))
        while start < end and text[start] == " ":
            start += 1
        while end > start and text[end - 1] == " ":
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans as their union: two that share characters can only be kept together."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
