"""Extract school profiles from segmented articles, every value with the sentence it came from.

Works over the whole corpus at once: a name seen once as 玛瑙学校 is trusted because the same
school appears elsewhere as 中共重庆市南岸区玛瑙学校委员会, and 和人街小学 is recognised as a slip
for the 人和街小学 named everywhere else. Facts in a sentence go to the school the sentence is
about: the one it names nearest before the fact, or — for 学校 / 该校 — the school in focus.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TypeVar

from store.fold import simplify
from store.ingest import tokenize
from store.ingest.names import Mention, districts_named, find_places, find_schools, inside_quotes
from store.lexicon import Lexicon, load
from store.namekey import is_typo, normalize_key, same_school
from store.records import Article, Evidence, Leader, Region, School, Stat
from store.sentences import sentences

_NUMERALS = "一二两三四五六七八九十百双"


# ---- corpus-wide name resolution ----------------------------------------------------------


@dataclass
class _Cluster:
    displays: Counter[str] = field(default_factory=Counter)
    surfaces: set[str] = field(default_factory=set)
    regions: list[tuple[Region, bool]] = field(default_factory=list)
    articles: dict[str, None] = field(default_factory=dict)  # an ordered set


class Names:
    """Every school in the corpus: which keys are one school, and what to call it."""

    def __init__(self, mentions: list[tuple[str, Found]], lex: Lexicon) -> None:
        accepted = {m.key for _, m in mentions if not m.weak}
        by_count = Counter(m.key for _, m in mentions if m.key in accepted)
        self._canonical_key: dict[str, str] = {}
        roots_by_letters: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for key, _ in by_count.most_common():
            letters = tuple(sorted(key))
            target = next((c for c in roots_by_letters[letters] if is_typo(key, c)), key)
            self._canonical_key[key] = target
            if target == key:
                roots_by_letters[letters].append(key)
        self.clusters: dict[str, _Cluster] = defaultdict(_Cluster)
        self._abbreviated = re.compile(
            f"(?:{_alt(lex['abbreviated_suffixes'])}|[{_NUMERALS}\\d]中)$"
        )
        for article_id, m in mentions:
            root = self._canonical_key.get(m.key)
            if root is None:
                continue
            c = self.clusters[root]
            if m.key == root:
                c.displays[m.display] += 1
            c.surfaces.update((m.surface, m.display))
            if m.region:
                c.regions.append((m.region, m.strong_region))
            c.articles.setdefault(article_id, None)

    def resolve(self, key: str, context: tuple[str, ...] = ()) -> str | None:
        """The cluster root for a key; an abbreviation (实验小学) resolves to a school in context."""
        if key in self._canonical_key:
            return self._canonical_key[key]
        matches = [self._canonical_key[k] for k in context if k in self._canonical_key and same_school(k, key)]
        return matches[0] if len(set(matches)) == 1 else None

    def name(self, root: str) -> str:
        """The full form before abbreviations (职业教育中心 over 职教中心), then the most used."""
        displays = self.clusters[root].displays
        best = max(displays, key=lambda d: (not self._abbreviated.search(d), displays[d], -len(d)))
        return best[:-1] if best.endswith(("小学校", "中学校")) else best


# ---- facts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    field: str
    value: object
    start: int  # offset in the sentence, to find the school it belongs to


@dataclass(frozen=True)
class _Patterns:
    quoted_brand: re.Pattern[str]
    brand_after: re.Pattern[str]
    listed_brands: re.Pattern[str]
    joint_brand: re.Pattern[str]
    named_brand: re.Pattern[str]
    model: re.Pattern[str]
    bare_model: re.Pattern[str]
    model_kind: re.Pattern[str]
    chain: re.Pattern[str]
    leader: re.Pattern[str]
    stat: re.Pattern[str]
    honor: re.Pattern[str]
    designation: re.Pattern[str]
    numeral_formula: re.Pattern[str]
    digit_formula: re.Pattern[str]
    noun_formula: re.Pattern[str]


def _alt(words: list[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


# A quotation, nested ‘’ allowed inside (“弘扬‘朴远’以致远”).
_QUOTE = "“([^“”]{2,24})”"
# A gloss in brackets between a formula and its kind: “1 3 5”（鳌翔计划）战略框架.
_GLOSS = "(?:（[^（）]{1,12}）)?"


@cache
def _patterns() -> _Patterns:
    lex = load()
    brand_suffixes = lex["party_brand_suffixes"] + lex["education_brand_suffixes"]
    cjk = "\u4e00-\u9fff"
    return _Patterns(
        quoted_brand=re.compile(f"{_QUOTE}\\s*(?:为|作为)?\\s*({_alt(brand_suffixes)})"),
        brand_after=re.compile(f"(?:{_alt(lex['brand_openers'])})\\s*[—：]*\\s*{_QUOTE}"),
        listed_brands=re.compile(f"(?:[{cjk}]{{2}}党建[、和及与]){{1,}}[{cjk}]{{2}}党建"),
        joint_brand=re.compile(f"([{cjk}]{{2}})党建(?={_alt(lex['brand_bodies'])})"),
        named_brand=re.compile(f"([{cjk}]{{2,10}}?)(?:主题)?(?:{_alt(lex['brand_openers'])})"),
        model=re.compile(
            f"“([^“”]{{1,20}})”{_GLOSS}\\s*((?:(?!的)[{cjk}]){{0,6}}?)({_alt(lex['model_suffixes'])})"
        ),
        bare_model=re.compile(
            f"(?<![\\d.％%+])((?:\\d|[XN])(?:{_GLOSS}\\+(?:\\d{{1,2}}|[XNxn])){{1,5}}{_GLOSS}|\\d{{3,6}})"
            f"(?=\\s*(?:[{cjk}]{{0,4}})(?:{_alt(lex['model_suffixes'])}))|"
            f"(?<![\\d.％%+“])((?:\\d|[XN])(?:{_GLOSS}\\+(?:\\d{{1,2}}|[XNxn])){{2,5}}{_GLOSS})(?![\\d%％])"
        ),
        model_kind=re.compile(f"(?:{_alt(lex['model_suffixes'])})$"),
        chain=re.compile(r"((?:“[^“”]{1,4}”(?:（[^（）]*）)?\+)+“[^“”]{1,4}”(?:（[^（）]*）)?)" + f"({_alt(lex['model_suffixes'])})"),
        leader=re.compile(
            f"((?:{_alt(lex['leader_roles'])})(?:、(?:{_alt(lex['leader_roles'])}))?)"
            f"([\u4e00-\u9fff]{{2,3}}?)(?={_alt(lex['speech_verbs'])})"
        ),
        stat=re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(余|多)?(" + _alt(lex["stat_units"]) + ")"),
        honor=re.compile(f"{_alt(lex['honor_triggers'])}|获(?=[^，。；“”]{{2,30}}奖)"),
        designation=re.compile(f"({_alt(lex['designation_suffixes'])})"),
        numeral_formula=re.compile(f"^(?:[{_NUMERALS}][^{_NUMERALS}\\W]{{1,3}}){{2,}}$"),
        digit_formula=re.compile(r"^(?!(?:19|20)\d\d$)(?=.*(?:\+|\d[\s\d]*\d[\s\d]*\d))[\dXxNn+＋ ]+$"),
        noun_formula=re.compile(f"^[{_NUMERALS}][^{_NUMERALS}\\W]{{1,2}}(?:{_alt(lex['model_nouns'])})$"),
    )


def _enclosing_quote(sentence: str, pos: int) -> str | None:
    """The quoted text around pos, if pos is inside “…”."""
    if not inside_quotes(sentence, pos):
        return None
    start = sentence.rfind("“", 0, pos)
    end = sentence.find("”", pos)
    return sentence[start + 1 : end if end >= 0 else len(sentence)]


def _after_place(sentence: str, pos: int, lex: Lexicon) -> bool:
    """A formula right after a place name (北碚区“13751”工作思路) is the place's, not a school's."""
    return any(sentence[pos - size : pos] in lex.places for size in range(2, 7) if pos >= size)


def is_formula(text: str) -> bool:
    pats = _patterns()
    return bool(pats.digit_formula.match(text) or pats.numeral_formula.match(text))


def _not_a_brand(value: str, lex: Lexicon) -> bool:
    """Campaigns, programmes and formulas are quoted before 党建品牌 as often as brands are."""
    return (
        value in lex["not_brands"]
        or value in lex["not_models"]
        or value.endswith(tuple(lex["campaign_endings"]))
        or is_formula(value)
    )


def _party_context(sentence: str, pos: int, lex: Lexicon) -> bool:
    """The clause before pos speaks of the Party organisation (党委…“朴远”品牌)."""
    start = max(sentence.rfind(ch, 0, pos) for ch in "。！？；") + 1
    return any(word in sentence[start:pos] for word in lex["party_words"])


def _brands(sentence: str, mentions: list[tuple[int, int]], lex: Lexicon) -> list[Fact]:
    """Every brand the sentence names, in whichever form, once each."""
    out: dict[str, Fact] = {}
    named = "品牌" in sentence or "党建" in sentence  # what every form but a table's cell says
    found = [
        *(_quoted_brands(sentence, lex) if named else ()),
        *(_unquoted_brands(sentence, mentions, lex) if named else ()),
        *_brands_after_names(sentence, mentions, lex),
    ]
    for fact in found:
        value = str(fact.value).strip()
        if len(value) >= 2 and not _not_a_brand(value, lex) and value not in out:
            out[value] = replace(fact, value=value)
    return list(out.values())


def _quoted_brands(sentence: str, lex: Lexicon) -> Iterator[Fact]:
    """“X”党建品牌, “X”党建, “X”为党建特色品牌, “X”品牌 of a Party body, 党建品牌“X”."""
    for m in _patterns().quoted_brand.finditer(sentence):
        value, suffix = m.group(1), m.group(2)
        if _after_place(sentence, m.start(), lex):
            continue
        if suffix == "党建" and sentence.startswith(("引领", "工作"), m.end()):
            continue  # “X”党建引领…: a theme, not a name
        if sentence.startswith(tuple(lex["brand_glosses"]), m.end()):
            continue  # 以“…”为品牌内涵: what the brand means, not its name
        # “水育党建”品牌: 党建 inside the quotes is part of the name.
        party = (
            suffix in lex["party_brand_suffixes"]
            or "党" in value
            or (suffix in ("品牌", "品牌项目", "品牌创建") and _party_context(sentence, m.start(), lex))
        )
        yield Fact("brands" if party else "education_brands", value, m.start())
    for m in _patterns().brand_after.finditer(sentence):
        yield Fact("brands", m.group(1), m.start(1))


def _unquoted_brands(sentence: str, mentions: list[tuple[int, int]], lex: Lexicon) -> Iterator[Fact]:
    """育心党建、同心党建 in a list, and X of X党建联合体 (not 小学 of 林基路小学党建联合体)."""
    kinds = lex["party_building_kinds"]
    for m in _patterns().listed_brands.finditer(sentence):
        for item in re.split("[、和及与]", m.group()):
            core = item[: -len("党建")]
            if core not in kinds and not any(k in core for k in ("的", "和")):
                yield Fact("brands", core, m.start())
    for m in _patterns().joint_brand.finditer(sentence):
        named = any(end == m.end(1) for _, end in mentions)
        if not named and m.group(1) not in kinds and tokenize.is_name_word(m.group(1)):
            yield Fact("brands", m.group(1), m.start())


def _brands_after_names(sentence: str, mentions: list[tuple[int, int]], lex: Lexicon) -> Iterator[Fact]:
    """A brand right after its school: a table's next cell (怡心湖小学　“怡心向党”), or the name
    before 党建品牌 (重庆市第七中学校红烛耀东川主题党建品牌) that is no kind, verb or Party body."""
    not_names = _not_brand_names()
    for _, end in mentions:
        cell = _BRAND_CELL.fullmatch(sentence, end)
        if cell:
            yield Fact("brands", cell.group(1) or cell.group(2), end)
            continue
        m = _patterns().named_brand.match(sentence, end)
        value = m.group(1) if m else ""
        if value and not any(ch in lex["core_stop_chars"] for ch in value) and not any(w in value for w in not_names):
            yield Fact("brands", value, end)


@cache
def _not_brand_names() -> tuple[str, ...]:
    lex = load()
    return (*lex["party_words"], *lex["brand_verbs"], *(k for k in lex["party_building_kinds"] if len(k) >= 2))


_BRAND_CELL = re.compile(r"[ \t　]+(?:“([^“”]{2,24})”|([\u4e00-\u9fff]{2,10}党建))[ \t　]*")


_DIGIT = re.compile(r"\d")
_GLOSSES = re.compile(r"（[^（）]*）")


def _model_value(value: str) -> str:
    """“1+2+3工作模式” quotes its kind too; 1（一个愿景）+3（…） carries glosses: the formula is 1+2+3."""
    value = (_GLOSSES.sub("", value) if "（" in value else value).strip()
    kind = _patterns().model_kind.search(value)
    return value[: kind.start()] if kind and is_formula(value[: kind.start()]) else value


def _models(sentence: str, lex: Lexicon) -> list[Fact]:
    pats = _patterns()
    out: dict[str, Fact] = {}
    for m in pats.chain.finditer(sentence):
        value = "+".join(re.findall(r"“([^“”]+)”", m.group(1)))
        out[value] = Fact("models", value, m.start())
    for m in re.finditer(r"“([^“”]{1,40})”", sentence):
        value = _model_value(m.group(1))
        if len(value) > 20:
            continue
        if value in out or value in lex["not_models"] or _after_place(sentence, m.start(), lex):
            continue
        modelled = pats.model.match(sentence, m.start()) or is_formula(value) or pats.noun_formula.match(value)
        if modelled and len(value) >= 2 and not any(ch in "，。、；" for ch in value):
            out[value] = Fact("models", value, m.start())
    for m in pats.bare_model.finditer(sentence) if _DIGIT.search(sentence) else ():
        value = _model_value(m.group(1) or m.group(2))
        if value in out or _after_place(sentence, m.start(), lex):
            continue
        if is_formula(value):
            out[value] = Fact("models", value, m.start())
    return list(out.values())


def _batch(sentence: str, lex: Lexicon) -> list[Fact]:
    if not any(marker in sentence for marker in lex["shuangchuang_markers"]):
        return []
    out = []
    if "单位" in sentence:
        out.append(Fact("designations", lex["shuangchuang_designation"], 0))
    for batch, words in lex["batch_words"].items():
        for word in words:
            pos = sentence.find(word)
            if pos < 0:
                continue
            quote = _enclosing_quote(sentence, pos)
            # 首批 inside “首批中国儿童青少年健康促进学校” is another list's batch; 永川区首批 and
            # 区级第二批 are a district's own lists, not the city's 双创 batches.
            if _district_level(sentence, pos, lex):
                continue
            if quote is None or any(marker in quote for marker in lex["shuangchuang_markers"]):
                out.append(Fact("batch", int(batch), pos))
    if not any(f.field == "batch" for f in out):
        for m in re.finditer(r"(20\d\d)年", sentence):
            batch = lex["batch_years"].get(int(m.group(1)))
            if batch:
                out.append(Fact("batch", int(batch), m.start()))
    return out


def _district_level(sentence: str, pos: int, lex: Lexicon) -> bool:
    before = sentence[max(0, pos - 8) : pos]
    return before.endswith(("区级", "县级")) or any(
        before.endswith(p.name) for _, p in find_places(before, lex) if p.level == "district"
    )


def _designations(sentence: str, lex: Lexicon) -> list[Fact]:
    """示范点 / 示范园 phrases; in a sentence listing honours they are honours, not designations."""
    out: list[Fact] = []
    if _patterns().honor.search(sentence):
        return out
    for m in _patterns().designation.finditer(sentence):
        if inside_quotes(sentence, m.start()):
            continue
        head = re.split(r"[，。；、：“”（）]", sentence[: m.start()])[-1]
        places = find_places(head, lex)
        if places:
            head = head[places[0][0] :]
        else:
            tokens = tokenize.cut(head)
            kept: list[str] = []
            for token in reversed(tokens):
                if not tokenize.is_name_word(token) and token not in ("首批", "第二批"):
                    break
                kept.insert(0, token)
            head = "".join(kept)
        value = head + m.group(1)
        if len(head) >= 2:
            out.append(Fact("designations", value, m.start()))
    return out


def _leaders(sentence: str, mentions: list[tuple[int, int]], lex: Lexicon) -> list[Fact]:
    out = []
    for m in _patterns().leader.finditer(sentence):
        before = sentence[: m.start()]
        owned = any(end == m.start() or sentence[end : m.start()] in ("党委", "党支部", "党总支") for _, end in mentions)
        owned = owned or before.endswith(tuple(lex["school_anaphora"]))
        if owned:
            out.append(Fact("leaders", Leader(m.group(2), m.group(1)), m.start()))
    return out


def _split_items(clause: str) -> list[str]:
    quoted = re.findall(r"“([^“”]+)”", clause)
    if quoted:
        return quoted
    items: list[str] = []
    for part in re.split(r"、", clause):
        pieces = re.split(r"和|及", part)
        if len(pieces) == 2 and all(len(p) >= 4 for p in pieces):
            items.extend(pieces)
        else:
            items.append(part)
    return items


def _honors(sentence: str, lex: Lexicon) -> list[Fact]:
    out = []
    for m in _patterns().honor.finditer(sentence):
        clause_start = max(sentence.rfind(ch, 0, m.start()) for ch in "，。；：") + 1
        if any(p in sentence[clause_start : m.start()] for p in lex["honor_person_subjects"]):
            continue
        rest = sentence[m.end() :]
        end = len(rest)
        for i, ch in enumerate(rest):
            if ch in "，。；" and not inside_quotes(rest, i):
                end = i
                break
        clause = rest[:end]
        cut = re.search(r"(?<![一二三四五特])等(?=[^“”]*(?:荣誉|称号|奖项|项|奖))", clause)
        if cut and not inside_quotes(clause, cut.start()):
            clause = clause[: cut.start()]
        clause = re.sub(r"(?:荣誉称号|称号|荣誉)$", "", clause)
        for item in _split_items(clause):
            item = item.strip()
            if 4 <= len(item) <= 40:
                # 示范校 / 示范点 titles are designations (see the glossary), however they were won.
                kind = "designations" if item.endswith(tuple(lex["designation_suffixes"])) else "honors"
                out.append(Fact(kind, item, m.start()))
    return out


def _stat_what(sentence: str, start: int, end: int) -> str:
    """What a number counts: the noun phrase after it (5门重庆市精品选修课程), else the words before
    it (学生各类竞赛获奖1800余人次). A long phrase is cut at its first verb (25所幼儿园成立…)."""
    # A 、 ends a list item, except between two levels of government (16名党员成长为市、区级骨干教师).
    after = re.split(r"[，。；：“”（）()\s\d]|、(?![国省市区县镇校]级)", sentence[end:])[0]
    if "的" in after:
        after = after.rsplit("的", 1)[1]  # 1个以…为核心的党史教育基地: the head noun
    if len(after) > 14:
        kept: list[str] = []
        for token in tokenize.cut(after):
            if kept and tokenize.tag(token).startswith("v"):
                break
            kept.append(token)
        after = "".join(kept)[:14]
    if after:
        return after
    before = re.split(r"[，。；、：“”（）()\s]", sentence[:start])[-1]
    kept = []
    for token in reversed(tokenize.cut(before)):
        if tokenize.tag(token) in {"p", "c", "u", "uj", "d"} or token in ("等", "了"):
            break
        kept.insert(0, token)
    return "".join(kept)[-12:]


def _stats(sentence: str, lex: Lexicon) -> list[Fact]:
    out = []
    for m in _patterns().stat.finditer(sentence):
        if inside_quotes(sentence, m.start()):
            continue
        number, qualifier, unit = m.group(1), m.group(2) or "", m.group(3)
        value: float | int = float(number) if "." in number else int(number)
        if unit == "年" or (unit in ("万",) and value >= 1900):
            continue
        what = _stat_what(sentence, m.start(), m.end())
        if what and not re.search(r"\d", what):
            out.append(Fact("stats", Stat(value, unit, what, qualifier), m.start()))
    return out


def _stated_type(sentence: str, lex: Lexicon) -> list[Fact]:
    """汉昌学校是一所九年一贯制学校: what the text says a school is outranks what its name suggests."""
    m = _STATED_TYPE.search(sentence)
    if not m:
        return []
    kind = lex.school_type(m.group(1))
    return [Fact("type", kind, m.start())] if kind != "other" else []


_STATED_TYPE = re.compile(r"是一所[^，。；、]{0,12}?(九年一贯制学校|九年制学校|完全中学|高级中学|初级中学|小学|中学|幼儿园|职业学校)")


def sentence_facts(sentence: str, mentions: list[tuple[int, int]], lex: Lexicon) -> list[Fact]:
    """Every fact a sentence states, with where it stands (to pick its school)."""
    sentence = simplify(sentence)
    return [
        *_stated_type(sentence, lex),
        *_batch(sentence, lex),
        *_designations(sentence, lex),
        *_brands(sentence, mentions, lex),
        *_models(sentence, lex),
        *_leaders(sentence, mentions, lex),
        *_honors(sentence, lex),
        *_stats(sentence, lex),
    ]


# ---- per-article analysis (independent of other articles: runs in parallel, cached per page) ----


@dataclass(frozen=True)
class Found:
    """A school mention as the analysis keeps it: enough to resolve and to place facts."""

    key: str
    display: str
    surface: str
    weak: bool
    start: int
    end: int
    region: Region | None
    strong_region: bool

    @classmethod
    def of(cls, m: Mention) -> Found:
        return cls(m.key, m.display, m.surface, m.weak, m.start, m.end, m.region, m.strong_region)


@dataclass(frozen=True)
class Said:
    """One sentence that names a school or states a fact."""

    paragraph: int
    text: str
    mentions: tuple[Found, ...]
    facts: tuple[Fact, ...]
    refers_back: bool


@dataclass(frozen=True)
class Analysis:
    article: str
    subject_key: str | None
    mentions: tuple[Found, ...]
    said: tuple[Said, ...]
    party_forms: tuple[str, ...]
    named_region: Region | None = None


# Between two names of one list: 、 or 和, after the first one's Party body or brand.
_LIST_GAP = re.compile(r"(?:党委|党总支|党支部|“[^“”]{1,24}”(?:党建)?)?\s*[、和及与]\s*")


def _found(text: str, lex: Lexicon) -> list[Found]:
    """Mentions, a list's later names taking the district written before the first
    (江津区四牌坊小学、几江幼儿园、第六中学校，荣昌区棠香小学校), and a name listed with a
    sure one confirmed by it."""
    found = [Found.of(m) for m in find_schools(text, lex) if not m.quoted]
    abbreviations = tuple(lex["place_named_cores"])
    for i in range(1, len(found)):
        before, this = found[i - 1], found[i]
        if not _LIST_GAP.fullmatch(text[before.end : this.start]):
            continue
        if before.strong_region and not this.strong_region:
            found[i] = this = replace(this, region=before.region, strong_region=True)
        if before.weak != this.weak and not (before if before.weak else this).display.startswith(abbreviations):
            # 石鼓初级中学、红星幼儿园: listed with a school, a school (实验小学 stays an abbreviation)
            found[i - 1], found[i] = replace(before, weak=False), replace(this, weak=False)
    return found


# 九龙融媒讯（记者 …）: a news item from a district's own media centre, whose 我区 is that district.
_OUTLET = re.compile(r"^([\u4e00-\u9fff]{2,4}?)(?:区|县|市)?(?:融媒体中心|融媒|新闻中心|发布)讯")


def _outlet_region(article: Article, lex: Lexicon) -> Region | None:
    """The district of the outlet that opens the article: its name is a district's (short) name,
    or the start of just one district's name among the provinces the article names."""
    m = _OUTLET.match(simplify(article.paragraphs[0])) if article.paragraphs else None
    if m is None:
        return None
    place = lex.place(m.group(1))
    if place is not None:
        return place.region if place.level == "district" else None
    named = {p.region.province for _, p in find_places("\n".join((article.title, *article.paragraphs)), lex)}
    candidates = {
        p.region for p in lex.places.values()
        if p.level == "district" and p.name.startswith(m.group(1)) and p.region.province in named
    }
    return candidates.pop() if len(candidates) == 1 else None


