"""A school's evidence as written to disk: where each sentence stands, not the sentence again.

Every fact a school shows keeps the sentence it was read from, and a school named in many
articles has many; written out whole, they were most of the store (and of the index's school
records). On disk an item is a list, [value, article, paragraph, start, end]: the sentence is
its place in the passage it comes from, and reading puts the text back from the article, which
the store holds anyway. A sentence the passage does not hold as written (it should not happen)
is kept whole, as the record's dict.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from store.records import Article, Evidence, School, plain, school_from_dict, to_dict

Passages = Callable[[str], tuple[str, ...]]


def passages_of(articles: list[Article]) -> Passages:
    """Each article's passages by id, from articles at hand."""
    by_id = {a.id: a for a in articles}
    return lambda article_id: by_id[article_id].passages() if article_id in by_id else ()


def lean_school(school: School, passages: Passages) -> dict[str, Any]:
    """The school as a dict, each evidence sentence replaced by where it stands. The evidence is
    read from the records themselves, never made into dicts first (at 100,000 articles that was
    a quarter of writing the store)."""
    evidence = {field: [_pointed(item, passages) for item in items] for field, items in school.evidence.items()}
    return {name: evidence if name == "evidence" else plain(value) for name, value in vars(school).items()}


def _pointed(item: Evidence, passages: Passages) -> dict[str, Any] | list[Any]:
    lines = passages(item.article)
    paragraph = item.paragraph
    start = lines[paragraph].find(item.sentence) if 0 <= paragraph < len(lines) else -1
    if start < 0:
        return to_dict(item)
    return [plain(item.value), item.article, paragraph, start, start + len(item.sentence)]


def whole_school(record: dict[str, Any], passages: Passages) -> School:
    """A school `lean_school` wrote, its sentences read back from their passages."""
    record["evidence"] = {field: [_quoted(item, passages) for item in items] for field, items in record["evidence"].items()}
    return school_from_dict(record)


def _quoted(item: dict[str, Any] | list[Any], passages: Passages) -> dict[str, Any]:
    if isinstance(item, dict):
        return item
    value, article, paragraph, start, end = item
    lines = passages(article)
    sentence = lines[paragraph][start:end] if 0 <= paragraph < len(lines) else ""
    return {"value": value, "article": article, "paragraph": paragraph, "sentence": sentence}
