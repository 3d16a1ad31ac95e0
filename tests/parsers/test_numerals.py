"""Chinese numerals: reading them, and rewriting years and amounts as Arabic digits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.numerals import arabic_numeral, chinese_to_number, rewrite_numerals

CHINESE_TO_NUMBER: list[tuple[str, Decimal | None]] = [
    ("〇", Decimal(0)),
    ("零", Decimal(0)),
    ("五", Decimal(5)),
    ("两", Decimal(2)),
    ("十", Decimal(10)),
    ("十二", Decimal(12)),
    ("一十二", Decimal(12)),
    ("二十", Decimal(20)),
    ("九十五", Decimal(95)),
    ("一百零六", Decimal(106)),
    ("一百〇六", Decimal(106)),
    ("一百一十二", Decimal(112)),
    ("两千", Decimal(2000)),
    ("两百五", Decimal(250)),  # colloquial: 两百五十
    ("三千五", Decimal(3500)),
    ("三千五百七十八", Decimal(3578)),
    ("一千零五十", Decimal(1050)),
    ("三万五千", Decimal(35000)),
    ("一万五", Decimal(15000)),
    ("一万零五百", Decimal(10500)),
    ("两千三百万", Decimal(23000000)),
    ("九十五亿", Decimal(9500000000)),
    ("一亿两千万", Decimal(120000000)),
    ("一亿零五万", Decimal(100050000)),
    ("一亿五", Decimal(150000000)),
    ("三万亿", Decimal(3 * 10**12)),
    ("五万三千亿", Decimal(53000 * 10**8)),
    ("二〇二四", Decimal(2024)),  # digit by digit
    ("二○二四", Decimal(2024)),  # U+25CB for 〇
    ("一九九九", Decimal(1999)),
    ("三点八", Decimal("3.8")),
    ("零点五", Decimal("0.5")),
    ("一百零六点六二", Decimal("106.62")),
    ("一百零六点六二亿", Decimal("10662000000")),
    ("一点五万", Decimal(15000)),
    ("一点二三四五六万", Decimal("12345.6")),
    # not numerals
    ("", None),
    ("十两", None),  # ten taels, not 12
    ("两十", None),
    ("五百三千", None),
    ("三五百", None),
    ("一万万", None),
    ("一亿亿", None),
    ("万", None),
    ("亿", None),
    ("百", None),
    ("点五", None),
    ("三点", None),
    ("三点两", None),
    ("三点五亿万", None),
    ("1.5万", None),  # Arabic with 万 is the figure parser's business
    ("12", None),
    ("百分之五", None),
    ("进一步", None),
]


@pytest.mark.parametrize(("text", "expected"), CHINESE_TO_NUMBER)
def test_chinese_to_number(text: str, expected: Decimal | None) -> None:
    assert chinese_to_number(text) == expected


ARABIC_NUMERAL: list[tuple[str, bool, str | None]] = [
    ("两千三百万", True, "2300万"),
    ("两千三百万", False, "23000000"),
    ("一亿两千万", True, "12000万"),
    ("三万亿", True, "3万亿"),
    ("一点五万", True, "1.5万"),
    ("一点五万", False, "15000"),
    ("三点八〇", True, "3.80"),
    ("三五", True, None),  # "three or five"
    ("一" * 50, True, None),
]


@pytest.mark.parametrize(("num", "keep", "expected"), ARABIC_NUMERAL)
def test_arabic_numeral(num: str, keep: bool, expected: str | None) -> None:
    assert arabic_numeral(num, keep_multiplier=keep) == expected


REWRITE_NUMERALS: list[tuple[str, str]] = [
    # years
    ("二〇二四年", "2024年"),
    ("二〇二三年度", "2023年度"),
    ("二○二四年", "2024年"),
    ("二零二四年", "2024年"),
    ("二O二四年", "2024年"),
    ("一九九九年", "1999年"),
    ("二〇二一—二〇二五年", "2021—2025年"),
    ("二〇二一至二〇二五年", "2021至2025年"),
    ("二〇二五年一月二十日", "2025年1月20日"),
    ("二〇二五年十二月三十一日", "2025年12月31日"),
    ("二〇二五年十月一号", "2025年10月1号"),
    ("二〇二五年十二月", "2025年12月"),
    ("二〇二五年十三月", "2025年十三月"),
    ("二〇二四", "二〇二四"),  # no 年: not a year
    ("1二〇二四年", "1二〇二四年"),
    # amounts with a unit
    ("一百零六点六二亿元", "106.62亿元"),
    ("三千五百七十八人", "3578人"),
    ("九十五亿元", "95亿元"),
    ("十二亿元", "12亿元"),
    ("二十亿元", "20亿元"),
    ("一点五万吨", "1.5万吨"),
    ("两千三百万元", "2300万元"),
    ("一亿两千万元", "12000万元"),
    ("三万人", "3万人"),
    ("三万五千人", "35000人"),
    ("三千千瓦时", "3000千瓦时"),
    ("十万千瓦", "10万千瓦"),
    ("总投资九十五亿", "总投资95亿"),
    ("三个百分点", "3个百分点"),
    ("零点五个百分点", "0.5个百分点"),
    ("五%", "5%"),
    ("两个百分点", "2个百分点"),
    ("十二人", "12人"),
    # hedges
    ("一万余人", "10000余人"),
    ("十万余元", "100000余元"),
    ("两千多万元", "2000多万元"),
    ("二十多亿元", "20多亿元"),
    ("三百多人", "300多人"),
    ("十余人", "10余人"),
    ("十多亿元", "10多亿元"),
    ("统一多元的文化", "统一多元的文化"),
    # percentages
    ("百分之五", "5%"),
    ("百分之三点八", "3.8%"),
    ("百分之五十", "50%"),
    ("百分之一百", "100%"),
    ("百分之零点五", "0.5%"),
    ("增长百分之五左右", "增长5%左右"),
    ("百分之百", "百分之百"),
    # ordinary words stay
    ("进一步", "进一步"),
    ("一般公共预算收入", "一般公共预算收入"),
    ("第一产业", "第一产业"),
    ("第三产业增加值", "第三产业增加值"),
    ("一季度", "一季度"),
    ("三次产业", "三次产业"),
    ("“十四五”", "“十四五”"),
    ("“十四五”时期", "“十四五”时期"),
    ("两会", "两会"),
    ("一批", "一批"),
    ("一年来", "一年来"),
    ("十件民生实事", "十件民生实事"),
    ("一城两区三基地", "一城两区三基地"),
    ("八个方面", "八个方面"),
    ("一泓清水", "一泓清水"),
    ("万众一心", "万众一心"),
    ("三年行动", "三年行动"),
    ("五五战略", "五五战略"),
    ("十二月", "十二月"),
    ("二十日", "二十日"),
    ("一人一策", "一人一策"),
    ("一户一档", "一户一档"),
    ("二元结构", "二元结构"),
    ("十人", "十人"),
    ("最后一公里", "最后一公里"),
    ("两家医院", "两家医院"),
    ("五吨", "五吨"),
    ("三元乳业", "三元乳业"),
    ("三五人", "三五人"),
    ("第十二人", "第十二人"),
    ("数十亿元", "数十亿元"),
    ("十几亿元", "十几亿元"),
    ("十万火急", "十万火急"),
    ("每万人口", "每万人口"),
    ("千万不要", "千万不要"),
    ("1.5万吨", "1.5万吨"),
    ("3.五亿元", "3.五亿元"),
]


@pytest.mark.parametrize(("text", "expected"), REWRITE_NUMERALS)
def test_rewrite_numerals(text: str, expected: str) -> None:
    assert rewrite_numerals(text) == expected


def _section_cn(n: int) -> str:
    """Reference spelling of 1..9999 (一千零五十), written independently of the parser."""
    out, gap = "", False
    for unit, ch in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // unit % 10
        if digit == 0:
            gap = bool(out)
            continue
        out += ("零" if gap else "") + "〇一二三四五六七八九"[digit] + ch
        gap = False
    return out


def _wan_cn(n: int) -> str:
    """Reference spelling of 1..10^8-1 (三万五千, 一万零五)."""
    high, low = divmod(n, 10**4)
    out = _section_cn(high) + "万" if high else ""
    return out + (("零" if high and low < 1000 else "") + _section_cn(low) if low else "")


def _to_chinese(n: int) -> str:
    """Reference spelling of 0..10^16-1 with 万/亿 groups and 零 where a group is short."""
    if n == 0:
        return "零"
    high, low = divmod(n, 10**8)
    out = _wan_cn(high) + "亿" if high else ""
    return out + (("零" if high and low < 10**7 else "") + _wan_cn(low) if low else "")


@given(st.integers(min_value=0, max_value=10**16 - 1))
def test_chinese_to_number_reads_every_spelled_number(n: int) -> None:
    spelled = _to_chinese(n)
    assert chinese_to_number(spelled) == n
    assert chinese_to_number(spelled.replace("一十", "十", 1) if spelled.startswith("一十") else spelled) == n


NUMERAL_ALPHABET = "〇○零一二两三四五六七八九十百千万亿点分之元人年月日%第余多 1.?"


@settings(max_examples=500)
@given(st.one_of(st.text(), st.text(alphabet=NUMERAL_ALPHABET)))
def test_numerals_never_raise_and_rewrite_is_idempotent(text: str) -> None:
    value = chinese_to_number(text)
    assert value is None or isinstance(value, Decimal)
    once = rewrite_numerals(text)
    assert rewrite_numerals(once) == once


def test_huge_numerals_are_left_alone() -> None:
    text = "九" * 10_000 + "亿元"
    assert rewrite_numerals(text) == text
    assert chinese_to_number("九" * 10_000) == Decimal("9" * 10_000)
