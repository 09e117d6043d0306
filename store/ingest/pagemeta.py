"""Page metadata: the title, date, source and newspaper page a page prints at its top.

Such a page opens with its title and a line like `发布时间:2024-07-30 来源:中山日报 字号:[大 中 小]`.
Read as text, that line became part of the first paragraph, or the title ran into it. Here it
is read into a PageMeta and taken out of the text, and the title is set apart by a blank line
so the segmenter can take it for a headline. A newspaper's page also prints the page of the issue
it stands on (版次): in its dateline (清远日报 2024年11月14日 星期四 第A06版：教育周), in a labelled
field (版次：第07版) or on a line of its own (第07版：要闻).

Recognition is strict because a line removed wrongly is text lost: a metadata line must be
nothing but labelled fields, among the first few lines, with a whole date where a date is
labelled, a page designation where a page is labelled. A date in running text (…于2023年签署…)
is never the page's, nor is a page named in it (…在第3版刊登…). The labels, date formats, page
forms and furniture are data (store/data/pagemeta.yaml).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
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
    edition: str | None = None  # the newspaper page (版次): 7 for 第07版, A06 for 第A06版


@dataclass(frozen=True)
class _Field:
    kind: str  # "date", "source", "edition" or "furniture"
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
    edition: re.Pattern[str]
    edition_line: re.Pattern[str]


@cache
def _rules() -> _Rules:
    data = load_data("pagemeta.yaml")

    def one_of(key: str) -> str:
        return "|".join(re.escape(w) for w in sorted(data[key], key=len, reverse=True))

    labels = (
        rf"(?P<date>{one_of('date_labels')})\s*:|(?P<source>{one_of('source_labels')})\s*:"
        rf"|(?P<edition>{one_of('edition_labels')})\s*:"
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
        edition=re.compile(data["edition"]),
        edition_line=re.compile(data["edition_line"]),
    )


def parse(text: str) -> tuple[PageMeta, str]:
    """A page's metadata, and its text without the metadata lines, the title first.

    A page that prints neither a date nor a source at its top is returned unchanged.
    """
    rules = _rules()
    lines = text.split("\n")
    top = [i for i, line in enumerate(lines) if line.strip()][: rules.top_lines]
    found = {i: fields for i in top if (fields := _fields(lines[i], rules)) is not None}
    editions = {f.value for fields in found.values() for f in fields if f.kind == "edition" and f.value}
    if len(editions) > 1:  # 第1版 要闻 / 第2版 综合: a list of the pages, not this page's
        found = {i: fields for i, fields in found.items() if any(f.kind != "edition" for f in fields)}
    date = _first(found, "date")
    publication = _first(found, "source")
    edition = _first(found, "edition")
    if date is None and publication is None and edition is None:
        return PageMeta(), text

    # The title is above the first date or source, or, on a page printing neither, above its page.
    anchor = min(
        [i for i, fields in found.items() if any(f.value for f in fields if f.kind != "edition")]
        or [i for i, fields in found.items() if any(f.value for f in fields)]
    )
    above = [i for i in top if i < anchor and i not in found]
    kept: list[str | None] = [None if i in found else line for i, line in enumerate(lines)]
    title = None
    if above and _titleish(lines[above[-1]], rules):
        at = above.pop()
        title = lines[at].strip()
        while above and lines[above[-1]].strip() == title:  # a title printed twice counts once
            kept[above.pop()] = None
        kept[at : at + 1] = [lines[at], None]  # the None becomes the blank line after the headline
    return PageMeta(title, date, publication, edition), _joined(kept)


def _fields(line: str, rules: _Rules) -> list[_Field] | None:
    """The labelled fields a line is made of, or None when it is anything else. A date may
    stand unlabelled at its start (2024-04-16 09:12 来源:大公网), a newspaper's dateline
    (清远日报 2024年11月14日 星期四 第A06版) gives its paper, date and page, and a line of
    nothing but a page and its section (第07版：要闻) gives the page."""
    folded = normalize(line)  # one character for one: offsets into it are offsets into `line`
    if rules.prose.search(folded):
        return None
    dateline = rules.dateline.fullmatch(folded.strip())
    if dateline:
        return [
            _Field("source", line.strip()[: dateline.end("paper")]),
            _Field("date", _iso(dateline["date"], rules)),
            _Field("edition", _edition(line.strip(), dateline)),
        ]
    page_line = rules.edition_line.fullmatch(folded.strip())
    if page_line:
        return [_Field("edition", _edition(line.strip(), page_line))]
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
        elif label.lastgroup == "edition":
            at = end - len(folded[start:end].lstrip(rules.separators))
            span = (folded, at, at + len(value))
            page = rules.edition.fullmatch(*span) or rules.edition_line.fullmatch(*span)
            if value and not page:
                return None  # 版面:要闻, 版次:第3版刊登… name no page
            fields.append(_Field("edition", _edition(line, page) if page else None))
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


def _edition(line: str, match: re.Match[str]) -> str | None:
    """The page a match of `line` (or of its folding) names in its group `edition`: as printed
    but half-width, a number without its leading zeros (第07版 → 7, 第Ａ06版 → A06)."""
    if match["edition"] is None:
        return None
    page = unicodedata.normalize("NFKC", line[match.start("edition") : match.end("edition")])
    return str(int(page)) if page.isdigit() else page


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
