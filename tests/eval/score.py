"""Score the parser against a careful reader's annotations (`make eval`).

A gold file (the schema is at the top of `../shared/eval/web/gold.yaml`) lists, per page, the
schools a reader finds with their district, type, batch, brands and models, and optionally
the page's articles (subject by subject) and its date. The pages are built into a throwaway
store exactly as `baixiao build` would, and every gold fact is looked up in it: a fact of a
school the store missed counts as missed, so each figure is the share of what a reader finds
that a user sees.

    python tests/eval/score.py                 # the bundled pages, tests/eval/holdout*, ../shared/eval/web
    python tests/eval/score.py FOLDER ...      # any folder holding gold.yaml and pages/
"""

from __future__ import annotations

import hashlib
import re
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from store import Store
from store.fold import simplify
from store.ingest.build import build
from store.records import School

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BUNDLED = HERE / "bundled"
# Pages written for the project, in other provinces and forms, annotated blind to the parser;
# holdout2 was written after the rules had been fitted to holdout.
HOLDOUTS = (HERE / "holdout", HERE / "holdout2")
WEB = ROOT.parent / "shared" / "eval" / "web"
ANNOTATIONS = HERE / "annotations.yaml"

TARGETS = {
    "bundled": {"subjects": 1.0, "recall": 0.95, "precision": 0.95, "district": 0.95, "type": 0.95,
                "batch": 0.95, "brands": 0.95, "models": 0.9},
    "web": {"recall": 0.9, "precision": 0.95, "district": 0.9, "brands": 0.85, "models": 0.8, "dates": 1.0},
}


class GoldError(ValueError):
    """`path:line: reason`, ready to print."""


# ---- reading the gold ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldSchool:
    forms: frozenset[str]  # every written form, folded
    district: str | None
    tied: bool  # the text ties it to its district (prefix or context), not inferred
    type: str | None
    batch: int | None
    brands: tuple[frozenset[str], ...]  # each brand with the spellings that count for it
    models: tuple[frozenset[str], ...]


@dataclass(frozen=True)
class GoldPage:
    file: str
    schools: tuple[GoldSchool, ...]
    also_brands: frozenset[str]  # brands named elsewhere on the page or borderline: never wrong
    also_models: frozenset[str]
    subjects: tuple[frozenset[str], ...] | None  # per article, when annotated
    date: str | None
    has_date: bool


def fold(text: object) -> str:
    """Compare as a reader would: Simplified, no pinyin-in-brackets noise, no quote marks or spaces."""
    text = simplify(str(text))
    text = re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\)", "", text)
    return re.sub(r"[\s“”‘’「」『』\"'・·•]", "", text)


def _school_forms(text: str) -> set[str]:
    """A name and its forms without a trailing 校 (重庆七中 = 重庆七中校, 棠香小学 = 棠香小学校)."""
    name = fold(text)
    forms = {name}
    if name.endswith(("小学校", "中学校")):
        forms.add(name[:-1])
    return forms


def _spellings(*groups: Iterable[object]) -> frozenset[str]:
    return frozenset(fold(v) for group in groups for v in group if v is not None)


def _line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith(f"{key}:"):
            return number
    return 1


