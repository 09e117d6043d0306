"""School profiles for display and filtering: the 双创 status line, type names, and the query
language applied to schools rather than articles (a term matches a school's names and brands)."""

from __future__ import annotations

from collections.abc import Sequence

from store.normalize import normalize
from store.records import Region, School, SchoolSummary
from store.search.query import And, Field, Near, Node, Not, Or, Phrase, Regex, Term, parse

TYPE_LABELS = {
    "primary": "小学",
    "secondary": "中学",
    "kindergarten": "幼儿园",
    "vocational": "职业学校",
    "nine-year": "九年一贯制",
    "other": "其他",
}

# The fields a profile quotes evidence for, in the order it shows them.
EVIDENCE_FIELDS = (
    ("batch", "双创批次"),
    ("designations", "称号"),
    ("brands", "党建品牌"),
    ("education_brands", "教育品牌"),
    ("models", "工作模式"),
    ("leaders", "负责人"),
    ("honors", "荣誉"),
    ("stats", "数据"),
)


def shuangchuang(school: SchoolSummary) -> str:
    """第1批 / 第2批 when the batch is stated, 是 when only membership is, — otherwise."""
    if school.batch:
        return f"第{school.batch}批"
    return "是" if any("双创" in d for d in school.designations) else "—"


def shown(field: str, value: str) -> str:
    """An evidence value as people say it: a batch is 第2批, everything else as read."""
    return f"第{value}批" if field == "batch" and value.isdigit() else value


def area(school: SchoolSummary) -> str:
    return school.district or school.city or school.province or "—"


def region_label(school: SchoolSummary) -> str:
    return Region(school.province, school.city, school.district).label() or "—"


def facts(school: SchoolSummary) -> list[str]:
    """The one line a profile and its export open with: where, what kind, whether 双创."""
    return [region_label(school), TYPE_LABELS.get(school.type, school.type), f"双创 {shuangchuang(school)}"]


def comparison(schools: list[School], keywords: dict[str, tuple[str, ...]]) -> list[tuple[str, list[list[str]]]]:
    """(field, each school's values) in the order a comparison shows them, on screen or in an export."""
    return [
        ("地区", [[region_label(s)] for s in schools]),
        ("类型", [[TYPE_LABELS.get(s.type, s.type)] for s in schools]),
        ("双创", [[shuangchuang(s)] for s in schools]),
        ("称号", [list(s.designations) for s in schools]),
        ("党建品牌", [list(s.brands) for s in schools]),
        ("教育品牌", [list(s.education_brands) for s in schools]),
        ("工作模式", [list(s.models) for s in schools]),
        ("负责人", [[f"{x.role} {x.name}" for x in s.leaders] for s in schools]),
        ("荣誉", [list(s.honors) for s in schools]),
        ("数据", [[f"{x.what} {x.amount}".strip() for x in s.stats] for s in schools]),
        ("关键词", [list(keywords.get(s.name, ())) for s in schools]),
        ("报道", [[f"{len(s.articles)} 篇"] for s in schools]),
    ]


def _text(school: SchoolSummary) -> str:
    return normalize("\n".join((school.name, *school.aliases, *school.brands, *school.education_brands, *school.models)))


def in_place(value: str, place: Sequence[str | None]) -> bool:
    """district:'s reading: the (normalized) value is part of the province, city or district."""
    return any(value in normalize(p or "") for p in place)


def field_matches(node: Field, school: SchoolSummary) -> bool:
    """Whether a school has what a field asks for: the one reading of district:, school:, type:,
    batch: and brand:, for schools here and for the articles that name them in search (an article's
    own district: is its place, read by `in_place` too). A field about articles alone (file:, in:)
    keeps every school."""
    value = normalize(node.value)
    match node.name:
        case "district":
            return in_place(value, (school.province, school.city, school.district))
        case "school":
            return value in map(normalize, (school.name, *school.aliases))
        case "type":
            return school.type == node.value
        case "batch":
            return school.batch == int(node.value)
        case "brand":
            return any(value in normalize(b) for b in (*school.brands, *school.education_brands))
    return True


def _matches(node: Node, school: SchoolSummary) -> bool:
    match node:
        case Term(text) | Phrase(text):
            return normalize(text.replace(" ", "")) in _text(school)
        case Regex() | Near():
            return False
        case Field():
            return field_matches(node, school)
        case Not(inner):
            return not _matches(inner, school)
        case And(nodes):
            return all(_matches(n, school) for n in nodes)
        case Or(nodes):
            return any(_matches(n, school) for n in nodes)
    raise TypeError(node)


def filter_schools(schools: list[SchoolSummary], query: str) -> list[SchoolSummary]:
    """The schools a query keeps; raises QueryError for a malformed query. Terms match names,
    aliases, brands and models; fields as in article search; wildcards, NEAR and regular
    expressions are for article text and match no school."""
    if not query.strip():
        return list(schools)
    node = parse(query)
    return [s for s in schools if _matches(node, s)]
