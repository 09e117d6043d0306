"""Writing the search index: the arrays `store.search.index` maps, made from a build's articles.

The build runs this once, after parsing; opening and searching a store never needs it.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import fields
from functools import cache
from typing import Any, BinaryIO

import numpy as np

from store.dates import NONE, code
from store.normalize import folded_codes
from store.records import Article, Page, School, SchoolSummary, json_bytes
from store.search.index import ALIGN, CHUNK, MAGIC, POSTINGS, SHIFT, SPACES, VERSION, Index
from store.search.postings import encode, pack
from store.search.searchable import doc_text, parts_of, text_of_parts, written_records

WORDS_BATCH = 4096  # articles whose word lengths are summed at once


def write_index(index: Index, out: BinaryIO) -> None:
    """Into a temp file of `files.replacing`, put in place with the store it indexes."""
    for chunk in _serialise(index.header, index.arrays):
        out.write(chunk)


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
    text_at: tuple[Any, np.ndarray, np.ndarray] | None = None,
    records: tuple[list[bytes], list[bytes]] | None = None,
    positions: dict[str, np.ndarray] | None = None,
) -> Index:
    """Index articles in store order. `words`: each article's jieba words as `pack_words` packs
    them; the build has them from parsing (segmenting is its costliest step). `reprints`: groups
    of article ids that are one story (store.ingest.reprints), read and counted once. `text_at`:
    the store file `write_store` wrote (mapped) and where each article's text stands in it; an
    index that is never written (as tests make) keeps its texts in memory. `records`: as
    `written_records` makes them, when the caller has them already. `positions`: what
    `index_positions` made of the same articles' texts and words, when the caller has it."""
    article_json, school_json = records or written_records(articles, schools)
    if text_at is None:
        text_at = _in_memory([doc_text(a) for a in articles])
    school_at = {s.name: i for i, s in enumerate(schools)}
    areas: dict[tuple[str | None, ...], int] = {}
    files: dict[str, int] = {}
    doc_area, doc_file, ptr, ids = [], [], [0], []
    for a in articles:
        doc_area.append(areas.setdefault((a.region.province, a.region.city, a.region.district), len(areas)))
        doc_file.append(files.setdefault(a.file, len(files)))
        mine = [school_at[n] for n in a.schools if n in school_at]
        ids.extend(mine)
        ptr.append(len(ids))
    header = {"version": VERSION, "fingerprint": fingerprint, "built": built, "articles": len(articles)}
    dated = {p.id: code(p.date) for p in pages if p.date}
    cited = {p.id: [p.publication, p.date, p.edition, p.title] for p in pages if p.publication or p.date or p.edition or p.title}
    catalog = {"areas": [list(a) for a in areas], "files": list(files)}
    summaries = [[getattr(s, f.name) for f in fields(SchoolSummary)] for s in schools]
    arrays = {
        "catalog": _packed_json(catalog),
        "page_catalog": _packed_json(cited),  # apart: only citations read it
        **{f"doc_{name}": _column(getattr(a, name) for a in articles) for name in ("id", "title", "subject")},
        "doc_area": np.array(doc_area, dtype=np.int32),
        "doc_file": np.array(doc_file, dtype=np.int32),
        "doc_date": np.array([dated.get(a.page, NONE) for a in articles], dtype=np.int32),
        # apart: a search that names no school field never reads the schools
        "school_catalog": _packed_json(summaries),
        **(positions if positions is not None else index_positions(articles, words)),
        "text_starts": text_at[1],
        "text_ends": text_at[2],
        "school_ptr": np.array(ptr, dtype=np.int64),
        "story": _stories(articles, reprints),
        "school_ids": np.array(ids, dtype=np.int32),
        **_blobs("article_records", article_json),
        **_blobs("school_records", school_json),
    }
    return Index(header, arrays, text_at[0])


def index_positions(articles: Sequence[Article], words: Sequence[bytes]) -> dict[str, np.ndarray]:
    """The arrays made from the articles' texts and words alone: where each pair of characters
    and each character stands, the parts' starts, the word starts, the spaces, the words per
    article. Resolving schools changes none of them, so the build makes them meanwhile, the
    pairs' and the characters' in two forked children (store.ingest.forked)."""
    return {**pair_positions(articles), **char_positions(articles, words)}


