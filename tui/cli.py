"""The `baixiao` command: build a store, search it, export from it, dump it, or (with no
command) open it.

Every error a user can cause ends in one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from store import BuildResult

from store import (
    LANGUAGES,
    STYLES,
    Citations,
    CorpusError,
    DataError,
    Details,
    ManifestError,
    Marks,
    QueryError,
    Results,
    Store,
    StoreError,
    StoreWriteError,
    _,
    bundled_corpus,
    count,
    current_language,
    default_db,
    export,
    help_text,
    overview,
    read_meta,
    region_label,
    shuangchuang,
    stale_reason,
    use_language,
)
from tui.charts import printed
from tui.settings import citation_style, config_path, load, resolve_language

FORMATS = export.FORMATS
USER_ERRORS = (CorpusError, StoreError, ManifestError, DataError, export.ExportError)


def _common(parser: argparse.ArgumentParser, suppress: bool, corpus: bool = True) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--db", type=Path, default=default, metavar="PATH",
                        help=_("store file (default: $BAIXIAO_DB or the user data folder)"))
    if corpus:
        parser.add_argument("--corpus", type=Path, default=default, metavar="DIR",
                            help=_("folder of pages to build from (default: the folder the store was "
                            "built from, else the bundled pages)"))
    parser.add_argument("--lang", choices=LANGUAGES, default=default,
                        help=_("the app's language (default: the settings file, else the locale: zh for zh_CN.UTF-8 and the like)"))


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="baixiao",
        description=_("Browse Chinese newspaper reporting on Party-building work in schools. "
        "With no command, builds the store if needed and opens the app (or, when the output is "
        "not a terminal, prints a summary of its articles and schools)."),
    )
    _common(parser, suppress=False)
    parser.add_argument("--config-path", action="store_true",
                        help=_("print where the settings file (language, theme, export folder, keys) lives, and exit"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p_build = sub.add_parser("build", help=_("build or refresh the store from a folder of pages"))
    _common(p_build, suppress=True)
    p_build.add_argument("--force", action="store_true", help=_("re-parse every page even if unchanged"))
    p_build.add_argument("--strict", action="store_true", help=_("exit 1 if any page was skipped"))
    p_build.add_argument("--quiet", "-q", action="store_true", help=_("print only warnings and errors"))

    p_search = sub.add_parser(
        "search",
        help=_("search articles (query syntax: baixiao search --help)"),
        description=help_text(_),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(p_search, suppress=True)
    p_search.add_argument(
        "query", nargs="+", help=_("the query, e.g. 党建 品牌 or district:北碚区 type:幼儿园 (several words: all of them)"))
    how_many = p_search.add_mutually_exclusive_group()
    how_many.add_argument("--limit", type=int, default=20, metavar="N", help=_("show the first N hits (default 20)"))
    how_many.add_argument("--all", action="store_true", help=_("show every hit"))
    p_search.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p_search.add_argument("--reprints", action="store_true",
                          help=_("every printing of a story reprinted on several pages (default: its first printing, once)"))

    p_export = sub.add_parser(
        "export",
        help=_("write the marks, a search, a comparison, an article, a school or the school list for a report"),
        description=_("Write Markdown for a report: YAML front matter, and every quoted sentence once, "
        "with its citation (publication, date, page, title, file, paragraph). The school list, a "
        "comparison and the overview are also tables: CSV or XLSX. With no choice of what, exports the marks."),
    )
    _common(p_export, suppress=True)
    what = p_export.add_mutually_exclusive_group()
    what.add_argument("--marks", action="store_true",
                      help=_("the marked articles and schools and the saved searches, with their notes (default)"))
    what.add_argument("--compare", nargs="+", metavar="SCHOOL", help=_("2 to 4 schools side by side"))
    what.add_argument("--article", metavar="ID", help=_("one article (ids: baixiao search --json)"))
    what.add_argument("--school", metavar="NAME", help=_("one school's profile"))
    what.add_argument("--schools", action="store_true",
                      help=_("the school list, one row per school (filtered by --query, as the Schools screen filters)"))
    what.add_argument("--overview", action="store_true",
                      help=_("the overview's tables (with --query, its hits too): Markdown, or CSV (every count) "
                             "or XLSX (a sheet a table)"))
    p_export.add_argument("--query", metavar="QUERY",
                          help=_("a search: every hit article with its sentences quoted; with --schools, the filter; "
                                 "with --overview, the hits to count"))
    p_export.add_argument("--format", choices=FORMATS,
                          help=_("md (default), or csv or xlsx for --schools, --compare and --overview; else from -o's extension"))
    p_export.add_argument("-o", "--output", metavar="FILE",
                          help=_("where to write; - for standard output (default: exports/<kind>-<date>-<name>.<format>)"))
    p_export.add_argument("--force", action="store_true", help=_("overwrite FILE if it exists"))
    p_export.add_argument("--no-front-matter", action="store_true",
                          help=_("Markdown without the YAML front matter, for a clean paste (or front_matter: false in the settings)"))
    p_export.add_argument("--cite", choices=STYLES,
                          help=_("citation style: zh (GB/T 7714-like) or en (default: the settings, else the language)"))
    p_export.add_argument("--keywords", action="store_true", help=_("a comparison's keyword row too"))

    p_stats = sub.add_parser(
        "stats",
        help=_("count schools by district, batch and type, and articles by year (and a query's hits)"),
        description=_("The overview's counts: schools by district and 双创 batch, by type, brands and models most "
        "used, articles by year and month (pages with no date counted as such); with --query, its hits by "
        "district, year and school."),
    )
    _common(p_stats, suppress=True)
    p_stats.add_argument("--query", metavar="QUERY", help=_("also count this query's hits (the query syntax of search)"))
    p_stats.add_argument("--json", action="store_true", help=_("machine-readable output"))

    p_serve = sub.add_parser(
        "serve",
        help=_("serve the app to web browsers (each tab its own session on the same store)"),
        description=_("Serve the app through textual-serve: open the address it prints in a browser. "
        "It listens on this computer only unless --host says otherwise."),
    )
    _common(p_serve, suppress=True)
    p_serve.add_argument("--host", default="127.0.0.1",
                         help=_("the address to listen on (default 127.0.0.1: this computer only; 0.0.0.0: the network)"))
    p_serve.add_argument("--port", type=int, default=8000, help=_("the port to listen on (default 8000)"))

    p_dump = sub.add_parser("dump", help=_("print the whole store as JSON"))
    _common(p_dump, suppress=True, corpus=False)
    p_dump.add_argument("--json", action="store_true", default=True, help=_("JSON output (the only format)"))
    return parser


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """A command line as `main` reads it (SystemExit, after the usage, when it does not parse)."""
    args = make_parser().parse_args(argv)
    if args.command == "search":
        args.query = " ".join(args.query)  # unquoted words are the terms of one query
    return args


def paths_of(args: argparse.Namespace) -> tuple[Path, Path]:
    """The store, and the pages it comes from: --corpus, else the folder the store was built
    from (so a store of your own pages stays yours), else the bundled pages."""
    db = args.db if getattr(args, "db", None) else default_db()
    if getattr(args, "corpus", None):
        return args.corpus, db
    meta = read_meta(db) if db.is_file() else None
    recorded = Path(meta["corpus"]) if meta and meta.get("corpus") else None
    return (recorded if recorded and recorded.is_dir() else bundled_corpus()), db


def _run_build(corpus: Path, db: Path, err: Console, *, force: bool = False, quiet: bool = False) -> BuildResult:
    from store import build  # the parser, loaded only when a build is due
    progress = None
    if err.is_terminal and not quiet:
        from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TaskProgressColumn, TextColumn, TimeElapsedColumn

        bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        )
        phase: dict[str, TaskID] = {}

        def progress(what: str, done: int, total: int) -> None:
            if what not in phase:  # a new phase: a bar of its own, counted or not
                for task in phase.values():
                    bar.remove_task(task)
                phase.clear()
                phase[what] = bar.add_task(what, total=total or None)
            bar.update(phase[what], completed=done)

        bar.start()
        try:
            result = build(corpus, db, force=force, progress=progress)
        finally:
            bar.stop()
    else:
        result = build(corpus, db, force=force)
    for warning in result.warnings:
        _warn(err, warning)
    if not quiet:
        err.print(Text(result.summary(db)))
    return result


def _ensure_store(corpus: Path, db: Path, err: Console, *, search: bool = False) -> tuple[Store, str | None]:
    """Open the store, building it first when it is missing or stale; a broken one is rebuilt.
    A stale store that cannot be rebuilt where it is (a full disk, a read-only folder) is still
    the pages as they were: it is used as it is, with a warning, also returned for the app to show.

    `search`: only the search index will be read, so only it is checked."""
    reason = stale_reason(corpus, db)
    if reason is None:
        try:
            return Store.open(db).load(tables=not search), None
        except StoreError as error:
            reason = f"damaged: {error}"
    if reason != "missing":
        err.print(Text(_("store {db} is {reason}: rebuilding from {corpus}").format(db=db, reason=reason, corpus=corpus)))
    try:
        _run_build(corpus, db, err, force=True)
    except StoreWriteError as error:
        try:
            store = Store.open(db).load(tables=not search)
        except StoreError:
            raise error from None
        notice = _("store {db} is {reason}, and cannot be rebuilt there ({error}): using it as it is").format(
            db=db, reason=reason, error=error.reason)
        _warn(err, notice)
        return store, notice
    return Store.open(db), None


def _summary(store: Store, out: Console) -> None:
    out.print(Text(_("baixiao store {path}").format(path=store.path), style="bold"))
    articles = Table(title="Articles", show_lines=False)
    articles.add_column("id", no_wrap=True)
    for col in ("subject", "region", "title"):
        articles.add_column(col)
    for a in store.articles():
        articles.add_row(Text(a.id), Text(a.subject), Text(a.region.label()), Text(a.title or "—"))
    out.print(articles)
    schools = Table(title="Schools")
    for col in ("school", "region", "type", "双创", "brands"):
        schools.add_column(col)
    for s in store.schools():
        schools.add_row(
            Text(s.name),
            Text(region_label(s)),
            Text(s.type),
            Text(shuangchuang(s)),
            Text("、".join(s.brands) or "—"),
        )
    out.print(schools)


def _print_results(results: Results, out: Console) -> None:
    """The hits, a line for each and for each snippet, printed at once (Rich's work per print
    was a third of a served search)."""
    lines = [Text(_("{articles} for {query}").format(articles=count(results.total, "article"), query=results.parsed), style="bold")]
    for n, hit in enumerate(results.hits, start=1):
        head = Text(f"{n:>3}. ")
        head.append(hit.subject or "—", style="bold")
        head.append(f"  {hit.title or ''}  ")
        said = _("{article} · {hits} · score {score}").format(article=hit.article, hits=count(hit.count, "hit"),
                                                             score=f"{hit.score:g}")
        said = f"{hit.date} · {said}" if hit.date else said
        head.append(said, style="dim")
        lines.append(head)
        if also := results.also_in(hit.article):
            lines.append(Text("     " + _("also in: {pages}").format(pages=", ".join(also)), style="dim"))
        for snippet in hit.snippets[:3]:
            line = Text()
            where = f"¶{snippet.paragraph + 1}" if snippet.part == "body" else snippet.part
            line.append(f"     {where} ", style="dim")
            offset = len(line)
            line.append(snippet.text.replace("\n", " "))
            for start, end in snippet.spans:
                line.stylize("bold reverse", offset + start, offset + end)
            lines.append(line)
    if len(results.hits) < results.total:
        lines.append(Text(_("… {n} more (--limit N or --all)").format(n=results.total - len(results.hits)), style="dim"))
    out.print(Text("\n").join(lines))


def _stats(args: argparse.Namespace, store: Store, out: Console) -> int:
    seen = overview(store, args.query)
    if args.json:
        sys.stdout.write(json.dumps(seen.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        out.print(*printed(seen), sep="\n")
    return 0


def _warn(err: Console, notice: str | None) -> None:
    """One warning line: a page skipped, a user file's damage recovered."""
    if notice:
        err.print(Text(_("warning: {warning}").format(warning=notice)), style="yellow")


