"""The store: one TinyDB JSON file of derived data (pages, articles, schools, meta).

Everything in it can be rebuilt from the corpus, so it is written whole and atomically:
serialise first, write a temp file beside it, fsync, rename over the old one. A reader never
sees half a file, and a crash mid-write leaves the previous store in place.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from tinydb import TinyDB
from tinydb.storages import Storage

from store import dates
from store.errors import StoreError
from store.evidence_refs import passages_of, whole_school
from store.files import atomic_write
from store.fold import simplify
from store.namekey import normalize_key
from store.records import (
    SCHEMA_VERSION,
    Article,
    ArticleSummary,
    Page,
    School,
    SchoolSummary,
    article_from_dict,
    json_bytes,
    page_from_dict,
    to_dict,
)
from store.search.evaluate import Line, Ranking, Results, concordance, search
from store.search.index import Index, IndexFileError, Made, index_path, keep
from store.search.searchable import doc_text, with_text, written_records
from store.storefile import STORE_PREFIX, read_meta
from store.userdata.details import Details, PageDetails


class AtomicJSONStorage(Storage):
    """TinyDB storage: UTF-8 JSON (no \\uXXXX escapes), atomic writes, read once and kept."""

    def __init__(self, path: str | Path, fresh: bool = False) -> None:
        """`fresh`: start empty and ignore what is on disk (a build replaces the store whole)."""
        self.path = Path(path)
        self._data: dict[str, Any] | None = {} if fresh else None
        if not fresh and not self.path.exists():
            raise StoreError(f"no store at {self.path}")

    def read(self) -> dict[str, Any] | None:
        if self._data is None:
            if not self.path.exists():
                return None
            raw = self.path.read_bytes()
            if not raw.strip():
                raise StoreError(f"store {self.path} is empty")
            try:
                data = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as err:
                raise StoreError(f"store {self.path} is not valid JSON ({err})") from None
            if not isinstance(data, dict):
                raise StoreError(f"store {self.path} is not a TinyDB file")
            self._data = data
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        atomic_write(self.path, payload)
        self._data = data

    def close(self) -> None:
        self._data = None


def writable_target(path: Path) -> Path:
    """Where a store at `path` may be written: through a symlink, and never over a foreign file.

    An empty file or a damaged store (it still starts like one) may be replaced; anything else at
    that path (a config file, a device, a folder) is the user's and is left alone.
    """
    target = path.resolve() if path.is_symlink() else path
    if not target.exists():
        return target
    if not target.is_file():
        raise StoreError(f"{path} is not a regular file: choose another --db")
    with target.open("rb") as f:
        head = f.read(len(STORE_PREFIX)).decode("utf-8", errors="replace")
    if head.strip() and not head.startswith(STORE_PREFIX):
        raise StoreError(f"{path} exists and is not a baixiao store: choose another --db or remove it")
    return target


def write_store(
    out: BinaryIO, meta: dict[str, Any], pages: list[Page], articles: list[Article], schools: list[School],
    records: tuple[list[bytes], list[bytes]] | None = None, texts: list[str] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Write the whole store to `out`, as the JSON TinyDB reads: a temp file of
    `files.replacing`, put in place with the index built from it, so the two are replaced together.

    Each article's searchable text is a table of its own ("texts"), and the articles table holds
    the rest of each record (`searchable.without_text`); the evidence of schools points into the
    articles (`evidence_refs`). So the text is stored once: the search index reads it from here.
    `records`: the articles' and schools' JSON as `written_records` makes it, and `texts` each
    article's `doc_text`, when the caller has them already (a build writes the same records to the
    index). Returns where each article's text stands in the file, as the first and last byte
    (exclusive) of its JSON string.
    """
    article_json, school_json = records or written_records(articles, schools, texts)
    chunks = [
        STORE_PREFIX.encode(), json_bytes(meta), b'},"pages":', _table(json_bytes(to_dict(p)) for p in pages),
        b',"articles":', _table(article_json), b',"texts":{',
    ]
    size = sum(len(c) for c in chunks)
    starts, ends = np.zeros(len(articles), dtype=np.int64), np.zeros(len(articles), dtype=np.int64)
    for i, article in enumerate(articles):
        key = b'%s"%d":{"text":' % (b"," if i else b"", i + 1)
        text = json_bytes(doc_text(article) if texts is None else texts[i])
        chunks += [key, text, b"}"]
        starts[i] = size + len(key)
        ends[i] = starts[i] + len(text)
        size = ends[i] + 1
    chunks += [b'},"schools":', _table(school_json), b"}"]
    for chunk in chunks:
        out.write(chunk)
    return starts, ends


def _table(records: Iterable[bytes]) -> bytes:
    """A TinyDB table: each record (JSON) under its document id, counted from 1."""
    return b"{" + b",".join(b'"%d":%s' % (i, r) for i, r in enumerate(records, 1)) + b"}"


DUMP_SCHEMA = 1  # the shape of `baixiao dump --json`: whole records, however the store writes them


