"""The compressed position lists and the lean article records of the search index: what is
written reads back exactly, whole or a block at a time."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.records import Sidebar, to_dict
from store.search.postings import BLOCK, Decoded, encode
from store.search.searchable import doc_text, with_text, without_text

# Gaps of every size a list can hold: neighbours, a line apart, a corpus apart (past 2^28).
gaps = st.one_of(st.integers(1, 3), st.integers(100, 20_000), st.integers(1 << 27, 1 << 29))
lists = st.lists(st.lists(gaps, min_size=1, max_size=3 * BLOCK), min_size=1, max_size=6)


def laid_end_to_end(all_gaps: list[list[int]]) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    arrays = [np.cumsum(g, dtype=np.int64) for g in all_gaps]
    firsts = np.r_[0, np.cumsum([len(a) for a in arrays])]
    return arrays, np.concatenate(arrays).astype(np.uint64), firsts


@settings(max_examples=80, deadline=None)
@given(lists)
def test_every_list_decodes_to_what_was_encoded(all_gaps):
    arrays, positions, firsts = laid_end_to_end(all_gaps)
    postings = encode(positions, firsts)
    for key, expected in enumerate(arrays):
        assert postings.length(key) == len(expected)
        assert postings.lists(key, key + 1).tolist() == expected.tolist()
    assert postings.lists(0, len(arrays)).tolist() == positions.tolist()


@settings(max_examples=80, deadline=None)
@given(lists, st.lists(st.integers(0, 1 << 30), max_size=40), st.data())
def test_membership_decodes_only_some_blocks_and_answers_as_the_whole_list(all_gaps, strangers, data):
    arrays, positions, firsts = laid_end_to_end(all_gaps)
    postings = encode(positions, firsts)
    key = data.draw(st.integers(0, len(arrays) - 1))
    members = data.draw(st.lists(st.sampled_from(arrays[key].tolist()), max_size=20))
    asked = np.array(members + strangers, dtype=np.int64)
    assert postings.contains(key, asked).tolist() == np.isin(asked, arrays[key]).tolist()


def test_a_frequent_pair_takes_about_a_byte_a_position():
    positions = np.cumsum(np.full(10_000, 40, dtype=np.int64))
    postings = encode(positions, np.array([0, len(positions)]))
    assert postings.data.nbytes <= 1.05 * len(positions)


def test_every_bundled_article_is_whole_again_from_its_lean_record_and_text(store):
    for article in store.articles():
        lean = without_text(article)
        assert "paragraphs" not in lean and "lines" in lean
        assert with_text(lean, doc_text(article)) == to_dict(article)


def test_a_record_whose_lines_the_text_cannot_give_back_stays_whole(store):
    article = store.articles()[0]
    broken = dataclasses.replace(
        article, paragraphs=("一段\n两行", *article.paragraphs), sidebars=(Sidebar("", ("边栏",)),)
    )
    assert without_text(broken) == to_dict(broken)
    assert with_text(without_text(broken), doc_text(broken)) == to_dict(broken)


def test_sidebars_and_empty_lines_come_back_in_place(store):
    article = store.articles()[0]
    boxed = dataclasses.replace(
        article, subtitle="", headings=("", "小标题"), captions=(),
        sidebars=(Sidebar("链接", ("甲", "")), Sidebar("", ("乙",))),
    )
    lean = without_text(boxed)
    assert "lines" in lean
    assert with_text(lean, doc_text(boxed)) == to_dict(boxed)


def test_decoded_lists_are_kept_within_their_limit_and_answer_as_the_lists_do():
    arrays = [np.arange(1, 1 + 3 * n, 3, dtype=np.int64) for n in (500, 300, 200)]
    postings = encode(np.concatenate(arrays), np.r_[0, np.cumsum([len(a) for a in arrays])])
    decoded = Decoded(postings, limit=600)
    for key in (0, 1, 2, 0):
        assert decoded.list(key).tolist() == arrays[key].tolist()
        assert decoded._held <= 600
    asked = np.arange(0, 1600, dtype=np.int64)
    for key, expected in enumerate(arrays):
        assert decoded.contains(key, asked).tolist() == np.isin(asked, expected).tolist()
        assert decoded.contains(key, asked[:3]).tolist() == np.isin(asked[:3], expected).tolist()
    with pytest.raises(ValueError):
        decoded.list(0)[0] = 7  # shared with later callers: read-only


def test_many_ascending_positions_are_placed_in_their_parts_as_one_at_a_time(store):
    ix = store.index
    total = int(ix.part_starts[-1])
    for size in (5, len(ix.part_starts), 4 * len(ix.part_starts)):
        positions = np.sort(np.random.default_rng(size).integers(0, total, size))
        assert ix.locate(positions, ascending=True).tolist() == ix.locate(positions).tolist()
