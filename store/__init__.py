"""baixiao's data layer: ingest newspaper pages into a store, and read it back.

No Textual here: the CLI, scripts and the app all use this package the same way, through the
names below (an import contract keeps `tui/` to them).

    from store import Store
    store = Store.open(path)
    store.school("金兴小学").brands

Building a store (`build`) loads the parser; asking whether it is stale (`stale_reason`) loads only
what reads a folder's listing and stats. Those names are imported on first use, so a program that
opens, checks and searches a store never loads the parser.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from store import export
from store.citation import STYLES, Citations
from store.counts import count
from store.db import Store, StoreError, read_meta
from store.errors import StoreWriteError
from store.files import atomic_write
from store.i18n import LANGUAGES, N_, _, current_language, in_chinese, ngettext, use_language
from store.layout import Span, evidence_span, layout_of, sentence_at
from store.lexicon import DataError
from store.overview import ALL, BATCHES, Count, Hits, Overview, Row, hits_of, key_label, overview
from store.paths import bundled_corpus, config_dir, default_db
from store.records import Article, ArticleSummary, Evidence, Region, School, SchoolSummary
from store.search.evaluate import Line, Ranking, Results, Tally, tally
from store.search.query import HELP_NOTES, HELP_ROWS, QueryError, field_value, help_text, unwrap
from store.search.schools import (
    EVIDENCE_FIELDS,
    FIELD_LABELS,
    TYPE_LABELS,
    Statement,
    area,
    comparison,
    facts,
    filter_schools,
    pinyin_key,
    region_label,
    shown,
    shuangchuang,
    spelled,
    statements,
)
from store.userdata.details import Details, DetailsError, PageDetails, checked
from store.userdata.marks import Kind, Mark, Marks

if TYPE_CHECKING:
    from store.ingest.build import BuildResult, build
    from store.ingest.freshness import CorpusError, stale_reason, watch_corpus
    from store.ingest.manifest import ManifestError

_INGEST = {
    "BuildResult": "store.ingest.build",
    "CorpusError": "store.ingest.freshness",
    "build": "store.ingest.build",
    "stale_reason": "store.ingest.freshness",
    "watch_corpus": "store.ingest.freshness",
    "ManifestError": "store.ingest.manifest",
}


def __getattr__(name: str) -> Any:
    if name in _INGEST:
        return getattr(import_module(_INGEST[name]), name)
    raise AttributeError(f"module 'store' has no attribute {name!r}")


__all__ = [
    "ALL",
    "BATCHES",
    "EVIDENCE_FIELDS",
    "FIELD_LABELS",
    "HELP_NOTES",
    "HELP_ROWS",
    "LANGUAGES",
    "N_",
    "STYLES",
    "TYPE_LABELS",
    "Article",
    "ArticleSummary",
    "BuildResult",
    "Citations",
    "CorpusError",
    "Count",
    "DataError",
    "Details",
    "DetailsError",
    "Evidence",
    "Hits",
    "Kind",
    "Line",
    "ManifestError",
    "Mark",
    "Marks",
    "Overview",
    "PageDetails",
    "QueryError",
    "Ranking",
    "Region",
    "Results",
    "Row",
    "School",
    "SchoolSummary",
    "Span",
    "Statement",
    "Store",
    "StoreError",
    "StoreWriteError",
    "Tally",
    "_",
    "area",
    "atomic_write",
    "build",
    "bundled_corpus",
    "checked",
    "comparison",
    "config_dir",
    "count",
    "current_language",
    "default_db",
    "evidence_span",
    "export",
    "facts",
    "field_value",
    "filter_schools",
    "help_text",
    "hits_of",
    "in_chinese",
    "key_label",
    "layout_of",
    "ngettext",
    "overview",
    "pinyin_key",
    "read_meta",
    "region_label",
    "sentence_at",
    "shown",
    "shuangchuang",
    "spelled",
    "stale_reason",
    "statements",
    "tally",
    "unwrap",
    "use_language",
    "watch_corpus",
]
