"""Tests of the region gazetteer (parsers/data/regions.tsv) and its matcher (parsers/regions.py)."""

from __future__ import annotations

import random
import subprocess
import sys
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.regions import Gazetteer, Region, Resolution, default_rows, parse_tsv

SHANXI = "140000"
SHANXI_PREFECTURES = {
    "140100": "太原市",
    "140200": "大同市",
    "140300": "阳泉市",
    "140400": "长治市",
    "140500": "晋城市",
    "140600": "朔州市",
    "140700": "晋中市",
    "140800": "运城市",
    "140900": "忻州市",
    "141000": "临汾市",
    "141100": "吕梁市",
}
# County-level divisions per prefecture (2024): 10+10+5+12+6+6+11+13+14+17+13 = 117.
SHANXI_COUNTY_COUNTS = {
    "140100": 10,
    "140200": 10,
    "140300": 5,
    "140400": 12,
    "140500": 6,
    "140600": 6,
    "140700": 11,
    "140800": 13,
    "140900": 14,
    "141000": 17,
    "141100": 13,
}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


def codes(gaz: Gazetteer, text: str, context: Region | None = None) -> list[tuple[str, str]]:
    return [(m.surface, m.region.code) for m in gaz.find_all(text, context)]


# ---------------------------------------------------------------------------------------------- the data


def test_default_is_cached(gaz: Gazetteer) -> None:
    assert Gazetteer.default() is gaz


def test_codes_are_unique_six_digits_and_parents_exist(gaz: Gazetteer) -> None:
    all_codes = [r.code for r in gaz.regions]
    assert len(all_codes) == len(set(all_codes))
    for region in gaz.regions:
        assert len(region.code) == 6 and region.code.isdigit(), region
        assert region.level in ("province", "prefecture", "county")
        if region.level == "province":
            assert region.parent is None and region.code.endswith("0000")
        else:
            parent = gaz.parent_of(region)
            assert parent is not None and parent.depth < region.depth, region
            # GB/T 2260: a division's code starts with its parent's significant digits.
            significant = parent.code[:2] if parent.level == "province" else parent.code[:4]
            assert region.code.startswith(significant), region
        if region.level == "prefecture":
            assert region.code.endswith("00")


def test_shanxi_counts(gaz: Gazetteer) -> None:
    shanxi = [r for r in gaz.regions if r.code.startswith("14")]
    levels = Counter(r.level for r in shanxi)
    assert levels == {"province": 1, "prefecture": 11, "county": 117}
    province = gaz.by_code(SHANXI)
    assert province is not None and province.name == "山西省"
    prefectures = {r.code: r.name for r in shanxi if r.level == "prefecture"}
    assert prefectures == SHANXI_PREFECTURES
    assert all(
        gaz.by_code(code) is not None and gaz.by_code(code).parent == SHANXI  # type: ignore[union-attr]
        for code in SHANXI_PREFECTURES
    )
    counties = [r for r in shanxi if r.level == "county"]
    assert {r.parent for r in counties} == set(SHANXI_PREFECTURES)
    assert Counter(r.parent for r in counties) == SHANXI_COUNTY_COUNTS
    for county in counties:
        assert county.code[:4] == (county.parent or "")[:4]
        assert county.name[-1] in "区县市", county


@pytest.mark.parametrize(
    ("code", "name", "parent"),
    [
        ("140105", "小店区", "140100"),
        ("140121", "清徐县", "140100"),
        ("140122", "阳曲县", "140100"),
        ("140123", "娄烦县", "140100"),
        ("140181", "古交市", "140100"),
        # 2018 大同 reform
        ("140212", "新荣区", "140200"),
        ("140213", "平城区", "140200"),
        ("140214", "云冈区", "140200"),
        ("140215", "云州区", "140200"),
        ("140681", "怀仁市", "140600"),
        # 2018 长治 reform
        ("140403", "潞州区", "140400"),
        ("140404", "上党区", "140400"),
        ("140405", "屯留区", "140400"),
        ("140406", "潞城区", "140400"),
        # 2019 晋中
        ("140703", "太谷区", "140700"),
        ("140302", "城区", "140300"),
        ("140303", "矿区", "140300"),
        ("140311", "郊区", "140300"),
        ("140502", "城区", "140500"),
        ("141102", "离石区", "141100"),
        ("141122", "交城县", "141100"),
        ("141181", "孝义市", "141100"),
        ("141182", "汾阳市", "141100"),
        ("141082", "霍州市", "141000"),
        ("140981", "原平市", "140900"),
        # outside Shanxi
        ("110000", "北京市", None),
        ("150000", "内蒙古自治区", None),
        ("540000", "西藏自治区", None),
        ("710000", "台湾省", None),
        ("810000", "香港特别行政区", None),
        ("820000", "澳门特别行政区", None),
        ("150700", "呼伦贝尔市", "150000"),
        ("150702", "海拉尔区", "150700"),
        ("152500", "锡林郭勒盟", "150000"),
        ("540400", "林芝市", "540000"),
    ],
)
def test_known_codes(gaz: Gazetteer, code: str, name: str, parent: str | None) -> None:
    region = gaz.by_code(code)
    assert region is not None
    assert (region.name, region.parent) == (name, parent)


