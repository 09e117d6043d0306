"""Fuzz targets: one per entry point that takes outside bytes or text, each asserting the entry
point's contract, not only that nothing was raised.

A target takes bytes and returns nothing; a broken contract is an AssertionError, and any
exception other than the entry point's own refusal (UndecodableError, FormatError, ManifestError,
QueryError) is a crash. The same functions run under atheris (`make fuzz`, tests/fuzz/run.py)
and replay the saved crashes and seeds in tests/test_fuzz.py, so a crash found once is a
regression test for good.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

LONG_MESSAGE = 300  # characters: a refusal is a sentence, never a dump of the input


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def _one_line(error: Exception) -> None:
    message = str(error)
    assert message and "\n" not in message and len(message) < LONG_MESSAGE, repr(message)


def _clean(text: str) -> None:
    """Text as the pipeline promises it: no control, bidi or zero-width character (tab and line
    break aside), no form feed inside a sheet."""
    from store.ingest.read import _INVISIBLE

    found = _INVISIBLE.search(text)
    assert found is None, f"control character {found.group()!r} at {found.start()}"


# ---- reading ----------------------------------------------------------------------------------


def decode(data: bytes) -> None:
    """A page's bytes are clean text, or refused in a few words. Text decoded from UTF-8 decodes
    to itself again: what was removed once is not there to remove twice."""
    from store.ingest.read import PAGE_BREAK, UndecodableError, decode

    try:
        decoded = decode(data)
    except UndecodableError as error:
        _one_line(error)
        return
    for sheet in decoded.sheets:
        assert sheet.strip(), "an empty sheet"
        _clean(sheet)
    again = decode(decoded.text.encode("utf-8"))
    assert again.text == decoded.text and again.removed == (), (again.text, decoded.text)
    assert PAGE_BREAK not in "".join(decoded.sheets)


def _format(read: Callable[[bytes], list[Any]], data: bytes) -> None:
    from store.ingest.formats import FormatError

    try:
        sheets = read(data)
    except FormatError as error:
        _one_line(error)
        return
    for sheet in sheets:
        _clean(sheet.text)


def html(data: bytes) -> None:
    """A saved web page is its article's clean text, or a FormatError of one line."""
    from store.ingest.formats.html import read_html

    _format(read_html, data)


def docx(data: bytes) -> None:
    """A Word file is clean text, or a FormatError of one line. Bytes that open as a zip are the
    file; others are its document.xml, packed into a Word file around it: mutated zips rarely get
    past their checksums, so most of the fuzzing is of the XML that python-docx and we read."""
    from store.ingest.formats.docx import read_docx

    _format(read_docx, data if data.startswith(b"PK") else word_file_around(data))


def word_file_around(document: bytes) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as packed:
        for name, member in _blank_word_file().items():
            packed.writestr(name, document if name == "word/document.xml" else member)
    return out.getvalue()


@cache
def _blank_word_file() -> dict[str, bytes]:
    import zipfile

    import docx as python_docx

    out = io.BytesIO()
    python_docx.Document().save(out)
    with zipfile.ZipFile(out) as packed:
        return {name: packed.read(name) for name in packed.namelist()}


def pdf(data: bytes) -> None:
    """A PDF is clean text per printed page, or a FormatError of one line."""
    from store.ingest.formats.pdf import read_pdf

    _format(read_pdf, data)


def markdown_page(data: bytes) -> None:
    """A Markdown page is laid out as plain text: no character of its prose is lost (its
    markup may be)."""
    from store.ingest.formats.markdown import markdown_text
    from store.ingest.read import normalize_text

    text = normalize_text(_text(data))
    out = markdown_text(text)
    _clean(out)
    assert not Counter(c for c in out if c.isalnum()) - Counter(c for c in text if c.isalnum()), "characters made up"


# ---- laying out -------------------------------------------------------------------------------


