"""Citations: where a quote was printed, written as a report cites a newspaper.

    ——《重庆日报》2024年9月6日 第7版《北碚：…》，第1段（001_6aa7….txt）
    — 重庆日报, 6 September 2024, p. 7, “北碚：…”, para. 1 (001_6aa7….txt)

The first is the Chinese style, after GB/T 7714's newspaper entries (publication, date, page,
title); the second the English one. What is known of a page comes from, first to last: what the
user set (page details), the manifest, what the page prints at its top. What is not known is left
out and said (报刊、日期不详), so a report writer sees what to fill in; the corpus file and place in
the article always close the citation, so every quote can be found again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from store.db import Store
from store.layout import Span, sentence_at
from store.records import Article
from store.userdata.details import Details, PageDetails

STYLES = ("zh", "en")
_PERIODICAL_ENDINGS = ("报", "報", "刊", "志", "誌", "鉴", "鑑")  # 日报, 周刊, 杂志, 年鉴
_PLAIN_EDITION = re.compile(r"[A-Za-z]?\d{1,3}")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


@dataclass(frozen=True)
class Source:
    """What a citation says of an article's page."""

    publication: str | None
    date: str | None  # ISO, whole or a month or a year
    edition: str | None
    title: str | None
    file: str
    piece: str | None = None  # what names an article printed without a headline: its subject



def source_of(article: Article, printed: PageDetails, user: PageDetails) -> Source:
    """The user's details over the page's (manifest, then printed); the article's own headline
    is its title, else the page's, and then the article is named by its subject (a page of school
    profiles under one headline numbers each profile's paragraphs from 1, so 第1段 alone would
    point at several)."""
    known = user.over(printed)
    piece = None if article.title else article.subject or None
    return Source(known.publication, known.date, known.edition, article.title or known.title, article.file, piece)


def where(part: str, paragraph: int, style: str) -> str:
    """A place in an article: its body's paragraphs (sidebars' after them) count from 1, as a reader
    counts them; a heading or caption by its number."""
    n = paragraph + 1
    if style == "zh":
        return {"title": "标题", "headings": f"小标题{n}", "captions": f"图片说明{n}"}.get(part, f"第{n}段")
    return {"title": "title", "headings": f"heading {n}", "captions": f"caption {n}"}.get(part, f"para. {n}")


def cite(source: Source, place: str | None, style: str) -> str:
    """The citation of a quote at `place` (from `where`), or of the whole article (None)."""
    unknown = [x for x, known in (("publication", source.publication), ("date", source.date)) if not known]
    if style == "zh":
        head = _head_zh(source)
        title = f"《{_inner(source.title)}》" if source.title else ""
        said = {("publication",): "报刊不详", ("date",): "日期不详", ("publication", "date"): "报刊、日期不详"}
        note = "；" + said[tuple(unknown)] if unknown else ""
        located = " ".join(p for p in (source.piece, place) if p)
        said_where = ("，" if head or title else "") + located if located else ""
        return f"——{head}{title}{said_where}（{source.file}{note}）"
    title_en = _nested(source.title) if source.title else None
    located = " ".join(p for p in (source.piece, place) if p)
    parts = [source.publication, _date_en(source.date), _edition_en(source.edition),
             f"“{title_en}”" if title_en else None, located]
    note = "; " + " and ".join(unknown) + " unknown" if unknown else ""
    return " ".join(p for p in ("—", ", ".join(p for p in parts if p), f"({source.file}{note})") if p)


def _head_zh(source: Source) -> str:
    """Publication, date and page as a Chinese citation opens: 《重庆日报》2024年9月6日 第7版. A
    newspaper or journal is set in 《》; a web page's source that is an office (来源：温州市教育局)
    is not, since 《》 marks a published work."""
    head, pub = "", source.publication
    if pub:
        head = f"《{_inner(pub)}》" if pub.endswith(_PERIODICAL_ENDINGS) else pub
    for part in (_date_zh(source.date), _edition_zh(source.edition) if source.edition else ""):
        if part:
            head += (" " if head and not head.endswith("》") else "") + part
    return head


def _inner(title: str) -> str:
    """A title inside 《》 has its own 《》 as 〈〉, as Chinese nests them (English nests “ in ‘)."""
    return title.replace("《", "〈").replace("》", "〉")


def _nested(text: str) -> str:
    """Quotation marks inside a quote as ‘’, as both languages nest them."""
    return text.replace("“", "‘").replace("”", "’")


def _date_zh(date: str | None) -> str:
    if not date:
        return ""
    parts = [int(p) for p in date.split("-")]
    return "".join(f"{n}{unit}" for n, unit in zip(parts, "年月日", strict=False))


def _date_en(date: str | None) -> str | None:
    if not date:
        return None
    parts = [int(p) for p in date.split("-")]
    month = f"{_MONTHS[parts[1] - 1]} " if len(parts) > 1 else ""
    day = f"{parts[2]} " if len(parts) > 2 else ""
    return f"{day}{month}{parts[0]}"


def _edition_zh(edition: str) -> str:
    return f"第{edition}版" if _PLAIN_EDITION.fullmatch(edition) else edition


def _edition_en(edition: str | None) -> str | None:
    if not edition:
        return None
    plain = edition.removeprefix("第").removesuffix("版")
    return f"p. {plain}" if _PLAIN_EDITION.fullmatch(plain) else edition


class Citations:
    """Citations for the articles of one store, in one style, with the user's page details as
    they are now (a detail set in the app is in the next citation)."""

    def __init__(self, store: Store, details: Details | None = None, style: str = "zh") -> None:
        self.store = store
        self.details = details
        self.style = style

    def source(self, article: Article) -> Source:
        user = self.details.of(article.file) if self.details else PageDetails()
        return source_of(article, self.store.printed(article.page), user)

    def of(self, article: Article, part: str | None = "body", paragraph: int = 0) -> str:
        """The citation of a quote from `article` (its `part` and line there), or of the whole
        article when `part` is None."""
        place = where(part, paragraph, self.style) if part else None
        return cite(self.source(article), place, self.style)

    def listed(self, article: Article) -> str:
        """The whole article's citation as a table's cell lists it: without the dash that sets a
        citation off after a quote."""
        return self.of(article, None).removeprefix("——").removeprefix("— ")

    def quoted(self, article: Article, span: Span) -> tuple[str, str]:
        """The sentence a span stands in, quoted and cited as a report pastes it
        (“……”——《…》…), and the citation alone."""
        whole, sentence = sentence_at(article, span)
        citation = self.of(article, whole.part, whole.paragraph)
        closed = "”" if self.style == "zh" else "” "
        return f"“{_nested(sentence)}{closed}{citation}", citation
