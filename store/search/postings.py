"""Position lists, compressed: sorted positions as gaps in variable-length bytes, in blocks.

Every pair of characters in the corpus has a sorted list of the positions where it stands; kept
as raw 32-bit numbers those lists were four bytes a character, more than the text itself. The
gaps between neighbours are small where a pair is frequent, and a gap takes one byte per seven
bits (the high bit of a byte says another follows), so a list shrinks to about two bytes a
position.

A list is cut into blocks of BLOCK positions. Each block keeps its first position whole (its
first gap is 0), so any block decodes on its own: a frequent pair is checked for a few
candidate positions by decoding only the blocks they fall in, and the lists of one character
(the pairs it starts stand side by side) decode in one pass. Decoding is whole-array numpy work,
never a loop over positions.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

BLOCK = 128
_CHUNK = 1 << 20  # positions encoded per step, so that encoding never holds a whole-corpus temporary


@dataclass(frozen=True)
class Postings:
    """The encoded lists: `data` (the bytes), and per block its first position, its first byte
    and its first element; per list (by key) its first block. The last entry of each `*_start`
    array closes the one before it."""

    data: np.ndarray
    block_first: np.ndarray
    block_byte: np.ndarray
    block_elem: np.ndarray
    key_block: np.ndarray

    def length(self, key: int) -> int:
        """How many positions list `key` holds, without decoding it."""
        b = self.key_block
        return int(self.block_elem[b[key + 1]]) - int(self.block_elem[b[key]])

    def lists(self, first: int, last: int) -> np.ndarray:
        """Every position of lists first … last-1 (each list sorted, not the whole)."""
        return self._decode(np.arange(int(self.key_block[first]), int(self.key_block[last])))

    def contains(self, key: int, values: np.ndarray) -> np.ndarray:
        """Which of `values` list `key` holds: only the blocks they could fall in are decoded."""
        lo, hi = int(self.key_block[key]), int(self.key_block[key + 1])
        if lo == hi or len(values) == 0:
            return np.zeros(len(values), dtype=bool)
        at = np.searchsorted(self.block_first[lo:hi], values, side="right") - 1
        touched = np.zeros(hi - lo, dtype=bool)
        touched[at[at >= 0]] = True
        found = self._decode(lo + np.flatnonzero(touched))
        if len(found) == 0:
            return np.zeros(len(values), dtype=bool)
        where = np.minimum(np.searchsorted(found, values), len(found) - 1)
        return found[where] == values

    def _decode(self, blocks: np.ndarray) -> np.ndarray:
        """The positions in `blocks` (ascending block numbers), as int64. Blocks that lie close
        together are decoded as the whole run from the first to the last, which is faster than
        gathering their bytes; the blocks between are dropped after."""
        if len(blocks) == 0:
            return np.zeros(0, dtype=np.int64)
        first, last = int(blocks[0]), int(blocks[-1])
        if last - first + 1 <= 4 * len(blocks):
            run = np.arange(first, last + 1)
            found = self._decode_run(run)
            if len(run) == len(blocks):
                return found
            wanted = np.zeros(len(run), dtype=bool)
            wanted[blocks - first] = True
            return found[np.repeat(wanted, self._counts(run))]
        lo, hi = self.block_byte[blocks].astype(np.int64), self.block_byte[blocks + 1].astype(np.int64)
        sizes = hi - lo
        data = self.data[np.repeat(lo - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))]
        return self._positions(blocks, unpack(data))

    def _decode_run(self, run: np.ndarray) -> np.ndarray:
        data = self.data[int(self.block_byte[run[0]]) : int(self.block_byte[run[-1] + 1])]
        return self._positions(run, unpack(data))

    def _counts(self, blocks: np.ndarray) -> np.ndarray:
        return self.block_elem[blocks + 1].astype(np.int64) - self.block_elem[blocks]

    def _positions(self, blocks: np.ndarray, gaps: np.ndarray) -> np.ndarray:
        """Each block's gaps summed from its first position."""
        counts = self._counts(blocks)
        total = np.cumsum(gaps)
        firsts = np.cumsum(counts) - counts
        return total - np.repeat(total[firsts] - self.block_first[blocks].astype(np.int64), counts)