def layout(data: bytes) -> None:
    """Reflow and segmentation lose no character of the page: every letter and digit of every
    line that is not page furniture (第7版, 责任编辑：…) is in exactly one article, as often as
    the page prints it."""
    from store.ingest.read import normalize_text
    from store.ingest.segment import _furniture, blocks_of, segment

    page = normalize_text(_text(data))
    drop = _furniture()
    lines = [line for line in page.split("\n") if line.strip() and not drop.match(line.strip())]
    printed = Counter(c for line in lines for c in line if c.isalnum())
    articles = segment(blocks_of(page), "p", "p.txt")
    kept: Counter[str] = Counter()
    for article in articles:
        for text in (article.text(), article.kicker, *article.bylines, *article.credits):
            kept.update(c for c in text if c.isalnum())
    assert printed == kept, f"lost {dict(printed - kept)}, made up {dict(kept - printed)}"
    assert len({a.id for a in articles}) == len(articles)


def names(data: bytes) -> None:
    """Every school name found is the text at its offsets (in simplified characters: a page in
    Traditional ones names the same school), in order, none overlapping."""
    from store.fold import simplify
    from store.ingest.names import find_places, find_schools
    from store.ingest.read import normalize_text

    text = normalize_text(_text(data))
    end = 0
    for mention in find_schools(text):
        assert end <= mention.start < mention.end <= len(text), mention
        assert simplify(text[mention.start : mention.end]) == mention.surface, mention
        assert mention.display and mention.key, mention
        end = mention.end
    for at, place in find_places(text):
        assert 0 <= at < len(text) and place.name, (at, place)


def extract(data: bytes) -> None:
    """Every fact extracted from a page is read from a sentence of the article it cites, and the
    sentence is in that article's text."""
    from store.ingest.extract import extract
    from store.ingest.read import normalize_text
    from store.ingest.segment import blocks_of, segment

    page = normalize_text(_text(data))
    articles, schools = extract(segment(blocks_of(page), "p", "p.txt"))
    texts = {a.id: a.text() for a in articles}
    for school in schools:
        assert school.name, school
        for evidence in _evidence(school):
            assert evidence.article in texts, evidence
            assert evidence.sentence in texts[evidence.article], evidence


def _evidence(school: Any) -> list[Any]:
    return [evidence for found in school.evidence.values() for evidence in found]


# ---- the manifest -----------------------------------------------------------------------------


def manifest(data: bytes) -> None:
    """A manifest is read, or refused with `file:line: reason` on one line."""
    from store.ingest.manifest import ManifestError, parse

    path = Path("corpus.yaml")
    try:
        pages = parse(_text(data), path)
    except ManifestError as error:
        _one_line(error)
        assert str(error).startswith(f"{path}:"), str(error)
        return
    for name, info in pages.items():
        assert isinstance(name, str) and name, name
        assert info.date is None or re.fullmatch(r"\d{4}(-\d\d){0,2}", info.date), info.date


# ---- exports ----------------------------------------------------------------------------------


def export(data: bytes) -> None:
    """Text from a page, escaped for an export, reads back as itself: Markdown inline and in a
    table cell (as CommonMark with GFM tables reads it), CSV (a formula-like start neutralised,
    as a spreadsheet needs), XLSX (as openpyxl reads it)."""
    from markdown_read import md, plain, table

    from store.export.markdown import cell, escape
    from store.export.tables import Table, csv_bytes, markdown_table, neutral, xlsx_bytes, xlsx_text
    from store.ingest.read import normalize_text

    text = normalize_text(_text(data))
    if text.strip(" \t\n") and text == text.strip("\n"):
        tokens = [t for t in md().parse(escape(text)) if t.type == "inline"]
        assert len(tokens) == 1 and plain(tokens[0].children) == text, escape(text)
        if "\n\n" not in text:
            assert table(f"| a | b |\n|---|---|\n| {cell(text)} | x |\n") == (["a", "b"], [[text, "x"]])
            assert table(markdown_table(Table("t", ("名称", text), ((text, "x"),)))) == (["名称", text], [[text, "x"]])
    sheet = Table(text, ("名称", text), ((text, 1),))
    rows = list(csv.reader(io.StringIO(csv_bytes(sheet).decode("utf-8-sig"), newline="")))
    assert rows == [["名称", neutral(text)], [neutral(text), "1"]], rows
    if "x005F_" in text:  # openpyxl reads every x005F_ as nothing (Excel does not): not checkable through it
        return
    cells = [["" if c.value is None else c.value for c in row] for row in _workbook(xlsx_bytes(sheet)).active.iter_rows()]
    assert cells == [["名称", xlsx_text(text)], [xlsx_text(text), 1]], cells


