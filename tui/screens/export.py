"""The export dialog (`e`): what to export, and where. Enter writes the file; an existing file
is replaced only on a second Enter. The Markdown comes from store/export/, as the CLI's does."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from store import N_, Article, Mark, Store, _, export
from tui.translate import translate_bindings

HINT = N_("Enter exports · Tab moves between what and where · Escape cancels")


@dataclass(frozen=True)
class Choice:
    """One thing the dialog can export: `make` builds it only once chosen (a big search takes
    a moment), `name` gives the default file name without building it."""

    kind: str
    label: str
    name: str
    make: Callable[[], export.Export]

    @classmethod
    def compare(cls, store: Store, names: list[str]) -> Choice:
        return cls("compare", _("This comparison: {names}").format(names=" · ".join(names)), "-".join(names),
                   partial(export.export_compare, store, names))

    @classmethod
    def school(cls, store: Store, name: str) -> Choice:
        return cls("school", _("This school: {name}").format(name=name), name, partial(export.export_school, store, name))

    @classmethod
    def article(cls, store: Store, article: Article) -> Choice:
        title = article.title or article.subject
        return cls("article", _("This article: {title}").format(title=title), title, partial(export.export_article, store, article.id))

    @classmethod
    def results(cls, store: Store, query: str) -> Choice:
        return cls("results", _("Search results for {query}").format(query=query), query, partial(export.export_results, store, query))

    @classmethod
    def marks(cls, store: Store, marks: list[Mark]) -> Choice:
        return cls("marks", _("Marks and notes ({n})").format(n=len(marks)), "marks", partial(export.export_marks, store, marks))


class ExportDialog(ModalScreen[Path | None]):
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="export.cancel")]

    def __init__(self, choices: list[Choice], folder: Path) -> None:
        super().__init__()
        translate_bindings(self)
        self.choices = choices
        self.folder = folder
        self.chosen = choices[0]
        self._confirmed: Path | None = None  # the existing file a second Enter replaces

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(_("Export to Markdown"), style="bold"))
            with RadioSet(id="what"):
                for n, choice in enumerate(self.choices):
                    yield RadioButton(Text(choice.label), value=n == 0)
            yield Input(str(self._default()), id="path")
            yield Static(Text(_(HINT), style="dim"), id="export-status")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def _default(self) -> Path:
        return export.default_path(self.chosen.kind, self.chosen.name, self.folder)

    def _say(self, message: str, style: str = "dim") -> None:
        self.query_one("#export-status", Static).update(Text(message, style=style))

    @on(RadioSet.Changed, "#what")
    def _chose(self, event: RadioSet.Changed) -> None:
        self.chosen = self.choices[event.index]
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
        self.export(self.chosen, path, force=self._confirmed == path)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def export(self, choice: Choice, path: Path, force: bool) -> None:
        try:
            written = export.write(choice.make(), path, force=force)
        except export.ExportError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        self.app.call_from_thread(self.dismiss, written)

    def _failed(self, message: str) -> None:
        self._say(message, "bold red")
        self.app.notify(message, title=_("Not exported"), severity="error", markup=False)

    def action_cancel(self) -> None:
        self.dismiss(None)
