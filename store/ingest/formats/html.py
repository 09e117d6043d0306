"""Saved web pages (.html/.htm): the article's own text, without the site around it.

A saved page is mostly furniture: navigation, breadcrumbs, sidebars of links, footers, scripts
and styles. trafilatura finds the article among them; its XML output keeps the structure we need
(paragraphs, headings, list items, table rows), which is laid out here as a `.txt` page is: the
title on the first line, then blocks apart by blank lines, a heading on a line of its own.

The page's title, date and source come from its meta tags (og:title, PubDate, source…) or from
the line under its headline (发布时间：2024-07-30 来源：中山日报), which store.ingest.pagemeta reads;
that line never stays in the text. The bytes are decoded here rather than by lxml, because pages
lie about their encoding (gb2312 pages hold GBK characters) and mojibake must be refused, as
store.ingest.read refuses it for text pages.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Iterator
from copy import deepcopy

import trafilatura
from lxml import etree  # type: ignore[import-untyped]
from lxml.html import HtmlElement, HTMLParser, document_fromstring  # type: ignore[import-untyped]
from trafilatura.settings import Document

from store.ingest import pagemeta
from store.ingest.formats import FormatError, Sheet
from store.ingest.pagemeta import PageMeta
from store.ingest.read import PLAUSIBLE, normalize_text, plausibility

MAX_BYTES = 5_000_000  # a news page is well under 1 MB; trafilatura's time grows faster than a page's size (7 s at 5 MB)

# Meta tags by name or property, lower-cased, best first. ArticleTitle, PubDate and ContentSource
# are the fields China's government sites are required to carry.
TITLE_METAS = ("og:title", "articletitle")
DATE_METAS = ("article:published_time", "pubdate", "publishdate")
SOURCE_METAS = ("source", "contentsource")
HEADLINE_WITHIN = 5  # blocks: what trafilatura keeps above the headline is the page's, not the article's
ABOVE_ARTICLE = 3  # lines above the article's first, where a page without a title match prints its date

# Site footers trafilatura may keep: elements named so (short: a whole page is never a footer),
# and lines of a copyright, a licence (ICP备, 公网安备) or a web designer's credit.
FOOTERS = (
    "//*[(contains(@id, 'foot') or contains(@class, 'foot') or contains(@id, 'copyright') or contains(@class, 'copyright')"
    " or contains(@id, 'bottom') or contains(@class, 'bottom')) and string-length(normalize-space(.)) < 500]"
)
_FOOTER_LINE = re.compile(r"版权所有|ICP备|ICP证|公网安备|技术支持[:：]|Copyright|©|All Rights Reserved", re.IGNORECASE)

# What stands between a <title>'s article title and its site's name: 标题_栏目_学校, 中山日报-标题.
# A hyphen between digits is part of the title (2024-2025学年), as is a dash without spaces (——).
_TITLE_SEPARATOR = re.compile(r"\s*[_|｜]\s*|\s+[-–—－]\s+|(?<!\d)-(?!\d)")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)""", re.IGNORECASE)
_HTML_TAG = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|title|meta|div|p|table|article|h[1-6])\b", re.IGNORECASE)

# libxml2 cuts a page short at a text or attribute over 10 MB (a photo saved into the page as a
# data: URI, a script's data) unless told to take huge trees; pages are capped at MAX_BYTES.
_PARSER = HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True, default_doctype=False, collect_ids=False)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")  # lxml refuses a str that declares an encoding

# Elements whose text is never the page's, and those that start a line of it.
_HIDDEN = {"head", "script", "style", "noscript", "template", "select", "textarea", "svg"}
_LINE_TAGS = {
    "address", "article", "blockquote", "br", "dd", "div", "dl", "dt", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "section", "table", "td", "th", "tr", "ul",
}  # fmt: skip
# trafilatura's XML: elements holding blocks rather than text.
_BLOCK_TAGS = {"p", "head", "list", "item", "quote", "table", "code"}


def read_html(data: bytes) -> list[Sheet]:
    """A saved web page's article as one sheet: its title first, its date line left out."""
    try:
        tree = document_fromstring(_XML_DECLARATION.sub("", _decoded(data), count=1), parser=_PARSER)
    except etree.ParserError as err:  # lxml's for a document of nothing but whitespace and comments
        raise FormatError("no main text found") from err
    metas = _metas(tree)
    title = _title(tree, metas)
    found = trafilatura.bare_extraction(
        tree, favor_precision=True, include_comments=False, include_tables=True, with_metadata=False, prune_xpath=FOOTERS
    )
    body = found.body if isinstance(found, Document) else None
    blocks = [b for b in _blocks(body) if not _FOOTER_LINE.search(b)] if body is not None else []
    if title in blocks[:HEADLINE_WITHIN]:  # the headline, printed in the article or in a table above it
        del blocks[: blocks.index(title) + 1]
    if not blocks:
        raise FormatError("no main text found")
    # trafilatura keeps the date line when it stands in the article: pagemeta takes it out.
    inline, text = pagemeta.parse("\n\n".join([title, *blocks] if title else blocks))
    above = _dateline(tree, title, blocks[0])
    meta = PageMeta(
        title or inline.title or above.title,
        _date(_first(metas, DATE_METAS)) or inline.date or above.date,
        _first(metas, SOURCE_METAS) or inline.publication or above.publication,
    )
    return [Sheet(text.strip("\n"), meta)]


