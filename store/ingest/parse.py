"""Parse pages: bytes → keyworded, analysed articles, a window of text at a time.

A file is read by its kind (store.ingest.formats: a saved web page, a Word file, a PDF, whose
printed pages are pages of their own, Markdown; text is decoded by store.ingest.read), each
page's own metadata read off its top (store.ingest.pagemeta: a web page's title, date and source),
its text cut into the sheets it prints (a text file may hold several, a form feed between them)
and those into windows (store.ingest.segment.windows: a newspaper page is one, a book-length
file many), and each window is laid out, segmented into words and analysed on its own. A large
file's windows are the unit of work for the process pool too, so one 50 MB page keeps both cores
busy, and the memory in use at once is a few windows' worth, not a page's; a small file is one
unit, read, parsed and cached by one worker.

Parsed pages are cached by their bytes (one JSON line per article, so writing a huge page never
holds its whole serialisation), so an unchanged page is not parsed again.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import pickle
import shutil
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from importlib import import_module
from itertools import groupby
from pathlib import Path

import orjson

from store.files import atomic_write
from store.ingest import manifest, pagemeta, tokenize
from store.ingest.extract import Analysis, analyse, analysis_from_dict
from store.ingest.formats import FormatError, Sheet
from store.ingest.formats.markdown import markdown_text
from store.ingest.kinds import MARKDOWN_SUFFIXES, READERS, TEXT_SUFFIXES
from store.ingest.names import place_from_label
from store.ingest.pagememo import reading_one_page
from store.ingest.read import PAGE_BREAK, UndecodableError, decode
from store.ingest.reflow import ends_sentence
from store.ingest.segment import blocks_of, segment, windows
from store.ingest.stamp import data_hash
from store.normalize import normalize
from store.paths import cache_dir
from store.records import Article, Page, Region, article_from_dict, page_from_dict
from store.search.searchable import doc_text, encode_words, pack_words

# Below this many bytes of pages a process pool costs more (a second's jieba load per worker) than it saves.
PARALLEL_MIN_BYTES = 900_000
# A file up to this size is parsed whole by one worker; a larger one is cut into windows first.
WHOLE_FILE_BYTES = 256_000
# Small files are handed to the pool in batches of about this many bytes.
BATCH_BYTES = 64_000




@dataclass(frozen=True)
class Source:
    path: Path
    data: bytes
    sha256: str
    name: str  # its path inside the corpus folder: 01.txt, or web/01.html in a subfolder

    @property
    def page_id(self) -> str:
        """01.txt → 01, web/01.html → web-01.html: a text page keeps the id it always had, any
        other keeps its kind, so 01.txt and 01.pdf never share one."""
        stem, dot, suffix = self.name.rpartition(".")
        return (stem if dot and f".{suffix.lower()}" in TEXT_SUFFIXES else self.name).replace("/", "-")


@dataclass(frozen=True)
class Parsed:
    """A file's pages (a PDF gives one per printed page) with their articles, the articles'
    analyses and packed words (store.searchable); `warning` says, without the file's path (the
    caller names the file as it was given this time), why it was skipped or what was removed."""

    pages: list[Page]
    articles: list[Article]
    analyses: list[Analysis] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    warning: str | None = None


@dataclass(frozen=True)
class _Window:
    page_id: str
    file: str
    region: Region | None
    text: str
    headline: str | None = None  # the page's own title, when this window opens the page


@dataclass(frozen=True)
class _PagePlan:
    """One page of a file, and what is known of it: the manifest's word, then what the file's
    format says (a web page's meta tags), then what its text prints at its top."""

    id: str
    file: str
    info: manifest.PageInfo
    meta: pagemeta.PageMeta
    windows: int


@dataclass(frozen=True)
class _Plan:
    """A file read into its pages and cut into windows, or the reason it cannot be read."""

    source: Source
    encoding: str = ""
    pages: tuple[_PagePlan, ...] = ()
    windows: tuple[_Window, ...] = ()
    warning: str | None = None


def _manifest_region(info: manifest.PageInfo) -> Region | None:
    if not info.region:
        return None
    place = place_from_label(info.region)
    return place.region if place else None


def infos_of(source: Source, infos: dict[str, manifest.PageInfo]) -> dict[str, manifest.PageInfo]:
    """The manifest's entries for a file: its own, and its printed pages' (issue.pdf#3)."""
    return {k: v for k, v in infos.items() if k == source.name or k.startswith(source.name + "#")}


def _sheets(source: Source, info: manifest.PageInfo | None) -> tuple[list[Sheet], str, tuple[str, ...]]:
    """The file's printed pages by its kind, its encoding (or kind), and what was removed from it."""
    suffix = Path(source.name).suffix.lower()
    if suffix in READERS:
        return _reader(suffix)(source.data), suffix.lstrip("."), ()
    decoded = decode(source.data, info.encoding if info else None)
    text = markdown_text(decoded.text) if suffix in MARKDOWN_SUFFIXES else decoded.text
    return [Sheet(sheet) for sheet in text.split(PAGE_BREAK)], decoded.encoding, decoded.removed


def _reader(suffix: str) -> Callable[[bytes], list[Sheet]]:
    module, function = READERS[suffix].split(":")
    reader: Callable[[bytes], list[Sheet]] = getattr(import_module(f"store.ingest.formats.{module}"), function)
    return reader


def _plan(source: Source, infos: dict[str, manifest.PageInfo]) -> _Plan:
    try:
        sheets, encoding, removed = _sheets(source, infos.get(source.name))
    except (UndecodableError, FormatError) as err:
        return _Plan(source, warning=f"skipped: {err}")
    pages, cut = [], []
    for label, group in groupby(_printed_pages(sheets), key=lambda sheet: sheet.label):
        first, *rest = list(group)
        file = source.name + label
        info = infos.get(file) or infos.get(source.name) or manifest.PageInfo()
        printed, top = pagemeta.parse(first.text)
        meta = pagemeta.PageMeta(*(getattr(first.meta, f) or getattr(printed, f) for f in ("title", "date", "publication", "edition")))
        region = _manifest_region(info)
        mine = [_Window(source.page_id + label, file, region, w) for text in [top, *(s.text for s in rest)] for w in windows(text)]
        if mine:
            mine[0] = replace(mine[0], headline=meta.title)
        pages.append(_PagePlan(source.page_id + label, file, info, meta, len(mine)))
        cut.extend(mine)
    said = f"removed {' and '.join(removed)}" if removed else None
    return _Plan(source, encoding, tuple(pages), tuple(cut), said)


def _printed_pages(sheets: list[Sheet]) -> list[Sheet]:
    """A file's sheets as the pages it prints. A PDF's sheets in a row that print one 版次 (or
    none) are one page, their text one text, so a story running on to the next sheet is read
    whole (issue.pdf#1-2); a new 版次 starts a new page. A text file's sheets (label "") are one
    page already, each laid out on its own."""
    out: list[Sheet] = []
    for sheet in sheets:
        last = out[-1] if out else None
        if last is not None and last.label and sheet.label and sheet.meta.edition == last.meta.edition:
            label = f"{last.label.split('-')[0]}-{sheet.label.lstrip('#')}"
            joint = "\n\n" if ends_sentence(last.text.rstrip()) else ""  # a sentence cut at the sheet's foot goes on
            out[-1] = Sheet(last.text.rstrip() + joint + sheet.text.lstrip(), last.meta, label)
        else:
            out.append(sheet)
    return out


def _parse_window(window: _Window) -> Parsed:
    """One window's articles, numbered from 1 (`_join` numbers them through the page)."""
    with reading_one_page():
        articles = segment(blocks_of(window.text), window.page_id, window.file, window.region)
        if window.headline:
            articles = _headlined(articles, window.headline)
        analyses = [analyse(a) for a in articles]
    packed = []
    for n, article in enumerate(articles):  # one article's words alive at a time
        words = tokenize.cut_text(normalize(doc_text(article)))
        articles[n] = replace(article, keywords=tokenize.keywords(words))
        packed.append(encode_words(pack_words(words)))
    return Parsed([], articles, analyses, packed)


def _headlined(articles: list[Article], headline: str) -> list[Article]:
    """The page's own title as its first article's headline. The segmenter takes a short title
    for a headline by itself, but reads a long one, or one with a comma (省级荣誉 3,平阳…), as prose
    and runs it into the first paragraph: it is taken back out of that paragraph here."""
    first = articles[0] if articles else None
    if first is None or first.title or not first.paragraphs or not first.paragraphs[0].startswith(headline):
        return articles
    rest = first.paragraphs[0][len(headline) :].strip()
    dropped = 0 if rest else 1  # the title stood alone: the paragraphs after it move up one
    articles[0] = replace(
        first,
        title=headline,
        paragraphs=((rest,) if rest else ()) + first.paragraphs[1:],
        heading_paragraphs=tuple(max(p - dropped, 0) for p in first.heading_paragraphs),
    )
    return articles


def _join(plan: _Plan, parts: list[Parsed]) -> Parsed:
    """Each page's windows' articles, numbered through the page, and the page's record."""
    if not plan.pages:
        return Parsed([], [], warning=plan.warning)
    pages: list[Page] = []
    articles: list[Article] = []
    analyses: list[Analysis] = []
    words: list[str] = []
    at = 0
    for page in plan.pages:
        mine: list[Article] = []
        for part in parts[at : at + page.windows]:
            offset = len(mine)
            for article, analysis in zip(part.articles, part.analyses, strict=True):
                if offset:
                    number = article.ordinal + offset
                    article = replace(article, id=f"{page.id}/{number}", ordinal=number)
                    analysis = replace(analysis, article=article.id)
                mine.append(article)
                analyses.append(analysis)
            words.extend(part.words)
        at += page.windows
        if not mine:
            continue
        articles.extend(mine)
        info, meta = page.info, page.meta
        pages.append(Page(
            id=page.id,
            file=page.file,
            encoding=plan.encoding,
            sha256=plan.source.sha256,
            articles=tuple(a.id for a in mine),
            # What the manifest says wins; what the page prints fills in what it leaves out.
            title=info.title or meta.title,
            publication=info.publication or meta.publication,
            date=info.date or meta.date,
            region=info.region,
            edition=info.edition or meta.edition,
        ))
    if not articles:
        return Parsed([], [], warning="skipped: no text found")
    return Parsed(pages, articles, analyses, words, plan.warning)


Progress = Callable[[int, int], None]  # bytes parsed, bytes in all


def parse_pages(
    sources: list[Source], infos: dict[str, manifest.PageInfo], workers: int, progress: Progress | None = None
) -> Iterator[tuple[Source, Parsed]]:
    """Every page parsed and cached, in order; the work goes to a pool of `workers` processes
    when there is enough of it to pay for each worker's jieba load.

    A file of up to WHOLE_FILE_BYTES is read, parsed and cached by one worker, so this process
    only hands out files and takes back their articles; a larger one is read here and its
    windows are shared out."""
    plans = {s.name: _plan(s, infos_of(s, infos)) for s in sources if len(s.data) > WHOLE_FILE_BYTES}
    tasks = _tasks(sources, plans, infos)
    if workers > 1 and sum(len(s.data) for s in sources) >= PARALLEL_MIN_BYTES:
        with ProcessPoolExecutor(max_workers=workers, initializer=gc.enable) as pool:  # the build turned it off
            yield from _regroup(sources, plans, _in_order(pool, tasks, ahead=4 * workers), progress, infos)
    else:
        yield from _regroup(sources, plans, (p for run, args in tasks for p in run(*args)), progress, infos)


_Task = tuple[Callable[..., list[Parsed]], tuple]
_File = tuple[Source, dict[str, manifest.PageInfo], Path]


def _tasks(sources: list[Source], plans: dict[str, _Plan], infos: dict[str, manifest.PageInfo]) -> Iterator[_Task]:
    """The pool's units in page order: small files a batch of up to BATCH_BYTES at a time (a
    task's handing out and answer cost the same however small its file), a large file's
    windows one by one."""
    batch: list[_File] = []
    size = 0
    for source in sources:
        plan = plans.get(source.name)
        if plan is None:
            batch.append((source, infos_of(source, infos), cache_path(source, infos)))
            size += len(source.data)
        if batch and (plan is not None or size >= BATCH_BYTES):
            yield _parse_files, (batch,)
            batch, size = [], 0
        if plan is not None:
            yield from ((_parse_windows, ((window,),)) for window in plan.windows)
    if batch:
        yield _parse_files, (batch,)


def _parse_files(files: list[_File]) -> list[Parsed]:
    return [_parse_file(*file) for file in files]


def _parse_file(source: Source, infos: dict[str, manifest.PageInfo], cache: Path) -> Parsed:
    plan = _plan(source, infos)
    parsed = _join(plan, [_parse_window(w) for w in plan.windows])
    store_cache(cache, parsed)
    return parsed


def _parse_windows(windows: tuple[_Window, ...]) -> list[Parsed]:
    return [_parse_window(w) for w in windows]


def _regroup(
    sources: list[Source],
    plans: dict[str, _Plan],
    results: Iterator[Parsed],
    progress: Progress | None,
    infos: dict[str, manifest.PageInfo],
) -> Iterator[tuple[Source, Parsed]]:
    done, total = 0, sum(len(s.data) for s in sources)
    if progress:
        progress(0, total)
    for source in sources:
        plan = plans.get(source.name)
        if plan is None:
            parsed = next(results)
        else:
            chars = sum(len(w.text) for w in plan.windows) or 1
            parts = []
            for window in plan.windows:
                parts.append(next(results))
                if progress:
                    progress(done + len(source.data) * len(window.text) // chars, total)
            parsed = _join(plan, parts)
            store_cache(cache_path(source, infos), parsed)
        done += len(source.data)
        if progress:
            progress(done, total)
        yield source, parsed


def _in_order(pool: ProcessPoolExecutor, tasks: Iterable[_Task], ahead: int) -> Iterator[Parsed]:
    """pool.map, but with at most `ahead` tasks in flight: a huge page's windows are taken
    as they come instead of piling up.

    A worker sends its result pickled, as bytes, and this thread unpickles it: the pool's own
    thread, which reads every worker's results, then only moves bytes, and a worker never waits
    for it to rebuild another's articles (at 10,000 articles it did, for seconds)."""
    pending: deque[Future[bytes]] = deque()
    for run, args in tasks:
        pending.append(pool.submit(_pickled, run, *args))
        if len(pending) >= ahead:
            yield from pickle.loads(pending.popleft().result())
    while pending:
        yield from pickle.loads(pending.popleft().result())


def _pickled(run: Callable[..., list[Parsed]], *args: object) -> bytes:
    return pickle.dumps(run(*args), protocol=pickle.HIGHEST_PROTOCOL)


# ---- the page cache ---------------------------------------------------------------------------


def cache_path(source: Source, infos: dict[str, manifest.PageInfo]) -> Path:
    """Parsed pages are cached by their bytes, name, manifest entries and the pipeline's hash."""
    key = hashlib.sha256(f"{source.name}\0{source.sha256}\0{sorted(infos_of(source, infos).items())}".encode()).hexdigest()
    return cache_dir() / "pages" / data_hash()[:16] / f"{key}.jsonl"


def prune_cache() -> None:
    """Pages parsed by an older pipeline can never be used again."""
    current = data_hash()[:16]
    root = cache_dir() / "pages"
    if root.is_dir():
        for old in root.iterdir():
            if old.name != current and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)


def cached(path: Path) -> Parsed | None:
    """The file as cached: a line for its pages, then a line per article; None when unreadable."""
    try:
        with path.open(encoding="utf-8") as f:
            head = json.loads(f.readline())
            rows = [json.loads(line) for line in f]
        return Parsed(
            [page_from_dict(p) for p in head["pages"]],
            [article_from_dict(r["article"]) for r in rows],
            [analysis_from_dict(r["analysis"]) for r in rows],
            [r["words"] for r in rows],
            head["warning"],
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store_cache(path: Path, parsed: Parsed) -> None:
    def lines() -> Iterator[bytes]:
        yield orjson.dumps({"pages": parsed.pages, "warning": parsed.warning}) + b"\n"
        for article, analysis, words in zip(parsed.articles, parsed.analyses, parsed.words, strict=True):
            yield orjson.dumps({"article": article, "analysis": analysis, "words": words}) + b"\n"

    with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
        atomic_write(path, lines(), durable=False)


def default_workers() -> int:
    return min(os.cpu_count() or 1, 4)