def _named_region(article: Article, lex: Lexicon) -> Region | None:
    """The district an article is about when it does not say so in a prefix: its outlet's
    (九龙融媒讯), the one its title names, else the one its text names most and more than once
    (a district named in passing, 赴江津区研学, is nobody's district)."""
    outlet = _outlet_region(article, lex)
    if outlet is not None:
        return outlet
    for text, times in ((article.title, 1), ("\n".join(article.paragraphs), 2)):
        ranked = districts_named(text, lex).most_common(2)
        if ranked and ranked[0][1] >= times and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            return lex.places[ranked[0][0]].region
    return None


def analyse(article: Article) -> Analysis:
    """Everything the article's sentences say, before names are resolved across the corpus."""
    lex = load()
    furniture = [article.kicker, article.title, *article.headings, *article.captions]
    mentions = [f for text in furniture for f in _found(text, lex)]
    said: list[Said] = []
    anaphora = tuple(lex["school_anaphora"] + lex["person_anaphora"])
    for p_index, paragraph in enumerate(article.passages()):
        for sentence in map(str.strip, sentences(paragraph)):
            found = _found(sentence, lex)
            facts = sentence_facts(sentence, [(f.start, f.end) for f in found], lex)
            mentions.extend(found)
            if found or facts:
                said.append(Said(p_index, sentence, tuple(found), tuple(facts), _refers_back(sentence, anaphora)))
    pattern = re.compile(lex["party_committee_pattern"])
    forms = tuple(dict.fromkeys(m.group() for p in article.paragraphs for m in pattern.finditer(simplify(p))))
    subject_key = normalize_key(article.subject, lex) if article.subject_kind == "school" else None
    return Analysis(article.id, subject_key, tuple(mentions), tuple(said), forms, _named_region(article, lex))