def _workbook(data: bytes) -> Any:
    import openpyxl

    return openpyxl.load_workbook(io.BytesIO(data))


# ---- queries ----------------------------------------------------------------------------------

# Pieces a structured query is made of: operators in their ASCII and input-method forms, fields,
# regular expression syntax, and (added at setup) words and characters from the store's text.
PIECES = (
    " ", " ", "|", "｜", "-", "!", "！", "(", ")", "（", "）", '"', "“", "”", "「", "」", "NEAR/0 ", " NEAR/4 ",
    "*", "?", "/", "\\", ".", "+", "{2}", "{0,3}", "[", "]", "^", "$", "\\d", "\\s", "|", "\n", "\u3000",
    "in:title ", "in:body ", "in:captions ", "in:headings ", "word:", "district:", "district:=", "school:", "type:",
    "type:小学 ", "batch:", "batch:1 ", "batch:any ", "brand:", "brand:=", "model:", "file:", "file:001 ",
    "date:", "date:2024", "date:none ", "..", "：", "=", "學", "黨", "Ａ", "a", "1", "",
)


@cache
def _query_store() -> Any:
    """The bundled corpus, built once per process into a private folder."""
    import os
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="baixiao-fuzz-"))
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        os.environ[name] = str(folder / name.lower())
    from store import Store
    from store.ingest.build import build
    from store.paths import bundled_corpus

    build(bundled_corpus(), folder / "store.json", jobs=1)
    return Store.open(folder / "store.json").load()


@cache
def _words() -> tuple[str, ...]:
    """Words and single characters of the store's text: terms that hit."""
    store = _query_store()
    words: set[str] = set()
    for article in store.articles()[:6]:
        text = article.text()
        words.update(text[i : i + n] for i in range(0, len(text), 97) for n in (1, 2, 4) if text[i : i + n].strip())
    return tuple(sorted(words))


def query_of(data: bytes) -> str:
    """A query from fuzz bytes: even first byte, the bytes as text (what the parser must refuse
    gracefully); odd, a sequence of pieces each byte picks (what the evaluator must get right)."""
    if not data or data[0] % 2 == 0:
        return _text(data[1:])
    pieces = PIECES + _words()
    return "".join(pieces[b % len(pieces)] for b in data[1:64])


def query(data: bytes) -> None:
    """A query is an exact search or a query error with its position: the articles found are
    the ones a brute-force scan of the text finds (where the query holds only what the scan
    models: terms, phrases, wildcards, regular expressions, fields, in:, NOT, AND, OR, NEAR
    between terms)."""
    from store.search.query import QueryError, parse

    store = _query_store()
    text = query_of(data)
    try:
        node = parse(text)
        results = store.search(text, limit=None)
    except QueryError as error:
        _one_line(error)
        assert 0 <= error.position <= len(text), (error.position, text)
        return
    found = {hit.article for hit in results.hits}
    assert results.total == len(found) == len(results.hits)
    expected = _oracle().matches(node)
    if expected is not None:
        assert found == expected, (text, sorted(found ^ expected))


@cache
def _oracle() -> Oracle:
    return Oracle(_query_store())


