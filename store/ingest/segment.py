"""Segment: split a page's blocks into articles, and give each its furniture.

A newspaper page is several articles in columns. Headlines may sit above their body or be
printed after it; captions sit in the text or gather at the foot of the page; bylines close
an article; a short label after a byline opens a sidebar. The rules work on layout signals
and on what a headline *names*: a headline naming a school belongs to the article about it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from store.fold import simplify
from store.ingest.names import Mention, find_places, find_schools, place_from_label
from store.ingest.pagememo import per_page
from store.ingest.reflow import Block, ends_sentence, is_headingish, is_prose, reflow
from store.lexicon import Lexicon, Place, load
from store.namekey import same_school
from store.records import Article, Region, Sidebar
from store.sentences import SENTENCE_END, sentences, sentences_whole

# A sentence ends at 。！？; after a closing quote only where no attribution follows:
# “…。”他说 is one sentence, “…。”“…。” two.
# A sentence ends at 。！？ (a closing quote stays with it), or at an ASCII full stop after a
# Chinese character, as web pages typed on an English keyboard end them (授牌.会上).


@dataclass(frozen=True)
class Subject:
    """What an article is about: a school (by its key) or a place."""

    name: str
    kind: str  # "school" | "region"
    key: str
    region: Region | None = None
    strong_region: bool = False

    @classmethod
    def of(cls, mention: Mention) -> Subject:
        return cls(mention.display, "school", mention.key, mention.region, mention.strong_region)

    @classmethod
    def of_place(cls, place: Place) -> Subject:
        return cls(place.name, "region", place.name, place.region, strong_region=True)


@dataclass
class _Draft:
    """An article while it is being assembled; frozen into an `Article` at the end."""

    kicker: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    name_line: str = ""
    subject: Subject | None = None
    headings: list[tuple[int, str]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    bylines: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    sidebars: list[Sidebar] = field(default_factory=list)
    closed: bool = False

    @property
    def has_headline(self) -> bool:
        return bool(self.titles or self.name_line)


@dataclass(frozen=True)
class _Patterns:
    credit: re.Pattern[str]
    byline: re.Pattern[str]
    markers: tuple[str, ...]


KICKER_MAX = 60  # characters: a longer line after a dash is prose (a web reprint's one-line page)


@cache
def _patterns() -> _Patterns:
    lex = load()
    return _Patterns(
        credit=re.compile(lex["credit_pattern"]),
        byline=re.compile(lex["byline_pattern"]),
        markers=tuple(lex["byline_markers"]),
    )


@cache
def _furniture() -> re.Pattern[str]:
    return re.compile(load()["furniture_pattern"])


def blocks_of(page: str) -> list[Block]:
    """A page's blocks, its furniture (第7版, 责任编辑：…) left out."""
    return [part for block in reflow(page, drop=_furniture()) for part in _byline_apart(block)]


def _byline_apart(block: Block) -> tuple[Block, ...]:
    """A byline that a double-spaced page ran into the paragraph before it (…接班人。本版稿件由…
    采写) is a block of its own: else the whole paragraph read as a byline, and its prose was
    neither searched nor read for facts."""
    m = _patterns().byline.search(simplify(block.text))
    if m is None or m.start() == 0 or not ends_sentence(block.text[: m.start()]):
        return (block,)
    return replace(block, text=block.text[: m.start()], gap_after=0), replace(block, text=block.text[m.start() :], gap_before=0)


# ---- block kinds -------------------------------------------------------------------------


@per_page
def split_credit(text: str) -> tuple[str, str]:
    """'何霜 姚兰 图片由梁平区委提供' → ('何霜 姚兰', '图片由梁平区委提供')."""
    m = _patterns().credit.search(simplify(text))
    if not m:
        return text, ""
    credit = text[m.start() : m.end()].strip("（）() ")  # as printed: the match is on the simplified text
    return (text[: m.start()] + text[m.end() :]).strip(), credit


def is_byline(text: str) -> bool:
    pats = _patterns()
    rest, _ = split_credit(simplify(text))
    if not rest:
        return False
    if rest.startswith(pats.markers) or pats.byline.search(rest):
        return True
    names = rest.split()
    return 2 <= len(names) <= 8 and all(re.fullmatch(r"[\u4e00-\u9fff]{2,3}", n) for n in names)


def is_credit(text: str) -> bool:
    rest, credit = split_credit(text)
    return bool(credit) and not rest


