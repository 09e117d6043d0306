"""Page details (`d` on an article): the publication, date, 版次 and title its citations give.

Each field shows what the user set; its placeholder shows what applies when it is left empty
(the manifest's or the page's own value), so clearing a field goes back to that. A value the
citation cannot use (a date that is not a date, text over 200 characters) is refused here, with
the reason, and nothing is saved.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from store import N_, DetailsError, PageDetails, _, checked
from tui.translate import translate_bindings

LABELS = {
    "publication": N_("Publication"),
    "date": N_("Date"),
    "edition": N_("Page (版次)"),
    "title": N_("Page title"),
}
HINTS = {
    "publication": N_("e.g. 重庆日报"),
    "date": N_("e.g. 2024-09-06 or 2024年9月6日"),
    "edition": N_("e.g. 7 or A06"),
    "title": N_("cited for articles without a headline"),
}
HINT = N_("Enter saves · Tab: next field · empty: the page's own · Escape cancels")


class DetailsDialog(ModalScreen[PageDetails | None]):
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="details.cancel")]

    def __init__(self, file: str, user: PageDetails, printed: PageDetails) -> None:
        super().__init__()
        translate_bindings(self)
        self.file = file
        self.user = user
        self.printed = printed

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(_("Page details of {file}").format(file=self.file), style="bold"))
            with Grid(id="details-fields"):
                for field, label in LABELS.items():
                    yield Label(Text(_(label), style="bold"))
                    fallback = getattr(self.printed, field)
                    hint = _("page: {value}").format(value=fallback) if fallback else _(HINTS[field])
                    yield Input(getattr(self.user, field) or "", placeholder=hint, id=field, compact=True)
            yield Static(Text(_(HINT), style="dim"), id="details-status")

    def on_mount(self) -> None:
        self.query_one("#publication", Input).focus()

    @on(Input.Submitted)
    def _save(self) -> None:
        values = {field: self.query_one(f"#{field}", Input).value for field in LABELS}
        try:
            details = checked(values)
        except DetailsError as error:
            said = _("{field}: {reason}").format(field=_(LABELS[error.field]), reason=error)
            self.query_one("#details-status", Static).update(Text(said, style="bold red"))
            self.query_one(f"#{error.field}", Input).focus()
            return
        self.dismiss(details)

    def action_cancel(self) -> None:
        self.dismiss(None)
