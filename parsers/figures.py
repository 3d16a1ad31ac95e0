"""Reading every key figure out of a normalised text (the figure contract of docs/ARCHITECTURE.md)."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from datetime import date

from parsers import context as ctx
from parsers.growth import find_growth
from parsers.indicators import Mention, Synonym, find_mentions, indicators
from parsers.model import Figure
from parsers.periods import period_and_basis
from parsers.reading_units import Unit, reading_units
from parsers.region_text import SELF_REFERENCE
from parsers.regions import Gazetteer, Region, RegionMatch
from parsers.segment import Reading, clause_end, clause_start, read_group
from parsers.tables import table_figures

SENTENCE_END_RE = re.compile(r"[。！？!?]")
# Clause breaks; a comma or colon between digits is part of a number or a time.
CLAUSE_BREAK_RE = re.compile(r"[，；;：]|(?<!\d),|,(?!\d)|(?<!\d):|:(?!\d)")
GROUP_JOINERS = ("和", "与", "、", "及", "以及")
GROUP_MARKERS = ("分别", "均")
# A name right after these is the statistic of a zone or a sector inside the region, not of the region.
SUBUNIT_BEFORE = ("开发区", "高新区", "园区", "经开区", "示范区", "全行业", "重点企业", "企业")
CLAUSE_OPENERS = "，,；;、：: \n"
# Short items joined by 、 right before a name (`粮食、蔬菜、肉蛋奶` + 产量).
ENUMERATION_RE = re.compile(r"((?:[\u4e00-\u9fff]{1,6}、)+[\u4e00-\u9fff]{1,6})$")
MAX_QUOTE = 240

Group = list[tuple[Mention, Synonym]]
Found = list[tuple[Mention, Region | None, Reading, int]]


def extract_figures(
    text: str, published: date | None, region: Region | None, gazetteer: Gazetteer, base: ctx.Scope | None = None
) -> list[Figure]:
    """Every key figure in a normalised text, in order, one per (region, indicator, period, basis)."""
    figures: list[Figure] = []
    table: list[Unit] = []
    # Names are found once over the whole text; most units and sentences hold none and are skipped.
    mentions = find_mentions(text)
    starts = [m.start for m in mentions]
    for unit in [*reading_units(text, published, base), None]:
        if unit is not None and unit.kind == "table":
            table.append(unit)
            continue
        if table:
            scope, _ = table[0].scope_at(table[0].start)
            figures += table_figures([text[u.start : u.end] for u in table], scope, published, region)
            table = []
        if unit is None:
            break
        if bisect_left(starts, unit.start) == bisect_left(starts, unit.end):
            continue
        for s_start, s_end in _sentences(text, unit):
            inside = mentions[bisect_left(starts, s_start) : bisect_left(starts, s_end)]
            if inside:
                figures += _sentence_figures(text, s_start, s_end, inside, unit, published, region, gazetteer)
    return _dedupe(figures)


def _sentences(text: str, unit: Unit) -> list[tuple[int, int]]:
    spans, pos = [], unit.start
    for m in SENTENCE_END_RE.finditer(text, unit.start, unit.end):
        spans.append((pos, m.end()))
        pos = m.end()
    if pos < unit.end:
        spans.append((pos, unit.end))
    return spans


def _sentence_figures(
    text: str,
    start: int,
    end: int,
    mentions: list[Mention],
    unit: Unit,
    published: date | None,
    region: Region | None,
    gaz: Gazetteer,
) -> list[Figure]:
    if not any(m.synonym.indicators for m in mentions):
        return []
    opening = text[start : mentions[0].start]
    if ctx.HORIZON_RE.search(opening):
        return []
    # `“十四五”以来，…年均增长5.6%，人均…由2020年的5.1万元提高到2024年的7.2万元`: only dated levels count.
    multi_year = any(w in opening for w in ctx.MULTI_YEAR_WORDS)
    breaks = [m.start() for m in CLAUSE_BREAK_RE.finditer(text, start, end)]
    regions = gaz.find_all(text[start:end], region)
    found: Found = []
    shared: list[Region] = []  # `交城县、文水县…分别增长9.6%和8.3%`: regions sharing the names after them
    starts = sorted(m.start for m in mentions)
    for group in _groups(text, start, mentions):
        head = group[0][0]
        nxt = _next_start(starts, group[-1][0], end)
        ids = [i for _, syn in group for i in syn.indicators]
        c_start = clause_start(breaks, start, head.start)
        shared = _region_list(text, regions, start, c_start, head.start) or shared
        where = _region_before(text, regions, start, c_start, head.start)
        for reading in read_group(text, ids, group[-1][0].end, nxt, breaks):
            if multi_year and reading.year is None:
                continue
            if len(shared) >= 2 and len(reading.rates) == len(shared) and (where is None or where in shared):
                # Size 0: shared out already, so a distant 分别 must not spread over these again.
                found += [
                    (head, r, replace(reading, yoy=rate), 0) for r, rate in zip(shared, reading.rates, strict=True)
                ]
                continue
            found.append((head, where or region, reading, len(ids)))
    found = _spread_fenbie(text, found)
    figures = []
    for head, where, reading, _ in found:
        fig = _figure(text, (start, end), head, reading, unit, published, where, breaks)
        if fig is not None:
            figures.append(fig)
    return figures


CONTEXT_REACH = 400  # characters before a name searched for its context word (粮食 before 产量)


def _reading_of(text: str, s_start: int, m: Mention, nxt: int) -> Synonym | None:
    """The reading of a name whose needs and context hold here, if any."""
    # The context word is looked for this far back in the sentence: a sentence may run on for megabytes.
    before = text[max(s_start, m.start - CONTEXT_REACH) : m.start]
    if before.endswith(SUBUNIT_BEFORE):
        return None
    for syn in m.readings:
        if not syn.indicators:
            return None
        if syn.needs and syn.needs not in text[m.end : nxt]:
            continue
        opens_clause = m.start == s_start or text[m.start - 1] in CLAUSE_OPENERS
        if syn.context and (syn.context not in before or not opens_clause):
            listed = _listed_reading(syn, before, text[m.end : m.end + 6])
            if listed is None:
                continue
            return listed
        return syn
    return None


def _listed_reading(syn: Synonym, before: str, after: str) -> Synonym | None:
    """`粮食、蔬菜、肉蛋奶产量分别达到9.4万吨、8万吨…`: the name read for the listed item that is its context.

    The other items are not in the vocabulary: they keep their places in the list as empty ids.
    """
    found = ENUMERATION_RE.search(before)
    if found is None or "分别" not in after:
        return None
    items = found.group(1).split("、")
    if syn.context not in items:
        return None
    ids = tuple(syn.indicators[0] if item == syn.context else "" for item in items)
    return Synonym(syn.name, ids, syn.needs, syn.context)


def _groups(text: str, s_start: int, mentions: list[Mention]) -> list[Group]:
    """Usable names, grouped: names joined by 和/、 before 分别/均 form one group; `名称(GDP)` is one name."""
    groups: list[Group] = []
    marked = _chains_reaching_marker(text, mentions)
    for i, m in enumerate(mentions):
        nxt = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
        syn = _reading_of(text, s_start, m, nxt)
        if syn is None:
            syn = _placeholder(text, mentions, i, marked)
            if syn is None:
                continue
        if groups:
            last_m, last_syn = groups[-1][-1]
            gap = text[last_m.end : m.start].strip()
            if last_syn.indicators == syn.indicators and gap in ("(", "（"):
                # `地区生产总值（GDP）完成…`: one name; its number comes after the bracket.
                close = m.end + 1 if text[m.end : m.end + 1] in (")", "）") else m.end
                groups[-1][-1] = (Mention(last_m.start, close, last_m.readings), last_syn)
                continue
            if gap in GROUP_JOINERS and marked[i]:
                groups[-1].append((m, syn))
                continue
        groups.append([(m, syn)])
    return groups


def _placeholder(text: str, mentions: list[Mention], i: int, marked: list[bool]) -> Synonym | None:
    """`一般公共预算总收入、地方一般公共预算收入分别增长5.6%和5.5%`: a look-alike listed before 分别 keeps its
    place in the list (an empty id) so that the rates after it go to the right names."""
    m = mentions[i]
    blocked = next((syn for syn in m.readings if not syn.indicators), None)
    if blocked is None or i + 1 >= len(mentions):
        return None
    if text[m.end : mentions[i + 1].start].strip() not in GROUP_JOINERS or not marked[i]:
        return None
    return Synonym(blocked.name, ("",), blocked.needs, blocked.context)


def _chains_reaching_marker(text: str, mentions: list[Mention]) -> list[bool]:
    """For each mention, whether 分别/均 follows it, or the last of the names joined to it by 、/和
    (`A、B、C、D分别增长…`). Computed from the end in one pass: a list may hold thousands of names."""
    marked = [False] * len(mentions)
    for i in range(len(mentions) - 1, -1, -1):
        m = mentions[i]
        if any(w in text[m.end : m.end + 12] for w in GROUP_MARKERS):
            marked[i] = True
        elif i + 1 < len(mentions) and text[m.end : mentions[i + 1].start].strip() in GROUP_JOINERS:
            marked[i] = marked[i + 1]
    return marked


def _next_start(starts: list[int], last: Mention, end: int) -> int:
    """Where the next mention after `last` starts (`starts` sorted), else `end`: a bisection, since a sentence may
    hold a million mentions."""
    i = bisect_left(starts, last.end)
    return starts[i] if i < len(starts) else end


def _region_list(text: str, regions: list[RegionMatch], s_start: int, c_start: int, pos: int) -> list[Region]:
    """Regions written as a list right before pos in its clause (`交城县、文水县规上工业增加值`), else []."""
    inside = [r for r in regions if c_start <= s_start + r.start and s_start + r.end <= pos]
    if len(inside) < 2 or text[s_start + inside[-1].end : pos].strip():
        return []
    chain = [inside[-1]]
    for r in reversed(inside[:-1]):
        if text[s_start + r.end : s_start + chain[0].start].strip() not in GROUP_JOINERS:
            break
        chain.insert(0, r)
    return [r.region for r in chain] if len(chain) >= 2 else []


def _region_before(text: str, regions: list[RegionMatch], s_start: int, c_start: int, pos: int) -> Region | None:
    """The region named nearest before `pos` in its clause, unless 全县/全市/我区… after it points back at the
    document's own region (None)."""
    best = None
    for r in regions:
        if c_start <= s_start + r.start and s_start + r.end <= pos:
            best = r
    if best is None or SELF_REFERENCE.search(text, s_start + best.end, pos):
        return None
    return best.region


