"""The reader: one article, laid out as printed, with the current query's hits highlighted.

The article is one `rich.text.Text` in one Static: showing another article is one update, not
fifty widgets unmounted and mounted (which cost a keystroke 150 ms). Each line of the article's
layout (see `store.layout`) is a block of that text, so a hit's (part,
paragraph) names the block it is in. Text goes in as `Text`, never as markup: a page that
contains `[bold]` or `[@click=app.quit]` shows exactly that.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from store import N_, Article, Span, layout_of
from tui.translate import translate_bindings
from tui.typeset import Typeset, break_lines

HIT = "reverse"
CURRENT = "bold reverse underline"
STYLES = {
    "header": "dim",
    "citation": "dim italic",
    "title": "bold",
    "heading": "bold cyan",
    "sidebar_title": "bold cyan",
    "body": "",
    "sidebar": "",
    "caption": "italic dim",
}
PREFIXES = {"sidebar_title": "▍ ", "sidebar": "▍ ", "caption": "图 "}  # 图: a photo caption, as papers print it


@dataclass(frozen=True)
class Placed:
    """One title line, heading, paragraph or caption: where it starts in the page, as what."""

    start: int
    prefix: str
    text: str


class Reader(VerticalScroll, can_focus=True):
    BINDINGS = [  # the keys every list moves by, as the help says they move everywhere
        Binding("j", "scroll_down", N_("Down"), show=False, id="reader.down"),
        Binding("k", "scroll_up", N_("Up"), show=False, id="reader.up"),
        Binding("g", "scroll_home", N_("Top"), show=False, id="reader.top"),
        Binding("G", "scroll_end", N_("Bottom"), show=False, id="reader.bottom"),
    ]
    DEFAULT_CSS = """
    Reader { padding: 0 1; }
    Reader > #page { width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        translate_bindings(self)
        self.article: Article | None = None
        self._blocks: dict[tuple[str, int], Placed] = {}
        self._page = Text()
        self._hits: list[Span] = []
        self.current = -1
        self._shown = 0  # counts articles shown, so a scroll meant for an earlier one is dropped
        self._shown_as = ("", "")  # the region and citation the article is shown with

    def compose(self):
        yield Static(id="page")

    def show_message(self, message: str) -> None:
        self.article = None
        self._blocks = {}
        self._hits = []
        self._page = Text(message, style="dim")
        self.query_one("#page", Static).update(self._page)

    def show(self, article: Article, spans: tuple[Span, ...] = (), region: str = "", at: Span | None = None,
             cited: str = "") -> None:
        """Lay out the article under its citation (`cited`); highlight `spans` and scroll to `at`
        (else the first)."""
        self.article = article
        self._shown_as = (region, cited)
        page = Text()
        blocks: dict[tuple[str, int], Placed] = {}

        def add(kind: str, text: str, key: tuple[str, int], prefix: str = "") -> None:
            if len(page):
                page.append("\n" if kind == "citation" else "\n\n")
            blocks[key] = Placed(len(page), prefix, text)
            page.append(prefix + text, style=STYLES[kind])

        region = region if region and region != "—" else article.region.label()
        named = "、".join(article.others())
        file = () if cited else (article.file,)  # a citation names it
        header = " · ".join(dict.fromkeys(x for x in (article.subject, region, named, *article.bylines, *file) if x))
        add("header", header, ("header", 0))
        if cited:
            add("citation", cited, ("header", 1))
        for block in layout_of(article):
            add(block.kind, block.text, (block.part, block.paragraph), PREFIXES.get(block.kind, ""))
        self._page, self._blocks = page, blocks
        self.scroll_home(animate=False)
        self.set_hits(spans, at)

    def recite(self, cited: str) -> None:
        """The same article under a new citation (its page details changed), where it was."""
        if self.article is None:
            return
        y, hits, current = self.scroll_y, tuple(self._hits), self.current
        self.show(self.article, hits, self._shown_as[0], hits[current] if 0 <= current < len(hits) else None, cited)
        self.call_after_refresh(lambda: self.scroll_to(y=y, animate=False))

    def set_hits(self, spans: tuple[Span, ...], at: Span | None = None) -> None:
        order = {key: n for n, key in enumerate(self._blocks)}
        self._hits = sorted(
            (s for s in spans if (s.part, s.paragraph) in order),
            key=lambda s: (order[(s.part, s.paragraph)], s.start),
        )
        self.current = self._hits.index(at) if at in self._hits else 0 if self._hits else -1
        self._paint()
        self._shown += 1
        shown = self._shown

        def scroll() -> None:
            if shown == self._shown:  # not another article shown since
                self._scroll_to_current()

        self.call_after_refresh(scroll)

    @property
    def hit_count(self) -> int:
        return len(self._hits)

    def text(self) -> str:
        """What the reader shows, as plain text."""
        return self._page.plain

    def step(self, delta: int) -> None:
        """Move to the next (1) or previous (-1) hit, wrapping around."""
        if self._hits:
            self.current = (self.current + delta) % len(self._hits)
            self._paint()
            self._scroll_to_current()

    def cursor(self) -> Span | None:
        """Where the reader's cursor is: the current hit, else the first line of body text at the
        top of the view (what `y` copies the sentence of)."""
        if 0 <= self.current < len(self._hits):
            return self._hits[self.current]
        width = self.query_one("#page", Static).content_region.width
        if self.article is None or width <= 0:
            return None
        lines = break_lines(self._page.plain, width, self._offsets())
        top = lines[min(int(self.scroll_y), len(lines) - 1)][0] if lines else 0
        placed = [(key, block) for key, block in self._blocks.items() if key[0] != "header"]
        for (part, paragraph), block in placed:
            end = block.start + len(block.prefix) + len(block.text)
            if end > top and part == "body":
                at = max(0, top - block.start - len(block.prefix))
                return Span(part, paragraph, at, at)
        return None

    def _offsets(self) -> list[tuple[int, int]]:
        """Where each hit stands in the page's text."""
        out = []
        for span in self._hits:
            block = self._blocks[(span.part, span.paragraph)]
            offset = block.start + len(block.prefix)
            out.append((offset + span.start, offset + span.end))
        return out

    def _paint(self) -> None:
        page = self._page.copy()
        for i, (start, end) in enumerate(self._offsets()):
            page.stylize(CURRENT if i == self.current else HIT, start, end)
        self.query_one("#page", Static).update(Typeset(page, keep=self._offsets()))

    def _scroll_to_current(self) -> None:
        """Scroll so the current hit's line sits a third of the way down; the lines are broken
        as they are drawn (Chinese rules, hits kept whole), so the row is the one it is on."""
        width = self.query_one("#page", Static).content_region.width
        if not 0 <= self.current < len(self._hits) or width <= 0:
            return
        start = self._offsets()[self.current][0]
        lines = break_lines(self._page.plain, width, self._offsets())
        y = next((n for n, (_, end) in enumerate(lines) if start < end), 0)
        self.scroll_to(y=max(0, y - self.scrollable_content_region.height // 3), animate=False)
