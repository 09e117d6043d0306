"""The corpus counted: schools by district and 双创 batch, by type, brands and models; articles by
year and month; a query's hits by district, year and school.

Every count comes from the index's catalogues and arrays, never from reading articles, and each
carries the query that lists what it counts: a school filter for schools, a search for
articles. So the overview, `baixiao stats` and whatever opens a count agree by construction, and
a count is exactly the length of the list it opens. Articles are counted as lists show them: a
story printed on several pages once in each count it falls in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from store.db import Store
from store.i18n import N_, _
from store.records import SchoolSummary
from store.search.query import field_value
from store.search.schools import TYPE_LABELS, area, batch_key

BATCHES = ("1", "2", "unknown", "none")  # as `batch:` names them
ALL = "all"
NO_DATE = "undated"
NO_PLACE = "—"


@dataclass(frozen=True)
class Count:
    """One bar or cell: what it counts (a district, a batch, 2024 …), how many, and the query
    that lists them."""

    key: str
    n: int
    query: str


@dataclass(frozen=True)
class Row:
    """A district's schools by batch (in `BATCHES` order), and all of them."""

    district: str
    batches: tuple[Count, ...]
    total: Count


@dataclass(frozen=True)
class Hits:
    """A query's matching articles, counted by district, year and school."""

    query: str
    total: int
    by_district: tuple[Count, ...]
    by_year: tuple[Count, ...]
    by_school: tuple[Count, ...]


@dataclass(frozen=True)
class Overview:
    schools: int
    articles: int
    districts: tuple[Row, ...]  # the last is every district's (ALL)
    by_batch: tuple[Count, ...]
    by_type: tuple[Count, ...]
    brands: tuple[Count, ...]
    models: tuple[Count, ...]
    by_year: tuple[Count, ...]  # the last is NO_DATE (also when it counts none)
    by_month: tuple[Count, ...]  # months known only: a page dated 2024 alone is in by_year
    without_month: int  # articles whose page gives no month (a year alone, or no date)
    hits: Hits | None = None

    @property
    def by_district(self) -> tuple[Count, ...]:
        return tuple(row.total for row in self.districts if row.district != ALL)

    @property
    def undated(self) -> int:
        return self.by_year[-1].n

    def to_json(self) -> dict[str, Any]:
        """The shape of `baixiao stats --json`: counts by key, in the order shown."""
        def counts(found: Iterable[Count]) -> dict[str, int]:
            return {c.key: c.n for c in found}

        out: dict[str, Any] = {
            "schools": self.schools,
            "articles": self.articles,
            "by_district": [{"district": r.district, "schools": r.total.n, "by_batch": counts(r.batches)}
                            for r in self.districts if r.district != ALL],
            "by_batch": counts(self.by_batch),
            "by_type": counts(self.by_type),
            "brands": counts(self.brands),
            "models": counts(self.models),
            "by_year": counts(self.by_year),
            "by_month": counts(self.by_month),
            "without_month": self.without_month,
        }
        if self.hits is not None:
            out["query"] = {
                "query": self.hits.query,
                "total": self.hits.total,
                "by_district": counts(self.hits.by_district),
                "by_year": counts(self.hits.by_year),
                "by_school": counts(self.hits.by_school),
            }
        return out


_SAID = {"unknown": N_("双创, batch unknown"), "none": N_("not 双创"), NO_DATE: N_("no date"), NO_PLACE: N_("no place"),
         ALL: N_("all")}


def key_label(key: str, translate: Callable[[str], str] = _) -> str:
    """A count's key as the overview shows it: a batch as 第2批, a type by its Chinese name, and
    what is no name (no date, no place) in the reader's language (`translate`)."""
    if key in _SAID:
        return translate(_SAID[key])
    if key in ("1", "2"):
        return f"第{key}批"
    return TYPE_LABELS.get(key, key)


def overview(store: Store, query: str | None = None) -> Overview:
    """Everything the overview shows; with `query`, its hits too (QueryError if it does not parse)."""
    schools = store.school_summaries()
    ix = store.index
    everything = np.ones(ix.n, dtype=bool)
    years, months, without_month = _by_date(ix.story, store.dates(), everything, "")
    return Overview(
        schools=len(schools),
        articles=len(store.stories()),
        districts=_districts(schools),
        by_batch=_schools(Counter(map(batch_key, schools)), lambda k: f"batch:{k}", order=BATCHES),
        by_type=_schools(Counter(s.type for s in schools), lambda k: f"type:{k}", order=tuple(TYPE_LABELS)),
        brands=_schools(Counter(b for s in schools for b in {*s.brands, *s.education_brands}), lambda k: f"brand:={field_value(k)}"),
        models=_schools(Counter(m for s in schools for m in set(s.models)), lambda k: f"model:={field_value(k)}"),
        by_year=years,
        by_month=months,
        without_month=without_month,
        hits=hits_of(store, query),
    )