def _spread_fenbie(text: str, found: Found) -> Found:
    """`A…X元，B…Y元，分别增长4.6%和7.1%`: the rates of a distant 分别 go to the names before it, in order."""
    out = list(found)
    for i, (head, _, reading, size) in enumerate(found):
        rates = _fenbie_rates(text, head, reading) if size == 1 else []
        span = range(i + 1 - len(rates), i + 1)
        if len(rates) < 2 or span.start < 0 or any(found[j][3] != 1 for j in span):
            continue
        for j, rate in zip(span, rates, strict=True):
            m, where, r, n = out[j]
            out[j] = (m, where, replace(r, yoy=rate), n)
    return out


def _fenbie_rates(text: str, head: Mention, reading: Reading) -> list[float]:
    tail = text.rfind("分别", head.end, reading.end)
    if tail < 0 or reading.yoy is None:
        return []
    growth = find_growth(text, tail, reading.end)
    return list(growth.rates) if growth and len(growth.rates) > 1 else []


def _figure(
    text: str,
    sentence: tuple[int, int],
    head: Mention,
    r: Reading,
    unit: Unit,
    published: date | None,
    region: Region | None,
    breaks: list[int],
) -> Figure | None:
    period, basis = period_and_basis(text, sentence[0], head.start, head.end, r, unit, published)
    if period is None:
        return None
    return Figure(
        region=region.name if region else None,
        region_code=region.code if region else None,
        indicator=r.indicator,
        period=period,
        basis=basis,
        value=r.value,
        unit=indicators()[r.indicator].unit,
        yoy=r.yoy,
        qualifier=r.qualifier,
        quote=_quote(text, sentence, head, r, breaks),
    )


def _quote(text: str, sentence: tuple[int, int], head: Mention, r: Reading, breaks: list[int]) -> str:
    last = max(r.end - 1, head.end)
    q_start = max(clause_start(breaks, sentence[0], head.start), text.rfind("\n", sentence[0], head.start) + 1)
    line_end = text.find("\n", last)
    q_end = min(clause_end(breaks, last, sentence[1]), line_end if line_end >= 0 else sentence[1])
    return " ".join(text[q_start:q_end].split())[:MAX_QUOTE]


def _dedupe(figures: list[Figure]) -> list[Figure]:
    kept: dict[tuple[str | None, str, str, str], Figure] = {}
    for f in figures:
        old = kept.get(f.key())
        if old is None:
            kept[f.key()] = f
        elif old.value is None and f.value is not None and (f.yoy is None or old.yoy in (None, f.yoy)):
            kept[f.key()] = replace(old, value=f.value, yoy=old.yoy if old.yoy is not None else f.yoy)
        elif old.yoy is None and f.yoy is not None and (f.value is None or old.value in (None, f.value)):
            kept[f.key()] = replace(old, yoy=f.yoy, value=old.value if old.value is not None else f.value)
    return list(kept.values())
