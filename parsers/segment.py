"""Reading the level and growth that follow an indicator name, up to the next name or the sentence's end."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from dataclasses import dataclass

from parsers.growth import Growth, find_growth, fold_qualifier
from parsers.indicators import indicators
from parsers.units import NUMBER, Amount, find_amounts, to_canonical

VALUE_VERBS = ("完成", "达到", "达", "实现", "为", "突破", "总量", "稳定在", "保持在", "超过", "增加到", "提高到")
GROWTH_CLAUSE_OPENERS = (
    "同比",
    "比上年同期",
    "比上年",
    "较上年同期",
    "较上年",
    "比去年",
    "较去年",
    "分别",
    "与上年相比",
)
# Asides between 同比 and its verb: `同比(下同)增长`, `同比（按可比价格计算）增长`.
ASIDE_RE = re.compile(r"[（(][^）)]{0,20}[）)]")
# A clause that opens with these states how much a level changed, not a new subject.
CHANGE_WORDS = ("增长", "增加", "下降", "减少", "提高", "上升", "增收", "减收", "净增", "多", "少")
# …or says how it was computed (`按不变价格计算`, `扣除价格因素`, `同口径`).
METHOD_ASIDES = ("按", "扣除", "剔除", "同口径", "可比口径", "若")
# An amount right after these is a change or an old level — not the level itself.
NOT_LEVEL_BEFORE = ("增长", "增加", "增收", "下降", "减少", "减收", "降低", "提高", "其中")
NOT_LEVEL_AFTER = ("的", "大关", "及")
# An amount after these in its clause is a project's or a plan's, or a threshold (`统计起点为…500万元`).
NOT_LEVEL_LEAD = ("总投资", "计划投资", "起点", "投资额")
FLOOR_WORDS = ("突破", "超过", "超")
HEDGES_AFTER = ("左右", "以上", "以内", "以下")
# `由2010年的162.4亿元增加到2015年的287.9亿元`: two levels, each of its year.
FROM_TO_RE = re.compile(
    rf"[从由](?:(?P<y1>(?:19|20)\d\d)年的?)?\s*(?P<a1>{NUMBER})[^，,；;。]{{0,4}}?"
    rf"(?:提高|增加|增长|上升|提升|扩大)?[到至](?:(?P<y2>(?:19|20)\d\d)年的?)?\s*(?P<a2>{NUMBER})"
)


@dataclass(frozen=True, slots=True)
class Reading:
    """The value and growth read for one indicator; `year` when the text dates this level itself."""

    indicator: str
    value: float | None
    yoy: float | None
    qualifier: str | None
    end: int
    year: int | None = None
    hedged_growth: bool = False  # the hedge (左右, 以上) is on the growth rate, as targets are written
    rates: tuple[float, ...] = ()  # every rate of a 分别 list, for names shared by several regions


def clause_start(breaks: list[int], floor: int, pos: int) -> int:
    """Where the clause holding pos starts (after the last break before it); `breaks` is sorted."""
    i = bisect_left(breaks, pos)
    return breaks[i - 1] + 1 if i else floor


def clause_end(breaks: list[int], pos: int, limit: int) -> int:
    """Where the clause holding pos ends (the next break, else limit); `breaks` is sorted."""
    i = bisect_left(breaks, pos)
    return min(breaks[i], limit) if i < len(breaks) else limit


def read_group(text: str, ids: list[str], seg_start: int, nxt: int, breaks: list[int]) -> list[Reading]:
    """The readings of a group of indicators named together, from text[seg_start:nxt]."""
    growth = growth_for(text, seg_start, nxt, breaks)
    if len(ids) == 1:
        pair = _from_to(text, ids[0], seg_start, nxt, breaks)
        if pair:
            return pair
    amounts = level_amounts(text, seg_start, nxt, breaks, growth)
    readings = []
    for k, ind_id in enumerate(ids):
        if not ind_id:
            continue  # a listed item that is not in the vocabulary keeps its place, nothing more
        unit_class = indicators()[ind_id].unit_class
        fitting = [a for a in amounts if to_canonical(a.number, a.unit, unit_class) is not None]
        amount = _pick(fitting, k, len(ids))
        value = to_canonical(amount.number, amount.unit, unit_class) if amount else None
        yoy = None
        if growth and not growth.multi_year:
            rates = growth.rates  # one rate for a group (`均增长8%`) is every member's
            yoy = rates[k] if k < len(rates) else (rates[0] if len(rates) == 1 else None)
        if value is None and yoy is None:
            continue
        qualifier = amount_qualifier(text, seg_start, amount) if amount else None
        hedged_growth = bool(growth and yoy is not None and growth.qualifier)
        if growth and hedged_growth:
            qualifier = growth.qualifier
        stop = max(amount.end if amount else 0, growth.end if growth and yoy is not None else 0)
        rates = growth.rates if growth and not growth.multi_year and len(ids) == 1 else ()
        readings.append(Reading(ind_id, value, yoy, qualifier, stop, hedged_growth=hedged_growth, rates=rates))
    return readings


def _pick(fitting: list[Amount], k: int, n: int) -> Amount | None:
    if n > 1:
        return fitting[k] if k < len(fitting) else None
    if not fitting:
        return None
    # `突破1300亿元，达到1316.8亿元`: a floor followed by the exact level gives the level.
    return fitting[1] if len(fitting) > 1 and fitting[0].floor else fitting[0]


def _growth_lead(lead: str) -> bool:
    """Whether a clause's text before a growth rate says nothing of a new subject (`同比(下同)`, `比上年`)."""
    lead = ASIDE_RE.sub("", lead.strip())
    for opener in GROWTH_CLAUSE_OPENERS:
        lead = lead.removeprefix(opener)
    return len(lead) <= 1


