"""The overview's charts as the app and `baixiao stats` both draw them: which counts, under which
title, and bars made of block characters (eighths of a cell, so small counts still differ).

No Textual here: the command line prints the same charts with Rich alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from store import ALL, BATCHES, N_, Count, Overview, _, count, key_label

EIGHTHS = " ▏▎▍▌▋▊▉"


@dataclass(frozen=True)
class Chart:
    """One chart of the overview: its id (the key of `baixiao stats --json`), its title (for the
    catalogue; the unit is in it), whether it counts schools or articles, and its counts."""

    id: str
    title: str
    of: str  # "school" or "article": what its counts are, and which list a bar opens
    counts: Callable[[Overview], tuple[Count, ...]]


CHARTS = (
    Chart("by_batch", N_("Schools by 双创 batch"), "school", lambda o: o.by_batch),
    Chart("by_type", N_("Schools by type"), "school", lambda o: o.by_type),
    Chart("brands", N_("Schools by brand"), "school", lambda o: o.brands),
    Chart("models", N_("Schools by work model"), "school", lambda o: o.models),
    Chart("by_year", N_("Articles by year"), "article", lambda o: o.by_year),
    Chart("by_month", N_("Articles by month"), "article", lambda o: o.by_month),
)
HIT_CHARTS = (
    Chart("hits_by_district", N_("Hits by district"), "article", lambda o: o.hits.by_district if o.hits else ()),
    Chart("hits_by_year", N_("Hits by year"), "article", lambda o: o.hits.by_year if o.hits else ()),
    Chart("hits_by_school", N_("Hits by school"), "article", lambda o: o.hits.by_school if o.hits else ()),
)
GRID_TITLE = N_("Schools by district and 双创 batch")


def bar(n: int, most: int, width: int) -> str:
    """`n` as a bar, the largest count `most` filling `width` cells; any count above nothing
    shows at least a sliver."""
    if n <= 0 or most <= 0 or width <= 0:
        return ""
    eighths = max(1, round(n * width * 8 / most))
    full, part = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[part] if part else "")


SHOWN = 15  # bars a chart prints on the command line (--json gives them all)
BAR_CELLS = 30


def summary(seen: Overview) -> str:
    """The overview's first line: how many schools and articles, and how many have no date."""
    return _("{schools} · {articles}, {undated} with no date").format(
        schools=count(seen.schools, "school"), articles=count(seen.articles, "article"), undated=seen.undated)


def printed(seen: Overview) -> list[RenderableType]:
    """The overview as `baixiao stats` prints it: the district table, then each chart's bars."""
    grid = Table(title=_(GRID_TITLE), title_justify="left", title_style="bold")
    grid.add_column(_("district"))
    for key in (*BATCHES, "total"):
        grid.add_column(_("total") if key == "total" else key_label(key), justify="right")
    for row in seen.districts:
        style = "bold" if row.district == ALL else ""
        grid.add_row(*(Text(said, style=style) for said in (key_label(row.district), *(str(c.n) for c in (*row.batches, row.total)))))
    out: list[RenderableType] = [Text(summary(seen), style="bold"), grid]
    for chart in (*CHARTS, *(HIT_CHARTS if seen.hits else ())):
        if chart is HIT_CHARTS[0] and seen.hits is not None:
            out += [Text(""), Text(found(seen), style="bold")]
        counts = chart.counts(seen)
        table = Table(title=_(chart.title), title_justify="left", title_style="bold", show_header=False, box=None, padding=(0, 1))
        table.add_column()
        table.add_column(justify="right")
        table.add_column()
        most = max((c.n for c in counts), default=0)
        for c in counts[:SHOWN]:
            table.add_row(Text(key_label(c.key)), str(c.n), Text(bar(c.n, most, BAR_CELLS), style="cyan"))
        if len(counts) > SHOWN:
            table.add_row(Text(_("… {n} more (--json lists every one)").format(n=len(counts) - SHOWN), style="dim"), "", "")
        if not counts:
            table.add_row(Text(_("(none)"), style="dim"), "", "")
        out += [Text(""), table]
        if chart.id == "by_month" and seen.without_month:
            out.append(Text(without_month(seen), style="dim"))
    return out


def found(seen: Overview) -> str:
    """What a query found, over its charts."""
    return _("{n} found for {query}").format(n=count(seen.hits.total, "article"), query=seen.hits.query) if seen.hits else ""


def without_month(seen: Overview) -> str:
    """Under the months: the articles they leave out, said."""
    return _("and {articles} whose page gives no month (a year alone, or no date)").format(articles=count(seen.without_month, "article"))