def _export(args: argparse.Namespace, store: Store, db: Path, err: Console) -> int:
    settings = load()[0]
    details = Details.for_store(db)
    _warn(err, details.notice)
    cites = Citations(store, details, args.cite or citation_style(settings, current_language()))
    if args.query is not None and (args.compare or args.article or args.school or args.marks):
        raise export.ExportError(_("--query goes alone (a search), with --schools (their filter) or with --overview (its hits)"))
    if args.schools:
        made = export.export_schools(cites, args.query)
    elif args.overview:
        made = export.export_overview(cites, args.query)
    elif args.query is not None:
        made = export.export_results(cites, args.query)
    elif args.compare:
        made = export.export_compare(cites, args.compare, keywords=args.keywords)
    elif args.article:
        made = export.export_article(cites, args.article)
    elif args.school:
        made = export.export_school(cites, args.school)
    else:
        marks = Marks.for_store(db)
        _warn(err, marks.notice)
        made = export.export_marks(cites, list(marks))
    path = None if args.output in (None, "-") else Path(args.output)
    form = export.format_of(path, args.format)
    front = settings.front_matter and not args.no_front_matter
    if args.output == "-":
        if form == "xlsx" and sys.stdout.isatty():
            raise export.ExportError(_("an XLSX file is binary: give -o FILE, or pipe it"))
        sys.stdout.buffer.write(made.render(form, front))
        return 0
    path = path or export.default_path(made.kind, made.name, Path(settings.exports or "exports"), format=form)
    export.write(made, path, force=args.force, format=form, front=front)
    err.print(Text(_("wrote {path}").format(path=path)))
    return 0


