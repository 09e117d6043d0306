"""A list that draws only the rows on screen, so ten thousand rows cost what twenty do.

Textual's DataTable measures every cell of every row when it is filled (100–150 µs a row), too
slow to refill on each keystroke of a search over thousands of articles. This widget holds no
rows at all: it asks `render_row(index, width)` for the few lines it is about to paint (the Line
API, as toolong draws log files), and a new result set is a new count and a refresh.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from functools import lru_cache

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.cache import LRUCache
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from store import N_
from tui.translate import translate_bindings

Cell = tuple[str, str, int]  # text, style, width in terminal cells
RenderRow = Callable[[int, int], Text | list[Segment]]


def fit(text: str, size: int) -> str:
    """`text` in exactly `size` terminal cells: padded, or cut with an ellipsis. CJK characters
    take two cells and are never cut in half."""
    length = cell_len(text)
    if length <= size:
        return text + " " * (size - length)
    return set_cell_size(text, size - 1) + "…" if size > 0 else ""


def row(values: Sequence[Cell], width: int) -> list[Segment]:
    """One row of fixed-width columns, the last taking what is left, as segments ready to paint
    (a few times cheaper than laying out a Text, and a list repaints dozens per keystroke)."""
    segments = []
    used = 0
    last = len(values) - 1
    for i, (value, style, size) in enumerate(values):
        size = max(0, width - used) if i == last else min(size, max(0, width - used))
        segments.append(Segment(fit(value, size), Style.parse(style)))
        used += size
        if i < last and used < width:
            segments.append(Segment(" "))
            used += 1
    return segments


def one_line(text: Text, width: int) -> Text:
    """`text` cut to one line of `width` cells with an ellipsis: a status line that says too much
    (a long query) shows its start, never nothing."""
    if width > 0 and text.cell_len > width:
        text = text.copy()
        text.truncate(width, overflow="ellipsis")
    text.no_wrap = True
    return text


@lru_cache(maxsize=64)
def widths(natural: tuple[int, ...], least: tuple[int, ...], width: int) -> tuple[int, ...]:
    """Column widths for a window `width` cells wide: each column as wide as its widest cell,
    and when they do not all fit, cells taken from whichever column has the most to spare above
    its `least`, one at a time, so no column is cut while another still has room. Cached: every
    row drawn asks, and the answer changes only with the window."""
    sizes = list(natural)
    room = width - (len(sizes) - 1)  # a space between columns
    while sum(sizes) > room:
        spare = max(range(len(sizes)), key=lambda k: sizes[k] - least[k])
        if sizes[spare] <= least[spare]:
            break
        sizes[spare] -= 1
    return tuple(sizes)


def natural_width(texts: Iterable[str], cap: int) -> int:
    """The widest of `texts` in terminal cells (CJK characters take two), at most `cap`. Each
    distinct text is measured once, and none after one reaches the cap: a column of 100,000
    articles repeats a few hundred districts."""
    widest = 0
    for text in set(texts):
        widest = max(widest, cell_len(text))
        if widest >= cap:
            return cap
    return widest


def cells(values: Sequence[Cell], width: int) -> Text:
    """The same row as a Text, for widgets that take one (a heading over the list)."""
    return Text.assemble(*((segment.text, segment.style or "") for segment in row(values, width)), no_wrap=True, end="")


class RowList(ScrollView, can_focus=True):
    """Rows drawn on demand, a cursor, and messages when the cursor moves or a row is chosen."""

    BINDINGS = [
        Binding("down,j", "move(1)", N_("Down"), show=False, id="rows.down"),
        Binding("up,k", "move(-1)", N_("Up"), show=False, id="rows.up"),
        Binding("pagedown", "page(1)", N_("Page down"), show=False, id="rows.page_down"),
        Binding("pageup", "page(-1)", N_("Page up"), show=False, id="rows.page_up"),
        Binding("g,home", "first", N_("Top"), show=False, id="rows.top"),
        Binding("G,end", "last", N_("Bottom"), show=False, id="rows.bottom"),
        Binding("enter", "select", N_("Open"), id="rows.open"),
    ]
    COMPONENT_CLASSES = {"rows--cursor"}
    DEFAULT_CSS = """
    RowList { overflow-x: hidden; }
    RowList > .rows--cursor { background: $accent 30%; }
    RowList:focus > .rows--cursor { background: $accent 60%; text-style: bold; }
    """

    cursor: reactive[int] = reactive(0, always_update=True)

    class Highlighted(Message):
        def __init__(self, rows: RowList, index: int) -> None:
            super().__init__()
            self.rows = rows
            self.index = index

        @property
        def control(self) -> RowList:
            return self.rows

    class Selected(Highlighted):
        pass

    def __init__(
        self,
        render_row: RenderRow,
        *,
        row_key: Callable[[int], Hashable] | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """`row_key(index)`: what a row shows depends on only this, so its drawing can be kept
        and reused when the same item comes back (the next keystroke's results often repeat)."""
        super().__init__(id=id, classes=classes)
        translate_bindings(self)
        self._render_row = render_row
        self._row_key = row_key
        self._drawn: LRUCache[tuple[Hashable, int], Strip] = LRUCache(256)
        self._style = Style()
        self._cursor_style = Style()
        self.count = 0

    def set_count(self, count: int, cursor: int = 0) -> None:
        """Show `count` rows (asked for afresh), the cursor on row `cursor`."""
        self.count = count
        self.virtual_size = Size(self.size.width, count)
        self.scroll_to(y=0, animate=False)
        self.cursor = min(max(cursor, 0), max(count - 1, 0))
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        """Look the styles up once per paint, not once per line: they cost more than a row."""
        self._style = self.rich_style
        self._cursor_style = self._style + self.get_component_rich_style("rows--cursor")
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        if index >= self.count:
            return Strip.blank(width, self._style)
        key = (self._row_key(index), width) if self._row_key else None
        strip = self._drawn.get(key) if key else None
        if strip is None:
            drawn = self._render_row(index, width)
            if isinstance(drawn, Text):
                drawn.truncate(width, overflow="ellipsis", pad=True)
                drawn = list(drawn.render(self.app.console))
            strip = Strip(drawn, width)
            if key:
                self._drawn[key] = strip
        return strip.apply_style(self._cursor_style if index == self.cursor else self._style)

    def watch_cursor(self, old: int, new: int) -> None:
        if self.count:
            self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True)
            self.post_message(self.Highlighted(self, new))
        self.refresh()

    def refresh_row(self, index: int) -> None:
        self.refresh(Region(0, index - round(self.scroll_offset.y), self.size.width, 1))

    def action_move(self, delta: int) -> None:
        if self.count:
            self.cursor = min(max(self.cursor + delta, 0), self.count - 1)

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self.action_move(-self.count)

    def action_last(self) -> None:
        self.action_move(self.count)

    def action_select(self) -> None:
        if self.count:
            self.post_message(self.Selected(self, self.cursor))

    def on_click(self, event: Click) -> None:
        index = round(self.scroll_offset.y) + event.y
        if 0 <= index < self.count:
            if index == self.cursor and event.chain == 2:
                self.action_select()
            self.cursor = index

