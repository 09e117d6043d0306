"""The baixiao app: screens over one store, marks kept in the user's own file.

`make_app` is the one way to build it, for the CLI and the tests alike.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from store import (
    N_,
    Article,
    Citations,
    Details,
    Kind,
    Line,
    Mark,
    Marks,
    PageDetails,
    QueryError,
    Span,
    Store,
    StoreError,
    _,
    count,
    current_language,
    use_language,
)
from tui.collector import REST, IdleCollector
from tui.commands import Commands
from tui.screens.articles import ArticlesScreen
from tui.screens.base import BaixiaoScreen
from tui.screens.compare import CompareScreen
from tui.screens.concordance import ConcordanceScreen
from tui.screens.details import DetailsDialog
from tui.screens.export import Choice, ExportDialog
from tui.screens.help import HelpScreen
from tui.screens.marks import MarksScreen, NoteDialog
from tui.screens.overview import OverviewScreen
from tui.screens.profile import ArticleScreen, ProfileScreen
from tui.screens.schools import SchoolsScreen
from tui.settings import Settings, SettingsError, citation_style, load, resolve_language, save
from tui.translate import translate_bindings
from tui.widgets.footer import MarkedCount
from tui.widgets.rows import RowList

COMPARED = 4  # schools side by side at most


class BaixiaoApp(App):
    CSS_PATH = "app.tcss"
    COMMANDS = {Commands}
    TITLE = "baixiao 百校"
    BINDINGS = [
        Binding("q", "quit", N_("Quit"), id="app.quit"),
        Binding("question_mark,f1", "help", N_("Help"), id="app.help"),
        Binding("s", "schools", N_("Schools"), id="app.schools"),
        Binding("m", "marks", N_("Marks"), id="app.marks"),
        Binding("c", "compare", N_("Compare"), id="app.compare"),
        Binding("K", "concordance", N_("Concordance"), id="app.concordance"),
        Binding("v", "overview", N_("Overview"), id="app.overview"),
        Binding("e", "export", N_("Export"), id="app.export"),
    ]

    def __init__(self, store: Store, marks: Marks, exports: Path, settings: Settings | None = None,
                 notice: str | None = None, details: Details | None = None, store_notice: str | None = None) -> None:
        settings = settings or Settings()
        super().__init__()
        translate_bindings(self)
        self.store = store
        self.marks = marks
        self.exports = exports
        self.details = details or Details.for_store(store.path)
        store.details = self.details  # the dates it sets are the ones lists, counts and date: see
        self.cites = Citations(store, self.details, citation_style(settings, current_language()))
        self.front_matter = settings.front_matter
        self.collector = IdleCollector()
        self.settings_notice = notice
        self.store_notice = store_notice
        self.set_keymap(settings.keys)
        if settings.theme in self.available_themes:
            self.theme = settings.theme

    def on_mount(self) -> None:
        if self.marks.notice:
            self.notify(self.marks.notice, title=_("Your marks"), severity="warning", markup=False, timeout=30)
        if self.details.notice:
            self.notify(self.details.notice, title=_("Your page details"), severity="warning", markup=False, timeout=30)
        if self.settings_notice:
            self.notify(self.settings_notice, title=_("Your settings"), severity="warning", markup=False, timeout=30)
        if self.store_notice:
            self.notify(self.store_notice, title=_("Your store"), severity="warning", markup=False, timeout=30)
        if self.marks.read_only or self.details.read_only:
            said = _("The folder {folder} is read-only: your marks, notes and page details are shown, "
                     "but changes to them cannot be saved.").format(folder=self.marks.path.parent)
            self.notify(said, title=_("Read-only"), severity="warning", markup=False, timeout=30)
        self._update_marked()
        self.collector.start()
        self.set_interval(REST, self.collector.tick)
        self.push_screen(ArticlesScreen())

    def on_unmount(self) -> None:
        self.collector.stop()

    def watch_theme(self, theme: str) -> None:
        """A theme chosen in the palette is the theme next time too."""
        if self.is_running:
            try:
                save({"theme": theme})
            except SettingsError as error:
                self.notify(str(error), severity="error", markup=False)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.collector.touched()
        await super().on_event(event)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place worker failures are reported: a readable notice, never a crash."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            message = str(error) if isinstance(error, StoreError) else f"{type(error).__name__}: {error}"
            self.notify(message, title=_("Something went wrong"), severity="error", markup=False, timeout=10)

    def toggle_mark(self, kind: Kind, key: str) -> None:
        try:
            marked = self.marks.toggle(kind, key)
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self._update_marked()
        schools = len(self.marks.of("school"))
        if marked and kind == "school" and schools > COMPARED:
            self.notify(_("{n} schools are marked: c compares the first four.").format(n=schools), markup=False)

    def save_search(self, query: str) -> None:
        """Keep a query among the marks; opening it from there runs it again."""
        try:
            self.store.rank(query)
            added = self.marks.add("search", query)
        except (QueryError, StoreError) as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self._update_marked()
        said = _("Saved the search {query}: m lists it with your marks.") if added else _("The search {query} is saved already.")
        said = said.format(query=query)
        self.notify(said, markup=False)

    def found(self, query: str) -> str:
        """What a saved search finds in the store now, in a few words."""
        try:
            total = self.store.rank(query).total
        except QueryError as error:
            return f"✗ {error}"
        return count(total, "article")

    def run_search(self, query: str) -> None:
        """Back to the articles, searching for `query`."""
        while not isinstance(self.screen, ArticlesScreen):
            self.pop_screen()
        self.screen.search_for(query)

    def _update_marked(self) -> None:
        """The marks changed (here or in another window): the footer's count and the screen follow."""
        if not self.screen_stack:
            return
        for marked in self.screen.query(MarkedCount):
            marked.show(len(self.marks))
        if isinstance(self.screen, BaixiaoScreen):
            self.screen.marks_changed()

    def annotate(self, kind: Kind, key: str, note: str) -> None:
        try:
            self.marks.annotate(kind, key, note)
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)
        self._update_marked()

    def ask_note(self, kind: Kind, key: str) -> None:
        """Ask for a note on an item (marking it): the `a` key on every list; in a folder where it
        cannot be saved, say so before anything is typed."""
        try:
            self.marks.check_writable()
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        mark = self.marks.get(kind, key)
        label = self.label(Mark(kind, key))

        def save(note: str | None) -> None:
            if note is not None:
                self.annotate(kind, key, note)

        self.push_screen(NoteDialog(label, mark.note if mark else ""), save)

    def label(self, mark: Mark) -> str:
        if mark.kind != "article":
            return mark.key
        article = self.store.article(mark.key)
        return f"{article.subject} · {article.title or mark.key}" if article else mark.key

    def open_mark(self, mark: Mark) -> None:
        if mark.kind == "search":
            self.run_search(mark.key)
        elif mark.kind == "school":
            school = self.store.school(mark.key)
            if school:
                self.push_screen(ProfileScreen(school))
        elif article := self.store.article(mark.key):
            self.push_screen(ArticleScreen(article))

    def open_hit(self, query: str, line: Line) -> None:
        """Open a concordance line's article with the query's hits, at that line's hit."""
        article = self.store.article(line.article)
        doc = self.store.number_of(line.article)
        if article is None or doc is None:
            return
        spans = self.store.rank(query).spans(doc)
        self.push_screen(ArticleScreen(article, spans, line.span if line.span in spans else None))

    def header_of(self, article: Article) -> str:
        """What the reader shows under an article's header: its citation, and where else the
        story was printed (a reprint on another page, listed once)."""
        also = [a for i in self.store.also_in(article.id) if (a := self.store.article(i))]
        elsewhere = "、".join(f"{a.file}《{a.title}》" if a.title else a.file for a in also)
        return self.cites.of(article, None) + ("\n" + _("also in: {pages}").format(pages=elsewhere) if also else "")

    def copy_quote(self, at: tuple[Article, Span] | None, citation_only: bool = False) -> None:
        """Put the sentence at `at` with its citation (or the citation alone) on the clipboard
        (OSC 52: the terminal's, over SSH too) and say what was copied."""
        if at is None:
            self.notify(_("Nothing to copy here: move the cursor to a sentence first."), markup=False)
            return
        self.details.refresh()  # another window may have set the page's details
        quote, citation = self.cites.quoted(*at)
        copied = citation if citation_only else quote
        self.copy_to_clipboard(copied)
        said = _("Copied the citation") if citation_only else _("Copied the sentence and its citation")
        self.notify(copied if len(copied) <= 160 else copied[:159] + "…", title=said, markup=False)

    def edit_details(self, article: Article) -> None:
        """`d`: set what the citations of this article's page say (publication, date, 版次, title)."""
        self.details.refresh()
        printed = self.store.printed(article.page)

        def save(details: PageDetails | None) -> None:
            if details is None:
                return
            try:
                self.details.set(article.file, details)
            except StoreError as error:
                self.notify(str(error), severity="error", markup=False)
                return
            self._recite()
            self.notify(self.cites.of(article, None), title=_("Page details saved: its articles are now cited as"), markup=False)

        self.push_screen(DetailsDialog(article.file, self.details.of(article.file), printed), save)

    def _recite(self) -> None:
        """Every screen open redraws its citations (a profile under the article edited too)."""
        for screen in self.screen_stack:
            if isinstance(screen, BaixiaoScreen):
                screen.citations_changed()

    def action_citation_style(self) -> None:
        """Cite in the other style from now on, and next time (the settings file)."""
        self.cites.style = "en" if self.cites.style == "zh" else "zh"
        try:
            save({"citation": self.cites.style})
        except SettingsError as error:
            self.notify(str(error), severity="error", markup=False)
        self._recite()
        said = _("Citations are now in the Chinese style.") if self.cites.style == "zh" else _("Citations are now in the English style.")
        self.notify(said, markup=False)

    def action_concordance(self) -> None:
        """The hits of the query on screen, else of the search behind it (a profile opened from
        a search list)."""
        shown = (s.current_query() for s in reversed(self.screen_stack) if isinstance(s, BaixiaoScreen))
        query = next((q for q in shown if q), "")
        if not query:
            self.notify(_("Type a query first: the concordance lists its hits."), markup=False)
            return
        try:
            lines = self.store.concordance(query)
        except QueryError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.push_screen(ConcordanceScreen(query, lines))

    def palette(self, screen: Screen) -> Iterator[tuple[SystemCommand, str]]:
        """Every command of the palette (ctrl+p): Textual's own, then every key's action under its
        description, each in the reader's language beside its English title, so either finds it."""
        for title, help_text, callback, discover in super().get_system_commands(screen):
            yield SystemCommand(_(title), _(help_text), callback, discover), title
        style = N_("Citation style: Chinese or English")
        yield SystemCommand(_(style), _("switch how quotes and exports cite their pages (saved in the settings)"),
                            self.action_citation_style), style
        for owner, bindings in ((self, self.BINDINGS), (screen, screen.BINDINGS)):
            for b in bindings:
                if isinstance(b, Binding) and b.action not in ("quit",):
                    keys = ", ".join(self.get_key_display(Binding(k.strip(), b.action)) for k in b.key.split(","))
                    said = _("key: {keys}").format(keys=keys)
                    yield SystemCommand(_(b.description), said, partial(owner.run_action, b.action)), b.description

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command, _english in self.palette(screen):
            yield command

    def action_help(self) -> None:
        groups = [(_("Everywhere"), [b for b in self.BINDINGS if isinstance(b, Binding)])]
        screen = self.screen
        if screen.BINDINGS:
            name = _(screen.NAME) if isinstance(screen, BaixiaoScreen) else ""
            groups.append((name, [b for b in screen.BINDINGS if isinstance(b, Binding)]))
        if isinstance(screen, BaixiaoScreen):
            groups += screen.help_groups()
        groups.append((_("Lists"), [b for b in RowList.BINDINGS if isinstance(b, Binding)]))
        places = [(_("store"), str(self.store.path)), (_("marks and notes"), str(self.marks.path)),
                  (_("page details (d)"), str(self.details.path)), (_("exports (e)"), str(self.exports.resolve()))]
        self.push_screen(HelpScreen(groups, places))

    def action_overview(self) -> None:
        """The store counted, with the hits of the query on screen (or behind it)."""
        if isinstance(self.screen, OverviewScreen):
            return
        shown = (s.current_query() for s in reversed(self.screen_stack) if isinstance(s, BaixiaoScreen))
        self.push_screen(OverviewScreen(next((q for q in shown if q), "")))

    def action_schools(self) -> None:
        if not isinstance(self.screen, SchoolsScreen):
            self.push_screen(SchoolsScreen())

    def action_compare(self) -> None:
        """The marked schools side by side (two to four of them)."""
        self._refresh_marks()
        schools = [s for m in self.marks.of("school") if (s := self.store.school(m.key))]
        if len(schools) < 2:
            self.notify(_("Mark two to four schools first (space on the Schools screen, s)."), markup=False)
            return
        if len(schools) > COMPARED:
            self.notify(_("{n} schools are marked: comparing the first four.").format(n=len(schools)), markup=False)
            schools = schools[:COMPARED]
        self.push_screen(CompareScreen(schools, {s.name: self.store.keywords(s) for s in schools}))

    def action_export(self) -> None:
        """Export what the screen shows (a comparison, a school, an article, a search), or the marks."""
        screen = self.screen
        choices = screen.export_choices() if isinstance(screen, BaixiaoScreen) else []
        self._refresh_marks()
        choices.append(Choice.marks(self.cites, list(self.marks)))

        def done(path: Path | None) -> None:
            if path is not None:
                self.notify(str(path.resolve()), title=_("Exported to"), markup=False)

        self.push_screen(ExportDialog(choices, self.exports, self.front_matter), done)

    def action_marks(self) -> None:
        if not isinstance(self.screen, MarksScreen):
            self._refresh_marks()
            self.push_screen(MarksScreen())

    def _refresh_marks(self) -> None:
        """Before showing or using the marks: another window may have changed them."""
        self.marks.refresh()
        self._update_marked()


def make_app(db: Path, exports: Path | None = None, language: str | None = None,
             store_notice: str | None = None) -> BaixiaoApp:
    """The app over the store at `db` (built already) and its marks file, in `language` (else
    the settings', else the locale's); exports go to `exports` (else $BAIXIAO_EXPORTS, else the
    settings' folder, else ./exports). `store_notice`: what the app says first of the store (it
    is older than its pages and could not be rebuilt)."""
    settings, notice = load()
    use_language(resolve_language(language, settings))
    if notice:  # said again in the language just chosen
        notice = load()[1]
    store = Store.open(db)
    folder = exports or Path(os.environ.get("BAIXIAO_EXPORTS") or settings.exports or "exports")
    return BaixiaoApp(store, Marks.for_store(db), folder, settings, notice, store_notice=store_notice)
