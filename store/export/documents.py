"""Exports for a report: the marks, a search's results, a comparison, one article, one school, and
the school list.

Each is one Markdown document that pastes into a report or opens in any Markdown viewer as it
is: YAML front matter (written by pyyaml, so it always parses; left out for a clean paste), a
heading per item, article text as paragraphs, and every quote a whole sentence in a blockquote
ending in its citation (`——《重庆日报》2024年9月6日 第7版《…》，第1段（001_….txt）`). A sentence is
quoted once per export, with every fact it supports named above it. The school list and a
comparison are tables too, for a spreadsheet (CSV, XLSX). Corpus text is escaped wherever it
goes, so a page's `#`, `|`, `*` or `<script>` stays text. Pure functions of the store: the CLI and
the app write what they return.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from itertools import groupby
from pathlib import Path
from typing import Any

from store.citation import Citations
from store.export.markdown import escape, front_matter, quote, slug, strong
from store.export.tables import Table, csv_bytes, markdown_table, xlsx_bytes
from store.files import atomic_write
from store.i18n import N_, _, in_chinese
from store.layout import Span, layout_of, part_lines
from store.overview import BATCHES, Count, Overview, key_label, overview
from store.records import Article, School
from store.search.query import QueryError
from store.search.schools import (
    EVIDENCE_FIELDS,
    FIELD_LABELS,
    TYPE_LABELS,
    Statement,
    comparison,
    facts,
    filter_schools,
    pinyin_key,
    region_label,
    shown,
    shuangchuang,
    statements,
)
from store.sentences import sentence_bounds
from store.userdata.marks import Mark

GONE = N_("(no longer in the store)")  # a marked item the store has lost since
FORMATS = ("md", "csv", "xlsx")
SCHOOL_COLUMNS = ("学校", "地区", "类型", "双创", "称号", "党建品牌", "教育品牌", "工作模式", "荣誉", "负责人", "报道数", "出处")


class ExportError(Exception):
    """What the user asked for cannot be exported (an unknown school, too few schools...)."""


@dataclass(frozen=True)
class Export:
    """One export, ready to write in any format it has: Markdown always, a spreadsheet when it
    is a table."""

    kind: str
    title: str
    name: str  # what the default file name is made from
    fields: dict[str, Any]  # the front matter
    body: str  # Markdown, from the title heading on
    table: Table | None = field(default=None)  # what CSV writes, and XLSX unless there are sheets
    sheets: tuple[Table, ...] = ()  # XLSX's sheets, when it has several

    @property
    def formats(self) -> tuple[str, ...]:
        return FORMATS if self.table else ("md",)

    def markdown(self, front: bool = True) -> str:
        return (front_matter(self.fields) + "\n" if front else "") + self.body

    def render(self, format: str = "md", front: bool = True) -> bytes:
        if format not in self.formats:
            raise ExportError(_("only the school list, comparisons and the overview can be {format}; this export is Markdown")
                              .format(format=format))
        if format == "csv" and self.table:
            return csv_bytes(self.table)
        if format == "xlsx" and self.table:
            return xlsx_bytes(*(self.sheets or (self.table,)))
        return self.markdown(front).encode("utf-8")


class _Quotes:
    """The quotes of one export: each sentence quoted once; where it is used again, its citation
    points back to it."""

    def __init__(self, cites: Citations) -> None:
        self.cites = cites
        self._seen: set[tuple[str, str, int, str]] = set()

    def quote(self, article: Article, part: str, paragraph: int, sentence: str, markdown: str | None = None) -> str:
        """`sentence` (corpus text) as a blockquote, or `markdown`, its text with hits in bold."""
        citation = self.cites.of(article, part, paragraph)
        key = (article.id, part, paragraph, sentence)
        if key in self._seen:
            return escape(in_chinese("(quoted above) {citation}").format(citation=citation)) + "\n"
        self._seen.add(key)
        return quote(markdown if markdown is not None else escape(sentence), citation)


def _facts_line(statement: Statement) -> str:
    """双创批次 **第2批** · 党建品牌 **星光点点放光彩**、**…**: each field the sentence supports, named once."""
    named = []
    for name, values in groupby(statement.facts, key=lambda fact: fact[0]):
        label = escape(in_chinese(FIELD_LABELS[name]))
        named.append(label + " " + "、".join(strong(shown(name, value)) for _name, value in values))
    return " · ".join(named) + "\n"


def _statements(quotes: _Quotes, school: School) -> list[str]:
    """The sentences behind a school's facts in the order the articles print them, as a report
    cites them (the profile on screen groups them by field instead)."""
    order = {article: n for n, article in enumerate(school.articles)}
    said = sorted(statements(school, EVIDENCE_FIELDS), key=lambda x: (order.get(x.article, len(order)), x.paragraph))
    out = []
    for statement in said:
        article = quotes.cites.store.article(statement.article)
        out.append(_facts_line(statement))
        if article is None:  # a store built since from edited pages
            out.append(quote(escape(statement.sentence), f"— {statement.article}, ¶{statement.paragraph + 1}"))
        else:
            out.append(quotes.quote(article, "body", statement.paragraph, statement.sentence))
    return out


# ---- pieces -----------------------------------------------------------------------------------


def _article_body(article: Article, level: int, cited: str) -> list[str]:
    """The article as printed, under its heading and a line of who, where and its citation."""
    h = "#" * level
    out = [f"{h} {escape(_heading(article))}\n"]
    if article.subtitle:
        out.append(escape(article.subtitle) + "\n")
    mentions = "提及：" + "、".join(article.others()) if article.others() else ""
    meta = [article.subject, article.region.label(), mentions, " ".join(article.bylines)]
    out.append(escape(" · ".join(m for m in meta if m)) + ("\\\n" + escape(cited) if cited else "") + "\n")
    sidebar = -1
    for block in layout_of(article):
        if block.kind in ("heading", "sidebar_title"):
            out.append(f"{h}# {escape(block.text)}\n")
        elif block.kind in ("body", "sidebar"):
            if block.kind == "sidebar" and block.sidebar != sidebar:  # a box printed without a title
                out.append(f"{h}# 链接\n")
            out.append(escape(block.text) + "\n")
        sidebar = block.sidebar
    if article.captions:
        out.append(f"{h}# 图片说明\n")
        out.extend(f"- {escape(c)}" for c in article.captions)
        out.append("")
    return out


def _heading(article: Article) -> str:
    """An untitled article (a profile printed under a school's name) is headed by its subject."""
    return article.title or f"{article.subject}（无标题）"


def _school_body(quotes: _Quotes, school: School, level: int) -> list[str]:
    h = "#" * level
    out = [f"{h} {escape(school.name)}\n"]
    out.append(escape(" · ".join([*facts(school), f"{len(school.articles)} 篇报道"])) + "\n")
    if school.aliases:
        out.append(escape("又作 " + "、".join(school.aliases)) + "\n")
    listed = [(name, values) for name, [values] in comparison([school]) if name not in ("district", "type", "shuangchuang", "articles")]
    items = [f"- {escape(in_chinese(FIELD_LABELS[name]))}：{escape('、'.join(values))}" for name, values in listed if values]
    if items:
        out.append("\n".join(items) + "\n")
    said = _statements(quotes, school)
    if said:
        out.append(f"{h}# 出处\n")
    return out + said


def _sentences_hit(article: Article, spans: tuple[Span, ...]) -> list[tuple[Span, list[tuple[int, int]]]]:
    """Each whole sentence holding hits, in reading order, with its hits' offsets in it: a search
    export quotes sentences, never a snippet cut mid-sentence. A hit across two sentences joins them."""
    lines = part_lines(article)
    found: list[tuple[Span, list[tuple[int, int]]]] = []
    for (part, paragraph), mine in groupby(sorted(spans), key=lambda span: (span.part, span.paragraph)):
        text = lines[part][paragraph]
        merged: list[tuple[int, int, list[tuple[int, int]]]] = []  # sentence start, end, hits in the line
        for span in mine:  # in order of their start, so a sentence joins only the one before it
            start, end = sentence_bounds(text, span.start, span.end)
            if merged and start < merged[-1][1]:
                first, last, hits = merged.pop()
                start, end = first, max(end, last)
                merged.append((start, end, [*hits, (span.start, span.end)]))
            else:
                merged.append((start, end, [(span.start, span.end)]))
        found += [(Span(part, paragraph, a, b), [(s - a, e - a) for s, e in hits]) for a, b, hits in merged]
    order = {(b.part, b.paragraph): n for n, b in enumerate(layout_of(article))}
    return sorted(found, key=lambda item: (order.get(item[0][:2], 0), item[0].start))


def _bold(text: str, hits: list[tuple[int, int]]) -> str:
    """Escaped text with its hits in bold; touching hits as one (**党建品牌**, not **党建****品牌**)."""
    pieces, at = [], 0
    for start, end in _joined(hits):
        pieces += [escape(text[at:start], line_start=at == 0), strong(text[start:end])]
        at = end
    pieces.append(escape(text[at:], line_start=at == 0))
    return "".join(pieces)


def _joined(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def _document(cites: Citations, kind: str, title: str, body: list[str], files: set[str], counts: dict[str, int],
              query: str | None = None, name: str | None = None, table: Table | None = None, sheets: tuple[Table, ...] = ()) -> Export:
    fields: dict[str, Any] = {"title": title, "created": datetime.now().astimezone().isoformat(timespec="seconds")}
    if query is not None:
        fields["query"] = query
    fields["store"] = cites.store.meta.get("fingerprint", "")
    fields["citation_style"] = cites.style
    fields["corpus_files"] = sorted(files)
    fields["counts"] = counts
    markdown = f"# {escape(title)}\n\n" + "\n".join(body).rstrip("\n") + "\n"
    return Export(kind, title, name or title, fields, markdown, table, sheets)


def _files(cites: Citations, schools: list[School]) -> set[str]:
    return {a.file for s in schools for a in map(cites.store.article, s.articles) if a}


def _sources(cites: Citations, school: School) -> str:
    """A school's articles, each cited whole: the last column of a table."""
    return "\n".join(cites.listed(a) for a in map(cites.store.article, school.articles) if a)


# ---- the kinds ---------------------------------------------------------------------------------


def find_school(cites: Citations, name: str) -> School:
    school = cites.store.school(name)
    if school is None:
        known = {n: info.name for info in cites.store.school_summaries() for n in (info.name, *info.aliases)}
        close = dict.fromkeys(known[n] for n in difflib.get_close_matches(name, list(known), n=8, cutoff=0.3))
        hint = f"; closest: {'、'.join(list(close)[:5])}" if close else ""
        raise ExportError(_("no school named {name}{hint}").format(name=name, hint=hint))
    return school


def export_article(cites: Citations, article_id: str) -> Export:
    article = cites.store.article(article_id)
    if article is None:
        raise ExportError(_("no article with id {id} (ids are listed by `baixiao search --json`)").format(id=article_id))
    title = article.title or article.subject or article.id
    return _document(cites, "article", title, _article_body(article, 1, cites.of(article, None))[1:], {article.file},
                     {"articles": 1}, name=title)


def export_school(cites: Citations, name: str) -> Export:
    school = find_school(cites, name)
    return _document(cites, "school", school.name, _school_body(_Quotes(cites), school, 1)[1:], _files(cites, [school]),
                     {"schools": 1, "articles": len(school.articles)})


def export_compare(cites: Citations, names: list[str], keywords: bool = False) -> Export:
    """The table of the schools' fields, then each school's sentences behind it. Keywords only
    when asked: they help reading, not a report."""
    found = [find_school(cites, name) for name in names]
    schools = list({s.name: s for s in found}.values())  # 金兴小学 and 北碚区金兴小学 are one school
    if not 2 <= len(schools) <= 4:
        raise ExportError(_("a comparison needs 2 to 4 different schools, not {n}").format(n=len(schools)))
    rows = comparison(schools, {s.name: cites.store.keywords(s) for s in schools} if keywords else None)
    fields = [(in_chinese(FIELD_LABELS[name]), *("\n".join(v) for v in columns)) for name, columns in rows]
    sources = ("出处", *(_sources(cites, s) for s in schools))
    table = Table("比较：" + " · ".join(s.name for s in schools), ("字段", *(s.name for s in schools)), (*fields, sources),
                  filtered=False)
    body = [markdown_table(_without_sources(table)), "## 出处\n"]
    quotes = _Quotes(cites)
    for school in schools:
        said = _statements(quotes, school)
        if said:
            body += [f"### {escape(school.name)}\n", *said]
    return _document(cites, "compare", table.title, body, _files(cites, schools),
                     {"schools": len(schools), "fields": len(rows)}, name="-".join(s.name for s in schools), table=table)


def _without_sources(table: Table) -> Table:
    """The table as the Markdown shows it: the sentences are quoted in full below it."""
    return Table(table.title, table.header, table.rows[:-1], table.frozen_columns, table.filtered)


def export_schools(cites: Citations, query: str | None = None) -> Export:
    """One row per school, filtered as the schools screen filters them and in its first order
    (pinyin): what officials exchange as a spreadsheet, each row citing the articles it was read
    from."""
    try:
        kept = filter_schools(cites.store.school_summaries(), query or "")
    except QueryError as err:
        raise ExportError(_("bad query: {error}").format(error=err)) from None
    schools = [s for info in sorted(kept, key=lambda s: pinyin_key(s.name)) if (s := cites.store.school(info.name))]
    rows = []
    listed = "\n".join
    for s in schools:
        rows.append((
            s.name, region_label(s), TYPE_LABELS.get(s.type, s.type), shuangchuang(s), listed(s.designations),
            listed(s.brands), listed(s.education_brands), listed(s.models), listed(s.honors),
            listed(f"{x.role} {x.name}" for x in s.leaders), len(s.articles), _sources(cites, s),
        ))
    title = f"学校：{query}" if query else "学校"
    table = Table(title, SCHOOL_COLUMNS, tuple(rows))
    body = [f"{len(schools)} 所学校" + (f" · 筛选 `{query.replace('`', '')}`" if query else "") + "\n", markdown_table(table)]
    return _document(cites, "schools", title, body, _files(cites, schools), {"schools": len(schools)},
                     query=query, name=query or "schools", table=table)


def export_overview(cites: Citations, query: str | None = None) -> Export:
    """The overview's tables, for a report: Markdown tables under headings, an XLSX sheet per
    table after one that says what was counted, and for CSV every count in one long table (table,
    item, column, count, and the query that lists what it counts), which a spreadsheet pivots and
    a script reads."""
    try:
        seen = overview(cites.store, query)
    except QueryError as err:
        raise ExportError(_("bad query: {error}").format(error=err)) from None
    said = partial(key_label, translate=in_chinese)
    grid = Table("各地区学校", ("地区", *map(said, BATCHES), "合计"),
                 tuple((said(r.district), *(c.n for c in r.batches), r.total.n) for r in seen.districts))
    charts = _overview_charts(seen)
    tables = [grid] + [Table(title, (column, "数量"), tuple((said(c.key), c.n) for c in counts)) for title, column, counts in charts]
    rows: list[tuple[str | int, ...]] = [(grid.title, said(r.district), said(c.key), c.n, c.query)
                                         for r in seen.districts for c in r.batches]
    rows += [(title, said(c.key), "", c.n, c.query) for title, _column, counts in charts for c in counts]
    long = Table("概览", ("表", "项", "列", "数量", "查询"), tuple(rows), frozen_columns=2)
    facts: list[tuple[str | int, ...]] = [("学校", seen.schools), ("文章", seen.articles), ("无日期的文章", seen.undated),
                                          ("无月份的文章", seen.without_month)]
    if seen.hits is not None:
        facts += [("查询", seen.hits.query), ("命中文章", seen.hits.total)]
    about = Table("说明", ("项", "值"), tuple(facts), filtered=False)
    summary = f"{seen.schools} 所学校 · {seen.articles} 篇文章（{seen.undated} 篇无日期）"
    if seen.hits is not None:
        summary += f" · 查询 `{seen.hits.query.replace('`', '')}` 命中 {seen.hits.total} 篇"
    body = [summary + "\n"]
    for table in tables:
        body += [f"## {escape(table.title)}\n", markdown_table(table)]
        if table.title == "各月份文章":
            body.append(f"另有 {seen.without_month} 篇文章的页面没有给出月份（只有年份，或没有日期）。\n")
    counts = {"schools": seen.schools, "articles": seen.articles, "undated": seen.undated}
    if seen.hits is not None:
        counts["hits"] = seen.hits.total
    return _document(cites, "overview", f"概览：{query}" if query else "概览", body, set(), counts, query=query,
                     name=query or "overview", table=long, sheets=(about, *tables))


def _overview_charts(seen: Overview) -> list[tuple[str, str, tuple[Count, ...]]]:
    """The overview's counts but the district grid: (title, what the items are, counts)."""
    charts = [("各批次学校", "批次", seen.by_batch), ("各类型学校", "类型", seen.by_type), ("品牌（党建、教育）", "品牌", seen.brands),
              ("工作模式", "模式", seen.models), ("各年份文章", "年份", seen.by_year), ("各月份文章", "月份", seen.by_month)]
    if seen.hits:
        charts += [("命中：各地区", "地区", seen.hits.by_district), ("命中：各年份", "年份", seen.hits.by_year),
                   ("命中：各学校", "学校", seen.hits.by_school)]
    return charts


def export_results(cites: Citations, query: str) -> Export:
    try:
        results = cites.store.search(query, limit=None)
    except QueryError as err:
        raise ExportError(_("bad query: {error}").format(error=err)) from None
    hits = sum(hit.count for hit in results.hits)
    body = [f"{results.total} 篇文章，{hits} 处 · 查询 `{results.parsed.replace('`', '')}`\n"]
    files = set()
    quotes = _Quotes(cites)
    for n, hit in enumerate(results.hits, 1):
        article = cites.store.article(hit.article)
        if article is None:
            continue
        files.add(article.file)
        body.append(f"## {n}. {escape(_heading(article))}\n")
        elsewhere = results.also_in(article.id)
        also = "又见于 " + "、".join(elsewhere) if elsewhere else ""
        meta = (article.subject, article.region.label(), also)
        body.append(escape(" · ".join(p for p in meta if p)) + "\n")
        lines = part_lines(article)
        for span, spots in _sentences_hit(article, hit.spans):
            sentence = lines[span.part][span.paragraph][span.start : span.end]
            body.append(quotes.quote(article, span.part, span.paragraph, sentence, _bold(sentence, spots)))
    return _document(cites, "results", f"搜索：{query}", body, files, {"articles": results.total, "hits": hits},
                     query=query, name=query)


def export_marks(cites: Citations, marks: list[Mark]) -> Export:
    if not marks:
        raise ExportError(_("nothing is marked yet (space marks an article or a school in the app, S saves a search)"))
    body: list[str] = []
    files: set[str] = set()
    counts = {"articles": 0, "schools": 0, "searches": 0}
    quotes = _Quotes(cites)
    for mark in marks:
        if mark.kind == "search":
            counts["searches"] += 1
            part = _saved_search(cites, mark.key, files)
        elif mark.kind == "article":
            article = cites.store.article(mark.key)
            if article is None:
                body.append(f"## {escape(mark.key)}\n\n{escape(in_chinese(GONE))}\n")
                continue
            files.add(article.file)
            counts["articles"] += 1
            part = _article_body(article, 2, cites.of(article, None))
        else:
            school = cites.store.school(mark.key)
            if school is None:
                body.append(f"## {escape(mark.key)}\n\n{escape(in_chinese(GONE))}\n")
                continue
            files |= _files(cites, [school])
            counts["schools"] += 1
            part = _school_body(quotes, school, 2)
        body.append(part[0])
        if mark.note:
            body.append(f"**笔记：** {escape(mark.note)}\n")
        body.extend(part[1:])
    return _document(cites, "marks", "标记与笔记", body, files, counts, name="marks")


SAVED_LISTED = 50  # articles a saved search lists in the marks; `export --query` gives them all


def _saved_search(cites: Citations, query: str, files: set[str]) -> list[str]:
    """A saved search as it finds now: its count and the articles it finds, best first, cited."""
    head = f"## 搜索：{escape(query)}\n"
    try:
        results = cites.store.search(query, limit=SAVED_LISTED)
    except QueryError as err:
        return [head, escape(in_chinese("(this search no longer parses: {error})").format(error=err)) + "\n"]
    lines = []
    for hit in results.hits:
        if article := cites.store.article(hit.article):
            files.add(article.file)
            lines.append("- " + escape(f"{_heading(article)} {cites.of(article, None)}"))
    if results.total > len(lines):
        lines.append(f"- …… 另有 {results.total - len(lines)} 篇")
    return [head, f"{results.total} 篇文章\n", *(["\n".join(lines) + "\n"] if lines else [])]


# ---- writing ----------------------------------------------------------------------------------


def default_path(kind: str, name: str, folder: Path, today: date | None = None, format: str = "md") -> Path:
    """`<folder>/<kind>-<date>-<slug of name>.<format>`: sorted by kind, then day, in a file browser."""
    part = slug(name)
    stem = f"{kind}-{(today or date.today()).isoformat()}" + (f"-{part}" if part != kind else "")
    return folder / f"{stem}.{format}"


def format_of(path: Path | None, asked: str | None) -> str:
    """The format asked for, else the one the file name says (.csv, .xlsx), else Markdown; a
    name that says another format than the one asked for is refused (Excel will not open CSV
    text named .xlsx)."""
    suffix = path.suffix.lower().lstrip(".") if path else ""
    said = suffix if suffix in FORMATS else None
    if asked and said and asked != said:
        raise ExportError(_("{path} names a .{said} file, but --format is {asked}").format(path=path, said=said, asked=asked))
    return asked or said or "md"


def write(export: Export, path: Path, force: bool = False, format: str = "md", front: bool = True) -> Path:
    """Write the export to `path` whole or not at all (temp file, then rename); an existing file
    is replaced only with `force`. Raises ExportError with a reason a person can act on."""
    if path.is_dir():
        raise ExportError(_("{path} is a folder: give a file name").format(path=path))
    if path.exists() and not force:
        raise ExportError(_("{path} exists: choose another name or overwrite it (--force)").format(path=path))
    payload = export.render(format, front)
    try:
        atomic_write(path, payload)
    except OSError as error:
        raise ExportError(_("cannot write {path}: {reason}").format(path=path, reason=error.strerror or error)) from None
    return path