class Decoded:
    """Whole lists decoded lately, up to `limit` positions in all (4 bytes each: 128 MB), least
    recently used first out.

    The lists of common pairs are asked about again and again (every keystroke of a growing
    query asks again), and decoding them is most of what a search of several characters costs.
    A few positions are looked up in a long list without decoding it whole; once they would
    touch an eighth of its blocks, the list is decoded whole and kept."""

    def __init__(self, postings: Postings, limit: int = 1 << 25) -> None:
        self.postings = postings
        self.limit = limit
        self._lists: OrderedDict[int, np.ndarray] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()  # the app searches on a worker thread

    def list(self, key: int) -> np.ndarray:
        """List `key` whole, sorted, as 32-bit numbers (read-only: it may be shared with the next
        caller)."""
        with self._lock:
            found = self._lists.get(key)
            if found is not None:
                self._lists.move_to_end(key)
                return found
        found = self.postings.lists(key, key + 1).astype(np.uint32)
        found.flags.writeable = False
        with self._lock:
            if key not in self._lists and len(found) <= self.limit:
                self._lists[key] = found
                self._held += len(found)
                while self._held > self.limit:
                    self._held -= len(self._lists.popitem(last=False)[1])
        return found

    def contains(self, key: int, values: np.ndarray) -> np.ndarray:
        """Which of `values` list `key` holds."""
        with self._lock:
            whole = self._lists.get(key)
        if whole is None and 8 * len(values) * BLOCK < self.postings.length(key):
            return self.postings.contains(key, values)
        whole = self.list(key) if whole is None else whole
        if len(whole) == 0:
            return np.zeros(len(values), dtype=bool)
        values = values.astype(np.uint32)
        return whole[np.minimum(np.searchsorted(whole, values), len(whole) - 1)] == values

    def clear(self) -> None:
        with self._lock:
            self._lists.clear()
            self._held = 0


def unpack(data: np.ndarray) -> np.ndarray:
    """Numbers from their 7-bit groups, least significant first; a byte below 128 ends one.
    Read back from each number's last byte: the bytes before it are its own while they are 128
    or more (the byte that ends the number before is below 128)."""
    ends = np.flatnonzero(data < 0x80)
    values = data[ends].astype(np.int64)
    own = np.ones(len(ends), dtype=bool)
    for k in range(1, 5):
        before = data[np.maximum(ends - k, 0)]
        own &= (before >= 0x80) & (ends >= k)
        if not own.any():
            break
        values = np.where(own, (values << 7) | (before & 0x7F), values)
    return values


def encode(positions: np.ndarray, firsts: np.ndarray) -> Postings:
    """Encode lists laid end to end: `positions` (each list sorted), `firsts` where each list
    starts (the lists' count + 1 entries, the last being len(positions))."""
    lengths = np.diff(firsts)
    per_list = -(-lengths // BLOCK)
    key_block = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(per_list, out=key_block[1:])
    step = np.arange(int(key_block[-1]), dtype=np.int64) - np.repeat(key_block[:-1], per_list)
    block_elem = np.r_[np.repeat(firsts[:-1], per_list) + BLOCK * step, len(positions)].astype(np.int64)
    starts = np.zeros(len(positions), dtype=bool)
    starts[block_elem[:-1]] = True
    chunks, block_bytes, size = [], [], 0
    for lo, gaps in _gaps(positions, starts):
        packed, offsets = pack(gaps)
        block_bytes.append(size + offsets[starts[lo : lo + len(gaps)]])
        chunks.append(packed)
        size += len(packed)
    block_byte = np.r_[np.concatenate(block_bytes) if block_bytes else np.zeros(0, np.int64), size].astype(np.int64)
    data = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.uint8)
    return Postings(data, positions[block_elem[:-1]].astype(np.uint32), _narrow(block_byte), _narrow(block_elem), _narrow(key_block))


def _narrow(offsets: np.ndarray) -> np.ndarray:
    """Offsets in 32 bits when they fit (half the space of the table of blocks)."""
    return offsets.astype(np.uint32) if len(offsets) == 0 or int(offsets[-1]) < 1 << 32 else offsets


def _gaps(positions: np.ndarray, starts: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
    for lo in range(0, len(positions), _CHUNK):
        chunk = positions[lo : lo + _CHUNK].astype(np.int64)
        gaps = np.diff(chunk, prepend=chunk[0] if lo == 0 else int(positions[lo - 1]))
        gaps[starts[lo : lo + _CHUNK]] = 0
        yield lo, gaps


def pack(gaps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each number as 7-bit groups, least significant first, the high bit set on all but the last;
    and where each gap's bytes start. Packed _CHUNK numbers at a time, so that the temporaries
    stay small whatever the length."""
    if len(gaps) <= _CHUNK:
        return _pack(gaps)
    packed, offsets, size = [], [], 0
    for lo in range(0, len(gaps), _CHUNK):
        out, starts = _pack(gaps[lo : lo + _CHUNK])
        packed.append(out)
        offsets.append(starts + size)
        size += len(out)
    return np.concatenate(packed), np.concatenate(offsets)


def _pack(gaps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    sizes = np.ones(len(gaps), dtype=np.int64)
    for bits in (7, 14, 21, 28):
        sizes += gaps >= (1 << bits)
    offsets = np.cumsum(sizes) - sizes
    out = np.zeros(int(sizes.sum()), dtype=np.uint8)
    for k in range(int(sizes.max()) if len(sizes) else 0):
        some = np.flatnonzero(sizes > k)
        more = (sizes[some] > k + 1).astype(np.int64) << 7
        out[offsets[some] + k] = ((gaps[some] >> (7 * k)) & 0x7F) | more
    return out, offsets