def analysis_from_dict(d: dict) -> Analysis:
    def found(f: dict) -> Found:
        return Found(**{**f, "region": Region(**f["region"]) if f["region"] else None})

    def fact(f: dict) -> Fact:
        value = f["value"]
        if f["field"] == "leaders":
            value = Leader(**value)
        elif f["field"] == "stats":
            value = Stat(**value)
        return Fact(f["field"], value, f["start"])

    return Analysis(
        d["article"],
        d["subject_key"],
        tuple(found(f) for f in d["mentions"]),
        tuple(
            Said(s["paragraph"], s["text"], tuple(found(f) for f in s["mentions"]),
                 tuple(fact(f) for f in s["facts"]), s["refers_back"])
            for s in d["said"]
        ),
        tuple(d["party_forms"]),
        Region(**d["named_region"]) if d.get("named_region") else None,
    )


# ---- profiles (corpus-wide: cheap, runs once over all analyses) --------------------------------


@dataclass
class _Profile:
    """Values and evidence in the order first read; the dicts double as ordered sets (a school
    named in thousands of articles must not make each addition scan a list)."""

    values: dict[str, dict[object, None]] = field(default_factory=lambda: defaultdict(dict))
    evidence: dict[str, dict[Evidence, None]] = field(default_factory=lambda: defaultdict(dict))
    party_forms: list[str] = field(default_factory=list)
    named_in: set[str] = field(default_factory=set)

    def add(self, name: str, value: object, ev: Evidence) -> None:
        self.values[name].setdefault(value, None)
        self.evidence[name].setdefault(ev, None)


