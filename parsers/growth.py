"""Growth rates in report prose: `同比增长3.1%`, `下降41.5%`, `增长5%左右`, `与去年同期基本持平`, ranges and lists."""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.units import NUMBER

# Verbs of growth and whether they mean a fall (data, not code).
GROWTH_VERBS: dict[str, int] = {
    "增长": 1,
    "增加": 1,
    "增速为": 1,
    "增速达到": 1,
    "增速达": 1,
    "增速": 1,
    "增幅为": 1,
    "增幅达到": 1,
    "增幅": 1,
    "增产": 1,
    "递增": 1,
    "增": 1,
    "上升": 1,
    "提高": 1,
    "提升": 1,
    "负增长": -1,
    "下降": -1,
    "下滑": -1,
    "减少": -1,
    "减产": -1,
    "降低": -1,
    "降": -1,
    "回落": -1,
    "减": -1,
}
QUALIFIERS_AFTER: tuple[str, ...] = ("左右", "以上", "以内", "以下")
QUALIFIERS_BEFORE: tuple[str, ...] = ("不低于", "不少于", "不高于", "不超过", "超过", "约", "近")
# Hedges fold into a closed set so that users and queries see one word per meaning.
QUALIFIER_FOLD: dict[str, str] = {
    "约": "左右",
    "近": "左右",
    "不低于": "以上",
    "不少于": "以上",
    "超过": "以上",
    "超": "以上",
    "突破": "以上",
    "不超过": "以内",
    "不高于": "以内",
}
FLAT_RE = re.compile(r"(?:与(?:上年|去年|上年同期|去年同期)(?:相比)?|同比)?(?:基本)?持平")

_VERBS = "|".join(sorted(map(re.escape, GROWTH_VERBS), key=len, reverse=True))
_PCT = rf"(?P<sign>-)?(?P<num>{NUMBER})"
GROWTH_RE = re.compile(
    rf"(?P<avg>年均)?(?P<verb>{_VERBS})(?:分别)?(?:了|为|达到|达|完成|是)?\s*(?P<pq>{'|'.join(QUALIFIERS_BEFORE)})?\s*{_PCT}\s*"
    rf"(?:%\s*)?(?:[-—~至到–]\s*(?P<hi>{NUMBER})\s*)?%(?P<q>{'|'.join(QUALIFIERS_AFTER)})?"
)
LIST_MORE_RE = re.compile(rf"\s*[、和及与,，]\s*(?P<sign>-)?(?P<num>{NUMBER})\s*%(?P<q>{'|'.join(QUALIFIERS_AFTER)})?")


@dataclass(frozen=True, slots=True)
class Growth:
    """Growth rates found at a position: one, or a list for a 分别 group; a range keeps its upper bound."""

    start: int
    end: int
    rates: tuple[float, ...]
    qualifier: str | None
    multi_year: bool


def fold_qualifier(word: str | None) -> str | None:
    """The qualifier of the closed set (左右, 以上, 以内, 以下) a hedge word means."""
    if word is None:
        return None
    return QUALIFIER_FOLD.get(word, word)


def range_qualifier(low: str, high: str) -> str:
    """The qualifier of a range target: `区间4.5-5` (the figure's yoy is the lower bound)."""
    return f"区间{low.replace(',', '')}-{high.replace(',', '')}"


def _rate(sign: str | None, num: str, verb_sign: int) -> float:
    value = float(num.replace(",", ""))
    return -value if (sign == "-") != (verb_sign < 0) else value


def find_growth(text: str, start: int, end: int) -> Growth | None:
    """The first growth rate (or flat 持平) in text[start:end]."""
    m = GROWTH_RE.search(text, start, end)
    flat = FLAT_RE.search(text, start, end)
    if flat and (m is None or flat.start() < m.start()):
        return Growth(flat.start(), flat.end(), (0.0,), None, False)
    if m is None:
        return None
    verb_sign = GROWTH_VERBS[m.group("verb")]
    rates = [_rate(m.group("sign"), m.group("num"), verb_sign)]
    qualifier = fold_qualifier(m.group("q") or m.group("pq"))
    if m.group("hi"):
        qualifier = range_qualifier(m.group("num"), m.group("hi"))
    stop = m.end()
    for more in _list_continuation(text, stop, end):
        rates.append(_rate(more.group("sign"), more.group("num"), verb_sign))
        stop = more.end()
        # In a list, a hedge after the last rate covers them all (`分别增长8.5%和11%左右`).
        qualifier = fold_qualifier(more.group("q")) or qualifier
    return Growth(m.start(), stop, tuple(rates), qualifier, m.group("avg") is not None)


def _list_continuation(text: str, pos: int, end: int) -> list[re.Match[str]]:
    found: list[re.Match[str]] = []
    while True:
        more = LIST_MORE_RE.match(text, pos, end)
        if more is None:
            return found
        found.append(more)
        pos = more.end()
