"""The domain lexicon and place gazetteer, loaded from the YAML files in `store/data/`.

Knowledge of the domain lives in data so a new district or paper means editing a list,
not the parser. Loaded once per process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from store.records import Region

# Longest first, so 自治县 is tried before 县 and 特别行政区 before 区.
_ADMIN_SUFFIXES = (
    "特别行政区",
    "土家族苗族自治县",
    "苗族土家族自治县",
    "土家族自治县",
    "自治县",
    "自治州",
    "自治区",
    "自治旗",
    "新区",
    "地区",
    "林区",
    "省",
    "市",
    "区",
    "县",
    "州",
    "盟",
    "旗",
)


@dataclass(frozen=True)
class Place:
    name: str
    level: str  # "province", "city" or "district"
    region: Region


@dataclass(frozen=True)
class SchoolSuffix:
    suffix: str
    type: str


@dataclass(frozen=True)
class Lexicon:
    raw: dict[str, Any]
    places: dict[str, Place]  # full and short forms → place
    short_forms: dict[str, str]  # full name → its short form
    suffixes: tuple[SchoolSuffix, ...]
    within: dict[tuple[str, str], Place]  # (city or province, district name) → that district

    def __getitem__(self, key: str) -> Any:
        return self.raw[key]

    @property
    def user_words(self) -> list[str]:
        return list(self.raw["user_words"])

    def place(self, name: str) -> Place | None:
        return self.places.get(name)

    def place_in(self, parent: Place, name: str) -> Place | None:
        """The district of that name inside parent: 长春市朝阳区 is not Beijing's 朝阳区."""
        return self.within.get((parent.name, name))

    def school_type(self, name: str) -> str:
        for s in self.suffixes:
            if name.endswith(s.suffix):
                return s.type
        if re.search(self.raw["numbered_school_pattern"] + "$", name):
            return "secondary"
        if re.search(self.raw["numbered_primary_pattern"] + "$", name):
            return "primary"
        return "other"


def short_form(name: str) -> str | None:
    """梁平区 → 梁平, 廊坊市 → 廊坊; None when stripping would leave a single character."""
    for suffix in _ADMIN_SUFFIXES:
        if name.endswith(suffix):
            rest = name[: -len(suffix)]
            return rest if len(rest) >= 2 else None
    return None


class DataError(ValueError):
    """A lexicon or gazetteer file that does not load: `path:line: reason`, ready to print."""


def _data_path(name: str) -> Any:
    return files("store") / "data" / name


def _safe_load(text: str) -> Any:
    """yaml.safe_load, through libyaml where PyYAML has it: the national gazetteer parses in a
    fifth of the time."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def load_data(name: str) -> Any:
    """A YAML file of store/data, or DataError naming its line."""
    path = _data_path(name)
    try:
        data = _safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(f"{path}:1: cannot be read ({error})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise DataError(f"{path}:{mark.line + 1 if mark else 1}: not valid YAML ({getattr(error, 'problem', error)})") from None
    if not isinstance(data, dict):
        raise DataError(f"{path}:1: must be a mapping of keys")
    return data


def _index_places(data: dict[str, Any]) -> tuple[dict[str, Place], dict[str, str], dict[tuple[str, str], Place]]:
    """Full names and short forms → places; full name → its first short form.

    A city's `zones` (functional zones such as 万盛经开区) are districts of that city. A `former:`
    name (开县 for 开州区) maps to the current place, unless it is a current name or short form,
    or two places claim it. An entry marked `word: true` (城区, 郊区: ordinary words) is listed
    but not indexed, so that 主城区 or 近郊区 never reads as a place.
    """
    places: dict[str, Place] = {}
    shorts: dict[str, str] = {}
    within: dict[tuple[str, str], Place] = {}  # (its city or province, its name) → a district
    ambiguous: set[str] = set()
    formers: dict[str, Place | None] = {}  # None: claimed by two places

    def add(place: Place, entry: dict[str, Any] | str) -> None:
        """An explicit `short:` list replaces the derived short form ([] means none is safe)."""
        if isinstance(entry, dict) and entry.get("word"):
            return
        places.setdefault(place.name, place)
        if isinstance(entry, dict):
            for old in entry.get("former", []):
                formers[old] = place if formers.get(old, place) == place else None
        forms = list(entry["short"]) if isinstance(entry, dict) and "short" in entry else [f for f in [short_form(place.name)] if f]
        for form in forms:
            shorts.setdefault(place.name, form)
            if form in places and places[form].name != place.name:
                # A short form shared by two places (e.g. two 桥西区) names neither.
                if places[form].level == place.level:
                    ambiguous.add(form)
                continue
            places.setdefault(form, place)

    for prov in data["provinces"]:
        pname = prov["name"]
        add(Place(pname, "province", Region(pname, None, None)), prov)
        for city in prov.get("cities", []):
            cname = city["name"]
            add(Place(cname, "city", Region(pname, cname, None)), city)
    # Districts after cities, so 重庆 (city and province) is never shadowed by a county; and a
    # municipality's first, so that a full name it shares (宝山区, 普陀区, 通州区) stays its own.
    cities = [(prov["name"], city) for prov in data["provinces"] for city in prov.get("cities", [])]
    cities.sort(key=lambda pair: pair[1]["name"] != pair[0])
    for pname, city in cities:
        for entry in [*city.get("counties", []), *city.get("zones", [])]:
            name = entry if isinstance(entry, str) else entry["name"]
            place = Place(name, "district", Region(pname, city["name"], name))
            add(place, entry)
            within.setdefault((city["name"], name), place)
            within.setdefault((pname, name), place)
    for form in ambiguous:
        places.pop(form, None)
    for old, owner in formers.items():
        if owner is not None and old not in ambiguous:
            places.setdefault(old, owner)
    return places, shorts, within


@cache
def load() -> Lexicon:
    raw = load_data("lexicon.yaml")
    try:
        places, shorts, within = _index_places(load_data("places.yaml"))
    except (KeyError, TypeError, AttributeError) as error:
        raise DataError(f"{_data_path('places.yaml')}:1: an entry lacks {error}") from None
    try:
        suffixes = tuple(SchoolSuffix(s["suffix"], s["type"]) for s in raw["school_suffixes"])
    except (KeyError, TypeError) as error:
        raise DataError(f"{_data_path('lexicon.yaml')}:1: school_suffixes: an entry lacks {error}") from None
    return Lexicon(raw=raw, places=places, short_forms=shorts, suffixes=suffixes, within=within)
