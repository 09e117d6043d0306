"""The reader: one article, laid out as printed, with the current query's hits highlighted.

Each line of the article's searchable parts (see `store.searchable.parts_of`) is one block, so a
hit's (part, paragraph) names the block it is in. Text goes in as `rich.text.Text`, never as
markup: a page that contains `[bold]` or `[@click=app.quit]` shows exactly that.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from store.records import Article
from store.search import Span

HIT = "reverse"
CURRENT = "bold reverse underline"


class Block(Static):
    """One paragraph, heading, title line or caption."""


class Reader(VerticalScroll, can_focus=True):
    DEFAULT_CSS = """
    Reader { padding: 0 1; }
    Reader > Block { margin-bottom: 1; }
    Reader > .header { color: $text-muted; }
    Reader > .title { text-style: bold; color: $text; }
    Reader > .heading { text-style: bold; color: $accent; }
    Reader > .caption { color: $text-muted; text-style: italic; }
    Reader > .sidebar { border-left: outer $secondary; padding-left: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: Article | None = None
        self._lines: dict[tuple[str, int], tuple[Block, str, str]] = {}
        self._hits: list[Span] = []
        self.current = -1
        self._shown = 0  # counts articles shown, so a scroll meant for an earlier one is dropped

    def show_message(self, message: str) -> None:
        self.article = None
        self.remove_children()
        self.mount(Block(Text(message), classes="header"))

    def show(self, article: Article, spans: tuple[Span, ...] = (), region: str = "", at: Span | None = None) -> None:
        """Lay out the article; highlight `spans` and scroll to `at` (else the first)."""
        self.article = article
        self._lines = {}
        blocks: list[Block] = []

        def add(part: str, line: int, text: str, classes: str, prefix: str = "") -> None:
            block = Block(Text(prefix + text), classes=classes)
            self._lines[(part, line)] = (block, prefix, text)
            blocks.append(block)

        region = region or article.region.label()
        named = "、".join(n for n in article.schools if n != article.subject)
        header = " · ".join(dict.fromkeys(x for x in (article.subject, region, named, *article.bylines, article.file) if x))
        blocks.append(Block(Text(header), classes="header"))
        for n, line in enumerate(t for t in (article.title, article.subtitle) if t):
            add("title", n, line, "title")
        where = {}
        for h, paragraph in enumerate(article.heading_paragraphs):
            where.setdefault(paragraph, []).append(h)
        for p, paragraph in enumerate(article.paragraphs):
            for h in where.get(p, []):
                add("headings", h, article.headings[h], "heading")
            add("body", p, paragraph, "body")
        for h in where.get(len(article.paragraphs), []):
            add("headings", h, article.headings[h], "heading")
        heading, body = len(article.headings), len(article.paragraphs)
        for sidebar in article.sidebars:
            if sidebar.title:
                add("headings", heading, sidebar.title, "heading sidebar")
                heading += 1
            for paragraph in sidebar.paragraphs:
                add("body", body, paragraph, "body sidebar")
                body += 1
        for c, caption in enumerate(article.captions):
            add("captions", c, caption, "caption", prefix="图 ")
        self.remove_children()
        self.mount_all(blocks)
        self.scroll_home(animate=False)
        self.set_hits(spans, at)

    def set_hits(self, spans: tuple[Span, ...], at: Span | None = None) -> None:
        order = {key: n for n, key in enumerate(self._lines)}
        self._hits = sorted(
            (s for s in spans if (s.part, s.paragraph) in order),
            key=lambda s: (order[(s.part, s.paragraph)], s.start),
        )
        self.current = self._hits.index(at) if at in self._hits else 0 if self._hits else -1
        self._paint()
        self._shown += 1
        shown = self._shown
        self.call_after_refresh(lambda: shown == self._shown and self._scroll_to_current())

    @property
    def hit_count(self) -> int:
        return len(self._hits)

    def step(self, delta: int) -> None:
        """Move to the next (1) or previous (-1) hit, wrapping around."""
        if self._hits:
            self.current = (self.current + delta) % len(self._hits)
            self._paint()
            self._scroll_to_current()

    def _paint(self) -> None:
        by_line: dict[tuple[str, int], list[tuple[Span, bool]]] = {}
        for i, span in enumerate(self._hits):
            by_line.setdefault((span.part, span.paragraph), []).append((span, i == self.current))
        for key, (block, prefix, line) in self._lines.items():
            text = Text(prefix + line)
            for span, current in by_line.get(key, []):
                text.stylize(CURRENT if current else HIT, len(prefix) + span.start, len(prefix) + span.end)
            block.update(text)

    def _scroll_to_current(self) -> None:
        if 0 <= self.current < len(self._hits):
            span = self._hits[self.current]
            block, _, _ = self._lines[(span.part, span.paragraph)]
            self.scroll_to_widget(block, animate=False, top=False)
