"""Build the store from a folder of pages: read → reflow → segment → words and keywords → analyse,
per page (in a process pool), then resolve schools across the corpus and write the store and its
search index.

Incremental: a parsed page is cached by its bytes, so an unchanged page is not parsed again; an
unchanged corpus (same folder, pages, manifest, lexicon and parser) is not rebuilt at all. Schools
are resolved across the whole corpus, so that last step always sees every article.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import cache
from importlib.resources import files
from pathlib import Path

from store import manifest, tokenize
from store.db import Store, StoreError, read_meta, writable_target, write_store
from store.files import atomic_write, remove_stale_temps
from store.extract import Analysis, analyse, analysis_from_dict, analysis_to_dict, extract
from store.index import build_index, index_matches, index_path
from store.searchable import decode_words, doc_text, encode_words, pack_words
from store.normalize import normalize
from store.names import place_from_label
from store.paths import cache_dir
from store.read import UndecodableError, decode
from store.records import SCHEMA_VERSION, Article, Page, Region, article_from_dict, page_from_dict, to_dict
from store.segment import blocks_of, segment

PAGE_SUFFIXES = (".txt", ".text")
# Below this many pages a process pool costs more (a jieba load per worker) than it saves.
PARALLEL_MIN_PAGES = 24

# Called with (what is being done, how many done, how many in all; 0 when not counted).
Progress = Callable[[str, int, int], None]


class CorpusError(Exception):
    """A corpus folder that cannot be used; one readable line."""


@dataclass(frozen=True)
class Source:
    path: Path
    data: bytes
    sha256: str

    @property
    def page_id(self) -> str:
        return self.path.stem


@dataclass
class BuildResult:
    pages: int = 0
    articles: int = 0
    schools: int = 0
    warnings: list[str] = field(default_factory=list)
    reparsed: int = 0
    up_to_date: bool = False
    seconds: float = 0.0

    def summary(self, db: Path) -> str:
        if self.up_to_date:
            return (
                f"store {db} is up to date: {self.pages} pages, {self.articles} articles, "
                f"{self.schools} schools, {len(self.warnings)} warnings"
            )
        return (
            f"built {db}: {self.pages} pages, {self.articles} articles, {self.schools} schools, "
            f"{len(self.warnings)} warnings ({self.seconds:.1f} s)"
        )


def scan(corpus: Path) -> list[Source]:
    """The page files of a corpus folder, in name order (their reading order)."""
    if not corpus.exists():
        raise CorpusError(f"corpus folder {corpus} does not exist")
    if not corpus.is_dir():
        raise CorpusError(f"corpus {corpus} is not a folder")
    sources = []
    for path in sorted(corpus.iterdir()):
        if path.is_file() and path.suffix.lower() in PAGE_SUFFIXES and not path.name.startswith("."):
            data = path.read_bytes()
            sources.append(Source(path, data, hashlib.sha256(data).hexdigest()))
    return sources


# The stages whose code shapes what a page parses into; editing one invalidates old stores.
PIPELINE = (
    "read", "reflow", "fold", "normalize", "names", "segment", "extract", "tokenize", "searchable", "lexicon", "records",
)


@cache
def _data_hash() -> str:
    """Hash of the lexicon, the gazetteer and the pipeline's code: a parser change means a rebuild."""
    digest = hashlib.sha256()
    package = files("store")
    for name in ("lexicon.yaml", "places.yaml", "common_chars.txt"):
        digest.update((package / "data" / name).read_bytes())
    for module in PIPELINE:
        digest.update((package / f"{module}.py").read_bytes())
    return digest.hexdigest()


def fingerprint(sources: Iterable[Source], corpus: Path) -> str:
    """Changes when anything that shapes the store changes: folder, pages, manifest, lexicon, parser."""
    digest = hashlib.sha256(f"{SCHEMA_VERSION}:{_data_hash()}:{corpus.resolve()}".encode())
    manifest_path = corpus / "corpus.yaml"
    if manifest_path.exists():
        digest.update(manifest_path.read_bytes())
    for s in sources:
        digest.update(f"{s.path.name}:{s.sha256}\n".encode())
    return digest.hexdigest()


