"""A school's profile: every field, each value with the sentence it was read from. Enter on a
value opens its article at that sentence."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from store import EVIDENCE_FIELDS, N_, Article, Evidence, Kind, School, Span, _, evidence_span, facts, shown
from tui.screens.base import BaixiaoScreen
from tui.screens.export import Choice
from tui.widgets.footer import MarksFooter
from tui.widgets.reader import Reader

FIELDS = (*EVIDENCE_FIELDS, ("name", "报道"))


def evidence_prompt(field: str, label: str, evidence: Evidence) -> Text:
    text = Text()
    text.append(f"{label:　<5}", style="bold")
    text.append(shown(field, evidence.value))
    text.append("\n      “", style="dim")
    text.append(evidence.sentence, style="italic")
    text.append(f"”  — {evidence.article} ¶{evidence.paragraph + 1}", style="dim")
    return text


class ProfileScreen(BaixiaoScreen):
    NAME = N_("Profile")
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="profile.back"),
        Binding("space", "mark", N_("Mark"), id="profile.mark"),
    ]

    def __init__(self, school: School) -> None:
        super().__init__()
        self.school = school
        self.evidence: list[Evidence] = []

    def compose(self) -> ComposeResult:
        s = self.school
        head = Text()
        head.append(s.name, style="bold")
        head.append("  " + " · ".join(facts(s)))
        if s.aliases:
            head.append("\n" + _("also written {names}").format(names="、".join(s.aliases)), style="dim")
        yield Static(head, id="profile-head")
        options: list[Option | None] = []
        for field, label in FIELDS:
            for evidence in s.evidence.get(field, ()):
                options.append(Option(evidence_prompt(field, label, evidence), id=f"e{len(self.evidence)}"))
                self.evidence.append(evidence)
        if not options:
            options.append(Option(Text(_("No facts were read for this school.")), disabled=True))
        yield OptionList(*options, id="facts")
        yield MarksFooter()

    @on(OptionList.OptionSelected, "#facts")
    def _open(self, event: OptionList.OptionSelected) -> None:
        evidence = self.evidence[event.option_index]
        article = self.app.store.article(evidence.article)
        if article is not None:
            span = evidence_span(article, evidence)
            self.app.push_screen(ArticleScreen(article, (span,) if span else (), span))

    def selected(self) -> tuple[Kind, str] | None:
        return ("school", self.school.name)

    def export_choices(self) -> list[Choice]:
        return [Choice.school(self.app.store, self.school.name)]


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
        reader.show(self.article, self.spans, at=self.at)
        reader.focus()

    def selected(self) -> tuple[Kind, str] | None:
        return ("article", self.article.id)

    def export_choices(self) -> list[Choice]:
        return [Choice.article(self.app.store, self.article)]

    def action_hit(self, delta: int) -> None:
        self.query_one(Reader).step(delta)