def name_of_line(text: str, lex: Lexicon) -> Subject | None:
    """A line that is nothing but a school or place name (a headline's label)."""
    text = text.strip()
    if not text or len(text) > 30:
        return None
    for m in find_schools(text, lex):
        if m.start == 0 and m.end == len(text) and not m.quoted:
            return Subject.of(m)
    place = place_from_label(text, lex)
    if place:
        return Subject.of_place(place)
    return None


def label_of_title(text: str, lex: Lexicon) -> Subject | None:
    """'河北省廊坊市： 坚持党建领航…' or '梁平 激活全区能量…': a name opening a headline."""
    parts = re.split(r"[：:]|\s+", text.strip(), maxsplit=1)
    return name_of_line(parts[0], lex) if len(parts) == 2 else None


# ---- subjects ------------------------------------------------------------------------------


def _school_mentions(text: str, lex: Lexicon) -> list[Mention]:
    return [m for m in find_schools(text, lex) if not m.quoted and not m.weak]


def _opening_school(paragraph: str, lex: Lexicon) -> Mention | None:
    """The school a paragraph introduces in its first two sentences, if any: one school, not a
    list of them (瀛山小学、营盘山中学…入选 opens a district's news)."""
    head = "".join(sentences(paragraph)[:2])
    mentions = _school_mentions(head, lex)
    return mentions[0] if len({m.key for m in mentions}) == 1 else None


def _content_subject(draft: _Draft, lex: Lexicon) -> Subject | None:
    text = "\n".join(draft.paragraphs)
    if draft.paragraphs:
        first = _opening_school(draft.paragraphs[0], lex)
        if first:
            return Subject.of(first)
    mentions = _school_mentions(text, lex)
    counts = Counter(m.key for m in mentions)
    if counts:
        key, n = counts.most_common(1)[0]
        if n >= 2 and n * 2 >= sum(counts.values()):
            return Subject.of(next(m for m in mentions if m.key == key))
    return _place_subject(text, lex)


def _place_subject(text: str, lex: Lexicon) -> Subject | None:
    places = [p for _, p in find_places(text, lex)]
    for level in ("district", "city", "province"):
        counts = Counter(p.name for p in places if p.level == level)
        if counts:
            name = counts.most_common(1)[0][0]
            place = lex.places[name]
            return Subject.of_place(place)
    return None


# ---- assembly ------------------------------------------------------------------------------


def _classify(blocks: list[Block], lex: Lexicon) -> list[tuple[str, Block]]:
    last_body = max((i for i, b in enumerate(blocks) if is_prose(b.text) and ends_sentence(b.text)), default=-1)
    out: list[tuple[str, Block]] = []
    for i, b in enumerate(blocks):
        text = b.text
        if _furniture().match(simplify(text)):
            kind = "furniture"
        elif text.startswith(("——", "—", "--")) and len(text) <= KICKER_MAX:
            kind = "kicker"
        elif b.interrupted:
            kind = "caption"
        elif is_credit(text):
            kind = "credit"
        elif is_byline(text):
            kind = "byline"
        elif name_of_line(text, lex):
            kind = "name"
        elif simplify(text) in lex["sidebar_labels"] or (
            len(text) <= 6 and is_headingish(text) and out and out[-1][0] in ("byline", "credit")
        ):
            kind = "sidebar"
        elif i > 0 and _framed_like_caption(b):
            kind = "caption"
        elif _TABLE_ROW.match(text):
            kind = "body"  # 1　成都市　怡心湖小学　“怡心向党”: a row of a list, read as text
        elif is_headingish(text) or (_labelled(text) and not ends_sentence(text)):
            kind = "trailing" if i > last_body else "heading"
        else:
            kind = "body"
        out.append((kind, b))
    return out


# A numbered row of a table printed as text: its number, then two or more cells.
_TABLE_ROW = re.compile(r"^\d{1,3}[\s　]+\S+(?:[\s　]+\S+){1,}$")


def _framed_like_caption(block: Block) -> bool:
    """One short sentence set apart by wide blank gaps: a photo caption."""
    one_sentence = len(sentences(block.text)) <= 1
    return len(block.text) <= 50 and one_sentence and (block.gap_before >= 2 or block.gap_after >= 2)


def _labelled(text: str) -> bool:
    return len(text) <= 60 and bool(re.match(r"^[^，。]{2,12}[：:]", text))


def _attach_credit(draft: _Draft, text: str) -> str:
    rest, credit = split_credit(text)
    if credit:
        draft.credits.append(credit)
    return rest


