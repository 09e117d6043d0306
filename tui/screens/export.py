"""The export dialog (`e`): what to export, in which form, and where. Enter writes the file; an
existing file is replaced only on a second Enter. The document comes from store/export/, as the
CLI's does."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, RadioButton, RadioSet, Static

from store import N_, Article, Citations, Mark, _, export
from tui.translate import translate_bindings

HINT = N_("Enter exports · Tab moves between what, form and where · Escape cancels")
FORM_LABELS = {"md": N_("Markdown"), "csv": N_("CSV (Excel, UTF-8)"), "xlsx": N_("XLSX spreadsheet")}


@dataclass(frozen=True)
class Choice:
    """One thing the dialog can export: `make` builds it only once chosen (a big search takes
    a moment), `name` gives the default file name without building it, `formats` what it can be
    written as."""

    kind: str
    label: str
    name: str
    make: Callable[[], export.Export]
    formats: tuple[str, ...] = ("md",)

    @classmethod
    def compare(cls, cites: Citations, names: list[str]) -> Choice:
        return cls("compare", _("This comparison: {names}").format(names=" · ".join(names)), "-".join(names),
                   partial(export.export_compare, cites, names), export.FORMATS)

    @classmethod
    def school(cls, cites: Citations, name: str) -> Choice:
        return cls("school", _("This school: {name}").format(name=name), name, partial(export.export_school, cites, name))

    @classmethod
    def schools(cls, cites: Citations, query: str, shown: int) -> Choice:
        label = (_("These {n} schools (filter {query})").format(n=shown, query=query) if query
                 else _("All {n} schools").format(n=shown))
        return cls("schools", label, query or "schools", partial(export.export_schools, cites, query or None), export.FORMATS)

    @classmethod
    def overview(cls, cites: Citations, query: str) -> Choice:
        label = _("The overview's tables, with the hits of {query}").format(query=query) if query else _("The overview's tables")
        return cls("overview", label, query or "overview", partial(export.export_overview, cites, query or None), export.FORMATS)

    @classmethod
    def article(cls, cites: Citations, article: Article) -> Choice:
        title = article.title or article.subject
        return cls("article", _("This article: {title}").format(title=title), title, partial(export.export_article, cites, article.id))

    @classmethod
    def results(cls, cites: Citations, query: str) -> Choice:
        return cls("results", _("Search results for {query}").format(query=query), query, partial(export.export_results, cites, query))

    @classmethod
    def marks(cls, cites: Citations, marks: list[Mark]) -> Choice:
        return cls("marks", _("Marks and notes ({n})").format(n=len(marks)), "marks", partial(export.export_marks, cites, marks))


class ExportDialog(ModalScreen[Path | None]):
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="export.cancel")]

    def __init__(self, choices: list[Choice], folder: Path, front: bool = True) -> None:
        super().__init__()
        translate_bindings(self)
        self.choices = choices
        self.folder = folder
        self.front = front
        self.chosen = choices[0]
        self.form = "md"
        self._confirmed: Path | None = None  # the existing file a second Enter replaces

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(_("Export"), style="bold"))
            with RadioSet(id="what"):
                for n, choice in enumerate(self.choices):
                    yield RadioButton(Text(choice.label), value=n == 0)
            with Horizontal(id="form-row"):
                yield self._forms()
                yield Checkbox(_("YAML front matter"), self.front, id="front")
            yield Input(str(self._default()), id="path")
            yield Static(Text(_(HINT), style="dim"), id="export-status")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def _default(self) -> Path:
        return export.default_path(self.chosen.kind, self.chosen.name, self.folder, format=self.form)

    def _say(self, message: str, style: str = "dim") -> None:
        self.query_one("#export-status", Static).update(Text(message, style=style))

    def _forms(self) -> RadioSet:
        """The forms the chosen export can take: a table (the school list, a comparison) can be a
        spreadsheet too; the rest is Markdown. Made anew for each choice, not switched off and on."""
        if self.form not in self.chosen.formats:
            self.form = "md"
        buttons = [RadioButton(_(FORM_LABELS[form]), value=form == self.form, id=f"form-{form}") for form in self.chosen.formats]
        return RadioSet(*buttons, id="form")

    @on(RadioSet.Changed, "#what")
    async def _chose(self, event: RadioSet.Changed) -> None:
        self.chosen = self.choices[event.index]
        await self.query_one("#form", RadioSet).remove()
        await self.query_one("#form-row", Horizontal).mount(self._forms(), before=0)
        self.query_one("#front", Checkbox).disabled = self.form != "md"
        self._renamed()
        self._to_path()

    @on(RadioSet.Changed, "#form")
    def _formed(self, event: RadioSet.Changed) -> None:
        self.form = self.chosen.formats[event.index]
        self.query_one("#front", Checkbox).disabled = self.form != "md"
        self._renamed()
        self._to_path()

    @on(Checkbox.Changed, "#front")
    def _to_path(self) -> None:
        """A choice made, on to the file name, where Enter exports (in a list Enter chooses)."""
        self.query_one("#path", Input).focus()

    def _renamed(self) -> None:
        self.query_one("#path", Input).value = str(self._default())
        self._confirmed = None
        self._say(_(HINT))

    @on(Input.Submitted, "#path")
    def _submit(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self._say(_("Give a file name."), "bold red")
            return
        path = Path(event.value.strip()).expanduser()
        if path.is_file() and self._confirmed != path:
            self._confirmed = path
            self._say(_("{path} exists: Enter again to replace it, or change the name.").format(path=path), "bold yellow")
            return
        self._say(_("Exporting…"))
        self.export(self.chosen, path, self._confirmed == path, self.form, self.query_one("#front", Checkbox).value)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def export(self, choice: Choice, path: Path, force: bool, form: str, front: bool) -> None:
        try:
            written = export.write(choice.make(), path, force=force, format=form, front=front)
        except export.ExportError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        self.app.call_from_thread(self.dismiss, written)

    def _failed(self, message: str) -> None:
        self._say(message, "bold red")
        self.app.notify(message, title=_("Not exported"), severity="error", markup=False)

    def action_cancel(self) -> None:
        self.dismiss(None)
