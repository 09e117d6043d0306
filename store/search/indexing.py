"""Writing the search index: the arrays `store.search.index` maps, made from a build's articles.

The build runs this once, after parsing; opening and searching a store never needs it.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np

from store.files import atomic_write
from store.normalize import normalize
from store.records import Article, Page, School, SchoolSummary, to_dict
from store.search.index import ALIGN, CHUNK, MAGIC, SHIFT, SPACE, SPACES, VERSION, WORD_START, Index
from store.search.searchable import doc_text, parts_of


def write_index(index: Index, path: Path) -> None:
    atomic_write(path, _serialise(index.header, index.arrays))


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
        yield np.ascontiguousarray(array).data.cast("B")
        yield b"\0" * (-array.nbytes % ALIGN)


def build_index(
    articles: Sequence[Article],
    schools: Sequence[School],
    words: Sequence[bytes],
    *,
    pages: Sequence[Page] = (),
    reprints: Sequence[Sequence[str]] = (),
    fingerprint: str = "",
    built: str = "",
) -> Index:
    """Index articles in store order. `words`: each article's jieba words as `pack_words` packs
    them; the build has them from parsing (segmenting is its costliest step). `reprints`: groups
    of article ids that are one story (store.ingest.reprints), read and counted once."""
    texts = [doc_text(a) for a in articles]
    utf8 = np.frombuffer("".join(texts).encode("utf-8"), dtype=np.uint8)
    byte_starts = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(t.encode("utf-8")) for t in texts], out=byte_starts[1:])
    folded = [normalize(t) for t in texts]
    del texts
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
    cited = {p.id: [p.publication, p.date, p.edition, p.title] for p in pages if p.publication or p.date or p.edition or p.title}
    catalog = {"docs": docs, "areas": [list(a) for a in areas], "files": list(files), "pages": cited}
    summaries = [[getattr(s, f.name) for f in fields(SchoolSummary)] for s in schools]
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
        "story": _stories(articles, reprints),
        "school_ids": np.array(ids, dtype=np.int32),
        **_records("article", articles),
        **_records("school", schools),
    }
    return Index(header, arrays)


def _stories(articles: Sequence[Article], reprints: Sequence[Sequence[str]]) -> np.ndarray:
    """Each article's story as the position of its first printing (its own when it stands alone)."""
    at = {a.id: n for n, a in enumerate(articles)}
    story = np.arange(len(articles), dtype=np.int32)
    for group in reprints:
        members = sorted(at[i] for i in group if i in at)
        if members:
            story[members] = members[0]
    return story


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
