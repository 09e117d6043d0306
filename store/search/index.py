"""The search index: where every pair of adjacent characters occurs, so any term is found exactly.

A term of two or more characters occurs at position p exactly when each of its character pairs
occurs at p, p+1, …; intersecting the sorted position lists of those pairs finds every occurrence
without reading the text, and never finds one that is not there. A single character's positions
are all the pairs it starts (every article ends with a newline, so every character starts one).
The lists are compressed (`store.search.postings`). A position's slot (4 × article + part) is
where it falls among the parts' starts. Each character also has the slots it stands in, counted
(`char_slots`): a query of one character is ranked from those, never from its every position.
The positions index the folded text (see `store.normalize`), which is as long as the printed
text, so a hit is highlighted on the characters as printed.

Beside the positions the index keeps what ranking and results need without loading the store:
a bit per character saying whether a jieba word starts there (jieba ranks and filters whole
words, it never decides recall), where spaces stand (for phrases), each article's length in
words, where its text stands in the store file (the text is stored once, there), its record
without that text (compressed), its title, subject, page, area and schools.

It is written at build time, next to the store, as one file: a JSON header, then raw arrays that
are memory-mapped on open — opening costs the header, not the corpus; the operating system
pages in the lists a query touches.
"""

from __future__ import annotations

import json
import mmap
import os
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache, reduce
from pathlib import Path
from typing import Any, TypeVar, overload

import numpy as np

from store.evidence_refs import whole_school
from store.files import mapped
from store.normalize import folded_from, normalize
from store.records import Article, School, SchoolSummary, article_from_dict
from store.search.postings import Decoded, Postings, unpack
from store.search.searchable import with_text
from store.storefile import HEAD, meta_of

MAGIC = b"BAIXIAO-INDEX 1\n"
ALIGN = 64
SHIFT = 21  # bits per character code in a pair key: every code point fits in 21 bits
CHUNK = 1 << 20  # elements per step where a whole-corpus temporary array would double the peak
VERSION = 5  # 2: stories (reprints); 3: compressed positions, texts read from the store; 4: columns; 5: dates
T = TypeVar("T")
SPACES = np.array([c for c in range(0x3001) if chr(c).isspace() and c != 10], dtype=np.uint32)


class IndexFileError(Exception):
    """An index file that cannot be used; the store must be rebuilt."""


@dataclass(frozen=True)
class DocInfo:
    id: str
    title: str
    subject: str
    file: str
    area: int
    schools: tuple[int, ...]


def _area_label(area: Sequence[str | None]) -> str:
    _, city, district = area
    return district or city or "—"


def _thawed(value: Any) -> Any:
    """A JSON list back as the tuple a record holds."""
    return tuple(value) if isinstance(value, list) else value


def _unpacked_json(blob: np.ndarray) -> Any:
    return json.loads(zlib.decompress(bytes(blob)))


class Made(Sequence[T]):
    """A sequence whose n-th entry is made when asked for: a search shows fifty articles and a
    list draws forty rows, and making an entry for every article of a large store would cost
    more than either."""

    def __init__(self, length: int, make: Callable[[int], T]) -> None:
        self._length = length
        self._make = make

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, n: int) -> T: ...
    @overload
    def __getitem__(self, n: slice) -> list[T]: ...
    def __getitem__(self, n: int | slice) -> T | list[T]:
        if isinstance(n, slice):
            return [self._make(i) for i in range(*n.indices(self._length))]
        if not -self._length <= n < self._length:
            raise IndexError(n)
        return self._make(n % self._length)


