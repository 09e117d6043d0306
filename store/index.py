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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from store.files import atomic_write
from store.normalize import normalize
from store.records import Article, School, article_from_dict, school_from_dict, to_dict
from store.searchable import doc_text, pack_words, parts_of

MAGIC = b"BAIXIAO-INDEX 1\n"
ALIGN = 64
SHIFT = 21  # bits per character code in a pair key: every code point fits in 21 bits
CHUNK = 1 << 20  # elements per step where a whole-corpus temporary array would double the peak
VERSION = 1
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


@dataclass(frozen=True)
class SchoolInfo:
    """What lists, filters and counts need of a school; the full profile is `Index.school`."""

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


def _area_label(area: Sequence[str | None]) -> str:
    province, city, district = area
    return district or city or "—"


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
    def schools(self) -> list[SchoolInfo]:
        return [
            SchoolInfo(*(tuple(v) if isinstance(v, list) else v for v in s))
            for s in json.loads(bytes(self.arrays["school_catalog"]).decode("utf-8"))
        ]

    @cached_property
    def areas(self) -> list[list[str | None]]:
        return self._catalog["areas"]

    @cached_property
    def files(self) -> list[str]:
        return self._catalog["files"]

    # ---- text ---------------------------------------------------------------------------------

    def text(self, doc: int) -> str:
        """The article's searchable text as printed (see `doc_text`)."""
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

    def write(self, path: Path) -> None:
        atomic_write(path, _serialise(self.header, self.arrays))

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
)


