"""The export dialog (`e`): what to export, and where. Enter writes the file; an existing file
is replaced only on a second Enter. The Markdown comes from store/export.py, as the CLI's does."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from store.export import Export, ExportError, default_path, write

HINT = "Enter exports · Tab moves between what and where · Escape cancels"


@dataclass(frozen=True)
class Choice:
    """One thing the dialog can export: `make` builds it only once chosen (a big search takes
    a moment), `name` gives the default file name without building it."""

    kind: str
    label: str
    name: str
    make: Callable[[], Export]


class ExportDialog(ModalScreen[Path | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]
    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > Vertical { width: 80%; max-width: 100; height: auto; border: round $accent;
                              background: $surface; padding: 1 2; }
    ExportDialog RadioSet { width: 100%; margin-bottom: 1; }
    ExportDialog #export-status { height: auto; margin-top: 1; }
    """

    def __init__(self, choices: list[Choice], folder: Path) -> None:
        super().__init__()
        self.choices = choices
        self.folder = folder
        self.chosen = choices[0]
        self._confirmed: Path | None = None  # the existing file a second Enter replaces

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Export to Markdown", style="bold"))
            with RadioSet(id="what"):
                for n, choice in enumerate(self.choices):
                    yield RadioButton(Text(choice.label), value=n == 0)
            yield Input(str(self._default()), id="path")
            yield Static(Text(HINT, style="dim"), id="export-status")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def _default(self) -> Path:
        return default_path(self.chosen.kind, self.chosen.name, self.folder)

    def _say(self, message: str, style: str = "dim") -> None:
        self.query_one("#export-status", Static).update(Text(message, style=style))

    @on(RadioSet.Changed, "#what")
    def _chose(self, event: RadioSet.Changed) -> None:
        self.chosen = self.choices[event.index]
        self.query_one("#path", Input).value = str(self._default())
        self._confirmed = None
        self._say(HINT)

    @on(Input.Submitted, "#path")
    def _submit(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self._say("Give a file name.", "bold red")
            return
        path = Path(event.value.strip()).expanduser()
        if path.is_file() and self._confirmed != path:
            self._confirmed = path
            self._say(f"{path} exists: Enter again to replace it, or change the name.", "bold yellow")
            return
        self._say("Exporting…")
        self.export(self.chosen, path, force=self._confirmed == path)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def export(self, choice: Choice, path: Path, force: bool) -> None:
        try:
            written = write(choice.make(), path, force=force)
        except ExportError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        self.app.call_from_thread(self.dismiss, written)

    def _failed(self, message: str) -> None:
        self._say(message, "bold red")
        self.app.notify(message, title="Not exported", severity="error", markup=False)

    def action_cancel(self) -> None:
        self.dismiss(None)