def _language(argv: Sequence[str] | None) -> str:
    """--lang, else the settings', else the locale's: chosen before the parser is made, since its
    help is written in it."""
    first = argparse.ArgumentParser(add_help=False)
    first.add_argument("--lang", choices=LANGUAGES)
    chosen = first.parse_known_args(argv)[0].lang
    return resolve_language(chosen, load()[0])


def main(argv: Sequence[str] | None = None) -> int:
    use_language(_language(argv))
    args = parse(argv)
    if args.config_path:
        print(config_path())
        return 0
    out = Console(soft_wrap=not sys.stdout.isatty())  # piped: a line per hit and per snippet, for grep
    err = Console(stderr=True, soft_wrap=True)
    corpus, db = paths_of(args)
    try:
        if args.command == "build":
            result = _run_build(corpus, db, err, force=args.force, quiet=args.quiet)
            return 1 if args.strict and result.warnings else 0
        if args.command == "search":
            store = _ensure_store(corpus, db, err, search=True)[0]
            results = store.search(args.query, limit=None if args.all else max(args.limit, 0), reprints=args.reprints)
            if args.json:
                sys.stdout.write(json.dumps(results.to_json(), ensure_ascii=False, indent=2) + "\n")
            else:
                _print_results(results, out)
            return 0
        if args.command == "export":
            return _export(args, _ensure_store(corpus, db, err, search=True)[0], db, err)
        if args.command == "stats":
            return _stats(args, _ensure_store(corpus, db, err, search=True)[0], out)
        if args.command == "serve":
            from tui.serve import serve

            _ensure_store(corpus, db, err, search=True)
            return serve(db, args.host, args.port, args.lang, err)
        if args.command == "dump":
            store = Store.open(db)
            sys.stdout.write(json.dumps(store.dump(), ensure_ascii=False, indent=2) + "\n")
            return 0
        store, notice = _ensure_store(corpus, db, err, search=True)
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            _summary(store.load(), out)  # piped or scripted: print the summary instead
            return 0
        from tui.app import make_app

        make_app(db, language=args.lang, store_notice=notice).run()
        return 0
    except QueryError as error:
        err.print(Text(_("baixiao: bad query: {error}").format(error=error)), style="red", highlight=False)
        err.print(Text(f"  {args.query}"), highlight=False)
        err.print(Text("  " + " " * cell_len(args.query[: error.position]) + "^"), highlight=False)
        return 2
    except USER_ERRORS as error:
        err.print(Text(_("baixiao: error: {error}").format(error=error)), style="red", highlight=False)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