def _owner(fact: Fact, placed: list[tuple[int, int, str]], focus: list[str], sentence: str) -> list[str]:
    """Who a fact is about: the school named nearest before it; a batch or designation, every
    school of its clause (A、B、C获评第二批…), else of its sentence."""
    if fact.field in ("batch", "designations") and len({r for *_, r in placed}) > 1:
        lo = max(sentence.rfind(ch, 0, fact.start) for ch in "，；") + 1
        hi = min((i for ch in "，；" if (i := sentence.find(ch, fact.start)) >= 0), default=len(sentence))
        clause = [r for s, _, r in placed if lo <= s < hi]
        return list(dict.fromkeys(clause or [r for *_, r in placed]))
    before = [r for s, e, r in placed if s <= fact.start]
    if before:
        return [before[-1]]
    if placed:
        return [placed[0][2]]
    return focus[:1]


def _stringify(value: object) -> str:
    if isinstance(value, Leader):
        return f"{value.role} {value.name}"
    if isinstance(value, Stat):
        return value.said
    return str(value)


def extract(articles: list[Article], analyses: list[Analysis] | None = None) -> tuple[list[Article], list[School]]:
    """Articles in, the same articles (subject and schools filled in) plus school profiles out."""
    lex = load()
    analyses = analyses if analyses is not None else [analyse(a) for a in articles]
    names = Names([(an.article, m) for an in analyses for m in an.mentions], lex)
    profiles: dict[str, _Profile] = defaultdict(_Profile)
    updated: list[Article] = []
    for article, analysis in zip(articles, analyses, strict=True):
        context = tuple(dict.fromkeys(m.key for m in analysis.mentions if not m.weak))
        subject_root = names.resolve(analysis.subject_key, context) if analysis.subject_key else None
        roots = [r for m in analysis.mentions if (r := names.resolve(m.key, context))]
        if subject_root:
            roots.insert(0, subject_root)
        _read_facts(article, analysis, names, context, subject_root, profiles)
        for root in dict.fromkeys(roots):
            cluster = names.clusters[root]
            cluster.articles.setdefault(article.id, None)
            profiles[root].party_forms.extend(
                f for f in analysis.party_forms if any(sur in f for sur in cluster.surfaces)
            )
        updated.append(
            replace(
                article,
                subject=names.name(subject_root) if subject_root else article.subject,
                schools=tuple(names.name(r) for r in dict.fromkeys(roots)),
            )
        )
    by_id = {a.id: a for a in updated}
    named = {an.article: an.named_region for an in analyses}
    schools = [_school(root, names, profiles[root], by_id, named, lex) for root in names.clusters]
    return updated, sorted(schools, key=lambda s: (s.district or "", s.name))