def _change_clause(clause: str) -> bool:
    """A clause between a level and its growth that only states the change (`比上年增加1.2亿元`) or the method."""
    body = ASIDE_RE.sub("", clause.strip())
    for opener in GROWTH_CLAUSE_OPENERS:
        body = body.removeprefix(opener)
    if body.startswith(CHANGE_WORDS) or body.startswith(VALUE_VERBS):
        return True  # the change, or the level restated (`突破1300亿元，达到1316.8亿元`)
    return body.startswith(METHOD_ASIDES) and len(body) <= 16


def growth_for(text: str, seg_start: int, nxt: int, breaks: list[int]) -> Growth | None:
    """The growth rate of the name just before seg_start: in its own clause, or opening a later one.

    A later clause counts only when nothing between says something of another subject: in
    `一般公共预算收入完成2.05亿元，争取上级转移支付资金12亿元，增长15%` the 15% is the transfers'.
    """
    growth = find_growth(text, seg_start, nxt)
    own_end = clause_end(breaks, seg_start, nxt)
    if growth is None or growth.start < own_end:
        return growth
    g_start = clause_start(breaks, seg_start, growth.start)
    if not _growth_lead(text[g_start : growth.start]) or "其中" in text[seg_start : growth.start]:
        return None
    edges = sorted({own_end, g_start - 1, *(b for b in breaks if own_end < b < g_start - 1)})
    if any(not _change_clause(text[a + 1 : b]) for a, b in itertools.pairwise(edges)):
        return None
    return growth


def level_amounts(text: str, seg_start: int, nxt: int, breaks: list[int], growth: Growth | None) -> list[Amount]:
    """Amounts in the segment that state a level: in the name's clause or one opening with 达到/完成."""
    own_end = clause_end(breaks, seg_start, nxt)
    found: list[Amount] = []
    for a in find_amounts(text, seg_start, nxt):
        lead = text[seg_start : a.start]
        before = text[max(seg_start, a.start - 3) : a.start]
        after = text[a.end : a.end + 4].lstrip("".join(HEDGES_AFTER))
        if growth is not None and ("力争" in lead or growth.start <= a.start < growth.end):
            continue
        if any(before.endswith(w) for w in NOT_LEVEL_BEFORE) or "其中" in lead:
            continue
        # The name itself may hold such a word (`签约投资额`): only what follows it counts.
        if any(w in text[max(seg_start, clause_start(breaks, seg_start, a.start)) : a.start] for w in NOT_LEVEL_LEAD):
            continue
        if re.search("[从由]", lead) and not re.search("[到至]", lead):
            continue  # `由11.66亿元增加到…`: the old level
        if lead.count("（") + lead.count("(") > lead.count("）") + lead.count(")"):
            continue  # inside brackets: `固定资产投资（500万元以上项目）`
        if after.startswith(NOT_LEVEL_AFTER):
            continue
        if a.start >= own_end and not _opens_with_verb(text, breaks, a):
            continue
        if growth is not None and a.start > growth.end and found:
            continue
        found.append(Amount(a.start, a.end, a.number, a.unit, a.hedged, before.endswith(FLOOR_WORDS)))
    return found


def _opens_with_verb(text: str, breaks: list[int], a: Amount) -> bool:
    lead = text[clause_start(breaks, 0, a.start) : a.start].strip()
    return len(lead) <= 6 and any(lead.endswith(v) for v in VALUE_VERBS)


def amount_qualifier(text: str, seg_start: int, a: Amount) -> str | None:
    """The hedge of an amount: a word after it (以上), a floor before it (突破), or 余/多 inside it."""
    after = text[a.end : a.end + 2]
    if after in HEDGES_AFTER:
        return after
    before = text[max(seg_start, a.start - 2) : a.start]
    for word in (*FLOOR_WORDS, "约"):
        if before.endswith(word):
            return fold_qualifier(word)
    return "以上" if a.hedged else None


def _from_to(text: str, ind_id: str, seg_start: int, nxt: int, breaks: list[int]) -> list[Reading]:
    m = FROM_TO_RE.search(text, seg_start, clause_end(breaks, seg_start, nxt))
    if m is None or (m.group("y1") is None and m.group("y2") is None):
        return []
    unit_class = indicators()[ind_id].unit_class
    readings = []
    for num, year in (("a1", "y1"), ("a2", "y2")):
        amounts = find_amounts(text, m.start(num), m.end(num) + 6)
        if not amounts or amounts[0].start != m.start(num):
            continue
        value = to_canonical(amounts[0].number, amounts[0].unit, unit_class)
        if value is not None and m.group(year):
            readings.append(Reading(ind_id, value, None, None, amounts[0].end, int(m.group(year))))
    return readings
