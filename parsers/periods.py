"""The period and basis of a figure: from its sentence, its paragraph, its section, else its publication date."""

from __future__ import annotations

import re
from datetime import date

from parsers import context as ctx
from parsers.model import Basis
from parsers.reading_units import Unit
from parsers.segment import FLOOR_WORDS, Reading

# `主要预期目标是：…` opens a list of targets that runs to the end of its paragraph, across 。.
TARGET_LIST_RE = re.compile(r"(?:预期目标|主要目标|目标任务|发展目标)(?:是|为)?[:：]")
HEDGES_OF_TARGETS = ("左右", "以上", "以内")
# `4.5万余人`, `6700多人`: a count rounded down reports a level reached, it does not set one.
ROUGH_FLOOR_RE = re.compile(r"\d\s*[十百千万亿]?[余多]")
# `完成煤炭产量7300万吨、力争达7500万吨`: a level followed by its 力争 aspiration is a plan's firm target.
ASPIRATION_AFTER_RE = re.compile(r"[左右以上内下]{0,2}[、，,]?\s*力争")


# Characters of its sentence before a figure searched for the year or period it belongs to: a real sentence is a
# few hundred; a text without full stops may make one sentence of megabytes, and each figure must not scan it all.
SENTENCE_REACH = 1500
# Characters around a figure searched for the words that set its basis (预计, 力争, 目标): they stand in its clause.
MARK_REACH = 400


def period_and_basis(
    text: str, s_start: int, head_start: int, head_end: int, r: Reading, unit: Unit, published: date | None
) -> tuple[str | None, Basis]:
    """The figure's period (`2025`, `2025-06`; None when it cannot be dated or is not annual) and basis."""
    scope, in_list = unit.scope_at(head_start)
    before = text[max(s_start, head_start - MARK_REACH) : head_start]
    # Words between the name and its number count too: `第一产业预计完成增加值3.7亿元`.
    marked = before + "|" + text[max(head_end, r.end - MARK_REACH) : r.end]
    year, month = _year_month(text, s_start, head_start, unit, published)
    if r.year is not None:
        year = r.year
    to_year = ctx.LEVEL_YEAR_RE.search(text, max(head_end, r.end - MARK_REACH), r.end)
    if to_year:
        year = int(to_year.group(1))
    if year is not None and published is not None and year > published.year + 1:
        return None, "target"  # a horizon (`到2030年`), not an annual figure
    line_start = max(text.rfind("\n", 0, head_start) + 1, head_start - SENTENCE_REACH)
    if ASPIRATION_AFTER_RE.match(text, r.end):
        marked += "|力争"
    basis = _basis(marked, text[line_start:head_start], in_list, scope, year, month, r, published)
    if basis == "target" and _year_of_review_section(text, s_start, head_start, unit, r, year, published):
        # `2023年工作回顾` … `主要预期目标是：…`: a review section's year does not date the plan that follows it
        # (a heading between them may be missing, as in an excerpt); the target takes the plan's year.
        year = None
    if year is None:
        if published is None:
            return None, basis
        year = ctx.default_year(published, basis, month)
    return ctx.period_label(year, month), basis


def _year_of_review_section(
    text: str, s_start: int, head_start: int, unit: Unit, r: Reading, year: int | None, published: date | None
) -> bool:
    """Whether the figure's year is only the year of the review section it stands in."""
    scope, _ = unit.scope_at(head_start)
    if year is None or r.year is not None or scope.basis != "actual" or scope.year != year or unit.para_year:
        return False
    before = text[max(s_start, head_start - SENTENCE_REACH) : head_start]
    return ctx.ytd_before(before, len(before)) is None and ctx.last_year_before(before, len(before), published) is None


def _year_month(
    text: str, s_start: int, head_start: int, unit: Unit, published: date | None
) -> tuple[int | None, int | None]:
    scope, _ = unit.scope_at(head_start)
    before = text[max(s_start, head_start - SENTENCE_REACH) : head_start]
    ytd = ctx.ytd_before(before, len(before))
    if ytd is None and "同期" in before:
        # `同期，太原市…`: the same period as the sentence before it.
        line_start = text.rfind("\n", 0, s_start) + 1
        ytd = ctx.ytd_before(text[line_start:s_start], s_start - line_start)
    month = ytd[1] if ytd else scope.ytd_month
    year = (ytd[0] if ytd and ytd[0] else None) or ctx.last_year_before(before, len(before), published)
    return year or unit.para_year or scope.year, month


def _basis(
    marked: str,
    line_before: str,
    in_list: bool,
    scope: ctx.Scope,
    year: int | None,
    month: int | None,
    r: Reading,
    published: date | None,
) -> Basis:
    if any(w in marked for w in ctx.TARGET_SENTENCE_WORDS) or TARGET_LIST_RE.search(line_before):
        return "target"
    if in_list or any(w in marked for w in ctx.ESTIMATE_WORDS):
        return "estimate"
    if year is not None:
        implied = ctx.basis_for_year(year, published, month is not None)
        if implied is not None:
            return implied
        if published is not None and year < published.year:
            return "actual"
        return scope.basis or "actual"
    if scope.basis is not None:
        return scope.basis
    # A growth hedged like a target (`增长6%左右`), with no year, early in the year, is what the year is to bring.
    early = published is not None and published.month <= 6
    # A level hedged the same way with no growth beside it (`产量稳定在13亿吨左右`) is one too; a floor
    # (`首次突破10亿元`) reports a level reached.
    floor = any(w in marked for w in FLOOR_WORDS) or ROUGH_FLOOR_RE.search(marked) is not None
    hedged = r.qualifier in HEDGES_OF_TARGETS and (r.hedged_growth or (r.yoy is None and not floor))
    return "target" if early and month is None and hedged else "actual"