class _Assembler:
    """Walks classified blocks once, keeping the article being written and any open sidebar."""

    def __init__(self, kinds: list[tuple[str, Block]], lex: Lexicon) -> None:
        self.kinds = kinds
        self.lex = lex
        self.drafts: list[_Draft] = []
        self.current: _Draft | None = None
        self.sidebar: tuple[_Draft, str, list[str]] | None = None
        self.captions: list[tuple[_Draft | None, str]] = []

    def run(self) -> list[_Draft]:
        i = 0
        while i < len(self.kinds):
            kind, block = self.kinds[i]
            if kind in ("kicker", "name") or (kind == "heading" and (self._between_articles() or self._over_subtitle(i))):
                i = self._headline(i)
                continue
            handler = {
                "furniture": lambda kind, text: None,
                "byline": self._byline,
                "credit": self._byline,
                "sidebar": self._sidebar,
                "caption": self._caption,
                "trailing": self._caption,
                "heading": self._heading,
                "body": self._body,
            }[kind]
            handler(kind, block.text)
            i += 1
        self._close_sidebar()
        drafts = _fold_bodiless(_merge_orphan_headlines(self.drafts, self.lex))
        _place_captions(self.captions, drafts, self.lex)  # to articles that are kept: a caption is never lost
        return drafts

    def _over_subtitle(self, i: int) -> bool:
        """A line over a ——subtitle is a headline, not a section heading of the text above."""
        return i + 1 < len(self.kinds) and self.kinds[i + 1][0] == "kicker"

    def _between_articles(self) -> bool:
        return self.current is None or self.current.closed or not any(d.paragraphs for d in self.drafts)

    def _start(self) -> _Draft:
        self._close_sidebar()
        self.current = _Draft()
        self.drafts.append(self.current)
        return self.current

    def _close_sidebar(self) -> None:
        if self.sidebar:
            owner, title, paragraphs = self.sidebar
            owner.sidebars.append(Sidebar(title, tuple(paragraphs)))
            self.sidebar = None

    def _headline(self, i: int) -> int:
        """A headline group: kicker lines, name lines (a district banner, the school) and titles,
        in whatever order the page prints them. Two titles after the school's name end it."""
        kinds, group = self.kinds, _Draft()
        names: list[Subject] = []
        titles_after_name = 0
        while i < len(kinds) and kinds[i][0] in ("kicker", "name", "heading", "trailing"):
            kind, text = kinds[i][0], kinds[i][1].text
            if kind == "kicker" and group.titles:
                group.titles.append(text)  # ——a subtitle under its title
            elif kind == "kicker":
                group.kicker.append(text)
            elif kind == "name":
                subject = name_of_line(text, self.lex)
                if subject and subject.kind == "school" and any(n.kind == "school" for n in names):
                    break  # a second school's name opens the next headline
                if subject:
                    names.append(subject)
                group.name_line = " ".join(filter(None, [group.name_line, text]))
            elif (names and titles_after_name >= 2) or len(group.titles) >= 4:
                break
            else:
                group.titles.append(text)
                titles_after_name += bool(names)
            i += 1
        labels = [s for s in (label_of_title(t, self.lex) for t in group.titles) if s]
        group.subject = _headline_subject(names + labels)
        self._close_sidebar()
        self.current = _place_headline(group, self.drafts, self.current, self.lex)
        return i

    def _byline(self, kind: str, text: str) -> None:
        """A byline closes the article it signs; one under a headline (no body yet) just signs it."""
        target = self.current or (self.drafts[-1] if self.drafts else self._start())
        rest = _attach_credit(target, text)
        if rest:
            target.bylines.append(rest)
        if target.paragraphs and kind == "byline":
            target.closed = True
            self._close_sidebar()

    def _sidebar(self, kind: str, text: str) -> None:
        self._close_sidebar()
        owner = self.current or (self.drafts[-1] if self.drafts else self._start())
        self.sidebar = (owner, text, [])

    def _caption(self, kind: str, text: str) -> None:
        self.captions.append((self.current, text))

    def _heading(self, kind: str, text: str) -> None:
        if self.sidebar:
            self.sidebar[2].append(text)
            return
        current = self.current or self._start()
        current.headings.append((len(current.paragraphs), text))

    def _body(self, kind: str, text: str) -> None:
        if self.sidebar:
            self.sidebar[2].append(_attach_credit(self.sidebar[0], text))
            return
        current = self.current
        if current is None or current.closed:
            current = self._start()
        elif not current.has_headline and current.paragraphs and _switches_subject(current, text, self.lex):
            current.closed = True
            current = self._start()
        current.paragraphs.append(_attach_credit(current, text))
        if current.subject is None and len(current.paragraphs) == 1:
            opener = _opening_school(text, self.lex)
            current.subject = Subject.of(opener) if opener else None


