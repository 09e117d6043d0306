"""The overview's panels: a bar chart whose every bar is a row the cursor can open, and the table
of schools by district and batch, whose every cell can (a column cursor beside the row cursor).

Both are `RowList`s, so they draw only the rows on screen however many districts or brands a
store has. Counts come from the store (`store.overview`); these widgets only draw them.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive

from store import ALL, BATCHES, N_, Count, Row, _, key_label
from tui.charts import bar
from tui.translate import translate_bindings
from tui.widgets.rows import RowList, natural_width, row

BAR_STYLE = "cyan"
LABEL_CAP = 24  # cells a label may take before it is cut


class Opened(Message):
    """A bar or cell was chosen: open the list it counts."""

    def __init__(self, count: Count, of: str, said: str) -> None:
        super().__init__()
        self.count = count
        self.of = of  # "school" or "article"
        self.said = said  # what it is, for the list's status line: 北碚区 × 第2批


class BarChart(RowList):
    """A row per count: its label, the number and a bar. Enter opens what the bar counts."""

    def __init__(self, title: str, of: str, *, id: str | None = None) -> None:
        super().__init__(self._draw, id=id, classes="chart")
        self.border_title = title
        self.of = of
        self.counts: tuple[Count, ...] = ()

    def show(self, counts: tuple[Count, ...]) -> None:
        self.counts = counts
        self._label_width = natural_width((key_label(c.key) for c in counts), LABEL_CAP)
        self._number_width = max((len(str(c.n)) for c in counts), default=1)
        self._most = max((c.n for c in counts), default=0)
        self.set_count(len(counts))
        self.border_subtitle = "" if counts else _("none")

    def _draw(self, i: int, width: int) -> list[Segment]:
        c = self.counts[i]
        room = max(0, width - self._label_width - self._number_width - 2)
        return row([(key_label(c.key), "", self._label_width), (str(c.n).rjust(self._number_width), "bold", self._number_width),
                    (bar(c.n, self._most, room), BAR_STYLE, room)], width)

    def on_row_list_selected(self, event: RowList.Selected) -> None:
        event.stop()
        if self.counts:
            c = self.counts[event.index]
            self.post_message(Opened(c, self.of, key_label(c.key)))


class DistrictGrid(RowList):
    """Schools by district (rows) and 双创 batch (columns, then the district's total), with a
    bar of the total stacked by batch. Left and right move between the columns."""

    BINDINGS = [
        Binding("left,h", "column(-1)", N_("Previous column"), show=False, id="grid.left"),
        Binding("right,l", "column(1)", N_("Next column"), show=False, id="grid.right"),
    ]
    COLUMN_CELLS = 8
    STACK = ("red", "yellow", "blue", "grey50")  # 第1批, 第2批, not stated, not 双创
    column: reactive[int] = reactive(len(BATCHES), always_update=True)  # the total, at first

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(self._draw, id=id, classes="chart")
        translate_bindings(self)
        self.border_title = title
        self.rows: tuple[Row, ...] = ()

    def show(self, rows: tuple[Row, ...]) -> None:
        self.rows = rows
        self._label_width = natural_width([_("district"), *(key_label(r.district) for r in rows)], LABEL_CAP)
        self._widths = [max(self.COLUMN_CELLS, cell_len(t)) for t in self.titles()]
        self._most = max((r.total.n for r in rows if r.district != ALL), default=0)
        self.set_count(len(rows))

    @staticmethod
    def titles() -> list[str]:
        return [key_label(b) for b in BATCHES] + [_("total")]

    def heading(self, width: int) -> Text:
        """The column titles, over the rows (the panel draws it above the list), each batch's in
        its colour in the stacked bars: the legend."""
        colours = [*self.STACK, ""]
        cells = [(_("district"), "bold", self._label_width)]
        cells += [(" " * (w - cell_len(t)) + t, f"bold {c}", w) for t, w, c in zip(self.titles(), self._widths, colours, strict=True)]
        return Text.assemble(*((s.text, s.style or "") for s in row([*cells, ("", "", 0)], width)), no_wrap=True, end="")

    def _draw(self, i: int, width: int) -> list[Segment]:
        r = self.rows[i]
        numbers = [str(c.n) if c.n else "·" for c in (*r.batches, r.total)]
        styles = ["bold" if r.district == ALL else ""] * len(BATCHES) + ["bold"]
        segments = row([(key_label(r.district), "", self._label_width)]
                       + [(n.rjust(w), style, w) for n, w, style in zip(numbers, self._widths, styles, strict=True)]
                       + [("", "", 0)], width)
        used = sum(s.cell_length for s in segments[:-1])
        room = max(0, width - used)
        stacked = []
        for c, colour in zip(r.batches, self.STACK, strict=True):  # every district's row: no bar, the numbers say it
            # whole cells: an eighth-cell end between two colours reads as a gap
            cells = max(1, round(c.n * room / self._most)) if c.n and r.district != ALL and self._most else 0
            stacked.append(Segment("█" * cells, Style(color=colour)))
        length = sum(s.cell_length for s in stacked)
        if length > room:  # each part rounded up to a cell: trim the last
            stacked = list(Segment.adjust_line_length(stacked, room))
        segments[-1:] = [*stacked, Segment(" " * max(0, room - length))]
        if i == self.cursor:
            self._mark_column(segments)
        return segments

    def _mark_column(self, segments: list[Segment]) -> None:
        """The cell under the column cursor, reversed: where Enter opens."""
        at = 2 + 2 * self.column  # label, a space, then a cell and a space per column
        text, style, control = segments[at]
        segments[at] = Segment(text, (style or Style()) + Style(reverse=True), control)

    def watch_column(self) -> None:
        self.refresh_row(self.cursor)

    def watch_cursor(self, old: int, new: int) -> None:
        super().watch_cursor(old, new)
        self.refresh_row(old)

    def action_column(self, delta: int) -> None:
        self.column = min(max(self.column + delta, 0), len(BATCHES))

    def chosen(self) -> tuple[Count, str] | None:
        """The cell under the cursors and what it is called (北碚区 × 第2批)."""
        if not self.rows:
            return None
        r = self.rows[self.cursor]
        if self.column == len(BATCHES):
            return r.total, key_label(r.district)
        c = r.batches[self.column]
        return c, f"{key_label(r.district)} × {key_label(c.key)}"

    def on_row_list_selected(self, event: RowList.Selected) -> None:
        event.stop()
        if chosen := self.chosen():
            self.post_message(Opened(chosen[0], "school", chosen[1]))
