"""Markdown exports: the marks, a search's results, a comparison, one article, one school.

Each is one Markdown document that pastes into a report or opens in any Markdown viewer as it
is: YAML front matter (written by pyyaml, so it always parses), a heading per item, article text
as paragraphs, and every quoted sentence as a blockquote ending in its source line
(`— 000_cffeeb912b6cb14d.txt, 人和街小学, ¶3`). Corpus text is escaped wherever it goes, so a
page's `#`, `|`, `*` or `<script>` stays text and never becomes a heading, a table break, emphasis
or HTML. Pure functions of the store: the CLI and the app write what they return.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from store.db import Store
from store.export.markdown import cell, escape, front_matter, quote, slug, strong
from store.files import atomic_write
from store.i18n import N_, _, in_chinese
from store.layout import layout_of, part_lines
from store.records import Article, Evidence, School
from store.search.evaluate import Snippet
from store.search.query import QueryError
from store.search.schools import EVIDENCE_FIELDS, FIELD_LABELS, comparison, facts, shown, statements
from store.userdata.marks import Mark

GONE = N_("(no longer in the store)")  # a marked item the store has lost since
PART_LABELS = {"title": "标题", "headings": "小标题", "captions": "图片说明"}


class ExportError(Exception):
    """What the user asked for cannot be exported (an unknown school, too few schools...)."""


@dataclass(frozen=True)
class Export:
    kind: str
    title: str
    name: str  # what the default file name is made from
    markdown: str


def source(article: Article, where: str) -> str:
    """The source line of a quote: file, the article's subject, where in it."""
    return ", ".join(part for part in (article.file, article.subject, where) if part)


# ---- pieces -----------------------------------------------------------------------------------


def _article_body(article: Article, level: int) -> list[str]:
    h = "#" * level
    out = [f"{h} {escape(_heading(article))}\n"]
    if article.subtitle:
        out.append(escape(article.subtitle) + "\n")
    mentions = "提及：" + "、".join(article.others()) if article.others() else ""
    meta = [article.subject, article.region.label(), mentions, " ".join(article.bylines), article.file]
    out.append(escape(" · ".join(m for m in meta if m)) + "\n")
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


def _evidence_quote(store: Store, evidence: Evidence) -> str:
    article = store.article(evidence.article)
    where = f"¶{evidence.paragraph + 1}"
    return quote(escape(evidence.sentence), source(article, where) if article else f"{evidence.article}, {where}")


def _school_body(store: Store, school: School, level: int) -> list[str]:
    h = "#" * level
    out = [f"{h} {escape(school.name)}\n"]
    out.append(escape(" · ".join([*facts(school), f"{len(school.articles)} 篇报道"])) + "\n")
    if school.aliases:
        out.append(escape("又作 " + "、".join(school.aliases)) + "\n")
    for field in EVIDENCE_FIELDS:
        said = statements(school, (field,))  # values read from one sentence together: quoted once
        if said:
            out.append(f"{h}# {escape(in_chinese(FIELD_LABELS[field]))}\n")
        for statement in said:
            out.append("、".join(strong(shown(field, v)) for _f, v in statement.facts) + "\n")
            out.append(_evidence_quote(store, statement.evidence))
    return out


def _snippet_quote(article: Article, lines: dict[str, list[str]], snippet: Snippet) -> str:
    """A snippet as a quote, its hits in bold; `lines` (the article's `part_lines`) tell whether
    the snippet stops short of its line's end."""
    text, pieces, at = snippet.text, [], 0
    for start, end in _joined(snippet.spans):
        pieces += [escape(text[at:start]), strong(text[start:end])]
        at = end
    pieces.append(escape(text[at:]))
    own = lines[snippet.part]
    whole = own[snippet.paragraph] if snippet.paragraph < len(own) else text
    cut = snippet.start + len(text) < len(whole)
    line = ("…" if snippet.start else "") + "".join(pieces) + ("…" if cut else "")
    if snippet.part == "body":
        where = f"¶{snippet.paragraph + 1}"
    else:
        where = PART_LABELS.get(snippet.part, snippet.part) + (f" {snippet.paragraph + 1}" if snippet.part != "title" else "")
    return quote(line, source(article, where))