def _schools(counts: Counter[str], query: Callable[[str], str], order: tuple[str, ...] = ()) -> tuple[Count, ...]:
    """Counts of schools, most first (or in `order`, leaving out what counts none)."""
    keys = [k for k in order if counts[k]] if order else sorted(counts, key=lambda k: (-counts[k], k))
    return tuple(Count(k, counts[k], query(k)) for k in keys)


def _districts(schools: list[SchoolSummary]) -> tuple[Row, ...]:
    """A row per district, most schools first, and last the row of all of them."""
    grid: dict[str, Counter[str]] = {}
    for s in schools:
        grid.setdefault(area(s), Counter())[batch_key(s)] += 1
    rows = []
    for district in sorted(grid, key=lambda d: (d == NO_PLACE, -grid[d].total(), d)):
        place = f"district:={field_value(district)} "
        cells = tuple(Count(b, grid[district][b], f"{place}batch:{b}") for b in BATCHES)
        rows.append(Row(district, cells, Count(district, grid[district].total(), place.strip())))
    everywhere = Counter(map(batch_key, schools))
    rows.append(Row(ALL, tuple(Count(b, everywhere[b], f"batch:{b}") for b in BATCHES), Count(ALL, len(schools), "")))
    return tuple(rows)


def _story_counts(story: np.ndarray, keys: np.ndarray, mask: np.ndarray) -> Counter[int]:
    """How many stories have a printing in `mask` with each key: what a list filtered by that
    key shows, each story once."""
    pairs = np.unique(story[mask].astype(np.int64) << 32 | keys[mask].astype(np.int64))
    found, n = np.unique(pairs & 0xFFFFFFFF, return_counts=True)
    return Counter(dict(zip(found.tolist(), n.tolist(), strict=True)))


def _by_date(story: np.ndarray, dated: np.ndarray, mask: np.ndarray, within: str) -> tuple[tuple[Count, ...], tuple[Count, ...], int]:
    """Articles by year (no date last), by month, and how many give no month; `within` is the
    query they are hits of."""
    years = _story_counts(story, np.where(dated == 0, 0, dated // 10000), mask)
    has_month = mask & (dated % 10000 != 0)
    months = _story_counts(story, dated // 100, has_month)
    by_year = [Count(str(y), years[y], within + f"date:{y}") for y in sorted(years) if y]
    by_year.append(Count(NO_DATE, years[0], within + "date:none"))
    by_month = tuple(Count(m := f"{ym // 100:04d}-{ym % 100:02d}", months[ym], within + f"date:{m}") for ym in sorted(months))
    return tuple(by_year), by_month, len(np.unique(story[mask & (dated % 10000 == 0)]))


def hits_of(store: Store, query: str | None) -> Hits | None:
    """A query's hits by district, year and school (None for no query): all the overview counts
    again when its query changes, so a keystroke never counts the schools again."""
    if query is None or not query.strip():
        return None
    ix = store.index
    ranking = store.rank(query, reprints=True)
    mask = ranking.matched
    within = f"({query}) "
    labels = sorted(set(ix.area_labels))  # two places of one name are one label, as district:= reads them
    number = {label: i for i, label in enumerate(labels)}
    label_of = np.array([number[label] for label in ix.area_labels], dtype=np.int64)
    by_label = _story_counts(ix.story, label_of[ix.doc_area], mask)
    by_area = {labels[i]: n for i, n in by_label.items()}
    by_district = tuple(Count(d, by_area[d], f"{within}district:={field_value(d)}")
                        for d in sorted(by_area, key=lambda d: (d == NO_PLACE, -by_area[d], d)))
    named = mask[ix.school_doc]
    per_school = _story_counts(ix.story[ix.school_doc], ix.school_ids, named)
    names = [s.name for s in ix.schools]
    by_school = tuple(Count(names[i], n, f"{within}school:{field_value(names[i])}")
                      for i, n in sorted(per_school.items(), key=lambda kv: (-kv[1], names[kv[0]])))
    years = _by_date(ix.story, store.dates(), mask, within)[0]
    total = len(np.unique(ix.story[mask]))
    return Hits(query, total, by_district, years, by_school)
