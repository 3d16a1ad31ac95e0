"""Reading messages into requests: commands, free text, indicator words, years, button data."""

from __future__ import annotations

import pytest

from bot.chat.intents import (
    COMMANDS,
    QUERY_ALIASES,
    Request,
    callback_data,
    callback_text,
    find_indicators,
    parse,
)
from parsers.indicators import indicators
from parsers.regions import Gazetteer

GAZ = Gazetteer.default()

# text → (command, regions, indicators, year)
PARSES: list[tuple[str, tuple[str, tuple[str, ...], tuple[str, ...], str | None]]] = [
    ("/gdp 古交", ("gdp", ("古交",), (), None)),
    ("/gdp@govwatch_bot 古交 2024", ("gdp", ("古交",), (), "2024")),
    ("/gdp 古交市2024年", ("gdp", ("古交市",), (), "2024")),
    ("/GDP   交城县", ("gdp", ("交城县",), (), None)),
    ("/gdp古交", ("gdp", ("古交",), (), None)),
    ("/compare 古交 交城 固投", ("compare", ("古交", "交城"), ("fai",), None)),
    ("/compare 古交，交城", ("compare", ("古交", "交城"), (), None)),
    ("/compare 古交和交城", ("compare", ("古交", "交城"), (), None)),
    ("/compare 和顺 古交", ("compare", ("和顺", "古交"), (), None)),
    ("/chart 140181 budget_revenue", ("chart", ("140181",), ("budget_revenue",), None)),
    ("/data 交城县 1999", ("data", ("交城县",), (), "1999")),
    ("/data 交城县 2101", ("data", ("交城县", "2101"), (), None)),
    ("/latest", ("latest", (), (), None)),
    ("古交GDP", ("gdp", ("古交",), ("gdp",), None)),
    ("古交 2024 gdp", ("gdp", ("古交",), ("gdp",), "2024")),
    ("交城 固定资产投资", ("gdp", ("交城",), ("fai",), None)),
    ("太原的社会消费品零售总额", ("gdp", ("太原",), ("retail",), None)),
    ("古交人均GDP", ("gdp", ("古交",), ("gdp_per_capita",), None)),
    ("古交收入", ("gdp", ("古交",), ("urban_income", "rural_income", "resident_income"), None)),
    ("古交城镇收入", ("gdp", ("古交",), ("urban_income",), None)),
    ("古交", ("data", ("古交",), (), None)),
    ("140181的数据", ("data", ("140181",), (), None)),
    ("古交和交城", ("compare", ("古交", "交城"), (), None)),
    ("古交2026年目标", ("targets", ("古交",), (), "2026")),
    ("古交GDP走势", ("chart", ("古交",), ("gdp",), None)),
    ("订阅古交", ("subscribe", ("古交",), (), None)),
    ("取消订阅交城", ("unsubscribe", ("交城",), (), None)),
    ("固投", ("gdp", (), ("fai",), None)),
    ("你好", ("", (), (), None)),
    ("", ("", (), (), None)),
]


@pytest.mark.parametrize(("text", "expected"), PARSES, ids=[p[0] or "empty" for p in PARSES])
def test_parse(text: str, expected: tuple[str, tuple[str, ...], tuple[str, ...], str | None]) -> None:
    request = parse(text, GAZ)
    assert request is not None
    assert (request.command, request.regions, request.indicators, request.year) == expected


def test_free_text_is_marked() -> None:
    assert parse("古交GDP", GAZ) == Request("gdp", "古交", ("古交",), ("gdp",), None, free=True)
    request = parse("/gdp 古交", GAZ)
    assert request is not None and not request.free


def test_raw_text_commands_keep_their_words() -> None:
    assert parse("/search 地区生产总值 2024", GAZ) == Request("search", "地区生产总值 2024", (), ("gdp",), "2024")
    assert parse("搜索 煤层气", GAZ) == Request("search", "煤层气", free=True)
    request = parse("/start sub_140181", GAZ)
    assert request is not None and request.text == "sub_140181"
    subscribe_all = parse("订阅全部", GAZ)
    assert subscribe_all is not None and subscribe_all.text == "全部"


def test_commands_for_other_bots_are_none() -> None:
    assert parse("/gdp@other_bot 古交", GAZ) is None
    assert parse("/gdp@my_bot 古交", GAZ, bot_username="My_Bot") is not None


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("gdp", ("gdp",)),
        ("GDP", ("gdp",)),
        ("Gdp增速", ("gdp",)),
        ("gdpx", ()),
        ("固投", ("fai",)),
        ("社零", ("retail",)),
        ("财政收入", ("budget_revenue",)),
        ("工业增加值", ("industry_va",)),
        ("规模以上工业增加值", ("industry_va",)),
        ("税收收入", ()),
        ("农民人均纯收入", ()),
        ("城乡居民人均可支配收入", ("urban_income", "rural_income")),
        ("固投和社零", ("fai", "retail")),
        ("fai retail", ("fai", "retail")),
    ],
)
def test_find_indicators(text: str, ids: tuple[str, ...]) -> None:
    assert find_indicators(text)[0] == ids


def test_aliases_name_known_indicators() -> None:
    known = indicators()
    assert all(i in known for ids in QUERY_ALIASES.values() for i in ids)


def test_every_command_has_a_usage_and_an_example() -> None:
    for name, spec in COMMANDS.items():
        assert spec.name == name and spec.example.startswith(f"/{name}") and spec.description


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("chart:140181:gdp", "/chart 140181 gdp"),
        ("unsub:140181", "/unsubscribe 140181"),
        ("sub:all", "/subscribe all"),
        ("compare:140181:141122:fai", "/compare 140181 141122 fai"),
        ("nosuch:140181", None),
        ("gdp:古交", None),
        ("gdp:1 2", None),
        ("", None),
    ],
)
def test_callback_text(data: str, text: str | None) -> None:
    assert callback_text(data) == text


def test_callback_data_round_trips_and_fits() -> None:
    assert callback_data("unsubscribe", "140181") == "unsub:140181"
    assert callback_data("chart", "140181", "budget_revenue") == "chart:140181:budget_revenue"
    assert callback_data("gdp", "古交") is None
    assert callback_data("compare", *["140181"] * 10) is None
    data = callback_data("subscribe", "140181")
    assert data is not None and callback_text(data) == "/subscribe 140181"