def _manifest_region(info: manifest.PageInfo | None) -> Region | None:
    if info is None or not info.region:
        return None
    place = place_from_label(info.region)
    return place.region if place else None


@dataclass(frozen=True)
class _Parsed:
    page: Page | None
    articles: list[Article]
    analyses: list[Analysis] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    warning: str | None = None


def parse_page(source: Source, info: manifest.PageInfo | None) -> _Parsed:
    """One page, bytes to keyworded articles. Pure apart from jieba's lazy setup."""
    try:
        decoded = decode(source.data, info.encoding if info else None)
    except UndecodableError as err:
        return _Parsed(None, [], warning=f"{source.path}: skipped: {err}")
    articles = segment(blocks_of(decoded.text), source.page_id, source.path.name, _manifest_region(info))
    if not articles:
        return _Parsed(None, [], warning=f"{source.path}: skipped: no text found")
    packed = []
    for n, article in enumerate(articles):  # one article's words alive at a time: a long page stays small
        words = tokenize.cut_text(normalize(doc_text(article)))
        articles[n] = replace(article, keywords=tokenize.keywords(words))
        packed.append(encode_words(pack_words(words)))
    page = Page(
        id=source.page_id,
        file=source.path.name,
        encoding=decoded.encoding,
        sha256=source.sha256,
        articles=tuple(a.id for a in articles),
        title=info.title if info else None,
        publication=info.publication if info else None,
        date=info.date if info else None,
        region=info.region if info else None,
    )
    return _Parsed(page, articles, [analyse(a) for a in articles], packed)


def _parse_job(args: tuple[Source, manifest.PageInfo | None]) -> _Parsed:
    return parse_page(*args)


def _cache_path(source: Source, info: manifest.PageInfo | None) -> Path:
    """Parsed pages are cached by their bytes, name, manifest entry and the pipeline's hash."""
    key = hashlib.sha256(f"{source.path.name}\0{source.sha256}\0{info}".encode()).hexdigest()
    return cache_dir() / "pages" / _data_hash()[:16] / f"{key}.json"


def _prune_cache() -> None:
    """Pages parsed by an older pipeline can never be used again."""
    current = _data_hash()[:16]
    root = cache_dir() / "pages"
    if root.is_dir():
        for old in root.iterdir():
            if old.name != current and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)


