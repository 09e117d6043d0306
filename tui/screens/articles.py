"""The start screen: every article in a list beside a reader, filtered as you type."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from functools import cached_property

from rich.segment import Segment
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from store import N_, Article, ArticleSummary, Kind, QueryError, Ranking, Span, _, count
from tui.screens.base import BaixiaoScreen, copy_bindings
from tui.screens.export import Choice
from tui.widgets.footer import MarksFooter
from tui.widgets.reader import Reader
from tui.widgets.rows import RowList, natural_width, one_line, row, widths
from tui.widgets.search_box import SearchBox

READER_DELAY = 0.06  # seconds the cursor rests before the reader lays out its article
TITLE_LEAST = 16  # cells the title keeps however long the subjects are
DATE_CELLS = 10  # 2024-09-06
ORDERS = ("rank", "newest", "oldest")
ORDER_SAID = {"newest": N_("newest first"), "oldest": N_("oldest first")}


class Searched(Message):
    """A search finished: its query, and its ranking or its error."""

    def __init__(self, query: str, ranking: Ranking | None, error: str | None = None) -> None:
        super().__init__()
        self.query = query
        self.ranking = ranking
        self.error = error


class ArticlesScreen(BaixiaoScreen):
    NAME = N_("Articles")
    BINDINGS = [
        Binding("slash", "focus_search", N_("Search"), id="articles.search"),
        Binding("escape", "clear", N_("Clear"), id="articles.clear"),
        Binding("n", "hit(1)", N_("Next hit"), id="articles.next_hit"),
        Binding("N", "hit(-1)", N_("Prev hit"), id="articles.prev_hit"),
        Binding("space", "mark", N_("Mark"), id="articles.mark"),
        Binding("a", "note", N_("Note"), id="articles.note"),
        Binding("S", "save_search", N_("Save search"), id="articles.save_search"),
        Binding("d", "details", N_("Page details"), id="articles.details"),
        Binding("R", "reprints", N_("Every printing"), id="articles.reprints", show=False),
        Binding("o", "sort", N_("Sort by date"), id="articles.sort"),
        *copy_bindings("articles"),
    ]

    def __init__(self, query: str = "", opened: str = "") -> None:
        """`query`: a search to start with; `opened`: what the overview opened (2024, 北碚区),
        which the status line names while that search stands, and Escape goes back to it."""
        super().__init__()
        self.start = query
        self.opened = opened
        self.ranking: Ranking | None = None
        self.rows: Ranking | list[int] = []
        self.reprints = False  # every printing of a story listed, not the first alone
        self.sort = 0  # an index into ORDERS
        self._pending: Timer | None = None
        self._wanted = ""  # the newest query typed; the search thread takes it from here
        self._shown = ""  # the query whose results (or error) the screen shows
        self._error: str | None = None  # the query error the status line shows
        self._changed = threading.Condition()
        self._dates_seen = 0  # counts changes of page details: a date: query is found again

    def compose(self) -> ComposeResult:
        yield SearchBox(placeholder=_("search — 党建 品牌 · “党建 品牌” · district:北碚区 · F1 for the syntax"), id="query")
        yield Static(id="status")
        with Horizontal(id="panes"):
            yield RowList(self._row, row_key=self._row_key, id="articles")
            yield Reader(id="reader")
        yield MarksFooter()

    def on_mount(self) -> None:
        self.rows = self._sorted(self._unsearched())
        self.query_one(RowList).set_count(len(self.rows))
        self._status()
        self.query_one(RowList).focus()
        self.searcher()
        if self.start:
            self.search_for(self.start)

    def _unsearched(self) -> list[int]:
        """The list with no query: every story once (its first printing), or every printing."""
        return list(range(len(self.catalogue))) if self.reprints else list(self.app.store.stories())

    @property
    def catalogue(self) -> Sequence[ArticleSummary]:
        return self.app.store.article_summaries()

    def _sorted(self, rows: Ranking | list[int]) -> Ranking | list[int]:
        """The list in the order `o` chose: by rank (a search) or store order, or by date."""
        if ORDERS[self.sort] == "rank":
            return rows
        return self.app.store.by_date(rows.order if isinstance(rows, Ranking) else rows, newest=ORDERS[self.sort] == "newest")

    def _row_key(self, i: int) -> tuple[int, bool, int, bool]:
        """What a row shows depends on: its article, its mark, its date and whether the list
        has a date column (it comes with the first page given a date)."""
        doc, store = int(self.rows[i]), self.app.store
        return doc, ("article", self.catalogue[doc].id) in self.app.marks, int(store.dates()[doc]), store.dated()

    @cached_property
    def _natural(self) -> tuple[int, int]:
        """The widest subject and area over every article: the list's columns fit them when the
        window allows, and keep their widths while the list is filtered."""
        subjects, areas = self.app.store.subjects_and_areas()
        return natural_width((s or "—" for s in subjects), 20), natural_width(areas, 12)

    def _row(self, i: int, width: int) -> list[Segment]:
        info = self.catalogue[int(self.rows[i])]
        subject, where = widths((*self._natural, TITLE_LEAST), (4, 4, TITLE_LEAST), width - 2)[:2]
        columns = [
            ("●" if ("article", info.id) in self.app.marks else " ", "bold magenta", 1),
            (info.subject or "—", "bold", subject),
            (info.area, "dim", where),
            (info.title or _("(untitled)"), "", 0),
        ]
        if self.app.store.dated():  # a column of dashes says nothing: shown once a page has a date
            columns.insert(3, (info.date or "—", "dim", DATE_CELLS))
        if width < 56:  # a narrow terminal: the title matters more than the district
            del columns[2]
        return row(columns, width)

    # ---- search ---------------------------------------------------------------------------------

    @on(Input.Changed, "#query")
    def _query_changed(self, event: Input.Changed) -> None:
        with self._changed:
            self._wanted = event.value
            self._changed.notify()

    def on_key(self, event: events.Key) -> None:
        """Chinese typed in the list (an input method sends whole characters) starts a search:
        no key of the list is a Chinese character, so nothing is taken from it."""
        box = self.query_one("#query", Input)
        if self.focused is not box and event.character and event.is_printable and not event.character.isascii():
            box.focus()
            box.insert_text_at_cursor(event.character)
            event.stop()

    @on(Input.Submitted, "#query")
    def _submitted(self) -> None:
        self.query_one(RowList).focus()  # Enter: done typing, on to the results

    @work(thread=True, exit_on_error=False, group="search")
    def searcher(self) -> None:
        """The screen's one search thread: it searches for the newest query typed, posts the
        results and waits for the next. Nothing is held back by a debounce timer, yet fast typing
        never piles up searches: keystrokes that arrive during a search collapse into one.
        A thread that waits, rather than one started per keystroke, starts searching at once."""
        self.app.store.warm()
        worker = get_current_worker()
        done = ("", False, 0)

        def newer(done: tuple[str, bool, int]) -> Callable[[], bool]:
            return lambda: (self._wanted, self.reprints, self._dates_seen) != done

        while not worker.is_cancelled:  # cancelled when the screen or the app closes
            with self._changed:
                if not self._changed.wait_for(newer(done), timeout=0.1):
                    continue
                query, reprints, seen = self._wanted, self.reprints, self._dates_seen
            try:
                self.post_message(self._search(query, reprints))
            except Exception as error:  # a bug, not the user's mistake: say so and keep searching
                self.post_message(Searched(query, None, _("search failed: {error}").format(error=f"{type(error).__name__}: {error}")))
            done = (query, reprints, seen)

    def _search(self, query: str, reprints: bool) -> Searched:
        if not query.strip():
            return Searched(query, None)
        try:
            ranking = self.app.store.rank(query, reprints)
            ranking.head  # noqa: B018 -- the first ranks are found here, off the UI thread
            return Searched(query, ranking)
        except QueryError as error:
            return Searched(query, None, str(error))

    @property
    def settled(self) -> bool:
        """Whether the screen shows what the box asks for (tests and benchmarks wait on this)."""
        return self._shown == self._typed()

    def on_searched(self, message: Searched) -> None:
        if message.query != self._typed():
            return  # a newer keystroke is on its way: never show stale results
        self._shown = message.query
        if message.error:  # nothing matches a query that does not parse: say so, show no list
            self.ranking, self.rows = None, []
            self.query_one(RowList).set_count(0)
            self.query_one(Reader).show_message(_("Fix the query to see what it finds."))
            self._status(message.error)
            return
        self.ranking = message.ranking
        self.rows = self._sorted(self.ranking if self.ranking is not None else self._unsearched())
        self.query_one(RowList).set_count(len(self.rows))
        self._status()
        if not len(self.rows):
            self.query_one(Reader).show_message(_("No article matches."))

    def on_resize(self) -> None:
        """The status line is fitted to the width, which is known from here on."""
        self._status(self._error)

    def _status(self, error: str | None = None) -> None:
        self._error = error
        if error:
            line = Text(f"✗ {error}", style="bold red")
        elif self.ranking is None:
            line = Text(_("{articles} · / searches, ? shows the keys").format(articles=count(len(self.rows), "article")), style="dim")
        else:
            line = Text.assemble((count(self.ranking.total, "article"), "bold"), ("  " + _("for") + "  ", "dim"), self.ranking.parsed)
        if ORDERS[self.sort] != "rank" and not error:
            line.append(" · " + _(ORDER_SAID[ORDERS[self.sort]]) + " " + _("(o: next order)"), style="dim")
        hidden = len(self.catalogue) - len(self.app.store.stories())
        if hidden and not error:
            said = _("every printing (R: each story once)") if self.reprints else _("{n} reprinted once (R lists every printing)")
            line.append(" · " + said.format(n=hidden), style="dim")
        if self.opened and self._typed() == self.start:
            line = Text.assemble((_("{opened}: ").format(opened=self.opened), "bold"), line)
        widget = self.query_one("#status", Static)
        # One line high whatever it says (app.tcss): no need to lay the screen out again.
        widget.update(one_line(line, widget.content_region.width), layout=False)

    # ---- reading --------------------------------------------------------------------------------

    @on(RowList.Highlighted, "#articles")
    def _highlighted(self, event: RowList.Highlighted) -> None:
        """Show the article under the cursor once the cursor rests: laying out a long article
        takes longer than a frame, and the list must keep up with the keys first."""
        if self._pending is not None:
            self._pending.stop()
        doc = int(self.rows[event.index])
        self._pending = self.set_timer(READER_DELAY, lambda: self.show(doc))

    @on(RowList.Selected, "#articles")
    def _selected(self, event: RowList.Selected) -> None:
        self.query_one(Reader).focus()

    def show(self, doc: int) -> None:
        reader = self.query_one(Reader)
        article = self.app.store.article_at(doc)
        spans = self.ranking.spans(doc) if self.ranking is not None else ()
        reader.show(article, spans, self.catalogue[doc].area, cited=self.app.header_of(article))

    def _typed(self) -> str:
        return self.query_one("#query", Input).value

    def current_query(self) -> str:
        return self._typed().strip()

    def selected(self) -> tuple[Kind, str] | None:
        rows = self.query_one(RowList)
        return ("article", self.catalogue[int(self.rows[rows.cursor])].id) if rows.count else None

    def export_choices(self) -> list[Choice]:
        query = self.current_query()
        return [Choice.results(self.app.cites, query)] if query else []

    def search_for(self, query: str) -> None:
        """Put a query in the box (its search starts as if typed) and go to the list."""
        self.query_one("#query", Input).value = query
        self.query_one(RowList).focus()

    def quoted(self) -> tuple[Article, Span] | None:
        reader = self.query_one(Reader)
        span = reader.cursor()
        return (reader.article, span) if reader.article and span else None

    def action_details(self) -> None:
        if article := self.query_one(Reader).article:
            self.app.edit_details(article)

    def action_save_search(self) -> None:
        query = self.current_query()
        if query:
            self.app.save_search(query)
        else:
            self.app.notify(_("Type a search first: S saves the one in the box."), markup=False)

    def action_focus_search(self) -> None:
        self.query_one("#query", Input).focus()

    def action_clear(self) -> None:
        """Clear the search; straight back to the overview a count was opened from."""
        box = self.query_one("#query", Input)
        if self.opened and box.value == self.start:
            self.app.pop_screen()
            return
        box.value = ""
        self.query_one(RowList).focus()

    def action_reprints(self) -> None:
        """List every printing of a reprinted story, or each story once (the default)."""
        with self._changed:  # the search thread finds the same query again, with or without them
            self.reprints = not self.reprints
            self._changed.notify()
        if not self._typed().strip():
            self.rows = self._sorted(self._unsearched())
            self.query_one(RowList).set_count(len(self.rows))
            self._status()

    def action_sort(self) -> None:
        """By rank (or store order), newest first, oldest first: `o` steps through them."""
        if not self.app.store.dated():
            self.app.notify(_("No page has a date to sort by: d on an article sets its page's."), markup=False)
            return
        self.sort = (self.sort + 1) % len(ORDERS)
        self._resort()

    def _resort(self) -> None:
        self.rows = self._sorted(self.ranking if self.ranking is not None else self._unsearched())
        self.query_one(RowList).set_count(len(self.rows), cursor=self.query_one(RowList).cursor)
        self._status(self._error)

    def citations_changed(self) -> None:
        """A page's details changed: its date may have, so the search is made again (date: may
        find more or less) and a list sorted by date is sorted again."""
        super().citations_changed()
        with self._changed:
            self._dates_seen += 1
            self._changed.notify()
        if ORDERS[self.sort] != "rank":
            self._resort()

    def action_hit(self, delta: int) -> None:
        self.query_one(Reader).step(delta)