def _joined(spans: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    """Touching hits as one (党建 then 品牌 is **党建品牌**, not **党建****品牌**)."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def _document(store: Store, kind: str, title: str, body: list[str], files: set[str], counts: dict[str, int],
              query: str | None = None, name: str | None = None) -> Export:
    fields: dict[str, Any] = {"title": title, "created": datetime.now().astimezone().isoformat(timespec="seconds")}
    if query is not None:
        fields["query"] = query
    fields["store"] = store.meta.get("fingerprint", "")
    fields["corpus_files"] = sorted(files)
    fields["counts"] = counts
    markdown = front_matter(fields) + "\n" + f"# {escape(title)}\n\n" + "\n".join(body).rstrip("\n") + "\n"
    return Export(kind, title, name or title, markdown)


# ---- the five kinds ---------------------------------------------------------------------------


def find_school(store: Store, name: str) -> School:
    school = store.school(name)
    if school is None:
        names = [n for info in store.school_summaries() for n in (info.name, *info.aliases)]
        close = difflib.get_close_matches(name, names, n=5, cutoff=0.3)
        hint = f"; closest: {'、'.join(close)}" if close else ""
        raise ExportError(_("no school named {name}{hint}").format(name=name, hint=hint))
    return school


def export_article(store: Store, article_id: str) -> Export:
    article = store.article(article_id)
    if article is None:
        raise ExportError(_("no article with id {id} (ids are listed by `baixiao search --json`)").format(id=article_id))
    title = article.title or article.subject or article.id
    return _document(store, "article", title, _article_body(article, 1)[1:], {article.file},
                     {"articles": 1}, name=title)


def export_school(store: Store, name: str) -> Export:
    school = find_school(store, name)
    files = {a.file for a in map(store.article, school.articles) if a}
    return _document(store, "school", school.name, _school_body(store, school, 1)[1:], files,
                     {"schools": 1, "articles": len(school.articles)})


def export_compare(store: Store, names: list[str]) -> Export:
    schools = [find_school(store, name) for name in names]
    if not 2 <= len(schools) <= 4:
        raise ExportError(_("a comparison needs 2 to 4 schools, not {n}").format(n=len(schools)))
    header = ["字段", *(s.name for s in schools)]
    table = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    rows = comparison(schools, {s.name: store.keywords(s) for s in schools})
    for field, columns in rows:
        label = in_chinese(FIELD_LABELS[field])
        table.append("| " + " | ".join([cell(label), *(cell("\n".join(v) or "—") for v in columns)]) + " |")
    body = ["\n".join(table) + "\n", "## 出处\n"]
    for school in schools:
        body.append(f"### {escape(school.name)}\n")
        for field in EVIDENCE_FIELDS:
            for statement in statements(school, (field,)):
                label = in_chinese(FIELD_LABELS[field])
                body.append(f"{escape(label)}：" + "、".join(strong(shown(field, v)) for _f, v in statement.facts) + "\n")
                body.append(_evidence_quote(store, statement.evidence))
    files = {a.file for s in schools for a in map(store.article, s.articles) if a}
    title = "比较：" + " · ".join(s.name for s in schools)
    return _document(store, "compare", title, body, files, {"schools": len(schools), "fields": len(rows)},
                     name="-".join(s.name for s in schools))


def export_results(store: Store, query: str) -> Export:
    try:
        results = store.search(query, limit=None)
    except QueryError as err:
        raise ExportError(_("bad query: {error}").format(error=err)) from None
    hits = sum(hit.count for hit in results.hits)
    body = [f"{results.total} 篇文章，{hits} 处 · 查询 `{results.parsed.replace('`', '')}`\n"]
    files = set()
    for n, hit in enumerate(results.hits, 1):
        article = store.article(hit.article)
        if article is None:
            continue
        files.add(article.file)
        body.append(f"## {n}. {escape(_heading(article))}\n")
        body.append(escape(" · ".join(p for p in (article.subject, article.region.label(), article.file) if p)) + "\n")
        lines = part_lines(article)
        body.extend(_snippet_quote(article, lines, snippet) for snippet in hit.snippets)
    return _document(store, "results", f"搜索：{query}", body, files, {"articles": results.total, "hits": hits},
                     query=query, name=query)


def export_marks(store: Store, marks: list[Mark]) -> Export:
    if not marks:
        raise ExportError(_("nothing is marked yet (space marks an article or a school in the app, S saves a search)"))
    body: list[str] = []
    files: set[str] = set()
    counts = {"articles": 0, "schools": 0, "searches": 0}
    for mark in marks:
        if mark.kind == "search":
            counts["searches"] += 1
            part = _saved_search(store, mark.key, files)
        elif mark.kind == "article":
            article = store.article(mark.key)
            if article is None:
                body.append(f"## {escape(mark.key)}\n\n{escape(in_chinese(GONE))}\n")
                continue
            files.add(article.file)
            counts["articles"] += 1
            part = _article_body(article, 2)
        else:
            school = store.school(mark.key)
            if school is None:
                body.append(f"## {escape(mark.key)}\n\n{escape(in_chinese(GONE))}\n")
                continue
            files.update(a.file for a in map(store.article, school.articles) if a)
            counts["schools"] += 1
            part = _school_body(store, school, 2)
        body.append(part[0])
        if mark.note:
            body.append(f"**笔记：** {escape(mark.note)}\n")
        body.extend(part[1:])
    return _document(store, "marks", "标记与笔记", body, files, counts, name="marks")


SAVED_LISTED = 50  # articles a saved search lists in the marks; `export --query` gives them all


def _saved_search(store: Store, query: str, files: set[str]) -> list[str]:
    """A saved search as it finds now: its count and the articles it finds, best first."""
    head = f"## 搜索：{escape(query)}\n"
    try:
        results = store.search(query, limit=SAVED_LISTED)
    except QueryError as err:
        return [head, escape(in_chinese("(this search no longer parses: {error})").format(error=err)) + "\n"]
    lines = []
    for hit in results.hits:
        if article := store.article(hit.article):
            files.add(article.file)
            lines.append("- " + escape(f"{_heading(article)} · {article.file}"))
    if results.total > len(lines):
        lines.append(f"- …… 另有 {results.total - len(lines)} 篇")
    return [head, f"{results.total} 篇文章\n", *(["\n".join(lines) + "\n"] if lines else [])]


# ---- writing ----------------------------------------------------------------------------------


def default_path(kind: str, name: str, folder: Path, today: date | None = None) -> Path:
    """`<folder>/<kind>-<date>-<slug of name>.md`: sorted by kind, then day, in a file browser."""
    part = slug(name)
    stem = f"{kind}-{(today or date.today()).isoformat()}" + (f"-{part}" if part != kind else "")
    return folder / f"{stem}.md"


def write(export: Export, path: Path, force: bool = False) -> Path:
    """Write the export to `path` whole or not at all (temp file, then rename); an existing file
    is replaced only with `force`. Raises ExportError with a reason a person can act on."""
    if path.is_dir():
        raise ExportError(_("{path} is a folder: give a file name").format(path=path))
    if path.exists() and not force:
        raise ExportError(_("{path} exists: choose another name or overwrite it (--force)").format(path=path))
    try:
        atomic_write(path, export.markdown.encode("utf-8"))
    except OSError as error:
        raise ExportError(_("cannot write {path}: {reason}").format(path=path, reason=error.strerror or error)) from None
    return path