def pair_positions(articles: Sequence[Article]) -> dict[str, np.ndarray]:
    """Where each pair of characters stands: the distinct pairs (`keys`) and their postings."""
    codes, _ = _corpus_codes(articles)
    keys, positions, firsts = _sorted_pairs(codes)
    postings = encode(positions, np.r_[firsts, len(positions)])
    return {"keys": keys, **{f"post_{name}": getattr(postings, name) for name in POSTINGS}}


def char_positions(articles: Sequence[Article], words: Sequence[bytes]) -> dict[str, np.ndarray]:
    """Where each character stands (as slots, see `_char_slots`), the parts' starts, the word
    starts, the spaces and the words per article."""
    codes, part_starts = _corpus_codes(articles)
    starts = _word_starts(words, part_starts[:-1:4], len(codes))
    doc_words = np.maximum(np.fromiter(map(len, words), dtype=np.uint32, count=len(words)), 1)
    starts[(codes == 10).nonzero()[0]] = True
    spaces = np.flatnonzero(np.isin(codes, SPACES))
    chars = _char_slots(codes, starts, part_starts)
    return {
        "part_starts": part_starts,
        "word_starts": np.packbits(starts, bitorder="little"),
        "spaces": spaces,
        **chars,
        "doc_words": doc_words,
    }


def _corpus_codes(articles: Sequence[Article]) -> tuple[np.ndarray, np.ndarray]:
    """The articles' searchable texts end to end, as folded code points, and where each part starts."""
    parts = [parts_of(a) for a in articles]
    codes = _folded(_codes([text_of_parts(four) for four in parts]))
    part_starts = np.zeros(4 * len(parts) + 1, dtype=np.int64)
    np.cumsum([len(p) + 1 for four in parts for p in four], out=part_starts[1:])
    return codes, part_starts


def _word_starts(words: Sequence[bytes], bases: np.ndarray, size: int) -> np.ndarray:
    """Where each word starts (and where the last ends), as a bit per character: each article's
    word lengths summed from its start, a batch of articles at a time."""
    starts = np.zeros(size + 1, dtype=bool)
    starts[bases] = True
    for lo in range(0, len(words), WORDS_BATCH):
        batch = words[lo : lo + WORDS_BATCH]
        counts = np.fromiter(map(len, batch), dtype=np.int64, count=len(batch))
        ends = np.cumsum(np.frombuffer(b"".join(batch), dtype=np.uint8), dtype=np.int64)
        owner = np.repeat(np.arange(len(batch)), counts)
        before = np.r_[0, ends][np.cumsum(counts) - counts]  # the batch's words before each article's
        starts[bases[lo + owner] + ends - before[owner]] = True
    return starts


def _in_memory(texts: list[str]) -> tuple[bytes, np.ndarray, np.ndarray]:
    literals = [json_bytes(t) for t in texts]
    ends = np.cumsum([len(b) for b in literals], dtype=np.int64)
    return b"".join(literals), ends - [len(b) for b in literals], ends


def _stories(articles: Sequence[Article], reprints: Sequence[Sequence[str]]) -> np.ndarray:
    """Each article's story as the position of its first printing (its own when it stands alone)."""
    at = {a.id: n for n, a in enumerate(articles)}
    story = np.arange(len(articles), dtype=np.int32)
    for group in reprints:
        members = sorted(at[i] for i in group if i in at)
        if members:
            story[members] = members[0]
    return story


