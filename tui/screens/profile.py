"""A school's profile: every field, each value with the sentence it was read from. Enter on a
value opens its article at that sentence."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from store import FIELD_LABELS, N_, Article, Kind, School, Span, Statement, _, evidence_span, facts, shown, statements
from tui.screens.base import BaixiaoScreen, copy_bindings
from tui.screens.export import Choice
from tui.translate import translate_bindings
from tui.typeset import Typeset
from tui.widgets.footer import MarksFooter
from tui.widgets.reader import Reader

SOURCE = "dim italic"  # the citation after a quoted sentence


def label_cells() -> int:
    """The widest field label in the reader's language, in terminal cells (English labels are the
    longer): profile and compare line their values up after it."""
    return max(cell_len(_(label)) for label in FIELD_LABELS.values())


def statement_prompt(statement: Statement, title: str, cited: str, width: int) -> Text:
    """Each fact the sentence gives, labelled in `width` cells, then the sentence once and its
    citation (a report's own fact is the article it is in, by title)."""
    text = Text()
    for n, (field, value) in enumerate(statement.facts):
        if n:
            text.append("\n")
        label = _(FIELD_LABELS[field])
        text.append(label + " " * (width - cell_len(label)), style="bold")
        text.append(title if field == "name" else shown(field, value))
    text.append("\n“", style="dim")
    text.append(statement.sentence, style="italic")
    text.append("”", style="dim")
    text.append(cited, style=SOURCE)
    return text


class Facts(OptionList):
    """The profile's statements, moved through by the keys every list moves by."""

    BINDINGS = [
        Binding("j", "cursor_down", N_("Down"), show=False, id="facts.down"),
        Binding("k", "cursor_up", N_("Up"), show=False, id="facts.up"),
        Binding("g", "first", N_("Top"), show=False, id="facts.top"),
        Binding("G", "last", N_("Bottom"), show=False, id="facts.bottom"),
        Binding("enter", "select", N_("Open"), id="facts.open"),
    ]

    def __init__(self, *options: Option | None, id: str | None = None) -> None:
        super().__init__(*options, id=id)
        translate_bindings(self)


class ProfileScreen(BaixiaoScreen):
    NAME = N_("Profile")
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="profile.back"),
        Binding("space", "mark", N_("Mark"), id="profile.mark"),
        *copy_bindings("profile"),
    ]

    DEFAULT_CSS = """
    ProfileScreen #facts { height: 1fr; }
    """

    def __init__(self, school: School) -> None:
        super().__init__()
        self.school = school
        self.statements = statements(school)

    def compose(self) -> ComposeResult:
        s = self.school
        head = Text()
        head.append(s.name, style="bold")
        head.append("  " + " · ".join(facts(s)))
        if s.aliases:
            head.append("\n" + _("also written {names}").format(names="、".join(s.aliases)), style="dim")
        yield Static(head, id="profile-head")
        width = 1 + label_cells()
        articles = {a: self.app.store.article(a) for a in {x.article for x in self.statements}}
        options: list[Option | None] = [
            Option(Typeset(statement_prompt(x, *self._source(articles[x.article], x), width)), id=f"s{n}")
            for n, x in enumerate(self.statements)
        ]
        if not options:
            options.append(Option(Text(_("No facts were read for this school.")), disabled=True))
        yield Facts(*options, id="facts")
        yield MarksFooter()

    def _source(self, article: Article | None, statement: Statement) -> tuple[str, str]:
        """The article's title (what a report's own fact shows) and the sentence's citation."""
        if article is None:  # a store built since from edited pages
            return statement.article, f"— {statement.article} ¶{statement.paragraph + 1}"
        return article.title or article.subject, self.app.cites.of(article, "body", statement.paragraph)

    @on(OptionList.OptionSelected, "#facts")
    def _open(self, event: OptionList.OptionSelected) -> None:
        evidence = self.statements[event.option_index].evidence
        article = self.app.store.article(evidence.article)
        if article is not None:
            span = evidence_span(article, evidence)
            self.app.push_screen(ArticleScreen(article, (span,) if span else (), span))

    def selected(self) -> tuple[Kind, str] | None:
        return ("school", self.school.name)

    def citations_changed(self) -> None:
        self.refresh(recompose=True)

    def quoted(self) -> tuple[Article, Span] | None:
        facts = self.query_one("#facts", OptionList)
        if facts.highlighted is None or not self.statements:
            return None
        evidence = self.statements[facts.highlighted].evidence
        article = self.app.store.article(evidence.article)
        span = evidence_span(article, evidence) if article else None
        return (article, span) if article and span else None

    def export_choices(self) -> list[Choice]:
        return [Choice.school(self.app.cites, self.school.name)]


class ArticleScreen(BaixiaoScreen):
    NAME = N_("Article")
    """One article in the reader, some spans highlighted (an evidence sentence, a query's hits),
    scrolled to one of them."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="article.back"),
        Binding("space", "mark", N_("Mark"), id="article.mark"),
        Binding("a", "note", N_("Note"), id="article.note"),
        Binding("n", "hit(1)", N_("Next hit"), id="article.next_hit"),
        Binding("N", "hit(-1)", N_("Prev hit"), id="article.prev_hit"),
        Binding("d", "details", N_("Page details"), id="article.details"),
        *copy_bindings("article"),
    ]

    def __init__(self, article: Article, spans: tuple[Span, ...] = (), at: Span | None = None) -> None:
        super().__init__()
        self.article = article
        self.spans = spans
        self.at = at

    def compose(self) -> ComposeResult:
        yield Reader(id="reader")
        yield MarksFooter()

    def on_mount(self) -> None:
        reader = self.query_one(Reader)
        reader.show(self.article, self.spans, at=self.at, cited=self.app.header_of(self.article))
        reader.focus()

    def selected(self) -> tuple[Kind, str] | None:
        return ("article", self.article.id)

    def export_choices(self) -> list[Choice]:
        return [Choice.article(self.app.cites, self.article)]

    def quoted(self) -> tuple[Article, Span] | None:
        span = self.query_one(Reader).cursor()
        return (self.article, span) if span else None

    def action_details(self) -> None:
        self.app.edit_details(self.article)

    def action_hit(self, delta: int) -> None:
        self.query_one(Reader).step(delta)