def assemble(blocks: list[Block], lex: Lexicon | None = None) -> list[_Draft]:
    """Blocks in page order → article drafts in reading order (see the module docstring)."""
    lex = lex or load()
    kinds = _classify(blocks, lex)
    return _Assembler(kinds, lex).run() or _Assembler(_as_list(kinds), lex).run()


def _as_list(kinds: list[tuple[str, Block]]) -> list[tuple[str, Block]]:
    """A page of short lines and no prose (a list of schools under its title, one name a line)
    read as one article: its first line the title, the others paragraphs. Read as headlines, each
    name opened an article with no body, and the page lost every line."""
    text = [(kind, block) for kind, block in kinds if kind != "furniture"]
    return [("heading", block) if n == 0 else ("body", block) for n, (_kind, block) in enumerate(text)]


def _switches_subject(draft: _Draft, paragraph: str, lex: Lexicon) -> bool:
    """A paragraph that opens on another school starts that school's article (pages without headlines)."""
    if draft.subject is None or draft.subject.kind != "school":
        return False
    opener = _opening_school(paragraph, lex)
    # A new article introduces its school by its full name (北碚区朝阳幼儿园), not in passing.
    return opener is not None and bool(opener.places) and not same_school(opener.key, draft.subject.key)


def _headline_subject(candidates: list[Subject]) -> Subject | None:
    """The school if a headline names one (in the place its banner names), else the place."""
    school = next((s for s in candidates if s.kind == "school"), None)
    place = next((s for s in candidates if s.kind == "region"), None)
    if school and place and not school.strong_region:
        # 巴南区 / 鱼洞小学：党建引领促发展 — the school, located by the banner.
        return replace(school, region=place.region, strong_region=True)
    return school or place


def _place_headline(group: _Draft, drafts: list[_Draft], current: _Draft | None, lex: Lexicon) -> _Draft:
    """Give a headline group to the article it names: the one before it, or a new one after it.

    Returns the article that text after the headline continues.
    """
    if current is not None and current.paragraphs and not current.closed and not current.has_headline:
        subject = current.subject or _content_subject(current, lex)
        current.closed = True
        if group.subject and subject and _matches(group.subject, subject):
            # Title lines printed just above the name were read as the article's last headings.
            while current.headings and current.headings[-1][0] == len(current.paragraphs):
                group.titles.insert(0, current.headings.pop()[1])
            _adopt(current, group)
            return current
    drafts.append(group)
    return group


def _matches(a: Subject, b: Subject) -> bool:
    return a.kind == b.kind and same_school(a.key, b.key) if a.kind == "school" else a.key == b.key


def _adopt(draft: _Draft, group: _Draft) -> None:
    """A headline group given to an article that has none (a kicker it had stays, first), with
    whatever was set under the headline before its body was found: headings, bylines, sidebars."""
    draft.kicker = [*draft.kicker, *group.kicker]
    draft.titles = group.titles
    draft.name_line = group.name_line
    if group.subject:
        draft.subject = group.subject
    draft.headings[:0] = [(0, text) for _at, text in group.headings]
    draft.bylines += group.bylines
    draft.credits += group.credits
    draft.captions += group.captions
    draft.sidebars += group.sidebars


def _merge_orphan_headlines(drafts: list[_Draft], lex: Lexicon) -> list[_Draft]:
    """A headline with no body of its own belongs to the headline-less article it names."""
    out: list[_Draft] = []
    for d in drafts:
        if d.paragraphs or d.subject is None:
            out.append(d)
            continue
        target = next(
            (
                o
                for o in drafts
                if o.paragraphs and not o.has_headline and _matches(d.subject, o.subject or _content_subject(o, lex) or d.subject)
            ),
            None,
        )
        if target is None:
            out.append(d)
        else:
            _adopt(target, d)
    return out