@pytest.mark.parametrize(
    "code",
    # abolished: 大同 城区/矿区/南郊区/大同县, 长治 城区/郊区/长治县/屯留县/潞城市, 怀仁县, 太谷县
    ["140202", "140203", "140211", "140227", "140402", "140411", "140421", "140424", "140481", "140624", "140726"],
)
def test_abolished_codes_are_absent(gaz: Gazetteer, code: str) -> None:
    assert gaz.by_code(code) is None


def test_all_34_provincial_divisions(gaz: Gazetteer) -> None:
    provinces = {r.code: r for r in gaz.regions if r.level == "province"}
    assert len(provinces) == 34
    assert set(provinces) == {
        f"{p}0000"
        for p in (
            11,
            12,
            13,
            14,
            15,
            21,
            22,
            23,
            31,
            32,
            33,
            34,
            35,
            36,
            37,
            41,
            42,
            43,
            44,
            45,
            46,
            50,
            51,
            52,
            53,
            54,
            61,
            62,
            63,
            64,
            65,
            71,
            81,
            82,
        )
    }
    assert provinces["150000"].aliases == ("内蒙古",)
    assert provinces["540000"].aliases == ("西藏",)


def test_aliases_are_unambiguous_and_not_single_characters(gaz: Gazetteer) -> None:
    owners: dict[str, set[str]] = {}
    for region in gaz.regions:
        for surface in (region.name, *region.aliases):
            owners.setdefault(surface, set()).add(region.code)
    full_names = {region.name for region in gaz.regions}
    for region in gaz.regions:
        for alias in region.aliases:
            assert len(alias) >= 2, (region, alias)
            assert owners[alias] == {region.code}, (region, alias)
    shared = {surface for surface, owned in owners.items() if len(owned) > 1}
    assert shared <= full_names  # only full names are ever shared; a short form is dropped when it would be
    assert {"城区", "朝阳区", "鼓楼区", "新华区", "铁西区", "城关区"} <= shared


def test_every_unique_name_and_alias_matches_itself(gaz: Gazetteer) -> None:
    owners: dict[str, int] = {}
    for region in gaz.regions:
        for surface in (region.name, *region.aliases):
            owners[surface] = owners.get(surface, 0) + 1
    qualified = {row["code"] for row in default_rows() if "qualified" in row.get("flags", "")}
    checked = 0
    for region in gaz.regions:
        for surface in (region.name, *region.aliases):
            if owners[surface] > 1 or region.code in qualified:  # generic names read only after their parent
                continue
            # a county's short form reads only in its province's context; the region itself gives it
            assert codes(gaz, surface, region) == [(surface, region.code)], surface
            assert gaz.resolve(surface).region == region, surface
            checked += 1
    assert checked > 5000


def test_former_names(gaz: Gazetteer) -> None:
    for former, current in [
        ("太谷县", "140703"),
        ("怀仁县", "140681"),
        ("大同县", "140215"),
        ("长治县", "140404"),
        ("屯留县", "140405"),
        ("潞城市", "140406"),
    ]:
        assert codes(gaz, former) == [(former, current)]


