"""Every hit of the current query as a keyword-in-context line, aligned on the hit, beside bars
showing where in the corpus the hits are (by district, school and page)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from store import N_, Article, Line, Span, _, count, tally
from tui.screens.base import BaixiaoScreen, copy_bindings
from tui.screens.export import Choice
from tui.widgets.footer import MarksFooter
from tui.widgets.rows import RowList, fit, one_line

BAR = "█"
SOURCE_CELLS = 10  # the school or subject a line comes from


def clip(text: str, width: int, keep_end: bool = False) -> str:
    """`text` cut to at most `width` terminal cells (CJK characters take two), from its end or
    (keep_end) from its start."""
    while cell_len(text) > width:
        text = text[1:] if keep_end else text[:-1]
    return text


def kwic(line: Line, width: int) -> Text:
    """Where the line is from (the school, else the article's subject), then the left context
    right-aligned up to the middle, the hit, and the right context."""
    label = fit(line.school or line.subject or "—", SOURCE_CELLS)
    width -= SOURCE_CELLS + 1
    half = max(4, (width - cell_len(line.hit)) // 2)
    left = clip(line.left, half, keep_end=True)
    text = Text(label + " ", style="bold cyan", end="")
    text.append(" " * (half - cell_len(left)) + left, style="dim")
    text.append(line.hit, style="bold reverse")
    text.append(line.right)
    return text


def bars(title: str, counts: dict[str, int], width: int = 14, top: int = 12) -> Text:
    """Hits by one thing, most first: a name cut with an ellipsis, a bar, the number of hits."""
    text = Text(title + "\n", style="bold underline")
    if not counts:
        return text.append("—\n", style="dim")
    most = max(counts.values())
    for label, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]:
        text.append(fit(label, 12) + " ")
        text.append(BAR * max(1, round(width * n / most)), style="cyan")
        text.append(f" {n}\n", style="dim")
    if len(counts) > top:
        text.append(_("… {n} more").format(n=len(counts) - top) + "\n", style="dim")
    return text


class ConcordanceScreen(BaixiaoScreen):
    NAME = N_("Concordance")
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="concordance.back"),
        Binding("l", "sort('left')", N_("Sort by left"), id="concordance.left"),
        Binding("r", "sort('right')", N_("Sort by right"), id="concordance.right"),
        Binding("t", "sort('text')", N_("Text order"), id="concordance.text"),
        *copy_bindings("concordance"),
    ]
    DEFAULT_CSS = """
    ConcordanceScreen #lines { width: 1fr; }
    ConcordanceScreen #bars { width: 34; border-left: vkey $panel; padding: 0 1; }
    ConcordanceScreen #cited { height: 1; padding: 0 1; }
    """

    def __init__(self, query: str, lines: list[Line]) -> None:
        super().__init__()
        self.searched = query
        self.lines = lines
        self.shown = list(lines)

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        with Horizontal():
            yield RowList(lambda i, w: kwic(self.shown[i], w), id="lines")
            counted = tally(self.lines)
            with VerticalScroll(id="bars"):
                yield Static(bars(_("hits by district"), counted.by_district))
                yield Static(bars(_("hits by school"), counted.by_school))
                yield Static(bars(_("hits by page"), counted.by_page))
        yield Static(id="cited")
        yield MarksFooter()

    def on_mount(self) -> None:
        self._status(_("text order"))
        self.query_one(RowList).set_count(len(self.shown))
        self.query_one(RowList).focus()
        self.call_after_refresh(self._cite, 0)

    def _status(self, order: str) -> None:
        status = Text.assemble((count(len(self.lines), "hit"), "bold"), " " + _("in body text for") + " ", self.searched)
        status.append(" · " + order + " · " + _("l/r sort by left/right context, t text order, Enter opens"), style="dim")
        widget = self.query_one("#status", Static)
        widget.update(one_line(status, widget.content_region.width))

    def action_sort(self, key: str) -> None:
        if key == "left":
            self.shown = sorted(self.lines, key=lambda x: (x.left[::-1], x.hit))
        elif key == "right":
            self.shown = sorted(self.lines, key=lambda x: (x.right, x.hit))
        else:
            self.shown = list(self.lines)
        said = {"left": N_("sorted by left context"), "right": N_("sorted by right context")}.get(key, N_("text order"))
        self._status(_(said))
        self.query_one(RowList).set_count(len(self.shown))
        self._cite(0)

    @on(RowList.Highlighted, "#lines")
    def _highlighted(self, event: RowList.Highlighted) -> None:
        self._cite(event.index)

    def _cite(self, index: int) -> None:
        """The citation of the line under the cursor, where `y` and `Y` take it from."""
        if not 0 <= index < len(self.shown):
            return
        line = self.shown[index]
        article = self.app.store.article(line.article)
        cited = self.app.cites.of(article, line.span.part, line.span.paragraph) if article else ""
        widget = self.query_one("#cited", Static)
        widget.update(one_line(Text(cited, style="dim italic"), widget.content_region.width))

    @on(RowList.Selected, "#lines")
    def _open(self, event: RowList.Selected) -> None:
        self.app.open_hit(self.searched, self.shown[event.index])

    def quoted(self) -> tuple[Article, Span] | None:
        rows = self.query_one(RowList)
        if not rows.count:
            return None
        line = self.shown[rows.cursor]
        article = self.app.store.article(line.article)
        return (article, line.span) if article else None

    def citations_changed(self) -> None:
        self._cite(self.query_one(RowList).cursor)

    def current_query(self) -> str:
        return self.searched.strip()

    def export_choices(self) -> list[Choice]:
        return [Choice.results(self.app.cites, self.current_query())]
