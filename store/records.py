"""The records the pipeline produces and the store keeps.

Frozen dataclasses so a stage can never edit what an earlier stage handed it; `to_dict`
gives the exact JSON shape of `baixiao dump --json`, which other tools build on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, is_dataclass
from typing import Any

SCHEMA_VERSION = 2  # 2: texts stored once, in a table of their own; evidence as references


@dataclass(frozen=True)
class Region:
    province: str | None = None
    city: str | None = None
    district: str | None = None

    def label(self) -> str:
        parts = [self.province, self.city, self.district]
        seen: list[str] = []
        for part in parts:
            if part and part not in seen:
                seen.append(part)
        return "".join(seen)


@dataclass(frozen=True)
class Evidence:
    """Where a value was read: users must be able to check every fact against its sentence."""

    value: str
    article: str
    paragraph: int
    sentence: str


@dataclass(frozen=True)
class Leader:
    name: str
    role: str


@dataclass(frozen=True)
class Stat:
    value: float | int
    unit: str
    what: str
    qualifier: str = ""

    @property
    def amount(self) -> str:
        """As Chinese writes it: 300余分钟, 70多项."""
        return f"{self.value:g}{self.qualifier}{self.unit}"

    @property
    def said(self) -> str:
        """What was counted, then the amount, written one way everywhere: 荣誉奖项168项,
        累计播出300余分钟 (a verb reads only that way round)."""
        return f"{self.what}{self.amount}"


@dataclass(frozen=True)
class Sidebar:
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Article:
    id: str
    page: str
    file: str
    ordinal: int
    title: str
    subtitle: str
    kicker: str
    subject: str
    subject_kind: str
    region: Region
    headings: tuple[str, ...]
    heading_paragraphs: tuple[int, ...]
    paragraphs: tuple[str, ...]
    bylines: tuple[str, ...]
    credits: tuple[str, ...]
    captions: tuple[str, ...]
    sidebars: tuple[Sidebar, ...] = ()
    schools: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()

    def passages(self) -> tuple[str, ...]:
        """Body paragraphs, then sidebar paragraphs: what evidence's `paragraph` index counts."""
        return self.paragraphs + tuple(p for sidebar in self.sidebars for p in sidebar.paragraphs)

    def others(self) -> tuple[str, ...]:
        """The schools it names besides its subject: what its header lists after the subject."""
        return tuple(school for school in self.schools if school != self.subject)

    def text(self) -> str:
        """Everything a reader can search, in reading order."""
        parts = [self.title, self.subtitle, *self.headings, *self.paragraphs, *self.captions]
        for sidebar in self.sidebars:
            parts.extend([sidebar.title, *sidebar.paragraphs])
        return "\n".join(p for p in parts if p)


@dataclass(frozen=True)
class Page:
    id: str
    file: str
    encoding: str
    sha256: str
    articles: tuple[str, ...]
    title: str | None = None
    publication: str | None = None
    date: str | None = None
    region: str | None = None
    edition: str | None = None  # the newspaper page it was printed on (版次): 7, A06, 第7版：要闻


@dataclass(frozen=True)
class SchoolSummary:
    """What lists, filters and counts need of a school, kept in the index apart from the rest."""

    name: str
    aliases: tuple[str, ...]
    province: str | None
    city: str | None
    district: str | None
    type: str
    batch: int | None
    designations: tuple[str, ...]
    brands: tuple[str, ...]
    education_brands: tuple[str, ...]
    models: tuple[str, ...]
    articles: tuple[str, ...]


@dataclass(frozen=True)
class School(SchoolSummary):
    """A school's whole profile: the summary, and the facts a profile shows with their evidence."""

    leaders: tuple[Leader, ...] = ()
    honors: tuple[str, ...] = ()
    stats: tuple[Stat, ...] = ()
    evidence: dict[str, tuple[Evidence, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class ArticleSummary:
    """One row of the article list: what it shows without reading the article."""

    id: str
    title: str
    subject: str
    area: str  # the district (or city) it reports on, or — when none is known
    date: str = ""  # its page's date, ISO (2024-09-06, 2024-09 or 2024), "" when none is known


def to_dict(record: Any) -> dict[str, Any]:
    """JSON-ready dict: tuples become lists, nested records become dicts."""
    return plain(record)


def json_bytes(value: Any) -> bytes:
    """Compact UTF-8 JSON (no \\uXXXX escapes): how the store and the index write a record.
    (orjson, which the page workers use, is faster, but left a 50 MB page's build holding
    150 MB more at its peak: the allocator kept what its buffers had used.)"""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


_SCALARS = (str, int, float, bool, type(None))


def plain(value: Any) -> Any:
    """Like dataclasses.asdict, without its deep copies (ten times faster on a large store)."""
    if isinstance(value, _SCALARS):
        return value
    if is_dataclass(value) and not isinstance(value, type):
        return {k: plain(v) for k, v in vars(value).items()}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def article_from_dict(d: dict[str, Any]) -> Article:
    return Article(
        **{
            **d,
            "region": Region(**d["region"]),
            "sidebars": tuple(Sidebar(s["title"], tuple(s["paragraphs"])) for s in d["sidebars"]),
            **{k: tuple(d[k]) for k in _ARTICLE_TUPLES},
        }
    )


def page_from_dict(d: dict[str, Any]) -> Page:
    return Page(**{**d, "articles": tuple(d["articles"])})


def school_from_dict(d: dict[str, Any]) -> School:
    return School(
        **{
            **d,
            **{k: tuple(d[k]) for k in _SCHOOL_TUPLES},
            "leaders": tuple(Leader(**x) for x in d["leaders"]),
            "stats": tuple(Stat(**x) for x in d["stats"]),
            "evidence": {f: tuple(Evidence(**e) for e in es) for f, es in d["evidence"].items()},
        }
    )


_ARTICLE_TUPLES = (
    "headings",
    "heading_paragraphs",
    "paragraphs",
    "bylines",
    "credits",
    "captions",
    "schools",
    "keywords",
)
_SCHOOL_TUPLES = ("aliases", "designations", "brands", "education_brands", "models", "honors", "articles")