# ------------------------------------------------------------------------------------------- matching


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("古交城区", [("古交", "140181")]),  # never 交城县
        ("交城县", [("交城县", "141122")]),
        ("交城", [("交城", "141122")]),
        ("太原市古交市", [("太原市", "140100"), ("古交市", "140181")]),
        ("清徐县城", [("清徐县", "140121")]),
        ("山西省太原市", [("山西省", "140000"), ("太原市", "140100")]),
        ("山西太原", [("山西", "140000"), ("太原", "140100")]),
        ("太原市小店区", [("太原市", "140100"), ("小店区", "140105")]),
        ("吕梁市交城县和孝义市", [("吕梁市", "141100"), ("交城县", "141122"), ("孝义市", "141181")]),
        ("内蒙古呼伦贝尔市海拉尔区", [("内蒙古", "150000"), ("呼伦贝尔市", "150700"), ("海拉尔区", "150702")]),
        ("西藏林芝", [("西藏", "540000"), ("林芝", "540400")]),
        ("锡林郭勒盟", [("锡林郭勒盟", "152500")]),
        ("全市我市全县本县", []),
        ("", []),
        ("x", []),
    ],
)
def test_leftmost_longest(gaz: Gazetteer, text: str, expected: list[tuple[str, str]]) -> None:
    assert codes(gaz, text) == expected


def test_match_offsets(gaz: Gazetteer) -> None:
    text = "据统计，古交市2023年地区生产总值增长6%，高于太原市平均水平。"
    matches = gaz.find_all(text)
    taiyuan = text.index("太原市")
    assert [(m.start, m.end, m.region.name) for m in matches] == [(4, 7, "古交市"), (taiyuan, taiyuan + 3, "太原市")]
    for m in matches:
        assert text[m.start : m.end] == m.surface


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("城区", []),
        ("矿区", []),
        ("郊区", []),
        ("城区经济", []),
        ("煤炭矿区生态修复", []),
        ("古交城区", [("古交", "140181")]),
        ("阳泉市城区", [("阳泉市城区", "140302")]),
        ("阳泉城区", [("阳泉城区", "140302")]),
        ("晋城市城区", [("晋城市城区", "140502")]),
        ("阳泉市矿区和阳泉市郊区", [("阳泉市矿区", "140303"), ("阳泉市郊区", "140311")]),
    ],
)
def test_generic_names_need_their_parent(gaz: Gazetteer, text: str, expected: list[tuple[str, str]]) -> None:
    assert codes(gaz, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("古交平定窑煤业有限公司", [("古交", "140181")]),  # a mine in 古交, not 平定县
        ("平定县", [("平定县", "140321")]),
        ("平定经济开发区", [("平定", "140321")]),
        ("长治久安", []),
        ("长治市", [("长治市", "140400")]),
        ("大同小异", []),
        ("大同县区", [("大同", "140200")]),  # 大同's counties and districts, not the former 大同县
        ("长治县区两级", [("长治", "140400")]),
        ("提高平均工资", []),
        ("搭建高平台", []),
        ("高平市", [("高平市", "140581")]),
        ("汾西矿业集团", []),
        ("汾西县矿业", [("汾西县", "141034")]),
        ("振兴县域经济", []),
        ("相应县级部门", []),
        ("黄河北岸", []),
        ("滨河南路、滨河北路", []),
        ("浊漳河南源", []),
        ("河南省", [("河南省", "410000")]),
        ("交口称赞", []),
        ("原平川治理", []),  # a river in 古交
        ("原平市", [("原平市", "140981")]),
        ("晋阳高速改扩建", []),
        ("阳高县", [("阳高县", "140221")]),
    ],
)
def test_not_before(gaz: Gazetteer, text: str, expected: list[tuple[str, str]]) -> None:
    assert codes(gaz, text) == expected


# -------------------------------------------------------------------------------------------- resolve


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("古交市", "140181"),
        ("古交", "140181"),
        (" 交城 ", "141122"),
        ("140181", "140181"),
        ("太谷县", "140703"),
        ("山西", "140000"),
        ("内蒙古", "150000"),
        ("尖草", "140108"),  # unique prefix
        ("柏林", "140109"),  # unique substring
        ("山西太原", "140100"),  # province then its prefecture: the most specific
        ("古交县", "140181"),  # wrong suffix
        ("阳泉城区", "140302"),
        ("矿区", "140303"),  # unique full name, even if not matched in running text
    ],
)
def test_resolve_known(gaz: Gazetteer, query: str, code: str) -> None:
    resolution = gaz.resolve(query)
    assert resolution.region is not None and resolution.region.code == code
    assert resolution.candidates == () and not resolution.ambiguous


