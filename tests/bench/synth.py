"""A synthetic corpus of any size, made from the four bundled pages, for the benchmarks.

`make_corpus(target_articles, out, seed)` writes page files into `out` so that the parser finds
about `target_articles` articles (within ±10 %). Every page is one of the bundled pages with its
text varied deterministically from the seed, so jieba and the name finder see different strings
on every page rather than 4 strings repeated:

* school names: the core of each school name (梁山小学 → 龙湾小学, 人和街 → 松岭街, the printed
  typo 和人街 → 岭松街) is swapped for one from a pool of generated two-character place-like
  cores; the suffix (小学, 中学, 幼儿园, 学校, 职业中学…) is kept so the name stays one the
  parser recognises and the article's wording (办园, 学生…) still fits it;
* districts: each Chongqing district a page reports on (梁平, 北碚, 南岸…, with or without 区)
  becomes another one, which also renames district-named schools (梁平中学, 开州区职业教育中心);
  the Hebei page moves between Hebei cities;
* people: reporters and named leaders get generated names of the same length;
* numbers: about half the digit runs change (same number of digits; years stay 2015–2024,
  months 1–12, days 1–28), and numbered schools (十一中) get another number;
* paragraphs: within an article body, runs of ordinary prose paragraphs are shuffled, and
  sometimes one is dropped or printed twice.

Layout is never touched: blank lines, hard wraps, column breaks, captions and headline-after-body
stay where the page has them. A paragraph moves only when it is a whole paragraph framed by
ordinary paragraph breaks, does not name a school or a place (those open articles) and is not a
column break's continuation, so the article boundaries the parser finds are the template's.

Articles per template page are in TEMPLATE_ARTICLES; re-measure them after a parser change with
`python tests/bench/synth.py --check 200` (builds a small corpus and compares).
"""

from __future__ import annotations

import random
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from store.ingest.reflow import ends_sentence

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "corpus"

# Chongqing districts (区 only, so that "X区" stays a valid name when X is swapped).
DISTRICTS = (
    "梁平", "北碚", "渝中", "南岸", "开州", "永川", "江北", "沙坪坝", "九龙坡", "大渡口",
    "巴南", "渝北", "涪陵", "万州", "江津", "合川", "璧山", "铜梁", "綦江", "长寿",
)
HEBEI_CITIES = ("石家庄", "唐山", "秦皇岛", "邯郸", "邢台", "保定", "张家口", "承德", "沧州", "廊坊", "衡水")
# Numbered schools: 十一中 → 七中, 二十九中 …
NUMERALS = ("一", "三", "七", "八", "十一", "十二", "十八", "二十九", "三十七", "四十二", "六十八")

# Characters of place-like school names: a first character and a landform-ish second one.
CORE_FIRST = (
    "金兴龙凤华新东西石林松柏安宁清丰云泉嘉德胜春晨明光星桂梅竹荷翠青红玉宝福寿长乐康泰"
    "顺鹤鹿桃杨柳樟槐莲蓉锦文武育英志远航盛通民黄白紫双永太高平"
)
CORE_SECOND = "山江桥坪湾塘溪岭园坝滩岩坡岗渡滨港城关堡寨庄铺街路村镇河湖林峰泉洲岛台苑田"

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
    "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范廖贾夏韦付方邹孟熊秦邱尹薛段雷侯史陶黎贺顾毛郝龚邵万钱严覃戴莫孔汤"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉萍红亮建琳晨婷雪燕宇浩凯鑫鹏斌瑶倩蕾颖霜兰露月峰航彤玮智"

# A paragraph naming one of these opens (or may open) an article: it never moves.
SCHOOLISH = re.compile(r"小学|中学|幼儿园|职教中心|职业教育中心|职业中学")
NOT_SCHOOLS = re.compile(r"大?中小学校?|中小幼")  # 中小学校 holds 小学 but names no school


@dataclass(frozen=True)
class Slot:
    """One school of a template page whose name core is swapped: `core` wherever it occurs
    (name, brand, abbreviation) → a generated core. A typo printed on the page (和人街 for
    人和街) keeps being one: its first two characters swapped, the rest kept."""

    core: str
    typos: tuple[str, ...] = ()