def _decoded(data: bytes) -> str:
    """The page as text, refused when too large, empty or not HTML at all (a PDF, an image)."""
    if len(data) > MAX_BYTES:
        raise FormatError("too large")
    if not data.strip():
        raise FormatError("empty file")
    text = _text(data)
    if not _HTML_TAG.search(text):
        raise FormatError("not an HTML page")
    return normalize_text(text)  # control characters out first: lxml refuses to hold them


def _text(data: bytes) -> str:
    """Decoded by its BOM, else by its declared charset if that reads as real text, else as UTF-8,
    else as GB18030 or Big5 if that reads as real Chinese; else refused."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            if (text := _strict(data, codec)) is None:
                raise FormatError(f"not {codec} despite its byte order mark")
            return text
    if data.lstrip().startswith(b"%PDF") or b"\x00" in data:
        raise FormatError("not an HTML page")
    declared = _declared(data)
    if declared and (text := _strict(data, declared)) is not None and plausibility(text) >= PLAUSIBLE:
        return text
    if (text := _strict(data, "utf-8")) is not None:
        return text
    for codec in ("gb18030", "cp950"):
        if (text := _strict(data, codec)) is not None and plausibility(text) >= PLAUSIBLE:
            return text
    raise FormatError("not decodable as its charset, UTF-8, GB18030 or Big5")


def _declared(data: bytes) -> str | None:
    """The codec for the charset the page names (<meta charset> or http-equiv) at its top.
    GB2312 and GBK pages are read as GB18030, their superset, and Big5 as Microsoft's cp950."""
    m = _CHARSET.search(data[:8192])
    if not m:
        return None
    try:
        name = codecs.lookup(m[1].decode("ascii", "replace")).name
    except LookupError:
        return None
    return {"gb2312": "gb18030", "gbk": "gb18030", "big5": "cp950", "big5hkscs": "cp950"}.get(name, name)


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _blocks(element: etree._Element) -> Iterator[str]:
    """The text blocks of trafilatura's XML in order: paragraphs, headings, list items, table rows
    (cells apart by a space). A line break starts a block: web text is never wrapped to a column.
    A layout table's cells hold paragraphs of their own, and are read as any other container."""
    for child in element:
        holds_blocks = any(descendant.tag in _BLOCK_TAGS for descendant in child.iterdescendants())
        if child.tag == "table" and not holds_blocks:
            for row in child.iter("row"):
                if line := " ".join(filter(None, (_flat(" ".join(cell.itertext())) for cell in row))):
                    yield line
        elif holds_blocks or child.tag in ("table", "row", "cell"):
            yield from filter(None, [_flat(child.text or "")])
            yield from _blocks(child)
        else:
            for br in child.iter("lb"):
                br.tail = "\n" + (br.tail or "")
            yield from filter(None, map(_flat, "".join(child.itertext()).split("\n")))
        yield from filter(None, [_flat(child.tail or "")])


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", normalize_text(text)).strip()


def _metas(tree: HtmlElement) -> dict[str, str]:
    """The page's meta tags, name or property lower-cased to content; the first of a name wins."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").strip().lower()
        content = _flat(meta.get("content") or "")
        if key and content:
            found.setdefault(key, content)
    return found


def _first(metas: dict[str, str], names: tuple[str, ...]) -> str | None:
    return next((metas[n] for n in names if n in metas), None)


def _date(value: str | None) -> str | None:
    """2024-07-30T08:00:00+08:00, 2024/7/30 10:12, 2024年7月30日 → 2024-07-30."""
    m = _DATE.match(value) if value else None
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def _title(tree: HtmlElement, metas: dict[str, str]) -> str:
    """og:title or ArticleTitle, else <title>; of either, the part before or after a site's name
    that the page's h1 prints, else a meta tag whole or <title>'s longest part (a site's name is
    shorter than its articles' titles); with neither, the page's one h1."""
    meta = _first(metas, TITLE_METAS)
    element = tree.find(".//title")
    raw = meta or (_flat(element.text_content()) if element is not None else "")
    parts = [p for p in _TITLE_SEPARATOR.split(raw) if p]
    headlines = [_flat(h.text_content()) for h in tree.iter("h1")]
    printed = next((p for p in parts if p in headlines), None)
    if printed or meta:
        return printed or raw
    if parts:
        return max(parts, key=len)
    return headlines[0] if len(headlines) == 1 else ""


def _dateline(tree: HtmlElement, title: str, opening: str) -> PageMeta:
    """What the line under the headline says (发布时间：… 来源：…) when it stands outside the
    article: the page's lines from its title (or from just above the article) read as pagemeta
    reads a page's top."""
    lines = _lines(tree)
    start = next((i for i, line in enumerate(lines) if line == title), None)
    if start is None:
        opens = next((i for i, line in enumerate(lines) if line.startswith(opening[:20])), len(lines))
        start = max(opens - ABOVE_ARTICLE, 0)
    return pagemeta.parse("\n".join(lines[start:]))[0]


def _lines(tree: HtmlElement) -> list[str]:
    """The page's visible text, a line for each block element, scripts and styles left out."""
    page = deepcopy(tree)
    etree.strip_elements(page, etree.Comment, etree.ProcessingInstruction, *_HIDDEN, with_tail=False)
    for element in page.iter(*_LINE_TAGS):
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    return [line for line in map(_flat, "".join(page.itertext()).split("\n")) if line]