class Index:
    """A loaded index: arrays (memory-mapped when read from a file) and per-article metadata."""

    def __init__(self, header: dict[str, Any], arrays: dict[str, np.ndarray], texts: Any, buffer: Any = None) -> None:
        """`texts`: the bytes (the store file, mapped) that each article's text stands in, as a
        JSON string from `text_starts` to `text_ends`."""
        self.header = header
        self._buffer = buffer  # keeps the mapping alive as long as the arrays
        self._store = texts
        self.text_starts, self.text_ends = arrays["text_starts"], arrays["text_ends"]
        self.fingerprint: str = header["fingerprint"]
        self.built: str = header["built"]
        self.n: int = header["articles"]
        self.arrays = arrays
        self.keys = arrays["keys"]
        self.postings = Postings(*(arrays[f"post_{name}"] for name in POSTINGS))
        self.decoded = Decoded(self.postings)
        self._texts = lru_cache(maxsize=256)(self._text)
        self.chars = arrays["chars"]
        self.char_postings = Postings(*(arrays[f"char_{name}"] for name in POSTINGS))
        self.char_counts = arrays["char_counts"]
        self.char_count_bytes = arrays["char_count_bytes"]
        self.part_starts = arrays["part_starts"]
        self.word_starts = arrays["word_starts"]
        self.spaces = arrays["spaces"]
        self.doc_words = arrays["doc_words"]
        self.school_ptr = arrays["school_ptr"]
        self.school_ids = arrays["school_ids"]
        self.story = arrays["story"]  # each article's first printing: itself, unless it is a reprint
        self.doc_area, self.doc_file = arrays["doc_area"], arrays["doc_file"]
        self.doc_date = arrays["doc_date"]  # the page's date as store.dates numbers it (0: none)
        self._blobs = {kind: (arrays[kind], arrays[f"{kind}_starts"]) for kind in ("article_records", "school_records")}

    @cached_property
    def _catalog(self) -> dict[str, Any]:
        """Files and areas: read on first use, not at open."""
        return _unpacked_json(self.arrays["catalog"])

    @cached_property
    def _pages(self) -> dict[str, list[str | None]]:
        return _unpacked_json(self.arrays["page_catalog"])

    @cached_property
    def docs(self) -> Made[DocInfo]:
        """Each article's entry in the index."""
        return Made(self.n, self._doc)

    def _doc(self, doc: int) -> DocInfo:
        schools = self.school_ids[self.school_ptr[doc] : self.school_ptr[doc + 1]].tolist()
        return DocInfo(self.ids[doc], self.titles[doc], self.subjects[doc], self.files[self.doc_file[doc]], int(self.doc_area[doc]),
                       tuple(schools))

    @cached_property
    def ids(self) -> list[str]:
        return self._column("doc_id")

    @cached_property
    def titles(self) -> list[str]:
        return self._column("doc_title")

    @cached_property
    def subjects(self) -> list[str]:
        return self._column("doc_subject")

    def _column(self, name: str) -> list[str]:
        return zlib.decompress(bytes(self.arrays[name])).decode("utf-8").split("\0") if self.n else []

    @cached_property
    def schools(self) -> list[SchoolSummary]:
        return [
            SchoolSummary(*map(_thawed, s))
            for s in _unpacked_json(self.arrays["school_catalog"])
        ]

    @cached_property
    def areas(self) -> list[list[str | None]]:
        return self._catalog["areas"]

    @cached_property
    def files(self) -> list[str]:
        return self._catalog["files"]

    def printings(self, doc: int) -> list[int]:
        """Every article that prints the same story as `doc`, in store order (itself included)."""
        return np.flatnonzero(self.story == self.story[doc]).tolist()

    def also_in(self, article_id: str) -> list[str]:
        """The other printings of an article's story (a reprint on another page), in store order."""
        doc = self.position(article_id)
        return [] if doc is None else [self.ids[d] for d in self.printings(doc) if d != doc]

    def printed(self, page_id: str) -> tuple[str | None, str | None, str | None, str | None]:
        """What the manifest and the page itself say of a page: publication, date, edition, title."""
        known = self._pages.get(page_id)
        return (known[0], known[1], known[2], known[3]) if known else (None, None, None, None)

    # ---- text ---------------------------------------------------------------------------------

    def text(self, doc: int) -> str:
        """The article's searchable text as printed (see `searchable.doc_text`). The last few
        are kept: a search reads those it shows twice (to place a character, to cut snippets),
        and the next keystroke's search shows most of them again."""
        return self._texts(doc)

    def _text(self, doc: int) -> str:
        text: str = json.loads(self._store[int(self.text_starts[doc]) : int(self.text_ends[doc])])
        return text

    def forget(self) -> None:
        """Drop what was decoded for earlier searches (benchmarks time a first search so)."""
        self._texts.cache_clear()
        self.decoded.clear()

    def article(self, doc: int) -> Article:
        """The whole record of one article, read on its own (the store's tables are not needed)."""
        record = json.loads(self._blob("article_records", doc))
        return article_from_dict(with_text(record, self.text(doc)))

    def school(self, i: int) -> School:
        return whole_school(json.loads(self._blob("school_records", i)), lru_cache(maxsize=None)(self._passages))

    def _passages(self, article_id: str) -> tuple[str, ...]:
        doc = self.position(article_id)
        return () if doc is None else self.article(doc).passages()

    def _blob(self, kind: str, i: int) -> bytes:
        blob, starts = self._blobs[kind]
        return zlib.decompress(bytes(blob[starts[i] : starts[i + 1]]))

    @cached_property
    def folded(self) -> str:
        """The whole folded text, for the rare queries the pair lists cannot answer alone
        (wildcards, regular expressions); made on first use."""
        return normalize("".join(self._text(doc) for doc in range(self.n)))  # past the kept few

    # ---- lookups ------------------------------------------------------------------------------

    def pair(self, a: str, b: str) -> int | None:
        """The list of the two characters side by side, if they ever stand so."""
        key = (ord(a) << SHIFT) | ord(b)
        i = int(np.searchsorted(self.keys, key))
        return i if i < len(self.keys) and int(self.keys[i]) == key else None

    def pair_positions(self, key: int) -> np.ndarray:
        """Where a pair stands, sorted (read-only)."""
        return self.decoded.list(key)

    def has_pair(self, key: int, positions: np.ndarray) -> np.ndarray:
        """Which of `positions` the pair stands at."""
        return self.decoded.contains(key, positions)

    def char_positions(self, a: str) -> np.ndarray:
        """Where one character stands: every pair it starts (positions not sorted)."""
        lo, hi = np.searchsorted(self.keys, [ord(a) << SHIFT, (ord(a) + 1) << SHIFT])
        return self.postings.lists(int(lo), int(hi))

    def find_char(self, a: str, docs: np.ndarray) -> np.ndarray:
        """Where one character stands in `docs` (ascending), sorted: read from their texts,
        which for a few articles is far quicker than from the pair lists of a common character."""
        found = []
        for doc in docs.tolist():
            codes = np.frombuffer(self.text(doc).encode("utf-32-le"), np.uint32)
            at = reduce(np.logical_or, (codes == code for code in folded_from(a)), np.zeros(len(codes), dtype=bool))
            found.append(int(self.part_starts[4 * doc]) + np.flatnonzero(at))
        return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)

    def char_slots(self, a: str) -> tuple[np.ndarray, np.ndarray]:
        """Where one character stands, counted: each slot × 2 + word it stands in (sorted), and
        how often. What ranking a character needs, without a position per occurrence."""
        i = int(np.searchsorted(self.chars, ord(a)))
        if i == len(self.chars) or int(self.chars[i]) != ord(a):
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        counts = unpack(self.char_counts[int(self.char_count_bytes[i]) : int(self.char_count_bytes[i + 1])])
        return self.char_postings.lists(i, i + 1), counts

    def spaces_after(self, a: str) -> np.ndarray:
        """The codes of the space characters that follow `a` somewhere (usually none)."""
        lo, hi = np.searchsorted(self.keys, [ord(a) << SHIFT, (ord(a) + 1) << SHIFT])
        followers = self.keys[lo:hi] & ((1 << SHIFT) - 1)
        return followers[np.isin(followers, SPACES)]

    def word_start(self, positions: np.ndarray) -> np.ndarray:
        """1 where a jieba word starts, else 0."""
        return (self.word_starts[positions >> 3] >> (positions & 7).astype(np.uint8)) & 1

    def whole_words(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """1 where a jieba word starts at `starts` and the next one at `ends`, else 0."""
        return self.word_start(starts) & self.word_start(ends)

    def is_space(self, positions: np.ndarray) -> np.ndarray:
        if len(self.spaces) == 0:
            return np.zeros(len(positions), dtype=bool)
        at = np.minimum(np.searchsorted(self.spaces, positions), len(self.spaces) - 1)
        return self.spaces[at] == positions

    def locate(self, positions: np.ndarray, ascending: bool = False) -> np.ndarray:
        """The slot (4 × article + part) of each position. Many positions in ascending order are
        placed the other way round: each part's start among them, then a run per part."""
        if ascending and len(positions) > len(self.part_starts) // 4:
            ends = np.searchsorted(positions, self.part_starts[1:], side="left")
            return np.repeat(np.arange(len(ends), dtype=np.int64), np.diff(ends, prepend=0))
        return np.searchsorted(self.part_starts, positions, side="right") - 1

    def position(self, article_id: str) -> int | None:
        """Where an article stands in the index (its row in every per-article array)."""
        return self._positions.get(article_id)

    @cached_property
    def _positions(self) -> dict[str, int]:
        return dict(zip(self.ids, range(self.n), strict=True))

    @cached_property
    def area_labels(self) -> list[str]:
        return [_area_label(a) for a in self.areas]

    @cached_property
    def school_doc(self) -> np.ndarray:
        """For each entry of school_ids, its article: the article→school lists flattened."""
        return np.repeat(np.arange(self.n, dtype=np.int32), np.diff(self.school_ptr))

    @cached_property
    def mean_words(self) -> float:
        return float(self.doc_words.mean()) if self.n else 1.0

    # ---- files --------------------------------------------------------------------------------

    @classmethod
    def read(cls, path: Path) -> Index:
        """Map an index file; IndexFileError (one line) when it is missing, cut short or foreign.
        An index kept open (`keep`) is given back while its files are unchanged."""
        kept = _kept.get(path.absolute())
        if kept is not None and kept[0] is not None and kept[0] == _identity(path):
            return kept[1]
        try:
            with path.open("rb") as f:
                if f.read(len(MAGIC)) != MAGIC:
                    raise IndexFileError(f"{path} is not a baixiao search index")
                size = int(f.read(16))
                header = json.loads(f.read(size).decode("utf-8"))
                base = len(MAGIC) + 16 + size
                buffer = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except FileNotFoundError:
            raise IndexFileError(f"search index {path} is missing") from None
        except (OSError, ValueError) as err:
            raise IndexFileError(f"search index {path} cannot be read ({err})") from None
        try:
            arrays = {
                name: np.frombuffer(buffer, dtype=np.dtype(dtype), count=count, offset=base + offset)
                for name, (dtype, count, offset) in header["arrays"].items()
            }
            if header.get("version") != VERSION or set(arrays) != set(ARRAYS):
                raise IndexFileError(f"search index {path} is from another version")
            return cls(header, arrays, _store_of(path, header), buffer)
        except (KeyError, TypeError, ValueError) as err:
            raise IndexFileError(f"search index {path} is damaged ({err})") from None


_kept: dict[Path, tuple[tuple[int, ...] | None, Index]] = {}


def keep(path: Path, index: Index) -> None:
    """Give this index, and what it has loaded and decoded so far, to every later `Index.read` of
    the same unchanged files in this process: the command server keeps its stores warm this way,
    and its forks start with them."""
    _kept[path.absolute()] = (_identity(path), index)


def _identity(path: Path) -> tuple[int, ...] | None:
    """The index file's and its store file's identity: a rebuild replaces both."""
    try:
        files = (os.stat(path), os.stat(_store_path(path)))
    except OSError:
        return None
    return tuple(n for f in files for n in (f.st_dev, f.st_ino, f.st_size, f.st_mtime_ns))


def _store_path(index: Path) -> Path:
    """The store an index file was written beside: store.json.index → store.json."""
    return index.with_name(index.name.removesuffix(".index"))


def _store_of(path: Path, header: dict[str, Any]) -> mmap.mmap:
    """The store file the index was built with, mapped: it holds the articles' texts."""
    store = _store_path(path)
    try:
        texts = mapped(store)
    except (OSError, ValueError) as err:
        raise IndexFileError(f"the store of search index {path} cannot be read ({err})") from None
    meta = meta_of(texts[:HEAD])
    if meta is None or (meta.get("fingerprint"), meta.get("built")) != (header["fingerprint"], header["built"]):
        raise IndexFileError(f"search index {path} is from another build of its store")
    return texts


POSTINGS = ("data", "block_first", "block_byte", "block_elem", "key_block")
ARRAYS = (
    "catalog", "page_catalog", "school_catalog", "keys", *(f"post_{name}" for name in POSTINGS), "part_starts", "word_starts", "spaces",
    "chars", *(f"char_{name}" for name in POSTINGS), "char_counts", "char_count_bytes",
    "doc_id", "doc_title", "doc_subject", "doc_area", "doc_file", "doc_date",
    "text_starts", "text_ends", "doc_words", "article_records", "article_records_starts", "school_records", "school_records_starts",
    "school_ptr", "school_ids", "story",
)


def index_path(store: Path) -> Path:
    """The index lives beside its store (beside the file a symlinked store points to):
    store.json → store.json.index."""
    store = store.resolve() if store.is_symlink() else store
    return store.with_name(store.name + ".index")


def index_matches(store: Path, meta: dict[str, Any]) -> bool:
    """Is there an index, written by the same build as the store with this meta?"""
    try:
        header = Index.read(index_path(store)).header
    except IndexFileError:
        return False
    return header["fingerprint"] == meta.get("fingerprint") and header["built"] == meta.get("built")