def _fold_bodiless(drafts: list[_Draft]) -> list[_Draft]:
    """Drafts with no word in a title, the body or a sidebar are no articles, but what they hold
    was printed: a credit or byline above the first article, a kicker or a name line no headline
    followed, a byline after the last. Each goes to the next article (the last, at the page's end).
    A page with no such article at all is read as a list (`_as_list`)."""
    kept: list[_Draft] = []
    waiting: list[_Draft] = []
    for d in drafts:
        if not any(c.isalnum() for text in (*d.titles, *d.paragraphs, *_sidebar_text(d)) for c in text):
            waiting.append(d)
            continue
        for early in reversed(waiting):
            _carry(d, early, first=True)
        waiting = []
        kept.append(d)
    for late in waiting if kept else ():
        _carry(kept[-1], late, first=False)
    return kept


def _carry(draft: _Draft, other: _Draft, first: bool) -> None:
    """What `other` printed besides titles and a body, put before (`first`) or after what `draft` has."""
    at = 0 if first else len(draft.paragraphs)
    pieces: list[tuple[list[Any], list[Any]]] = [
        (draft.kicker, [*other.kicker, *filter(None, [other.name_line])]),
        (draft.headings, [(at, text) for _at, text in other.headings]),
        (draft.bylines, other.bylines),
        (draft.credits, other.credits),
        (draft.captions, other.captions),
        (draft.sidebars, other.sidebars),
    ]
    for mine, theirs in pieces:
        where = 0 if first else len(mine)
        mine[where:where] = theirs


def _sidebar_text(draft: _Draft) -> list[str]:
    return [text for sidebar in draft.sidebars for text in (sidebar.title, *sidebar.paragraphs)]


def _place_captions(captions: list[tuple[_Draft | None, str]], drafts: list[_Draft], lex: Lexicon) -> None:
    """A caption goes to the article whose school it names, else to the article it sits in."""
    for where, text in captions:
        named = _school_mentions(text, lex)
        target = None
        for m in named:
            target = next(
                (d for d in drafts if d.subject and d.subject.kind == "school" and same_school(d.subject.key, m.key)),
                None,
            )
            if target:
                break
        target = target or next((d for d in drafts if d is where), None) or (drafts[-1] if drafts else None)
        if target is not None:
            target.captions.append(text)


# ---- freezing ---------------------------------------------------------------------------------


def _vouched(region: Region | None, page_region: Region | None, draft: _Draft, lex: Lexicon) -> bool:
    """A short place form (北碚实验幼儿园, 阳明小学) is trusted only where the page's region, or
    the province or city named in the article, agrees: 阳明 is also a district far away."""
    if region is None:
        return False
    if page_region is not None:
        return region.province == page_region.province
    named = {p.name for _, p in find_places("\n".join([*draft.titles, *draft.paragraphs]), lex)}
    return bool(named & {region.province, region.city} - {None})


def finish(drafts: list[_Draft], page_id: str, file: str, manifest_region: Region | None = None) -> list[Article]:
    """Fix subjects and regions (a school with no place in its name takes the page's), then freeze."""
    lex = load()
    subjects = [d.subject or _content_subject(d, lex) for d in drafts]
    strong = [s.region for s in subjects if s and s.strong_region and s.region and s.region.district]
    page_region = Counter(strong).most_common(1)[0][0] if strong else manifest_region
    articles: list[Article] = []
    for n, (d, subject) in enumerate(zip(drafts, subjects, strict=True), start=1):
        region = subject.region if subject else None
        if subject and not subject.strong_region and not _vouched(region, page_region, d, lex):
            region = page_region
        region = region or page_region or Region()
        titles = [re.sub(r"([：:])\s+", r"\1", t) for t in d.titles]
        articles.append(
            Article(
                id=f"{page_id}/{n}",
                page=page_id,
                file=file,
                ordinal=n,
                title=titles[0] if titles else "",
                subtitle=titles[1] if len(titles) > 1 else "",
                # Lines past the second (a series banner like 党建“双创”看百校) join the kicker.
                kicker=" ".join([*d.kicker, *titles[2:], d.name_line]).strip(),
                subject=subject.name if subject else "",
                subject_kind=subject.kind if subject else "",
                region=region,
                headings=tuple(h for _, h in d.headings),
                heading_paragraphs=tuple(p for p, _ in d.headings),
                paragraphs=tuple(d.paragraphs),
                bylines=tuple(d.bylines),
                credits=tuple(d.credits),
                captions=tuple(d.captions),
                sidebars=tuple(d.sidebars),
            )
        )
    return articles


