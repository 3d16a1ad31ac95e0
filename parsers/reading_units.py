"""The reading units of a text: lines, blocks of short lines (infographics) and table rows, with their scope."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from parsers.context import ESTIMATE_WORDS, Scope, heading_scope, is_heading, paragraph_year

# A line this short that does not end a sentence is one cell of an infographic, read with its neighbours.
SHORT_LINE = 26
_TERMINAL = "。！？!?；;"
TABLE_SPLIT_RE = re.compile(r"\t+|\s*[|｜]\s*")


@dataclass(frozen=True, slots=True)
class Unit:
    """A span of the text read as one: a paragraph line, an infographic block, or a table row."""

    start: int
    end: int
    kind: str  # "line" | "block" | "table"
    para_year: int | None
    # (line start, scope in force there, inside a 预计 list) for each line of the unit, in order.
    lines: tuple[tuple[int, Scope, bool], ...]

    def scope_at(self, pos: int) -> tuple[Scope, bool]:
        """The scope in force at a position of the unit, and whether a 预计 list covers it."""
        found = self.lines[0]
        for entry in self.lines:
            if entry[0] <= pos:
                found = entry
        return found[1], found[2]


@dataclass(slots=True)
class _State:
    scope: Scope
    estimate_list: bool = False


def _lines(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line)
        pos += len(line) + 1


def is_table_row(line: str) -> bool:
    """A line holding three or more cells separated by tabs or bars."""
    return ("\t" in line or "|" in line or "｜" in line) and len(TABLE_SPLIT_RE.split(line.strip())) >= 3


def _is_short(line: str) -> bool:
    s = line.strip()
    return 0 < len(s) <= SHORT_LINE and s[-1] not in _TERMINAL


def _update(state: _State, line: str, published: date | None) -> None:
    s = line.strip()
    if is_heading(s):
        scope = heading_scope(s, published)
        if scope is not None:
            state.scope = _merge(state.scope, scope)
    # `主要经济指标预计完成情况：` opens a list of estimates that runs to the end of its sentence.
    if any(w in s for w in ESTIMATE_WORDS) and s.endswith((":", "：")):
        state.estimate_list = True
    elif state.estimate_list and (s.endswith("。") or (is_heading(s) and not _is_short(s))):
        state.estimate_list = False


def _merge(old: Scope, new: Scope) -> Scope:
    # A heading that says anything about year or basis opens a new section; a sub-heading of the same
    # basis without a year of its own (`（二）主要目标` under `二、2026年…目标`) stays in its parent's year.
    if new.year is None and new.basis is not None and new.basis == old.basis:
        return Scope(old.year, new.basis, new.ytd_month)
    return new


def reading_units(text: str, published: date | None, base: Scope | None = None) -> list[Unit]:
    """Split a normalised text into reading units, each with the scope in force where it stands."""
    state = _State(base or Scope())
    units: list[Unit] = []
    block: list[tuple[int, int, Scope, bool]] = []
    for start, end in _lines(text):
        line = text[start:end]
        if not line.strip():
            continue
        short = _is_short(line) and not is_table_row(line)
        if block and not short:
            units.append(_block_unit(block))
            block = []
        in_list = state.estimate_list
        _update(state, line, published)
        if short:
            block.append((start, end, state.scope, in_list))
            continue
        kind = "table" if is_table_row(line) else "line"
        units.append(Unit(start, end, kind, paragraph_year(line, published), ((start, state.scope, in_list),)))
    if block:
        units.append(_block_unit(block))
    return units


def _block_unit(block: list[tuple[int, int, Scope, bool]]) -> Unit:
    lines = tuple((start, scope, in_list) for start, _, scope, in_list in block)
    return Unit(block[0][0], block[-1][1], "block", None, lines)