@dataclass(frozen=True)
class Template:
    file: str
    articles: int  # what the parser finds on the unvaried page
    districts: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    slots: tuple[Slot, ...] = ()
    people: tuple[str, ...] = ()
    numerals: tuple[str, ...] = ()  # Chinese numbers of numbered schools (十一 of 十一中)
    # On a page of several articles a paragraph naming a place may open one, so it stays put;
    # on a one-article page only school names pin paragraphs.
    places_pin: bool = True


TEMPLATES = (
    Template(
        "000_cffeeb912b6cb14d.txt",
        articles=3,
        districts=("梁平", "渝中", "开州"),
        slots=(Slot("梁山"), Slot("人和", typos=("和人街",))),
        people=("谭尚前", "徐涛", "何霜", "姚兰", "黄兆娟", "李佳佳", "黄丹", "文秀月", "张露月"),
    ),
    Template(
        "001_6aa715517b91c0bd.txt",
        articles=5,
        districts=("北碚",),
        slots=(Slot("金兴"), Slot("朝阳"), Slot("两江")),
    ),
    Template(
        "003_d536ef65ba6ff6bf.txt",
        articles=1,
        districts=("南岸",),
        slots=(
            Slot("南坪"), Slot("天台岗"), Slot("南湖"), Slot("龙门浩"), Slot("江南"),
            Slot("玛瑙"), Slot("珊瑚"), Slot("崇德"),
        ),
        people=("李智", "何霜", "杜林燕", "张莺月"),
        numerals=("十一",),
        places_pin=False,
    ),
    Template(
        "004_5ba2f485b8a21636.txt",
        articles=1,
        cities=("廊坊",),
        people=("孟航", "李彤彤", "郭玮峰"),
        places_pin=False,
    ),
)
TEMPLATE_ARTICLES = {t.file: t.articles for t in TEMPLATES}

_NUMBER = re.compile(r"\d+")
_SEPARATOR = re.compile(r"\n[ \t\u3000]*\n(?:[ \t\u3000]*\n)*")


# ---- the template, cut once into movable and fixed units -------------------------------------


@dataclass(frozen=True)
class _Unit:
    text: str  # one or more blocks with the separators between them
    sep: str  # the separator that follows it on the page
    movable: bool


@dataclass(frozen=True)
class _Shape:
    """A template page cut once into units (a paragraph, or blocks that must stay together)."""

    head: str
    units: tuple[_Unit, ...]
    pattern: re.Pattern[str] | None  # every string `_vary` substitutes


def _wide(sep: str) -> bool:
    """Two or more blank lines: how a page sets a photo and its caption apart."""
    return sep.count("\n") > 2


def _shape(t: Template) -> _Shape:
    text = (TEMPLATE_DIR / t.file).read_text(encoding="utf-8")
    blocks = _SEPARATOR.split(text)
    seps = [*_SEPARATOR.findall(text), ""]  # seps[i] follows blocks[i]
    head = ""
    if blocks and not blocks[0].strip():
        head = blocks.pop(0) + seps.pop(0)
    schools = [*(s.core for s in t.slots), *(x for s in t.slots for x in s.typos)]
    places = [*t.districts, *t.cities]
    pins = schools + (places if t.places_pin else [])
    units: list[_Unit] = []
    i = 0
    while i < len(blocks):
        # A unit runs on through column breaks and figure gaps: while its text is cut
        # mid-sentence, or a wide gap (a photo and its caption) is on either side.
        first = i
        while i + 1 < len(blocks) and (
            not ends_sentence(blocks[i]) or _wide(seps[i]) or (i > first and _wide(seps[i - 1]))
        ):
            i += 1
        parts = blocks[first : i + 1]
        joined = "".join(b + s for b, s in zip(parts, [*seps[first:i], ""], strict=True))
        flat = "".join(parts)
        movable = (
            all(len(b.strip()) >= 40 for b in parts)
            and ends_sentence(parts[-1])
            and not SCHOOLISH.search(NOT_SCHOOLS.sub("", flat))
            and not any(n in flat for n in pins)
            and not _wide(seps[i])
            and not (first > 0 and _wide(seps[first - 1]))
            and first > 0
            and seps[i] != ""  # the page's last unit stays last
        )
        units.append(_Unit(joined, seps[i], movable))
        i += 1
    keys = {*schools, *places, *t.people, *(f"{n}中" for n in t.numerals)}
    alternation = "|".join(map(re.escape, sorted(keys, key=len, reverse=True)))
    return _Shape(head, tuple(units), re.compile(alternation) if alternation else None)


