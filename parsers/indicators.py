"""The indicator vocabulary (ids, units, names as data) and finding indicator names in a text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from parsers.trie import trie_regex


@dataclass(frozen=True, slots=True)
class Indicator:
    """An indicator id of the contract: canonical unit, class of amounts, Chinese label and display rank."""

    id: str
    unit: str
    unit_class: str
    name: str
    rank: int


@dataclass(frozen=True, slots=True)
class Synonym:
    """A surface name: the indicators it names (none for a look-alike), and what must accompany it."""

    name: str
    indicators: tuple[str, ...]
    needs: str | None
    context: str | None


@dataclass(frozen=True, slots=True)
class Mention:
    """An indicator name found in a text, with every reading the vocabulary has for that name."""

    start: int
    end: int
    readings: tuple[Synonym, ...]

    @property
    def synonym(self) -> Synonym:
        """The first reading of the name (the only one for all but context-dependent names)."""
        return self.readings[0]


def _rows(filename: str) -> list[list[str]]:
    text = resources.files("parsers").joinpath("data", filename).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


@cache
def indicators() -> dict[str, Indicator]:
    """Every indicator of the vocabulary by id, in display order (its rank: what readers look for first)."""
    table = [Indicator(r[0], r[1], r[2], r[3], int(r[4])) for r in _rows("indicators.tsv")]
    return {ind.id: ind for ind in sorted(table, key=lambda ind: ind.rank)}


def indicator_name(indicator: str) -> str:
    """The Chinese label of an indicator id (the id itself when unknown)."""
    found = indicators().get(indicator)
    return found.name if found else indicator


def display_rank(indicator: str) -> int:
    """Where an indicator comes when figures are listed (unknown ids last)."""
    found = indicators().get(indicator)
    return found.rank if found else len(indicators()) + 1


@cache
def synonyms() -> dict[str, tuple[Synonym, ...]]:
    """Every surface name of the vocabulary, with its readings in table order."""
    known = indicators()
    table: dict[str, tuple[Synonym, ...]] = {}
    for row in _rows("synonyms.tsv"):
        row += [""] * (4 - len(row))
        ids = () if row[1] == "-" else tuple(row[1].split(","))
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise ValueError(f"synonyms.tsv: {row[0]} names unknown indicators {unknown}")
        table[row[0]] = (*table.get(row[0], ()), Synonym(row[0], ids, row[2] or None, row[3] or None))
    return table


@cache
def _mention_regex() -> re.Pattern[str]:
    return trie_regex(synonyms())


@cache
def inner_bigrams() -> frozenset[str]:
    """Every pair of adjacent characters inside a vocabulary name: a line break between such a pair may cut a
    name in two (`社会消` | `费品零售总额`); between any other pair it cannot."""
    return frozenset(name[i - 1 : i + 1] for name in synonyms() for i in range(1, len(name)))


def find_mentions(text: str, start: int = 0, end: int | None = None) -> list[Mention]:
    """Every indicator name (or look-alike) in text[start:end], leftmost-longest, in order."""
    table = synonyms()
    stop = len(text) if end is None else end
    return [Mention(m.start(), m.end(), table[m.group()]) for m in _mention_regex().finditer(text, start, stop)]


def resolve_indicator(query: str) -> Indicator | None:
    """The indicator a user means by an id or a name (`gdp`, `GDP`, `固定资产投资`), or None."""
    q = query.strip()
    known = indicators()
    if q.lower() in known:
        return known[q.lower()]
    readings = synonyms().get(q) or synonyms().get(q.upper())
    if readings and len(readings) == 1 and len(readings[0].indicators) == 1:
        return known[readings[0].indicators[0]]
    hits = find_mentions(q)
    if len(hits) == 1 and len(hits[0].readings) == 1 and len(hits[0].synonym.indicators) == 1:
        return known[hits[0].synonym.indicators[0]]
    return None
