"""Sanity checks for the place gazetteer store/data/places.yaml."""

from pathlib import Path

import pytest
import yaml

PLACES = Path(__file__).parents[1] / "store" / "data" / "places.yaml"

KINDS = {"municipality", "province", "autonomous_region", "sar"}
# Longest first only for readability; endswith() checks them all.
SUFFIXES = (
    "特别行政区", "自治区", "自治州", "自治县", "地区", "林区", "新区", "矿区",
    "省", "市", "区", "县", "州", "盟", "旗",
)


@pytest.fixture(scope="module")
def data():
    with PLACES.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def _name(entry):
    """County items are plain strings, or {name, short} mappings."""
    return entry if isinstance(entry, str) else entry["name"]


def _province(data, name):
    [p] = [p for p in data["provinces"] if p["name"] == name]
    return p


def _city(province, name):
    [c] = [c for c in province["cities"] if c["name"] == name]
    return c


def _counties(city):
    return [_name(x) for x in city.get("counties", [])]


def _all_entries(data):
    """Yield every mapping-or-string entry at any level."""
    for p in data["provinces"]:
        yield p
        for c in p.get("cities") or []:
            yield c
            yield from c.get("counties", [])


def test_34_provinces(data):
    provinces = data["provinces"]
    assert len(provinces) == 34
    names = [p["name"] for p in provinces]
    assert len(set(names)) == 34
    for n in ("香港特别行政区", "澳门特别行政区", "台湾省", "重庆市", "河北省", "四川省"):
        assert n in names


def test_kinds(data):
    kinds = {p["name"]: p["kind"] for p in data["provinces"]}
    assert set(kinds.values()) <= KINDS
    assert sorted(n for n, k in kinds.items() if k == "municipality") == sorted(
        ["北京市", "天津市", "上海市", "重庆市"]
    )
    assert sum(k == "autonomous_region" for k in kinds.values()) == 5
    assert sum(k == "sar" for k in kinds.values()) == 2
    assert sum(k == "province" for k in kinds.values()) == 23


def test_chongqing(data):
    cq = _province(data, "重庆市")
    assert [c["name"] for c in cq["cities"]] == ["重庆市"]
    counties = _counties(cq["cities"][0])
    assert len(counties) == 38
    assert sum(n.endswith("区") for n in counties) == 26
    for n in ("渝中区", "北碚区", "南岸区", "梁平区", "开州区", "永川区", "武隆区",
              "铜梁区", "潼南区", "荣昌区", "石柱土家族自治县"):
        assert n in counties


@pytest.mark.parametrize("name", ["北京市", "天津市", "上海市"])
def test_other_municipalities(data, name):
    p = _province(data, name)
    assert [c["name"] for c in p["cities"]] == [name]
    assert len(_counties(p["cities"][0])) == 16


def test_hebei(data):
    hb = _province(data, "河北省")
    assert len(hb["cities"]) == 11
    names = [c["name"] for c in hb["cities"]]
    assert "廊坊市" in names and "石家庄市" in names
    for c in hb["cities"]:
        assert _counties(c), f"{c['name']} has no counties"
    lf = _counties(_city(hb, "廊坊市"))
    assert "三河市" in lf and len(lf) == 10
    all_hebei = [n for c in hb["cities"] for n in _counties(c)]
    assert "雄安新区" not in all_hebei
    assert len(all_hebei) == 167


def test_chengdu(data):
    cd = _counties(_city(_province(data, "四川省"), "成都市"))
    assert len(cd) == 20
    assert "郫都区" in cd and "新津区" in cd and "简阳市" in cd


def test_city_totals(data):
    # 333 prefecture-level divisions + 4 municipality self-entries
    # + 32 province-administered county-level units (济源, 仙桃, 潜江, 天门, 神农架林区,
    #   Hainan's 15, Xinjiang's 12 兵团 cities).
    assert sum(len(p["cities"]) for p in data["provinces"]) == 369


def test_no_duplicates(data):
    for p in data["provinces"]:
        cities = [c["name"] for c in p["cities"]]
        assert len(cities) == len(set(cities)), p["name"]
        for c in p["cities"]:
            counties = _counties(c)
            assert len(counties) == len(set(counties)), c["name"]


def test_city_names_unique_nationwide(data):
    names = [c["name"] for p in data["provinces"] for c in p["cities"]]
    assert len(names) == len(set(names))


def test_suffixes_and_shorts(data):
    for e in _all_entries(data):
        name = _name(e)
        assert isinstance(name, str) and name.endswith(SUFFIXES), name
        if isinstance(e, dict) and "short" in e:
            short = e["short"]
            assert isinstance(short, list), name
            for s in short:
                assert isinstance(s, str) and len(s) >= 2 and s != name, (name, s)