class Store:
    """Read access to a built store: `Store.open(path).schools()`.

    Opening reads only the meta table. The tables are parsed on first use (a large store takes
    seconds), and search reads the memory-mapped index, never the tables.
    """

    def __init__(self, path: Path, meta: dict[str, Any]) -> None:
        if meta.get("schema") != SCHEMA_VERSION:
            raise StoreError(f"store {path} has schema {meta.get('schema')!r}, expected {SCHEMA_VERSION}")
        self.path = path
        self.meta = meta
        self._dated: tuple[tuple[tuple[str, str], ...], np.ndarray] | None = None
        self._any_dated: tuple[np.ndarray, bool] | None = None

    @classmethod
    def open(cls, path: str | Path) -> Store:
        path = Path(path)
        try:
            meta = read_meta(path) if path.is_file() else None
            if meta is not None:
                return cls(path, meta)
            db = TinyDB(path, storage=AtomicJSONStorage)
            rows = db.table("meta").all()
            store = cls(path, dict(rows[0]) if rows else {})
            store.__dict__["_tables"] = store._read_tables(db)
            return store
        except StoreError:
            raise
        except OSError as err:
            raise StoreError(f"cannot read store {path}: {err.strerror or err}") from None

    def load(self, tables: bool = True) -> Store:
        """Open the search index and parse the tables now, raising StoreError if either is damaged,
        rather than on first use. `tables=False` for a caller that only searches (the tables of a
        large store take seconds to parse)."""
        _ = self.index
        if tables:
            _ = self._tables
        return self

    @cached_property
    def _tables(self) -> tuple[list[Page], list[Article], list[School]]:
        try:
            db = TinyDB(self.path, storage=AtomicJSONStorage)
        except OSError as err:
            raise StoreError(f"cannot read store {self.path}: {err.strerror or err}") from None
        return self._read_tables(db)

    def _read_tables(self, db: TinyDB) -> tuple[list[Page], list[Article], list[School]]:
        try:
            texts = [d["text"] for d in db.table("texts").all()]
            articles = [article_from_dict(with_text(dict(d), t)) for d, t in zip(db.table("articles").all(), texts, strict=True)]
            passages = passages_of(articles)
            return (
                [page_from_dict(d) for d in db.table("pages").all()],
                articles,
                [whole_school(dict(d), passages) for d in db.table("schools").all()],
            )
        except (KeyError, TypeError) as err:
            raise StoreError(f"store {self.path} is damaged ({err})") from None

    @cached_property
    def _by_name(self) -> dict[str, int]:
        """Every name and alias, and their keys, to the school's place in the index."""
        by_name: dict[str, int] = {}
        for i, school in enumerate(self.index.schools):
            for name in (school.name, *school.aliases):
                by_name.setdefault(name, i)
                by_name.setdefault(normalize_key(name), i)
        return by_name

    @cached_property
    def index(self) -> Index:
        """The search index written with this store; StoreError if it is missing or another build's."""
        try:
            index = Index.read(index_path(self.path))
        except IndexFileError as err:
            raise StoreError(f"{err}: rebuild the store (baixiao build --force)") from None
        if (index.fingerprint, index.built) != (self.meta.get("fingerprint"), self.meta.get("built")):
            raise StoreError(f"search index of {self.path} is from another build: rebuild the store (baixiao build --force)")
        return index

    def pages(self) -> list[Page]:
        return list(self._tables[0])

    def articles(self) -> list[Article]:
        return list(self._tables[1])

    def schools(self) -> list[School]:
        return list(self._tables[2])

    def printed(self, page_id: str) -> PageDetails:
        """What the manifest and the page itself say of a page (the user's details go over it)."""
        return PageDetails(*self.index.printed(page_id))

    def article(self, article_id: str) -> Article | None:
        """One article, read from the index on its own: no need to parse the tables."""
        doc = self.index.position(article_id)
        return None if doc is None else self.index.article(doc)

    def school(self, name_or_alias: str) -> School | None:
        """By canonical name, any alias, or any form with the same key (梁平区梁平中学 → 梁平中学)."""
        name = name_or_alias.strip()
        folded = simplify(name)
        found = next((self._by_name[n] for n in (name, folded, normalize_key(folded)) if n in self._by_name), None)
        return None if found is None else self.index.school(found)

    def school_summaries(self) -> list[SchoolSummary]:
        """Every school's name, place, type, batch, brands and articles, from the index (fast)."""
        return list(self.index.schools)

    def article_summaries(self) -> Sequence[ArticleSummary]:
        """Every article's row in a list, in store order: the n-th is article number n, the
        number a `Ranking` yields. Each is made when asked for, from the index's columns: a list
        draws forty, and making 100,000 took a sixth of the app's start."""
        return self._article_summaries

    @cached_property
    def _article_summaries(self) -> Made[ArticleSummary]:
        ix = self.index
        return Made(ix.n, lambda doc: ArticleSummary(ix.ids[doc], ix.titles[doc], ix.subjects[doc], ix.area_labels[int(ix.doc_area[doc])],
                                                     dates.iso(int(self.dates()[doc]))))

    @cached_property
    def details(self) -> Details:
        """The user's page details beside the store, whose dates win over the pages' own. The app
        puts its own here, so a date it sets is what lists, counts and `date:` see at once."""
        return Details.for_store(self.path)

    def dates(self) -> np.ndarray:
        """Each article's date as `store.dates` numbers it (0: none): its page's (the manifest's,
        else the date line it prints), unless the user has set that page's date."""
        ix = self.index
        user = tuple(sorted(self.details.dates().items()))
        if not user:
            return ix.doc_date
        if self._dated is None or self._dated[0] != user:
            numbers = ix.doc_date.copy()
            at = {file: i for i, file in enumerate(ix.files)}
            for file, date in user:
                if file in at:
                    numbers[ix.doc_file == at[file]] = dates.code(date)
            self._dated = (user, numbers)
        return self._dated[1]

    def by_date(self, docs: Sequence[int] | np.ndarray, newest: bool = True) -> list[int]:
        """Articles (numbers of `article_summaries`) by date, newest or oldest first, those with
        no date last; articles of one date keep the order given (their rank, or store order)."""
        docs = np.asarray(docs, dtype=np.int64)
        when = self.dates()[docs].astype(np.int64)
        return docs[np.lexsort((-when if newest else when, when == dates.NONE))].tolist()

    def dated(self) -> bool:
        """Whether any article has a date (a list shows a date column only then). Kept for the
        dates it was worked out from: every row a list draws asks."""
        numbers = self.dates()
        if self._any_dated is None or self._any_dated[0] is not numbers:
            self._any_dated = (numbers, bool(numbers.any()))
        return self._any_dated[1]

    def subjects_and_areas(self) -> tuple[set[str], set[str]]:
        """The distinct subjects and area labels of the articles (a list's columns fit them)."""
        ix = self.index
        return set(ix.subjects), {ix.area_labels[a] for a in np.unique(ix.doc_area).tolist()}

    def article_at(self, number: int) -> Article:
        """Article number `number` of `article_summaries`, read from the index on its own."""
        return self.index.article(number)

    def number_of(self, article_id: str) -> int | None:
        """An article's number in store order (None when the store has no such article)."""
        return self.index.position(article_id)

    def keywords(self, school: School, top: int = 6) -> tuple[str, ...]:
        """The words most frequent across a school's articles' keywords."""
        counts = Counter(k for a in school.articles if (article := self.article(a)) for k in article.keywords)
        return tuple(k for k, _ in counts.most_common(top))

    def also_in(self, article_id: str) -> list[str]:
        """The other printings of an article's story (a reprint on another page), in store order."""
        return self.index.also_in(article_id)

    def reprints(self) -> list[list[str]]:
        """Every story printed more than once: its articles' ids, the first printing first."""
        ix = self.index
        counts = np.bincount(ix.story, minlength=ix.n)
        return [[ix.ids[d] for d in ix.printings(int(story))] for story in np.flatnonzero(counts > 1).tolist()]

    def stories(self) -> list[int]:
        """Article numbers (of `article_summaries`) listing each story once: reprints left out."""
        return self._stories

    @cached_property
    def _stories(self) -> list[int]:
        """Worked out once: the list asks on every keystroke that clears the search."""
        ix = self.index
        return np.flatnonzero(ix.story == np.arange(ix.n, dtype=ix.story.dtype)).tolist()

    def search(self, query: str, limit: int | None = 50, reprints: bool = False) -> Results:
        """Ranked hits with snippets, a reprinted story once unless `reprints`; raises QueryError
        (message and position) for a bad query."""
        return search(self.index, query, limit, reprints, self.dates())

    def rank(self, query: str, reprints: bool = False) -> Ranking:
        """Every matching article in rank order, hits made on demand (what the app filters with)."""
        return Ranking(self.index, query, reprints, self.dates())

    def warm(self) -> None:
        """Do the one-off work of a first search now (the folding tables take ~50 ms to build, and
        one character and a longer term take different paths), so a caller with time to spare
        keeps it off the first keystroke."""
        for query in ("党", "党建"):
            _ = self.rank(query).head

    def keep_warm(self) -> None:
        """Warm this store and keep its index open for the rest of the process: a later
        `Store.open` of the same unchanged files searches without the first search's one-off
        work. For a long-lived process that forks per command (`tui.cmdserver`)."""
        keep(index_path(self.path), self.index)
        self.warm()

    def concordance(self, query: str, reprints: bool = False) -> list[Line]:
        """Every body hit in context, with where it is in its article; a reprint's once."""
        return concordance(self.index, query, reprints, self.dates())

    def dump(self) -> dict[str, Any]:
        """The machine-readable shape of `baixiao dump --json`."""
        return {
            "schema": DUMP_SCHEMA,
            "pages": [to_dict(p) for p in self.pages()],
            "articles": [to_dict(a) for a in self.articles()],
            "schools": [to_dict(s) for s in self.schools()],
            "reprints": self.reprints(),
        }
