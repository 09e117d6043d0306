"""Page metadata: the title, date and source a page saved from the web prints at its top.

Such a page opens with its title and a line like `发布时间:2024-07-30 来源:中山日报 字号:[大 中 小]`.
Read as text, that line became part of the first paragraph, or the title ran into it. Here it
is read into a PageMeta and taken out of the text, and the title is set apart by a blank line
so the segmenter can take it for a headline.

Recognition is strict because a line removed wrongly is text lost: a metadata line must be
nothing but labelled fields, among the first few lines, with a whole date where a date is
labelled. A date in running text (…于2023年签署…) is never the page's. The labels, date formats
and furniture are data (store/data/pagemeta.yaml).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from itertools import groupby

from store.lexicon import load_data
from store.normalize import normalize


@dataclass(frozen=True)
class PageMeta:
    title: str | None = None
    date: str | None = None  # ISO, 2024-07-09
    publication: str | None = None  # as printed: 中山日報 stays Traditional


@dataclass(frozen=True)
class _Field:
    kind: str  # "date", "source" or "furniture"
    value: str | None  # furniture's is never kept


@dataclass(frozen=True)
class _Rules:
    top_lines: int
    title_max: int
    labels: re.Pattern[str]
    separators: str
    lead: str
    prose: re.Pattern[str]
    dates: tuple[re.Pattern[str], ...]
    dateline: re.Pattern[str]


@cache
def _rules() -> _Rules:
    data = load_data("pagemeta.yaml")

    def one_of(key: str) -> str:
        return "|".join(re.escape(w) for w in sorted(data[key], key=len, reverse=True))

    labels = (
        rf"(?P<date>{one_of('date_labels')})\s*:|(?P<source>{one_of('source_labels')})\s*:"
        rf"|(?P<furniture>{one_of('furniture_labels')})\s*:|(?P<button>{one_of('buttons')})"
    )
    return _Rules(
        top_lines=data["top_lines"],
        title_max=data["title_max_chars"],
        labels=re.compile(labels),
        separators=data["separators"],
        lead=data["separators"] + data["bullets"],
        prose=re.compile(data["prose"]),
        dates=tuple(re.compile(rf"(?:{f})(?:\s*{data['time']})?") for f in data["date_formats"]),
        dateline=re.compile(
            rf"(?P<paper>\S{{2,12}}?(?:{one_of('paper_endings')}))\s+(?P<date>\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日)"
            rf"(?:\s+{data['dateline_rest']})?"
        ),
    )


def parse(text: str) -> tuple[PageMeta, str]:
    """A page's metadata, and its text without the metadata lines, the title first.

    A page that prints neither a date nor a source at its top is returned unchanged.
    """
    rules = _rules()
    lines = text.split("\n")
    top = [i for i, line in enumerate(lines) if line.strip()][: rules.top_lines]
    found = {i: fields for i in top if (fields := _fields(lines[i], rules)) is not None}
    date = _first(found, "date")
    publication = _first(found, "source")
    if date is None and publication is None:
        return PageMeta(), text

    anchor = min(i for i, fields in found.items() if any(f.value for f in fields))  # the first date or source
    above = [i for i in top if i < anchor and i not in found]
    kept: list[str | None] = [None if i in found else line for i, line in enumerate(lines)]
    title = None
    if above and _titleish(lines[above[-1]], rules):
        at = above.pop()
        title = lines[at].strip()
        while above and lines[above[-1]].strip() == title:  # a title printed twice counts once
            kept[above.pop()] = None
        kept[at : at + 1] = [lines[at], None]  # the None becomes the blank line after the headline
    return PageMeta(title, date, publication), _joined(kept)


def _fields(line: str, rules: _Rules) -> list[_Field] | None:
    """The labelled fields a line is made of, or None when it is anything else. A date may
    stand unlabelled at its start (2024-04-16 09:12 来源:大公网), and a newspaper's dateline
    (清远日报 2024年11月14日 星期四 第A06版) gives its paper and date."""
    folded = normalize(line)  # one character for one: offsets into it are offsets into `line`
    if rules.prose.search(folded):
        return None
    dateline = rules.dateline.fullmatch(folded.strip())
    if dateline:
        return [_Field("source", line.strip()[: dateline.end("paper")]), _Field("date", _iso(dateline["date"], rules))]
    labels = list(rules.labels.finditer(folded))
    lead = folded[: labels[0].start() if labels else len(folded)].strip(rules.lead)
    leading_date = _iso(lead, rules) if lead else None
    if (not labels and not leading_date) or (lead and not leading_date):
        return None
    fields = [_Field("date", leading_date)] if leading_date else []
    for label, following in zip(labels, [*labels[1:], None], strict=False):
        start, end = label.end(), following.start() if following else len(folded)
        value = folded[start:end].strip(rules.separators)
        if label.lastgroup == "date":
            date = _iso(value, rules)
            if value and not date:
                return None  # 时间:2023年3月,… is a sentence, not a metadata line
            fields.append(_Field("date", date))
        elif label.lastgroup == "source":
            # As printed (中山日報), up to the first separator: 来源:温州市教育局 字号 → 温州市教育局.
            at = end - len(folded[start:end].lstrip(rules.separators))
            length = next((n for n, ch in enumerate(value) if ch in rules.separators), len(value))
            fields.append(_Field("source", line[at : at + length] or None))
        elif label.lastgroup == "button" and value:
            return None  # 打印 followed by words is text, not a button
        else:
            fields.append(_Field("furniture", None))
    return fields


def _iso(value: str, rules: _Rules) -> str | None:
    for pattern in rules.dates:
        m = pattern.fullmatch(value)
        if m:
            try:
                return dt.date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat()
            except ValueError:
                return None
    return None


def _first(found: dict[int, list[_Field]], kind: str) -> str | None:
    return next((f.value for fields in found.values() for f in fields if f.kind == kind and f.value), None)


def _titleish(line: str, rules: _Rules) -> bool:
    line = line.strip()
    return len(line) <= rules.title_max and "。" not in line


def _joined(kept: list[str | None]) -> str:
    """The lines left, a removed line (None) and the blank lines beside it closed up into one
    blank line, or into nothing at the top of the page."""
    out: list[str] = []
    for blank, group in groupby(kept, key=lambda line: line is None or not line.strip()):
        run = list(group)
        if blank and None in run:
            if out:
                out.append("")
        else:
            out.extend(line for line in run if line is not None)
    return "\n".join(out)