class Oracle:
    """The articles a query finds, worked out by scanning each article's text with Python's own
    string and regular expression search: no index, no postings, no numpy. A field's own list
    (district:, school: …) is the engine's, checked against the records in test_search and
    test_school_filter; here the question is how it combines. None where the scan does not model
    the query (word:, NEAR around more than a term)."""

    def __init__(self, store: Any) -> None:
        from store.normalize import normalize
        from store.search.searchable import parts_of

        self.store = store
        self.ix = store.index
        self.parts = [tuple(normalize(p) for p in parts_of(a)) for a in store.articles()]
        self.every = set(range(len(self.parts)))

    def matches(self, node: Any) -> set[str] | None:
        try:
            docs = self._docs(node, (0, 1, 2, 3))
        except TimeoutError:  # a pattern that backtracks: the engine's own limits are tested elsewhere
            return None
        if docs is None:
            return None
        first: dict[int, int] = {}
        for doc in sorted(docs):
            first.setdefault(int(self.ix.story[doc]), doc)
        return {self.ix.ids[doc] for doc in first.values()}

    def _docs(self, node: Any, scope: tuple[int, ...]) -> set[int] | None:
        from store.layout import PARTS
        from store.search import evaluate
        from store.search.query import And, Field, Near, Not, Or, Phrase, Regex, Term

        match node:
            case Term(_, True):
                return None
            case Term() | Phrase() | Regex():
                return {doc for doc, _part, _span in self._spans(node, scope)}
            case Field("in"):
                return set(self.every)
            case Field():
                return set(map(int, evaluate._field(self.ix, node, self.store.dates()).nonzero()[0]))
            case Not(inner):
                docs = self._docs(inner, scope)
                return None if docs is None else self.every - docs
            case And(nodes):
                scoped = tuple(PARTS.index(n.value) for n in nodes if isinstance(n, Field) and n.name == "in") or scope
                sets = [self._docs(n, scoped) for n in nodes]
                return None if None in sets else set.intersection(*sets)  # type: ignore[arg-type]
            case Or(nodes):
                sets = [self._docs(n, scope) for n in nodes]
                return None if None in sets else set.union(*sets)  # type: ignore[arg-type]
            case Near(left, right, distance):
                if not all(isinstance(side, Term | Phrase | Regex) and not getattr(side, "whole_words", False)
                           for side in (left, right)):
                    return None
                rights: dict[tuple[int, int], list[tuple[int, int]]] = {}
                for doc, part, span in self._spans(right, scope):
                    rights.setdefault((doc, part), []).append(span)
                return {doc for doc, part, (a, b) in self._spans(left, scope)
                        if any(c <= b + distance and d >= a - distance for c, d in rights.get((doc, part), ()))}
        raise TypeError(node)

    def _spans(self, node: Any, scope: tuple[int, ...]) -> list[tuple[int, int, tuple[int, int]]]:
        """(article, part, (start, end)) of each non-empty occurrence: a regular expression's and a
        wildcard's as Python finds them one after another, a term's and a phrase's at every start
        (overlapping ones too: NEAR counts each)."""
        import regex

        from store.normalize import normalize
        from store.search.query import Phrase, Regex, Term

        every_start = False
        if isinstance(node, Regex):
            pattern = regex.compile(node.pattern, regex.MULTILINE)
        elif isinstance(node, Term) and node.wildcard:
            text = normalize(node.text)
            pattern = regex.compile("".join("." if c == "?" else "[^\n]*?" if c == "*" else regex.escape(c) for c in text))
        else:
            words = normalize(node.text).split() if isinstance(node, Phrase) else [normalize(node.text)]
            pattern = re.compile("(?=(" + _GAP.join(map(re.escape, words)) + "))")
            every_start = True
        found = []
        for doc, parts in enumerate(self.parts):
            for part in scope:
                for m in pattern.finditer(parts[part], **({} if every_start else {"timeout": ORACLE_SECONDS})):
                    start, end = m.span(1) if every_start else m.span()
                    if end > start:
                        found.append((doc, part, (start, end)))
        return found


ORACLE_SECONDS = 2.0
_GAP = "[" + "".join(re.escape(chr(c)) for c in range(0x3001) if chr(c).isspace() and c != 10) + "]*"


TARGETS: dict[str, Callable[[bytes], None]] = {
    "decode": decode,
    "layout": layout,
    "names": names,
    "extract": extract,
    "manifest": manifest,
    "query": query,
    "export": export,
    "html": html,
    "docx": docx,
    "pdf": pdf,
    "markdown": markdown_page,
}