@cache
def _shapes() -> tuple[_Shape, ...]:
    return tuple(_shape(t) for t in TEMPLATES)


# ---- generated names ---------------------------------------------------------------------------


@cache
def core_pool(size: int, seed: int = 0) -> tuple[str, ...]:
    """`size` distinct two-character school-name cores (龙湾, 松岭…), none of them a place name."""
    rng = random.Random(f"cores:{seed}")
    banned = _place_shorts()
    combos = [a + b for a in CORE_FIRST for b in CORE_SECOND if a != b and a + b not in banned]
    rng.shuffle(combos)
    if size <= len(combos):
        return tuple(combos[:size])
    # More schools than two-character cores: add a third character (金桥湾).
    extra = [c + b for c in combos for b in CORE_SECOND if b not in c]
    rng.shuffle(extra)
    return tuple(combos + extra[: size - len(combos)])


@cache
def _place_shorts() -> frozenset[str]:
    """Every place name and short form in the gazetteer (so a core never reads as a place)."""
    try:
        from store.lexicon import load

        lex = load()
        names = set(lex.places)
        names.update(lex.short_forms.values())
        return frozenset(n for n in names if isinstance(n, str))
    except Exception:  # the gazetteer is a nicety here, not a requirement
        return frozenset()


def _person(rng: random.Random, length: int) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(length - 1))


def _number(match: re.Match[str], rng: random.Random, text: str) -> str:
    digits = match.group()
    if rng.random() < 0.5:
        return digits
    after = text[match.end() : match.end() + 1]
    before = text[match.start() - 1 : match.start()] if match.start() else ""
    if (before and before in ".．") or (after and after in ".．%"):  # keep decimals and rates
        return digits
    if after == "年" and len(digits) == 4:
        return str(rng.randint(2015, 2024))
    if after == "月" and int(digits) <= 12:
        return str(rng.randint(1, 12))
    if after == "日" and int(digits) <= 31:
        return str(rng.randint(1, 28))
    if len(digits) == 1:
        return str(rng.randint(1, 9))
    return str(rng.randint(10 ** (len(digits) - 1), 10 ** len(digits) - 1))


# ---- one page --------------------------------------------------------------------------------


def _arrange(units: tuple[_Unit, ...], rng: random.Random) -> list[tuple[str, str]]:
    """(text, separator) of each unit, each run of movable units shuffled and sometimes one of
    them dropped or printed twice. Movable units are framed by ordinary paragraph breaks, so
    moving one with its separator leaves the layout as it was."""
    out: list[tuple[str, str]] = []
    run: list[tuple[str, str]] = []

    def flush() -> None:
        if len(run) >= 2:
            rng.shuffle(run)
            roll = rng.random()
            if roll < 0.15 and len(run) >= 3:
                run.pop(rng.randrange(len(run)))
            elif roll < 0.30:
                k = rng.randrange(len(run))
                run.insert(k + 1, run[k])
        out.extend(run)
        run.clear()

    for u in units:
        if u.movable:
            run.append((u.text, u.sep))
        else:
            flush()
            out.append((u.text, u.sep))
    flush()
    return out