@pytest.mark.parametrize(
    ("query", "candidates"),
    [
        ("城区", {"140302", "140502", "441502"}),  # 阳泉, 晋城, 汕尾
        ("鼓楼区", {"320106", "320302", "350102", "410204"}),
        ("朝阳区", {"110105", "220104"}),
        ("太原古交交城", {"140100", "140181", "141122"}),
    ],
)
def test_resolve_ambiguous(gaz: Gazetteer, query: str, candidates: set[str]) -> None:
    resolution = gaz.resolve(query)
    assert resolution.region is None and resolution.ambiguous
    assert {r.code for r in resolution.candidates} == candidates


@pytest.mark.parametrize(
    ("query", "first"),
    [("海定区", "110108"), ("正兰旗", "152530"), ("交诚", "140181"), ("涪陵城", "371403")],
)
def test_resolve_unknown_suggests_the_nearest_names_across_china(gaz: Gazetteer, query: str, first: str) -> None:
    resolution = gaz.resolve(query)
    assert resolution.region is None and not resolution.ambiguous
    assert resolution.candidates and resolution.candidates[0].code == first
    assert len(resolution.candidates) <= 10


def test_resolve_unknown_suggests_names_read_alike() -> None:
    near = Gazetteer.default().resolve("交诚")
    assert {"140181", "141122"} <= {r.code for r in near.candidates}  # 古交市, 交城县
    assert Gazetteer.default().resolve("乌托邦").candidates == ()  # one shared character is not alike


@pytest.mark.parametrize("query", ["", "   ", "xyz", "999999"])
def test_resolve_nothing(gaz: Gazetteer, query: str) -> None:
    assert gaz.resolve(query) == Resolution(None)


# ----------------------------------------------------------------------------------- document_region


@pytest.mark.parametrize(
    ("title", "text", "hint", "code"),
    [
        ("古交市2023年国民经济和社会发展统计公报", "全市地区生产总值……太原市", None, "140181"),
        ("山西省太原市古交市统计公报", "", None, "140181"),  # most specific in the title
        ("山西省太原市统计公报", "", None, "140100"),
        ("太原市人民政府关于清徐县的批复", "", None, "140121"),  # first county-level
        ("统计公报", "古交市" + "全市经济增长。" * 5 + "古交市，太原市，古交市，太原市", None, "140181"),
        ("统计公报", "太原市、古交市经济运行情况", None, "140181"),  # tie: the county over its parent
        ("统计公报", "交城县" * 3 + "太原市" * 2 + "古交市", None, "141122"),
        ("统计公报", "全市全县我市经济平稳", "交城", "141122"),
        # 全市/我县 are no regions, but they say which kind of region is speaking
        (None, "盂县项目、盂县电站、盂县公路，阳泉市", None, "140322"),
        (None, "全市经济恢复。盂县项目、盂县电站、盂县公路，阳泉市", None, "140300"),
        (None, "全县经济恢复，居全市第一。交城县，吕梁市", None, "141122"),
        (None, "全市场交易活跃。盂县项目、盂县电站，阳泉市", None, "140322"),
        ("统计公报", "全市经济平稳", "140181", "140181"),
        (None, "", "吕梁", "141100"),
    ],
)
def test_document_region(gaz: Gazetteer, title: str | None, text: str, hint: str | None, code: str) -> None:
    region = gaz.document_region(title, text, hint)
    assert region is not None and region.code == code


def test_document_region_reads_only_the_start_of_the_text(gaz: Gazetteer) -> None:
    text = "交城县经济" + "数" * 3000 + "古交市" * 10
    region = gaz.document_region(None, text)
    assert region is not None and region.code == "141122"
    assert gaz.document_region(None, "数" * 3000 + "古交市") is None


@pytest.mark.parametrize(
    ("title", "text", "hint"),
    [(None, "", None), ("通知", "全市经济平稳", None), ("通知", "全市经济平稳", "火星"), ("", "", "城区")],
)
def test_document_region_none(gaz: Gazetteer, title: str | None, text: str, hint: str | None) -> None:
    assert gaz.document_region(title, text, hint) is None


REPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "reports"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("neimenggu-hulunbuir-hailar-2013-gwr.txt", "150702"),
        ("neimenggu-hulunbuir-hailar-2016-gwr.txt", "150702"),
        ("neimenggu-hulunbuir-hailar-2019-gwr.txt", "150702"),
        ("neimenggu-xilingol-2024-gwr.txt", "152500"),
        ("shanxi-changzhi-2024-gwr.txt", "140400"),
        ("shanxi-jincheng-2024-gwr.txt", "140500"),
        ("shanxi-province-2026-gwr.txt", "140000"),
        ("shanxi-yangquan-2024-gwr.txt", "140300"),
        ("xizang-nyingchi-2024-gwr.txt", "540400"),
    ],
)
def test_document_region_of_real_reports_without_title(gaz: Gazetteer, name: str, code: str) -> None:
    path = REPORTS / name
    if not path.exists():
        pytest.skip(f"fixture {name} not present")
    region = gaz.document_region(None, path.read_text(encoding="utf-8"))
    assert region is not None and region.code == code