def _read_facts(
    article: Article,
    analysis: Analysis,
    names: Names,
    context: tuple[str, ...],
    subject_root: str | None,
    profiles: dict[str, _Profile],
) -> None:
    """Give each fact to its school: the one named nearest before it, else the one in focus."""
    focus: list[str] = []
    focus_paragraph = -1
    last_paragraph = -1
    headings = set(article.heading_paragraphs)
    pending: tuple[Said, list[Fact]] | None = None
    for said in analysis.said:
        if any(last_paragraph < p <= said.paragraph for p in headings):
            focus = []
        last_paragraph = said.paragraph
        placed = [(m.start, m.end, r) for m in said.mentions if (r := names.resolve(m.key, context))]
        listed = list(dict.fromkeys(r for *_, r in placed))
        if pending and pending[0].paragraph == said.paragraph and len(listed) > 1:
            # 第二批…名单公布。…它们是：A、B、C: the list is what the sentence before announced.
            for fact in pending[1]:
                for root in listed:
                    profiles[root].add(fact.field, fact.value, _evidence(fact, article, pending[0]))
        pending = None if placed else (said, [f for f in said.facts if f.field in ("batch", "designations")])
        if placed:
            focus, focus_paragraph = listed, said.paragraph
        elif said.refers_back and focus and said.paragraph - focus_paragraph <= 1:
            pass  # 他深耕… / 学校构建…: the school this paragraph or the one before has just named
        elif subject_root:
            focus = [subject_root]
        elif not said.refers_back:
            continue
        if not focus:
            continue
        folded = simplify(said.text)
        for fact in said.facts:
            if fact.field == "stats" and len(focus) > 1:
                continue
            for root in _owner(fact, placed, focus, folded):
                profiles[root].add(fact.field, fact.value, _evidence(fact, article, said))
        for _, _, root in placed:
            profile = profiles[root]
            if article.id not in profile.named_in:
                profile.named_in.add(article.id)
                name = names.name(root)
                profile.add("name", name, Evidence(name, article.id, said.paragraph, said.text))


