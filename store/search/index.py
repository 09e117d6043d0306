"""The search index: where every pair of adjacent characters occurs, so any term is found exactly.

A term of two or more characters occurs at position p exactly when each of its character pairs
occurs at p, p+1, …; intersecting the sorted position lists of those pairs finds every occurrence
without reading the text, and never finds one that is not there. A single character's positions
are all the pairs it starts (every article ends with a newline, so every character starts one).
Beside each position the index keeps slot × 2 + word, where the slot is 4 × article + part and
the word bit says the character is a one-character jieba word: ranking a character is then one
count over numbers already stored. Whether a two-character word starts there is kept too.
The positions index the folded text (see `store.normalize`), which is as long as the printed
text, so a hit is highlighted on the characters as printed.

Beside the positions the index keeps what ranking and results need without loading the store:
a flag byte per character (does a jieba word start here — jieba ranks and filters whole words,
it never decides recall — and is it a space, for phrases), each
article's length in words, its text, title, subject, page, area and schools.

It is written at build time, next to the store, as one file: a JSON header, then raw arrays that
are memory-mapped on open — opening costs the header, not the corpus; the operating system
pages in the lists a query touches.
"""

from __future__ import annotations

import json
import mmap
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from store.normalize import normalize
from store.records import Article, School, SchoolSummary, article_from_dict, school_from_dict

MAGIC = b"BAIXIAO-INDEX 1\n"
ALIGN = 64
SHIFT = 21  # bits per character code in a pair key: every code point fits in 21 bits
CHUNK = 1 << 20  # elements per step where a whole-corpus temporary array would double the peak
VERSION = 2  # 2: stories (reprints)
WORD_START, SPACE = 1, 2  # flags per position: a jieba word starts here; a space (not a newline)
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