def vary_page(template: int, rng: random.Random, cores: tuple[str, ...]) -> str:
    """One varied copy of template page `template` (an index into TEMPLATES)."""
    t, shape = TEMPLATES[template], _shapes()[template]
    body = shape.head + "".join(text + sep for text, sep in _arrange(shape.units, rng))
    repl: dict[str, str] = {}
    for old, new in zip(t.districts, rng.sample(DISTRICTS, len(t.districts)), strict=True):
        repl[old] = new
    for old, new in zip(t.cities, rng.sample(HEBEI_CITIES, len(t.cities)), strict=True):
        repl[old] = new
    for slot in t.slots:
        core = rng.choice(cores)
        repl[slot.core] = core
        for typo in slot.typos:
            repl[typo] = core[1] + core[0] + core[2:] + typo[len(slot.core) :]
    for name in t.people:
        repl[name] = _person(rng, len(name))
    for num in t.numerals:
        repl[f"{num}中"] = rng.choice(NUMERALS) + "中"
    if shape.pattern is not None:
        body = shape.pattern.sub(lambda m: repl[m.group()], body)
    return _NUMBER.sub(lambda m: _number(m, rng, body), body)


def _plan(target: int, rng: random.Random) -> list[int]:
    """Template indices whose article counts add up to `target` (shuffled cycles, then a fill)."""
    counts = [t.articles for t in TEMPLATES]
    per_cycle = sum(counts)
    plan: list[int] = []
    for _ in range(target // per_cycle):
        cycle = list(range(len(TEMPLATES)))
        rng.shuffle(cycle)
        plan.extend(cycle)
    left = target - per_cycle * (target // per_cycle)
    for ti in sorted(range(len(TEMPLATES)), key=lambda i: -counts[i]):
        while counts[ti] <= left:
            plan.append(ti)
            left -= counts[ti]
    return plan or [min(range(len(TEMPLATES)), key=lambda i: counts[i])]


def make_corpus(target_articles: int, out: Path, seed: int = 0) -> int:
    """Write a varied corpus of about `target_articles` articles into `out`; the number of pages."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"plan:{seed}:{target_articles}")
    plan = _plan(max(1, target_articles), rng)
    cores = core_pool(max(64, target_articles), seed)
    width = max(6, len(str(len(plan))))
    for index, ti in enumerate(plan):
        text = vary_page(ti, random.Random(f"page:{seed}:{index}"), cores)
        stem = TEMPLATES[ti].file.split("_", 1)[1].removesuffix(".txt")[:8]
        (out / f"{index:0{width}d}_{stem}.txt").write_text(text, encoding="utf-8")
    return len(plan)


# ---- self-check ---------------------------------------------------------------------------------


def _private_cache(root: Path) -> None:
    """Point the build's page cache into `root` (XDG_CACHE_HOME), keeping jieba's warm one."""
    import os

    from store.paths import cache_dir

    jieba = cache_dir() / "jieba"
    os.environ["XDG_CACHE_HOME"] = str(root / "cache")
    cache_dir().mkdir(parents=True, exist_ok=True)
    if jieba.is_dir() and not (cache_dir() / "jieba").exists():
        (cache_dir() / "jieba").symlink_to(jieba, target_is_directory=True)


def _check(target: int, seed: int = 0) -> int:
    """Build a synthetic corpus and compare what the parser finds with the target."""
    import tempfile
    import time

    from store.ingest.build import build

    with tempfile.TemporaryDirectory() as tmp:
        _private_cache(Path(tmp))
        corpus = Path(tmp) / "corpus"
        started = time.perf_counter()
        pages = make_corpus(target, corpus, seed)
        made = time.perf_counter() - started
        result = build(corpus, Path(tmp) / "store.json")
        off = (result.articles - target) / target
        print(
            f"target {target}: {pages} pages written in {made:.2f} s, parser found {result.articles} "
            f"articles ({off:+.1%}), {result.schools} schools, {len(result.warnings)} warnings"
        )
        return 0 if abs(off) <= 0.10 else 1


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", type=int, metavar="N", help="build a corpus of N articles and compare")
    parser.add_argument("--out", type=Path, help="write a corpus here instead")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.check:
        sys.exit(_check(args.check, args.seed))
    if args.out:
        print(make_corpus(args.articles, args.out, args.seed), "pages written to", args.out)
    else:
        parser.print_help()
