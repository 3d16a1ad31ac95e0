"""Figures from table rows (指标 / 单位 / 数值 / 增长), as extracted pages lay tables out: one row per line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from parsers import context as ctx
from parsers.indicators import find_mentions, indicators
from parsers.model import Basis, Figure
from parsers.reading_units import TABLE_SPLIT_RE
from parsers.regions import Region
from parsers.units import UNIT_TABLE, parse_number, to_canonical

# Header words naming a column's role; checked in this order because `比上年增长` also says 上年.
HEADER_ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("yoy", ("增长", "增速", "同比", "增幅", "增减", "±", "比上年", "比去年")),
    ("unit", ("单位",)),
    ("target", ("目标", "预期", "计划")),
    ("value", ("绝对值", "绝对数", "数值", "总量", "完成", "累计", "本期", "本年", "金额", "实际", "全年")),
    ("name", ("指标", "项目", "名称")),
)
_UNITS = sorted({u for u, _, _ in UNIT_TABLE}, key=len, reverse=True)
UNIT_IN_CELL_RE = re.compile(r"[(（]\s*(" + "|".join(_UNITS) + r")\s*[)）]")
# A column headed by a period (`1-9月`, `2024年`, `本月`) holds levels.
PERIOD_HEADER_RE = re.compile(r"\d+\s*[-—~至–]\s*\d+\s*月|(?:19|20)\d\d\s*年|本月|当月|累计")
NUMBER_CELL_RE = re.compile(r"^\s*(-?\d[\d,]*(?:\.\d+)?)\s*%?\s*$")


def split_row(line: str) -> list[str]:
    """The cells of a table row line; empty cells (under a colspan) are kept where tabs mark them."""
    body = line.strip(" \r\n")
    if "\t" in body:
        return [c.strip() for c in body.strip("\t").split("\t")]
    return [c.strip() for c in TABLE_SPLIT_RE.split(body.strip())]


def _header_roles(cells: list[str]) -> dict[int, str] | None:
    if any(NUMBER_CELL_RE.match(c) for c in cells):
        return None
    roles: dict[int, str] = {}
    for i, spaced in enumerate(cells):
        cell = spaced.replace(" ", "")
        for role, words in HEADER_ROLES:
            if any(w in cell for w in words):
                roles[i] = role
                break
        if i not in roles and i > 0 and (PERIOD_HEADER_RE.search(cell) or ctx.YTD_RE.search(cell)):
            roles[i] = "value"
    return roles if "name" in roles.values() or len(roles) >= 2 else None


def _number(cell: str) -> float | None:
    m = NUMBER_CELL_RE.match(cell)
    n = parse_number(m.group(1)) if m else None
    return float(n) if n is not None else None


@dataclass(slots=True)
class _Header:
    """Column roles of a table, from one header row or a row of periods over a row of roles."""

    top: list[str] = field(default_factory=list)
    sub: list[str] | None = None
    roles: dict[int, str] = field(default_factory=dict)
    months: dict[int, int | None] = field(default_factory=dict)
    units: dict[int, str] = field(default_factory=dict)

    def resolve(self, width: int) -> None:
        """Lay the header over a data row of this width: sub-headers sit over the last columns."""
        top = self.top + [""] * max(0, width - len(self.top))
        month: int | None = None
        for i, cell in enumerate(top):  # a period cell spans the empty cells after it (colspan)
            found = ctx.YTD_RE.search(cell)
            if found or cell:
                month = ctx.ytd_month(found) if found else None
            self.months[i] = month
        if self.sub is not None:
            offset = width - len(self.sub)
            self.roles = {i: r for i, r in _roles(top).items() if i < offset}
            self.roles |= {offset + i: r for i, r in _roles(self.sub).items()}
            cells = top[:offset] + self.sub
        else:
            self.roles, cells = _roles(top), top
        self.units = {i: m.group(1) for i, c in enumerate(cells) if (m := UNIT_IN_CELL_RE.search(c))}


def table_figures(rows: list[str], scope: ctx.Scope, published: date | None, region: Region | None) -> list[Figure]:
    """Every figure in a run of table rows, reading column roles from a header row where there is one."""
    header: _Header | None = None
    after_header = False
    has_va_context = False
    figures: list[Figure] = []
    for line in rows:
        cells = split_row(line)
        if _header_roles(cells) is not None:
            if header is not None and after_header and header.sub is None:
                header.sub = cells
            else:
                header = _Header(top=cells)
            after_header = True
            continue
        if header is not None and after_header:
            header.resolve(len(cells))
        after_header = False
        mentions = [m for m in find_mentions(cells[0]) if m.synonym.indicators] if cells else []
        has_va_context = has_va_context or "增加值" in cells[0] or "生产总值" in cells[0]
        if len(mentions) != 1 or len(mentions[0].synonym.indicators) != 1:
            continue
        syn = mentions[0].synonym
        if syn.needs and not has_va_context:
            continue
        figures += _row_figures(syn.indicators[0], cells, header or _Header(), scope, published, region, line)
    return figures


def _roles(cells: list[str]) -> dict[int, str]:
    return _header_roles(cells) or {}


def _row_figures(
    ind_id: str,
    cells: list[str],
    header: _Header,
    scope: ctx.Scope,
    published: date | None,
    region: Region | None,
    line: str,
) -> list[Figure]:
    numbers = [(i, n) for i, c in enumerate(cells) if i > 0 and (n := _number(c)) is not None]
    if not numbers:
        return []
    unit = _row_unit(cells, header.roles, header.units)
    # One reading per column group (a period over 绝对值 | 增长): month → role → number.
    groups: dict[int | None, dict[str, float]] = {}
    for i, n in numbers:
        role = header.roles.get(i)
        if role in ("value", "yoy", "target"):
            groups.setdefault(header.months.get(i), {}).setdefault(role, n)
    if not header.roles:  # no header: the first number is the level, the second the growth
        groups = {None: {"value": numbers[0][1]} | ({"yoy": numbers[1][1]} if len(numbers) > 1 else {})}
    quote = " ".join(line.split())[:240]
    out: list[Figure] = []
    for month, by_role in groups.items():
        period_scope = ctx.Scope(scope.year, scope.basis, month or scope.ytd_month)
        out += _group_figures(ind_id, by_role, unit, period_scope, published, region, quote)
    return out


def _group_figures(
    ind_id: str,
    by_role: dict[str, float],
    unit: str | None,
    scope: ctx.Scope,
    published: date | None,
    region: Region | None,
    quote: str,
) -> list[Figure]:
    ind = indicators()[ind_id]
    value = by_role.get("value")
    canonical = to_canonical(_dec(value), unit or ind.unit, ind.unit_class) if value is not None else None
    if unit is None and value is not None:
        canonical = value
    out: list[Figure] = []
    period = _period(scope, published, "actual")
    if period and (canonical is not None or "yoy" in by_role):
        out.append(_fig(region, ind_id, period, "actual", canonical, by_role.get("yoy"), quote))
    target_period = _period(scope, published, "target")
    if "target" in by_role and target_period:
        out.append(_fig(region, ind_id, target_period, "target", None, by_role["target"], quote))
    return out


def _dec(value: float) -> Decimal:
    return Decimal(repr(value))


def _row_unit(cells: list[str], roles: dict[int, str], header_units: dict[int, str]) -> str | None:
    for i, role in roles.items():
        if role == "unit" and i < len(cells) and cells[i] in _UNITS:
            return cells[i]
    m = UNIT_IN_CELL_RE.search(cells[0])
    if m:
        return m.group(1)
    for i, role in roles.items():
        if role == "value" and i in header_units:
            return header_units[i]
    unit_cells = [c for c in cells[1:] if c in _UNITS]
    return unit_cells[0] if unit_cells else None


def _period(scope: ctx.Scope, published: date | None, basis: Basis) -> str | None:
    year = scope.year
    if year is None:
        if published is None:
            return None
        year = ctx.default_year(published, basis, scope.ytd_month)
    return ctx.period_label(year, scope.ytd_month)


def _fig(
    region: Region | None, ind_id: str, period: str, basis: Basis, value: float | None, yoy: float | None, quote: str
) -> Figure:
    return Figure(
        region=region.name if region else None,
        region_code=region.code if region else None,
        indicator=ind_id,
        period=period,
        basis=basis,
        value=value,
        unit=indicators()[ind_id].unit,
        yoy=yoy,
        qualifier=None,
        quote=quote,
    )