def _char_slots(codes: np.ndarray, starts: np.ndarray, part_starts: np.ndarray) -> dict[str, np.ndarray]:
    """For each character the corpus uses, the slots it stands in (slot × 2 + whether it is a
    one-character word there), each with how often: a query of one character — the commonest
    kind, typed first — is ranked from these, never from its every position."""
    present = np.zeros(0x110000, dtype=bool)
    present[codes] = True
    used = np.flatnonzero(present)
    rank = np.zeros(0x110000, dtype=np.uint64)
    rank[used] = np.arange(len(used), dtype=np.uint64)
    keys = rank[codes]
    del rank
    keys <<= np.uint64(32)
    for lo in range(0, len(keys), CHUNK):
        hi = min(lo + CHUNK, len(keys))
        slots = np.searchsorted(part_starts, np.arange(lo, hi), side="right").astype(np.uint64) - np.uint64(1)
        keys[lo:hi] |= (slots << np.uint64(1)) | (starts[lo:hi] & starts[lo + 1 : hi + 1])
    keys.sort(kind="stable")
    if len(keys) == 0:
        postings = encode(np.zeros(0, np.int64), np.zeros(1, np.int64))
        return {"chars": used.astype(np.uint32), **{f"char_{n}": getattr(postings, n) for n in POSTINGS},
                "char_counts": np.zeros(0, np.uint8), "char_count_bytes": np.zeros(1, np.int64)}
    distinct = np.empty(len(keys), dtype=bool)  # a 50 MB page's build peaks here: no temporary of 8 bytes a key
    distinct[0] = True
    np.not_equal(keys[1:], keys[:-1], out=distinct[1:])
    firsts = np.flatnonzero(distinct)
    counts = np.empty(len(firsts), dtype=np.uint32)
    np.subtract(firsts[1:], firsts[:-1], out=counts[:-1], casting="unsafe")
    counts[-1] = len(keys) - firsts[-1]
    del firsts
    keys = _kept(keys, distinct)
    del distinct
    chars = keys >> np.uint64(32)
    char_firsts = np.flatnonzero(np.r_[True, chars[1:] != chars[:-1]])
    del chars
    keys &= np.uint64(0xFFFFFFFF)
    postings = encode(keys, np.r_[char_firsts, len(keys)])
    del keys
    packed, offsets = pack(counts)
    return {
        "chars": used.astype(np.uint32),
        **{f"char_{name}": getattr(postings, name) for name in POSTINGS},
        "char_counts": packed,
        "char_count_bytes": np.r_[offsets[char_firsts], len(packed)].astype(np.int64),
    }


def _kept(values: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """values[keep], moved to the front of `values` itself a CHUNK at a time: no second array as
    long as the first."""
    size = 0
    for lo in range(0, len(values), CHUNK):
        part = values[lo : lo + CHUNK][keep[lo : lo + CHUNK]]
        values[size : size + len(part)] = part
        size += len(part)
    return values[:size]


def _folded(codes: np.ndarray) -> np.ndarray:
    """Code points folded as `store.normalize` folds text (one for one), a CHUNK at a time: one
    table lookup each, where folding the texts one by one was most of the Python work in making
    the positions."""
    table = _fold_table()
    folded = np.empty_like(codes)
    for lo in range(0, len(codes), CHUNK):
        folded[lo : lo + CHUNK] = table[codes[lo : lo + CHUNK]]
    return folded


@cache
def _fold_table() -> np.ndarray:
    table = np.arange(0x110000, dtype=np.uint32)
    folds = folded_codes()
    table[list(folds)] = list(folds.values())
    return table


def _codes(texts: list[str]) -> np.ndarray:
    """The corpus's characters as code points, article after article."""
    whole = "".join(texts)
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
        packed.sort(kind="stable")  # equal keys are equal numbers; numpy's stable sort was a third faster here
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


def _column(values: Iterable[str]) -> np.ndarray:
    """Strings one after another, NUL between (no page text holds one: reading removes them):
    the whole column is read back with one split, far faster than parsing JSON."""
    return np.frombuffer(zlib.compress("\0".join(v.replace("\0", "") for v in values).encode("utf-8"), 6), dtype=np.uint8)


def _packed_json(value: Any) -> np.ndarray:
    return np.frombuffer(zlib.compress(json_bytes(value), 9), dtype=np.uint8)


def _blobs(kind: str, items: Iterable[bytes]) -> dict[str, np.ndarray]:
    """Each blob compressed on its own, end to end, and where each starts: random access to one
    article's record, or one school's, without reading the rest."""
    packed = [zlib.compress(b, 6) for b in items]
    starts = np.zeros(len(packed) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in packed], out=starts[1:])
    return {kind: np.frombuffer(b"".join(packed), dtype=np.uint8), f"{kind}_starts": starts}