# ------------------------------------------------------------------------------------ building tables


def test_from_rows_extends_without_code_changes(gaz: Gazetteer) -> None:
    rows: list[Mapping[str, str]] = [
        *default_rows(),
        {"code": "149900", "name": "新晋市", "level": "prefecture", "parent": "140000", "aliases": "新晋"},
        {
            "code": "149901",
            "name": "正德县",
            "level": "county",
            "parent": "149900",
            "aliases": "正德",
            "not_before": "正德:律",
        },
    ]
    extended = Gazetteer.from_rows(rows)
    assert len(extended) == len(gaz) + 2
    assert codes(extended, "山西省新晋市正德县与古交市") == [
        ("山西省", "140000"),
        ("新晋市", "149900"),
        ("正德县", "149901"),
        ("古交市", "140181"),
    ]
    assert codes(extended, "正德律") == []
    zhengde = extended.by_code("149901")
    assert zhengde is not None
    assert [r.code for r in extended.ancestors(zhengde)] == ["149900", "140000"]
    assert extended.resolve("正德").region == zhengde
    assert gaz.by_code("149901") is None  # the default table is untouched


def test_from_rows_minimal_table() -> None:
    small = Gazetteer.from_rows(
        [
            {"code": "140000", "name": "山西省", "level": "province", "parent": "", "aliases": "山西"},
            {"code": "140100", "name": "太原市", "level": "prefecture", "parent": "140000", "aliases": ""},
        ]
    )
    assert codes(small, "山西太原市") == [("山西", "140000"), ("太原市", "140100")]
    province = small.by_code("140000")
    prefecture = small.by_code("140100")
    assert province is not None and prefecture is not None
    assert small.parent_of(prefecture) == province and small.parent_of(province) is None
    assert small.children_of(province) == (prefecture,)
    assert Gazetteer.from_rows([]).find_all("山西") == []


def test_shared_names_become_ambiguous_in_any_table() -> None:
    rows = [
        {"code": "310000", "name": "上海市", "level": "province", "parent": "", "aliases": "上海"},
        {"code": "320000", "name": "江苏省", "level": "province", "parent": "", "aliases": "江苏"},
        {"code": "320100", "name": "南京市", "level": "prefecture", "parent": "320000", "aliases": "南京"},
        {"code": "310104", "name": "鼓楼区", "level": "county", "parent": "310000", "aliases": ""},
        {"code": "320106", "name": "鼓楼区", "level": "county", "parent": "320100", "aliases": ""},
    ]
    table = Gazetteer.from_rows(rows)
    assert codes(table, "鼓楼区") == []
    assert codes(table, "南京鼓楼区") == [("南京鼓楼区", "320106")]
    resolution = table.resolve("鼓楼区")
    assert resolution.ambiguous and {r.code for r in resolution.candidates} == {"310104", "320106"}


def _row(code: str, name: str, level: str, parent: str = "", **extra: str) -> dict[str, str]:
    return {"code": code, "name": name, "level": level, "parent": parent, "aliases": "", **extra}