def _serialise(header: dict[str, Any], arrays: dict[str, np.ndarray]) -> Iterable[bytes | memoryview]:
    """MAGIC, the header's length in 16 digits, the header (padded), then each array aligned;
    array offsets in the header count from the end of the padded header."""
    layout, offset = {}, 0
    for name, array in arrays.items():
        layout[name] = (array.dtype.str, len(array), offset)
        offset += -(-array.nbytes // ALIGN) * ALIGN
    head = json.dumps({**header, "arrays": layout}, ensure_ascii=False).encode("utf-8")
    head += b" " * (-(len(MAGIC) + 16 + len(head)) % ALIGN)
    yield MAGIC + f"{len(head):016d}".encode() + head
    for array in arrays.values():
        yield memoryview(np.ascontiguousarray(array)).cast("B")
        yield b"\0" * (-array.nbytes % ALIGN)


def build_index(
    articles: Sequence[Article],
    schools: Sequence[School],
    words: Sequence[bytes] | None = None,
    *,
    fingerprint: str = "",
    built: str = "",
) -> Index:
    """Index articles in store order. `words`: each article's `pack_words`, when the build has
    them already (segmenting is the costly part); computed here otherwise."""
    texts = [doc_text(a) for a in articles]
    utf8 = np.frombuffer("".join(texts).encode("utf-8"), dtype=np.uint8)
    byte_starts = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(t.encode("utf-8")) for t in texts], out=byte_starts[1:])
    folded = [normalize(t) for t in texts]
    del texts
    if words is None:
        from store.tokenize import cut_text  # only when the build did not segment already

        words = [pack_words(cut_text(f)) for f in folded]
    codes = _codes(folded)
    del folded
    keys, positions, firsts = _sorted_pairs(codes)

    part_lengths = [len(p) + 1 for a in articles for p in parts_of(a)]
    part_starts = np.zeros(len(part_lengths) + 1, dtype=np.int64)
    np.cumsum(part_lengths, out=part_starts[1:])

    starts = np.zeros(len(codes) + 1, dtype=bool)
    doc_words = np.zeros(len(articles), dtype=np.uint32)
    for i, lengths in enumerate(words):
        base = int(part_starts[4 * i])
        offsets = np.cumsum(np.frombuffer(lengths, dtype=np.uint8), dtype=np.int64)
        starts[base] = True
        starts[base + offsets] = True
        doc_words[i] = max(1, len(lengths))
    starts[(codes == 10).nonzero()[0]] = True
    flags = starts.view(np.uint8).copy()  # WORD_START is 1
    del starts
    flags[:-1][np.isin(codes, SPACES)] |= SPACE
    del codes
    slot_of = np.repeat(np.arange(len(part_lengths), dtype=np.uint32), part_lengths)
    slot_words = (slot_of[positions] << 1) | (flags[:-2] & flags[1:-1] & WORD_START)[positions]
    del slot_of

    school_at = {s.name: i for i, s in enumerate(schools)}
    areas: dict[tuple[str | None, ...], int] = {}
    files: dict[str, int] = {}
    docs, ptr, ids = [], [0], []
    for a in articles:
        area = areas.setdefault((a.region.province, a.region.city, a.region.district), len(areas))
        files.setdefault(a.file, len(files))
        mine = [school_at[n] for n in a.schools if n in school_at]
        ids.extend(mine)
        ptr.append(len(ids))
        docs.append([a.id, a.title, a.subject, a.file, area, mine])
    header = {"version": VERSION, "fingerprint": fingerprint, "built": built, "articles": len(articles)}
    catalog = {"docs": docs, "areas": [list(a) for a in areas], "files": list(files)}
    summaries = [[getattr(s, f.name) for f in fields(SchoolInfo)] for s in schools]
    arrays = {
        "catalog": np.frombuffer(json.dumps(catalog, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
        # apart: a search that names no school field never reads the schools
        "school_catalog": np.frombuffer(json.dumps(summaries, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
        "keys": keys,
        "key_starts": np.r_[firsts, len(positions)].astype(np.int64),
        "positions": positions,
        "slot_words": slot_words,
        "pair_words": (flags[:-2] & flags[2:] & WORD_START)[positions],
        "part_starts": part_starts,
        "byte_starts": byte_starts,
        "utf8": utf8,
        "flags": flags,
        "doc_words": doc_words,
        "school_ptr": np.array(ptr, dtype=np.int64),
        "school_ids": np.array(ids, dtype=np.int32),
        **_records("article", articles),
        **_records("school", schools),
    }
    return Index(header, arrays)


def _codes(folded: list[str]) -> np.ndarray:
    """The corpus's characters as code points, article after article."""
    whole = "".join(folded)
    return np.frombuffer(whole.encode("utf-32-le"), dtype=np.uint32) if whole else np.zeros(0, np.uint32)


def _sorted_pairs(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every adjacent pair of characters sorted by its key (position breaking ties): the distinct
    keys, the position of each pair in that order, and where each key's run starts.

    An argsort of 64-bit keys needs 24 bytes a character at once; a 50 MB page made that the
    build's peak. Characters are ranked among those the corpus uses instead, so that a pair's
    rank and its position share one 64-bit number and an in-place sort does the work in 8 bytes.
    Ranks keep the order of the code points, so the keys come out in the order of `SHIFT` keys.
    """
    present = np.zeros(0x110000, dtype=bool)
    present[codes] = True
    used = np.flatnonzero(present).astype(np.uint64)
    n, k = len(codes) - 1, np.uint64(max(len(used), 1))
    if n < 1:
        return np.zeros(0, np.uint64), np.zeros(0, np.uint32), np.zeros(0, np.int64)
    rank = np.zeros(0x110000, dtype=np.uint32)
    rank[used.astype(np.int64)] = np.arange(len(used), dtype=np.uint32)
    ranks = rank[codes]
    if len(used) <= 1 << 16 and n < 1 << 32:
        packed = ranks[:-1].astype(np.uint64)
        packed *= k
        packed += ranks[1:]
        del ranks
        packed <<= np.uint64(32)
        for lo in range(0, n, CHUNK):
            packed[lo : lo + CHUNK] |= np.arange(lo, min(lo + CHUNK, n), dtype=np.uint64)
        packed.sort()
        positions = np.empty(n, dtype=np.uint32)
        np.bitwise_and(packed, np.uint64(0xFFFFFFFF), out=positions, casting="unsafe")
        packed >>= np.uint64(32)
        pair_ranks = packed
    else:  # more distinct characters than 16 bits can rank: a hostile page, not prose
        pair_ranks = ranks[:-1].astype(np.uint64) * k + ranks[1:]
        positions = np.argsort(pair_ranks, kind="stable").astype(np.uint32)
        pair_ranks = pair_ranks[positions]
    firsts = np.flatnonzero(np.r_[True, pair_ranks[1:] != pair_ranks[:-1]])
    distinct = pair_ranks[firsts]
    keys = (used[distinct // k] << np.uint64(SHIFT)) | used[distinct % k]
    return keys, positions, firsts


def _records(kind: str, records: Sequence[Article] | Sequence[School]) -> dict[str, np.ndarray]:
    """Each record as compressed JSON, end to end, and where each starts: random access to one
    article or school without parsing the whole store."""
    blobs = [zlib.compress(json.dumps(to_dict(r), ensure_ascii=False).encode("utf-8"), 1) for r in records]
    starts = np.zeros(len(blobs) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in blobs], out=starts[1:])
    return {f"{kind}_records": np.frombuffer(b"".join(blobs), dtype=np.uint8), f"{kind}_record_starts": starts}


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