class Index:
    """A loaded index: arrays (memory-mapped when read from a file) and per-article metadata."""

    def __init__(self, header: dict[str, Any], arrays: dict[str, np.ndarray], buffer: Any = None) -> None:
        self.header = header
        self._buffer = buffer  # keeps the mapping alive as long as the arrays
        self.fingerprint: str = header["fingerprint"]
        self.built: str = header["built"]
        self.n: int = header["articles"]
        self.arrays = arrays
        self.keys = arrays["keys"]
        self.key_starts = arrays["key_starts"]
        self.positions = arrays["positions"]
        self.slot_words = arrays["slot_words"]
        self.pair_words = arrays["pair_words"]
        self.part_starts = arrays["part_starts"]
        self.byte_starts = arrays["byte_starts"]
        self.utf8 = arrays["utf8"]
        self.flags = arrays["flags"]
        self.doc_words = arrays["doc_words"]
        self.school_ptr = arrays["school_ptr"]
        self.school_ids = arrays["school_ids"]
        self.story = arrays["story"]  # each article's first printing: itself, unless it is a reprint
        self._records = {
            kind: (arrays[f"{kind}_records"], arrays[f"{kind}_record_starts"]) for kind in ("article", "school")
        }

    @cached_property
    def _catalog(self) -> dict[str, Any]:
        """Titles, subjects, files and areas: read on first use, not at open."""
        return json.loads(bytes(self.arrays["catalog"]).decode("utf-8"))

    @cached_property
    def docs(self) -> list[DocInfo]:
        return [DocInfo(d[0], d[1], d[2], d[3], d[4], tuple(d[5])) for d in self._catalog["docs"]]

    @cached_property
    def schools(self) -> list[SchoolSummary]:
        return [
            SchoolSummary(*map(_thawed, s))
            for s in json.loads(bytes(self.arrays["school_catalog"]).decode("utf-8"))
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
        return [] if doc is None else [self.docs[d].id for d in self.printings(doc) if d != doc]

    def printed(self, page_id: str) -> tuple[str | None, str | None, str | None, str | None]:
        """What the manifest and the page itself say of a page: publication, date, edition, title."""
        known = self._catalog.get("pages", {}).get(page_id)
        return (known[0], known[1], known[2], known[3]) if known else (None, None, None, None)

    # ---- text ---------------------------------------------------------------------------------

    def text(self, doc: int) -> str:
        """The article's searchable text as printed (see `searchable.doc_text`)."""
        return bytes(self.utf8[self.byte_starts[doc] : self.byte_starts[doc + 1]]).decode("utf-8")

    def article(self, doc: int) -> Article:
        """The whole record of one article, read on its own (the store's tables are not needed)."""
        return article_from_dict(self._record("article", doc))

    def school(self, i: int) -> School:
        return school_from_dict(self._record("school", i))

    def _record(self, kind: str, i: int) -> dict[str, Any]:
        blob, starts = self._records[kind]
        return json.loads(zlib.decompress(bytes(blob[starts[i] : starts[i + 1]])))

    @cached_property
    def folded(self) -> str:
        """The whole folded text, for the rare queries the pair lists cannot answer alone
        (wildcards, regular expressions); made on first use."""
        return normalize(bytes(self.utf8).decode("utf-8"))

    # ---- lookups ------------------------------------------------------------------------------

    def pair(self, a: str, b: str) -> slice:
        """Where in `positions` (sorted) and `slot_words` the two characters side by side stand."""
        key = (ord(a) << SHIFT) | ord(b)
        i = int(np.searchsorted(self.keys, key))
        if i == len(self.keys) or int(self.keys[i]) != key:
            return slice(0, 0)
        return slice(int(self.key_starts[i]), int(self.key_starts[i + 1]))

    def char(self, a: str) -> slice:
        """Where one character stands: every pair it starts (positions not sorted)."""
        lo, hi = np.searchsorted(self.keys, [ord(a) << SHIFT, (ord(a) + 1) << SHIFT])
        return slice(int(self.key_starts[lo]), int(self.key_starts[hi]))

    def spaces_after(self, a: str) -> np.ndarray:
        """The codes of the space characters that follow `a` somewhere (usually none)."""
        lo, hi = np.searchsorted(self.keys, [ord(a) << SHIFT, (ord(a) + 1) << SHIFT])
        followers = self.keys[lo:hi] & ((1 << SHIFT) - 1)
        return followers[np.isin(followers, SPACES)]

    def whole_words(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """1 where a jieba word starts at `starts` and the next one at `ends`, else 0."""
        return self.flags[starts] & self.flags[ends] & WORD_START

    def is_space(self, positions: np.ndarray) -> np.ndarray:
        return (self.flags[positions] & SPACE).astype(bool)

    def locate(self, positions: np.ndarray) -> np.ndarray:
        """The slot (4 × article + part) of each position."""
        return np.searchsorted(self.part_starts, positions, side="right") - 1

    def position(self, article_id: str) -> int | None:
        """Where an article stands in the index (its row in every per-article array)."""
        return self._positions.get(article_id)

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {d.id: n for n, d in enumerate(self.docs)}

    @cached_property
    def area_labels(self) -> list[str]:
        return [_area_label(a) for a in self.areas]

    @cached_property
    def doc_area(self) -> np.ndarray:
        return np.array([d.area for d in self.docs], dtype=np.int32)

    @cached_property
    def doc_file(self) -> np.ndarray:
        ids = {f: i for i, f in enumerate(self.files)}
        return np.array([ids[d.file] for d in self.docs], dtype=np.int32)

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
        """Map an index file; IndexFileError (one line) when it is missing, cut short or foreign."""
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
            return cls(header, arrays, buffer)
        except (KeyError, TypeError, ValueError) as err:
            raise IndexFileError(f"search index {path} is damaged ({err})") from None


ARRAYS = (
    "catalog", "school_catalog", "keys", "key_starts", "positions", "slot_words", "pair_words", "part_starts", "byte_starts", "utf8",
    "flags", "doc_words", "article_records", "article_record_starts", "school_records", "school_record_starts", "school_ptr", "school_ids",
    "story",
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