def load_gold(path: Path, annotations: dict[str, dict] | None = None) -> tuple[Path, list[GoldPage]]:
    """The pages folder and its annotated pages; any defect ends in GoldError naming file and line."""
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise GoldError(f"{path}:{line}: not valid YAML ({getattr(error, 'problem', error)})") from None
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        raise GoldError(f"{path}:1: a gold file is a mapping with a 'files:' mapping of pages")
    pages_dir = (path.parent / data.get("pages", "pages")).resolve()
    if not pages_dir.is_dir():
        raise GoldError(f"{path}:{_line_of(text, 'pages')}: no folder of pages at {pages_dir}")
    pages = []
    for file, entry in data["files"].items():
        try:
            extra = (annotations or {}).get(_sha256(pages_dir / file), {})
            pages.append(_page(file, {**extra, **(entry or {})}))
        except (KeyError, TypeError, AttributeError, ValueError) as error:
            raise GoldError(f"{path}:{_line_of(text, file)}: {file}: {error!s}") from None
        if not (pages_dir / file).is_file():
            raise GoldError(f"{path}:{_line_of(text, file)}: {file} is not in {pages_dir}")
    return pages_dir, pages


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def _page(file: str, entry: dict) -> GoldPage:
    schools = []
    for s in entry.get("schools") or []:
        if not s.get("name"):
            raise ValueError("a school without a name")
        forms: set[str] = set()
        for written in [s["name"], s.get("sc"), *(s.get("aliases") or []), *(s.get("normalized") or [])]:
            if written:
                forms |= _school_forms(written)
        brands = [frozenset({fold(b)}) for b in s.get("brands") or []]
        for i, b in enumerate(s.get("brands_sc") or []):
            brands[i] = brands[i] | {fold(b)}
        models = [frozenset({fold(m)}) for m in s.get("models") or []]
        for key in ("models_raw", "models_sc"):
            for i, m in enumerate(s.get(key) or []):
                if i < len(models):
                    models[i] = models[i] | {fold(m)}
        schools.append(GoldSchool(
            forms=frozenset(forms),
            district=fold(s["district"]) if s.get("district") else None,
            tied=s.get("district_basis") in ("prefix", "context"),
            type=s.get("type"),
            batch=s.get("batch"),
            brands=tuple(brands),
            models=tuple(models),
        ))
    also_brands = _spellings(entry.get("brands_all") or [], entry.get("brands_all_sc") or [],
                             entry.get("maybe_brands") or [],
                             *((s.get("maybe_brands") or []) + (s.get("brand_variants") or [])
                               for s in entry.get("schools") or []))
    also_models = _spellings(entry.get("models_all") or [],
                             *((s.get("maybe_models") or []) + (s.get("models_raw") or [])
                               for s in entry.get("schools") or []))
    subjects = None
    if entry.get("articles") is not None:
        by_name = {fold(s["name"]): school.forms for s, school in zip(entry.get("schools") or [], schools, strict=True)}
        subjects = tuple(by_name.get(fold(a["subject"]), frozenset({fold(a["subject"])}))
                         for a in entry["articles"])
    return GoldPage(file, tuple(schools), also_brands, also_models, subjects,
                    str(entry["date"]) if entry.get("date") else None, "date" in entry)


# ---- scoring ---------------------------------------------------------------------------------------


@dataclass
class Tally:
    hit: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.hit += ok
        self.total += 1

    def __iadd__(self, other: Tally) -> Tally:
        self.hit += other.hit
        self.total += other.total
        return self

    def ratio(self) -> float | None:
        return self.hit / self.total if self.total else None

    def cell(self) -> str:
        return f"{self.hit}/{self.total}" if self.total else "—"


COLUMNS = ("recall", "precision", "district", "type", "batch", "brands", "models", "subjects", "dates")


@dataclass
class Row:
    name: str
    tallies: dict[str, Tally] = field(default_factory=lambda: {c: Tally() for c in COLUMNS})

    def __iadd__(self, other: Row) -> Row:
        for column in COLUMNS:
            self.tallies[column] += other.tallies[column]
        return self


def _forms_of(school: School) -> set[str]:
    forms: set[str] = set()
    for written in (school.name, *school.aliases):
        forms |= _school_forms(written)
    return forms