def _evidence(fact: Fact, article: Article, said: Said) -> Evidence:
    return Evidence(_stringify(fact.value), article.id, said.paragraph, said.text)


_T = TypeVar("_T")


def _typed(values: Iterable[object], kind: type[_T]) -> tuple[_T, ...]:
    """A profile keeps every field's values as `object`; each field's facts are built with one
    type (Fact's constructors above), and this hands that type back to the checker."""
    return tuple(v for v in values if isinstance(v, kind))


def _distinct_models(models: Iterable[object]) -> tuple[str, ...]:
    """“13595大党建”工作格局 is the “13595” model again, written longer."""
    names = [str(m) for m in models]
    formulas = {n for n in set(names) if is_formula(n)}  # looked up by prefix: a school of thousands of articles has many
    return tuple(m for m in names if not any(m[:size] in formulas for size in range(len(m))))


def _refers_back(sentence: str, anaphora: tuple[str, ...]) -> bool:
    """学校已有… / 目前，该校…: a sentence whose subject is the school already in focus."""
    head = re.sub(r"^[^，。]{1,6}，", "", sentence.strip())
    return head.startswith(anaphora)


def _region(root: str, names: Names, by_id: dict[str, Article], named: dict[str, Region | None]) -> Region:
    """By evidence, strongest first: a prefix or the list that names it (北碚区金兴小学), then the
    region of an article about it: its subject's, the page's, or the district the article names.
    A prefix naming a prefecture's city (自贡市蜀光中学) makes it a city school, in no district; a
    municipality's (重庆市第七中学) leaves its district to the article."""
    cluster = names.clusters[root]
    written = [r for r, is_strong in cluster.regions if is_strong]
    with_district = [r for r in written if r.district]
    if with_district:
        return Counter(with_district).most_common(1)[0][0]
    city_run = [r for r in written if r.city and r.city != r.province]
    if city_run:
        return Counter(city_run).most_common(1)[0][0]  # 张掖市第二中学: the city's school, in no district
    for article_id in cluster.articles:
        for region in (by_id[article_id].region, named.get(article_id)):
            if region and region.district and all(_within(region, w) for w in written):
                return region
    return Counter(written).most_common(1)[0][0] if written else Region()


