"""Amounts with units: reading `426800万元` and converting it to an indicator's canonical unit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# (unit as written, unit class, factor to the class's canonical unit). Canonical units: money 亿元,
# yuan 元, weight 万吨, people 人. 1 斤 = 0.5 kg, so 1 万斤 = 5 吨 = 0.0005 万吨.
UNIT_TABLE: tuple[tuple[str, str, Decimal], ...] = (
    ("万亿元", "money", Decimal(10000)),
    ("亿元", "money", Decimal(1)),
    ("亿", "money", Decimal(1)),
    ("千万元", "money", Decimal("0.1")),
    ("百万元", "money", Decimal("0.01")),
    ("万元", "money", Decimal("0.0001")),
    ("元", "money", Decimal("0.00000001")),
    ("万元", "yuan", Decimal(10000)),
    ("元", "yuan", Decimal(1)),
    ("亿吨", "weight", Decimal(10000)),
    ("万吨", "weight", Decimal(1)),
    ("千吨", "weight", Decimal("0.1")),
    ("吨", "weight", Decimal("0.0001")),
    ("亿斤", "weight", Decimal(5)),
    ("万斤", "weight", Decimal("0.0005")),
    ("亿公斤", "weight", Decimal(10)),
    ("万公斤", "weight", Decimal("0.001")),
    ("公斤", "weight", Decimal("0.0000001")),
    ("斤", "weight", Decimal("0.00000005")),
    ("万人", "people", Decimal(10000)),
    ("人", "people", Decimal(1)),
)

CANONICAL_UNIT: dict[str, str] = {"money": "亿元", "yuan": "元", "weight": "万吨", "people": "人"}

_FACTORS: dict[tuple[str, str], Decimal] = {(u, c): f for u, c, f in UNIT_TABLE}
_KNOWN_UNITS = frozenset(u for u, _, _ in UNIT_TABLE)
_UNITS_LONGEST_FIRST = sorted({u for u, _, _ in UNIT_TABLE}, key=len, reverse=True)

NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# `千亿以上`, `百亿大关`: a bare magnitude the numeral rewriter leaves alone, read as 1000 and 100.
BARE_MAGNITUDES: dict[str, str] = {"千": "1000", "百": "100"}
# What may not follow a unit: 人次, 人民币, 元/平方米, and 亿 of something that is not money (亿千瓦时).
_NOT_AFTER_UNIT = "次|/|每|民币|级|千瓦|立方|平方|美元|度|株|头|只|件|个|户|套|辆|吨|斤|人|亩|公里|米"
# A number, an optional hedge (余/多) and a unit; 人次/人民币 and 元/平方米 are not amounts of people or money.
AMOUNT_RE = re.compile(
    rf"(?:(?P<num>{NUMBER})|(?<![\d一二两三四五六七八九十百千万])(?P<bare>[千百])(?=亿))\s*"
    rf"(?:(?P<mag>[万亿])(?=余|多))?(?P<hedge>余|多)?\s*(?P<unit>{'|'.join(_UNITS_LONGEST_FIRST)})(?!{_NOT_AFTER_UNIT})"
)


@dataclass(frozen=True, slots=True)
class Amount:
    """A number with its unit as written, at a position in a text."""

    start: int
    end: int
    number: Decimal
    unit: str
    hedged: bool
    floor: bool = False  # written as a floor: 突破/超过 before it


def parse_number(text: str) -> Decimal | None:
    """A decimal from digits with optional thousands commas, or None."""
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def find_amounts(text: str, start: int = 0, end: int | None = None) -> list[Amount]:
    """Every amount with a unit in text[start:end], in order."""
    found: list[Amount] = []
    for m in AMOUNT_RE.finditer(text, start, len(text) if end is None else end):
        number = parse_number(m.group("num") or BARE_MAGNITUDES[m.group("bare")])
        if number is not None:
            # `1万余人`: the magnitude before the hedge belongs to the unit after it.
            unit = (m.group("mag") or "") + m.group("unit")
            if unit in _KNOWN_UNITS:
                found.append(Amount(m.start(), m.end(), number, unit, m.group("hedge") is not None))
    return found


def to_canonical(number: Decimal, unit: str, unit_class: str) -> float | None:
    """The number converted to the canonical unit of its class, or None when the unit does not fit."""
    factor = _FACTORS.get((unit, unit_class))
    if factor is None:
        return None
    value = (number * factor).normalize()
    if not value.is_finite() or abs(value) > Decimal("1e15"):
        return None
    return float(round(value, 6))
