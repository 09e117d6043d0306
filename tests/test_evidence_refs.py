"""Evidence on disk points at its sentence: every bundled school reads back as it was built,
from the store's tables and from the index alike, and the store no longer repeats the text."""

from __future__ import annotations

import dataclasses
import json

from store.evidence_refs import lean_school, passages_of, whole_school
from store.records import Evidence


def test_every_bundled_school_reads_back_whole_from_its_references(store):
    passages = passages_of(store.articles())
    schools = [s for s in store.schools() if s.evidence]
    assert schools
    for school in schools:
        lean = lean_school(school, passages)
        assert all(isinstance(e, list) and len(e) == 5 for items in lean["evidence"].values() for e in items)
        assert whole_school(json.loads(json.dumps(lean)), passages) == school


def test_the_index_gives_each_school_as_the_store_tables_do(store):
    for i, school in enumerate(store.schools()):
        assert store.index.school(i) == school


def test_the_store_file_holds_no_evidence_sentence_twice(built_db, store):
    tables = json.loads(built_db.read_text(encoding="utf-8"))
    written = [e for s in tables["schools"].values() for items in s["evidence"].values() for e in items]
    assert written and all(isinstance(e, list) for e in written)
    first = next(e for s in store.schools() for items in s.evidence.values() for e in items)
    assert first.sentence in store.article(first.article).passages()[first.paragraph]


def test_a_sentence_its_passage_does_not_hold_is_kept_as_written(store):
    school = next(s for s in store.schools() if s.evidence)
    field, items = next(iter(school.evidence.items()))
    stray = Evidence(items[0].value, items[0].article, items[0].paragraph, "这句话不在原文中。")
    odd = dataclasses.replace(school, evidence={**school.evidence, field: (stray, *items[1:])})
    passages = passages_of(store.articles())
    lean = lean_school(odd, passages)
    assert lean["evidence"][field][0]["sentence"] == "这句话不在原文中。"
    assert whole_school(lean, passages) == odd