def segment(blocks: list[Block], page_id: str, file: str, manifest_region: Region | None = None) -> list[Article]:
    articles = bounded(finish(assemble(blocks), page_id, file, manifest_region), page_id)
    return [a for a in articles if any(ch.isalnum() for ch in a.text() + a.kicker)]  # not only punctuation


# ---- size bounds ------------------------------------------------------------------------------

WINDOW = 100_000  # characters of a page laid out at once: ten times a full newspaper page

MAX_PARAGRAPH = 3_000  # characters: a longer "paragraph" is a page printed without line breaks
PARAGRAPH_SIZE = 1_000  # what such a paragraph is cut into, at sentence ends
MAX_ARTICLE = 20_000  # characters of body: several times the longest newspaper article


def bounded(articles: list[Article], page_id: str) -> list[Article]:
    """Keep every article a size a screen can lay out at once. A web reprint on one line or a
    whole book in one file would otherwise be one paragraph or one article of megabytes (the
    reader took 10 s to show 2 MB). Overlong paragraphs are cut at sentence ends and overlong
    articles into numbered parts; pages of newspaper size are returned unchanged."""
    if all(len(p) <= MAX_PARAGRAPH for a in articles for p in a.paragraphs) and all(
        sum(map(len, a.paragraphs)) <= MAX_ARTICLE for a in articles
    ):
        return articles
    out = [part for a in articles for part in _parts(a)]
    return [replace(a, id=f"{page_id}/{n}", ordinal=n) for n, a in enumerate(out, start=1)]


def windows(text: str, size: int = WINDOW) -> Iterator[str]:
    """A page cut into windows of at most `size` characters, each ending at a blank line, else
    at a line end, else after a sentence. Laying out a window costs more than its length (a
    school's name is looked up in the sentence around it, an article's subject in all of it),
    so a book-length file laid out whole took minutes per megabyte; window by window, time and
    memory grow with its length. A newspaper page is a single window."""
    start = 0
    while len(text) - start > size:
        floor, end = start + size // 2, start + size
        cut = text.rfind("\n\n", floor, end)
        cut = cut + 2 if cut >= 0 else text.rfind("\n", floor, end) + 1
        if cut <= 0:
            ends = [m.end() for m in SENTENCE_END.finditer(text, floor, end)]
            cut = ends[-1] if ends else end
        yield text[start:cut]
        start = cut
    yield text[start:]


def _cut(paragraph: str) -> list[str]:
    """Pieces of about PARAGRAPH_SIZE characters, cut after a sentence (or, in a run with no
    sentence end, anywhere); joined again they are the paragraph."""
    if len(paragraph) <= MAX_PARAGRAPH:
        return [paragraph]
    pieces = [""]
    for sentence in sentences_whole(paragraph):
        for at in range(0, len(sentence), PARAGRAPH_SIZE):
            chunk = sentence[at : at + PARAGRAPH_SIZE]
            if pieces[-1] and len(pieces[-1]) + len(chunk) > PARAGRAPH_SIZE:
                pieces.append("")
            pieces[-1] += chunk
    return pieces



def _parts(article: Article) -> list[Article]:
    paragraphs: list[str] = []
    starts = []  # where each original paragraph begins among the cut ones
    for paragraph in article.paragraphs:
        starts.append(len(paragraphs))
        paragraphs.extend(_cut(paragraph))
    headings = [
        (starts[i] if i < len(starts) else len(paragraphs), h)
        for i, h in zip(article.heading_paragraphs, article.headings, strict=True)
    ]
    ranges, lo, size = [], 0, 0
    for i, paragraph in enumerate(paragraphs):
        if size and size + len(paragraph) > MAX_ARTICLE:
            ranges.append((lo, i))
            lo, size = i, 0
        size += len(paragraph)
    ranges.append((lo, len(paragraphs)))
    parts = []
    for k, (lo, hi) in enumerate(ranges, start=1):
        mine = [(i - lo, h) for i, h in headings if lo <= i < hi or (k == len(ranges) and i >= hi)]
        first = k == 1
        parts.append(replace(
            article,
            title=article.title if first or not article.title else f"{article.title}（{k}）",
            headings=tuple(h for _, h in mine),
            heading_paragraphs=tuple(i for i, _ in mine),
            paragraphs=tuple(paragraphs[lo:hi]),
            credits=article.credits if first else (),
            captions=article.captions if first else (),
            sidebars=article.sidebars if first else (),
        ))
    return parts