PROVINCE = _row("140000", "山西省", "province")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([_row("14000", "山西省", "province")], "6 digits"),
        ([PROVINCE, PROVINCE], "repeated"),
        ([_row("140000", "山西省", "state")], "level"),
        ([PROVINCE, _row("140100", "太原市", "prefecture")], "parent"),
        ([_row("140000", "山西省", "province", "110000")], "parent"),
        ([PROVINCE, _row("140100", "太原市", "prefecture", "149900")], "unknown parent"),
        (
            [
                PROVINCE,
                _row("140100", "太原市", "prefecture", "140000"),
                _row("140200", "大同市", "prefecture", "140100"),
            ],
            "not higher",
        ),
        ([_row("140000", "山西省", "province", aliases="晋")], "at least 2"),
        ([_row("140000", "晋", "province")], "at least 2"),
        ([_row("140000", "山西省", "province", flags="odd")], "flag"),
        ([_row("140000", "山西省", "province", not_before="山东:省")], "not_before"),
    ],
)
def test_from_rows_rejects_bad_tables(rows: list[dict[str, str]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Gazetteer.from_rows(rows)


def test_parse_tsv() -> None:
    text = "# comment\ncode\tname\tlevel\tparent\taliases\n\n# another\n140000\t山西省\tprovince\n"
    assert parse_tsv(text) == [{"code": "140000", "name": "山西省", "level": "province", "parent": "", "aliases": ""}]
    with pytest.raises(ValueError, match="cells"):
        parse_tsv("code\tname\tlevel\tparent\taliases\n1\t2\t3\t4\t5\t6\n")
    with pytest.raises(ValueError, match="header"):
        parse_tsv("code\tname\n")


def test_import_reads_nothing_and_stays_pure() -> None:
    probe = (
        "import importlib.resources as ir, sys\n"
        "calls = []\n"
        "real = ir.files\n"
        "ir.files = lambda *a: calls.append(a) or real(*a)\n"
        "import parsers.regions\n"
        "assert not calls, calls\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in ('bot', 'scrapers', 'storage')]\n"
        "assert parsers.regions.Gazetteer.default().by_code('140181').name == '古交市'\n"
        "assert calls\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)


# ------------------------------------------------------------- matcher against a brute-force reference

_ALPHABET = "甲乙丙丁戊己庚辛壬癸子丑"


def _synthetic_rows() -> list[dict[str, str]]:
    rng = random.Random(20240601)
    rows = [_row("990000", "甲乙省", "province", aliases="甲乙")]
    seen = {"甲乙省", "甲乙"}

    def fresh(suffix: str) -> str:
        while True:
            stem = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(2, 3)))
            if stem not in seen and stem + suffix not in seen:
                seen.update({stem, stem + suffix})
                return stem

    for p in range(1, 6):
        prefecture = f"99{p:02d}00"
        stem = fresh("市")
        rows.append(
            _row(
                prefecture,
                stem + "市",
                "prefecture",
                "990000",
                aliases=stem,
                not_before=rng.choice(["", rng.choice(_ALPHABET)]),
            )
        )
        for c in range(1, 8):
            suffix = rng.choice("县区")
            stem = fresh(suffix)
            has_alias = rng.random() < 0.7
            scope = stem if has_alias else stem + suffix
            rows.append(
                _row(
                    f"99{p:02d}{c:02d}",
                    stem + suffix,
                    "county",
                    prefecture,
                    aliases=stem if has_alias else "",
                    not_before=rng.choice(["", "", f"{scope}:{rng.choice(_ALPHABET)}"]),
                )
            )
    return rows


_SYNTHETIC = _synthetic_rows()
_SYNTHETIC_GAZ = Gazetteer.from_rows(_SYNTHETIC)


def _reference(text: str) -> list[tuple[int, str, str]]:
    """Leftmost-longest by brute force, straight from the rows."""
    surfaces: dict[str, tuple[str, list[str]]] = {}
    for row in _SYNTHETIC:
        aliases = [a for a in row["aliases"].split(",") if a]
        for surface in (row["name"], *aliases):
            blocks = []
            for entry in filter(None, row.get("not_before", "").split(",")):
                scope, _, following = entry.rpartition(":")
                if scope in ("", surface):
                    blocks.append(following)
            surfaces[surface] = (row["code"], blocks)
    found = []
    i = 0
    while i < len(text):
        for surface in sorted(surfaces, key=len, reverse=True):
            code, blocks = surfaces[surface]
            if text.startswith(surface, i) and not any(text.startswith(b, i + len(surface)) for b in blocks):
                found.append((i, surface, code))
                i += len(surface)
                break
        else:
            i += 1
    return found


_PIECES = sorted({s for r in _SYNTHETIC for s in (r["name"], *filter(None, r["aliases"].split(",")))})


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(_PIECES), st.text(alphabet=_ALPHABET + "的省", max_size=3)), max_size=30).map(
        "".join
    )
)
def test_find_all_matches_brute_force(text: str) -> None:
    got = [(m.start, m.surface, m.region.code) for m in _SYNTHETIC_GAZ.find_all(text)]
    assert got == _reference(text)


def test_region_is_hashable_and_frozen() -> None:
    region = Region("140181", "古交市", "county", "140100", ("古交",))
    assert {region: 1}[Region("140181", "古交市", "county", "140100", ("古交",))] == 1
    with pytest.raises(AttributeError):
        region.name = "x"  # type: ignore[misc]