def _cached(path: Path) -> _Parsed | None:
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
        return _Parsed(
            page_from_dict(d["page"]) if d["page"] else None,
            [article_from_dict(a) for a in d["articles"]],
            [analysis_from_dict(a) for a in d["analyses"]],
            d["words"],
            d["warning"],
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _store_cache(path: Path, parsed: _Parsed) -> None:
    data = {
        "page": to_dict(parsed.page) if parsed.page else None,
        "articles": [to_dict(a) for a in parsed.articles],
        "analyses": [analysis_to_dict(a) for a in parsed.analyses],
        "words": parsed.words,
        "warning": parsed.warning,
    }
    try:
        atomic_write(path, json.dumps(data, ensure_ascii=False).encode("utf-8"), durable=False)
    except OSError:
        pass  # a cache that cannot be written only costs time


def build(
    corpus: Path,
    db: Path,
    *,
    force: bool = False,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> BuildResult:
    """Build or refresh the store at `db` from the pages in `corpus`."""
    started = time.perf_counter()
    writable_target(db)
    for target in (db, index_path(db)):
        remove_stale_temps(target)
    pages_info = manifest.load(corpus)
    sources = scan(corpus)
    stamp = fingerprint(sources, corpus)
    meta = read_meta(db) if db.exists() else None
    if meta and not force and meta.get("fingerprint") == stamp and index_matches(db, meta):
        counts = meta.get("counts", {})
        return BuildResult(
            pages=counts.get("pages", 0),
            articles=counts.get("articles", 0),
            schools=counts.get("schools", 0),
            warnings=list(meta.get("warnings", [])),
            up_to_date=True,
            seconds=time.perf_counter() - started,
        )
    result = BuildResult()
    sources = _unique(sources, result.warnings)
    for name in sorted(set(pages_info) - {s.path.name for s in sources}):
        result.warnings.append(f"{corpus / 'corpus.yaml'}: lists {name}, which is not in the folder")
    parsed = _parse_or_reuse(sources, pages_info, force, jobs, progress, result)
    pages: list[Page] = []
    articles: list[Article] = []
    analyses: list[Analysis] = []
    words: list[bytes] = []
    for item in parsed:
        if item.warning:
            result.warnings.append(item.warning)
        if item.page:
            pages.append(item.page)
            articles.extend(item.articles)
            analyses.extend(item.analyses)
            words.extend(decode_words(w) for w in item.words)
    if progress:
        progress("resolving schools across the corpus", 0, 0)
    articles, schools = extract(articles, analyses)
    meta = {
        "schema": SCHEMA_VERSION,
        "data": _data_hash(),
        "fingerprint": stamp,
        "corpus": str(corpus.resolve()),
        "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "warnings": result.warnings,
        "counts": {"pages": len(pages), "articles": len(articles), "schools": len(schools)},
    }
    if progress:
        progress("writing the store", 0, 0)
    write_store(db, meta, pages, articles, schools)
    if progress:
        progress("indexing for search", 0, 0)
    index = build_index(articles, schools, words, fingerprint=stamp, built=meta["built"])
    index.write(index_path(db))
    result.pages, result.articles, result.schools = len(pages), len(articles), len(schools)
    result.seconds = time.perf_counter() - started
    return result


def _unique(sources: list[Source], warnings: list[str]) -> list[Source]:
    """The same page twice (a copy under another name) would count its schools twice."""
    first_of: dict[str, Path] = {}
    unique = []
    for source in sources:
        if source.sha256 in first_of:
            warnings.append(f"{source.path}: skipped: same content as {first_of[source.sha256].name}")
        else:
            first_of[source.sha256] = source.path
            unique.append(source)
    return unique


def _parse_or_reuse(
    sources: list[Source],
    pages_info: dict[str, manifest.PageInfo],
    force: bool,
    jobs: int | None,
    progress: Progress | None,
    result: BuildResult,
) -> list[_Parsed]:
    """Every page parsed, from the cache where its bytes were seen before, in page order."""
    _prune_cache()
    parsed: dict[str, _Parsed] = {}
    todo: list[Source] = []
    for source in sources:
        hit = None if force else _cached(_cache_path(source, pages_info.get(source.path.name)))
        if hit:
            parsed[source.path.name] = hit
        else:
            todo.append(source)
    result.reparsed = len(todo)
    for done, (source, item) in enumerate(_parse_all(todo, pages_info, jobs), start=1):
        parsed[source.path.name] = item
        _store_cache(_cache_path(source, pages_info.get(source.path.name)), item)
        if progress:
            progress("parsing pages", done, len(todo))
    return [parsed[s.path.name] for s in sources]


def _parse_all(
    todo: list[Source], pages_info: dict[str, manifest.PageInfo], jobs: int | None
) -> Iterable[tuple[Source, _Parsed]]:
    work = [(s, pages_info.get(s.path.name)) for s in todo]
    workers = jobs or min(os.cpu_count() or 1, 4)
    if workers > 1 and len(work) >= PARALLEL_MIN_PAGES:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for (source, _), item in zip(work, pool.map(_parse_job, work, chunksize=4)):
                yield source, item
    else:
        for source, info in work:
            yield source, parse_page(source, info)


def stale_reason(corpus: Path, db: Path) -> str | None:
    """Why the store at `db` must be (re)built from `corpus`, or None when it is current."""
    if not db.exists():
        return "missing"
    writable_target(db)
    meta = read_meta(db)
    if meta is None:
        try:
            meta = Store.open(db).meta
        except StoreError as err:
            return f"damaged: {err}"
    stamp = fingerprint(scan(corpus), corpus)
    if meta.get("corpus") != str(corpus.resolve()):
        return f"a store of {meta.get('corpus')}"
    if meta.get("fingerprint") != stamp:
        return "older than its pages or the parser"
    if not index_matches(db, meta):
        return "without its search index"
    return None


__all__ = ["BuildResult", "CorpusError", "build", "scan", "stale_reason"]