def _within(region: Region, wider: Region) -> bool:
    """重庆市沙坪坝区 lies within 重庆市; 江津区 does not lie within 自贡市."""
    return all(getattr(wider, level) in (None, getattr(region, level)) for level in ("province", "city"))


def _school(
    root: str, names: Names, profile: _Profile, by_id: dict[str, Article], named: dict[str, Region | None], lex: Lexicon
) -> School:
    cluster = names.clusters[root]
    name = names.name(root)
    region = _region(root, names, by_id, named)
    values = profile.values
    batches = Counter(_typed(values.get("batch", {}), int))
    aliases = sorted((cluster.surfaces | set(cluster.displays)) - {name}, key=lambda a: (len(a), a))
    aliases += [f for f in dict.fromkeys(profile.party_forms) if f not in aliases]
    evidence = {k: tuple(v) for k, v in profile.evidence.items()}
    return School(
        name=name,
        aliases=tuple(aliases),
        province=region.province,
        city=region.city,
        district=region.district,
        type=next(iter(_typed(values.get("type", {}), str)), lex.school_type(name)),
        batch=batches.most_common(1)[0][0] if batches else None,
        designations=_typed(values.get("designations", {}), str),
        brands=_typed(values.get("brands", {}), str),
        education_brands=_typed(values.get("education_brands", {}), str),
        models=_distinct_models(values.get("models", {})),
        leaders=_typed(values.get("leaders", {}), Leader),
        honors=_typed(values.get("honors", {}), str),
        stats=_typed(values.get("stats", {}), Stat),
        articles=tuple(cluster.articles),
        evidence=evidence,
    )