def score_page(gold: GoldPage, store: Store) -> Row:
    row = Row(gold.file)
    t = row.tallies
    page = next((p for p in store.pages() if p.file == gold.file), None)
    article_ids = set(page.articles) if page else set()
    found = [s for s in store.schools() if article_ids & set(s.articles)]
    forms = [_forms_of(s) for s in found]
    matched: dict[int, School] = {}
    for i, g in enumerate(gold.schools):
        hit = next((s for s, f in zip(found, forms, strict=True) if g.forms & f), None)
        t["recall"].add(hit is not None)
        if hit is not None:
            matched[i] = hit
    for f in forms:
        t["precision"].add(any(g.forms & f for g in gold.schools))
    for i, g in enumerate(gold.schools):
        hit = matched.get(i)
        if g.district and g.tied:
            t["district"].add(hit is not None and fold(hit.district or "") == g.district)
        if g.type:
            t["type"].add(hit is not None and hit.type == g.type)
        if g.batch:
            t["batch"].add(hit is not None and hit.batch == g.batch)
        for spellings, values in ((g.brands, "brands"), (g.models, "models")):
            shown = {fold(v) for v in getattr(hit, values)} if hit else set()
            for spelling in spellings:
                t[values].add(bool(spelling & shown))
    if gold.subjects is not None:
        articles = [store.article(a) for a in page.articles] if page else []
        said = [fold(a.subject) for a in articles if a]
        t["subjects"].add(len(said) == len(gold.subjects) and all(s in f for s, f in zip(said, gold.subjects, strict=True)))
    shown = page.date if page else None
    if gold.date or (gold.has_date and shown):  # a date the page does not print is a wrong one
        t["dates"].add(shown == gold.date)
    return row


def build_store(pages_dir: Path, workdir: Path) -> Store:
    build(pages_dir, workdir / "eval.json", force=True)
    return Store.open(workdir / "eval.json")


def score_folder(gold_path: Path, store: Store | None = None) -> list[Row]:
    annotations = _annotations()
    pages_dir, gold_pages = load_gold(gold_path, annotations)
    with tempfile.TemporaryDirectory() as work:
        store = store or build_store(pages_dir, Path(work))
        return [score_page(g, store) for g in gold_pages]


def _annotations() -> dict[str, dict]:
    """The project's own notes on third-party pages (their dates), keyed by the page's bytes."""
    if not ANNOTATIONS.exists():
        return {}
    data = yaml.safe_load(ANNOTATIONS.read_text(encoding="utf-8")) or {}
    return {sha: dict(entry) for sha, entry in (data.get("pages") or {}).items()}


def total(rows: list[Row]) -> Row:
    overall = Row("all")
    for row in rows:
        overall += row
    return overall


def table(title: str, rows: list[Row], targets: dict[str, float]) -> str:
    """A Markdown table: a row per page, the overall row, and whether each target is met."""
    overall = total(rows)
    header = ["page", *COLUMNS]
    lines = [f"### {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        lines.append("| " + " | ".join([row.name, *(row.tallies[c].cell() for c in COLUMNS)]) + " |")
    ratios = [overall.tallies[c].ratio() for c in COLUMNS]
    lines.append("| **all** | " + " | ".join(f"**{r:.2f}**" if r is not None else "—" for r in ratios) + " |")
    met = []
    for column, floor in targets.items():
        value = overall.tallies[column].ratio()
        mark = "met" if value is not None and value >= floor - 1e-9 else "NOT met"
        met.append(f"{column} {'—' if value is None else f'{value:.2f}'} ≥ {floor:g} {mark}")
    lines += ["", "targets: " + "; ".join(met), ""]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv] or [BUNDLED, *HOLDOUTS, *([WEB] if (WEB / "gold.yaml").exists() else [])]
    out = []
    for folder in folders:
        gold_path = folder if folder.is_file() else folder / "gold.yaml"
        if not gold_path.exists():
            print(f"error: no gold.yaml in {folder}", file=sys.stderr)
            return 2
        try:
            rows = score_folder(gold_path)
        except GoldError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        name = "bundled" if folder.resolve() == BUNDLED else "web"
        out.append(table(f"{folder} ({len(rows)} pages)", rows, TARGETS[name]))
    print("schools: a reader's schools found (recall) and the store's that are real (precision); "
          "district where the text ties it; brands and models tied to their school.\n")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
