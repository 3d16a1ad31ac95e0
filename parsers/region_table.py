"""The regions table (`parsers/data/regions.tsv`): reading and validating its rows. Adding divisions is adding rows.

The table is generated for all of China by `tools/regions/build_regions.py` from a public division-code list and
hand-curated cells (`tools/regions/overrides.tsv`).
"""

from __future__ import annotations

import functools
import importlib.resources
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from parsers.tsv import read_tsv

COLUMNS: tuple[str, ...] = ("code", "name", "level", "parent", "aliases", "not_before", "flags")
_COLUMNS = COLUMNS
LEVELS: tuple[str, ...] = ("province", "prefecture", "county")
_DEPTH: dict[str, int] = {level: depth for depth, level in enumerate(LEVELS)}
# "qualified": a generic name (城区) read only after its parent's; "local": short forms read in context only.
FLAGS: tuple[str, ...] = ("qualified", "local")
_FLAG_SET = frozenset(FLAGS)


def parse_tsv(text: str) -> list[dict[str, str]]:
    """Rows of a regions.tsv text as dicts keyed by the header; blank and ``#`` lines are skipped."""
    return [row for _, row in read_tsv(text, _COLUMNS[:5], "regions table")]


@functools.cache
def _default_text() -> str:
    return (importlib.resources.files("parsers") / "data" / "regions.tsv").read_text(encoding="utf-8")


def default_rows() -> list[dict[str, str]]:
    """The rows of the packaged regions.tsv (fresh dicts: callers may extend or change them)."""
    return parse_tsv(_default_text())


@dataclass(frozen=True, slots=True)
class Region:
    """One administrative division."""

    code: str
    name: str
    level: str
    parent: str | None
    aliases: tuple[str, ...] = ()

    @property
    def depth(self) -> int:
        """0 for a province, 1 for a prefecture, 2 for a county-level division."""
        return _DEPTH[self.level]


@dataclass(frozen=True, slots=True)
class RegionTable:
    """A validated regions table: the regions, the strings that cancel a match, and the flagged codes.

    ``blocks[code][surface]`` are the strings that cancel a match of ``surface`` (key None: of any surface of
    that region); ``qualified`` codes are matched in text only right after their parent's names; ``local``
    codes have short forms that match running text only in the context of their province.
    """

    regions: tuple[Region, ...]
    blocks: dict[str, dict[str | None, tuple[str, ...]]]
    qualified: frozenset[str]
    local: frozenset[str]


def _split_list(cell: str | None) -> tuple[str, ...]:
    if not cell:
        return ()
    return tuple(item.strip() for item in cell.split(",") if item.strip())


def _check_row(code: str, name: str, level: str, parent: str | None, seen: set[str]) -> None:
    where = f"region {code or '?'} {name}"
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        raise ValueError(f"{where}: code must be 6 digits")
    if code in seen:
        raise ValueError(f"{where}: code repeated")
    if len(name) < 2:
        raise ValueError(f"{where}: names must have at least 2 characters")
    if level not in _DEPTH:
        raise ValueError(f"{where}: level {level!r} is not one of {LEVELS}")
    if (parent is None) != (level == "province"):
        raise ValueError(f"{where}: provinces, and only provinces, have no parent")


def _blocks(where: str, own: set[str], cell: str | None) -> dict[str | None, tuple[str, ...]]:
    found: dict[str | None, tuple[str, ...]] = {}
    for entry in _split_list(cell):
        surface, sep, following = entry.partition(":")
        key: str | None = surface if sep else None
        following = following if sep else surface
        if key is not None and key not in own:
            raise ValueError(f"{where}: not_before {entry!r} names neither the name nor an alias")
        if not following:
            raise ValueError(f"{where}: empty not_before entry {entry!r}")
        found[key] = (*found.get(key, ()), following)
    return found


def _check_parents(regions: list[Region]) -> None:
    by_code = {r.code: r for r in regions}
    for region in regions:
        if region.parent is None:
            continue
        parent = by_code.get(region.parent)
        if parent is None:
            raise ValueError(f"region {region.code} {region.name}: unknown parent {region.parent}")
        if parent.depth >= region.depth:
            raise ValueError(f"region {region.code} {region.name}: parent {region.parent} is not higher")


def read_table(rows: Iterable[Mapping[str, str]]) -> RegionTable:
    """Validate rows shaped like regions.tsv's (``not_before`` and ``flags`` may be absent).

    Raises ValueError on a malformed table: a bad or repeated code, unknown level, missing parent
    or a parent that is not of a higher level, a one-character alias, an unknown flag.
    """
    regions: list[Region] = []
    blocks: dict[str, dict[str | None, tuple[str, ...]]] = {}
    flagged: dict[str, set[str]] = {flag: set() for flag in FLAGS}
    seen: set[str] = set()
    for row in rows:
        code, name = (row.get("code") or "").strip(), (row.get("name") or "").strip()
        level, parent = (row.get("level") or "").strip(), (row.get("parent") or "").strip() or None
        _check_row(code, name, level, parent, seen)
        seen.add(code)
        aliases = tuple(dict.fromkeys(a for a in _split_list(row.get("aliases")) if a != name))
        if short := [a for a in aliases if len(a) < 2]:
            raise ValueError(f"region {code} {name}: aliases must have at least 2 characters: {short}")
        if row.get("not_before") and (found := _blocks(f"region {code} {name}", {name, *aliases}, row["not_before"])):
            blocks[code] = found
        flags = set(_split_list(row.get("flags")))
        if flags - _FLAG_SET:
            raise ValueError(f"region {code} {name}: unknown flag(s) {sorted(flags - _FLAG_SET)}")
        for flag in flags:
            flagged[flag].add(code)
        regions.append(Region(code=code, name=name, level=level, parent=parent, aliases=aliases))
    _check_parents(regions)
    return RegionTable(tuple(regions), blocks, frozenset(flagged["qualified"]), frozenset(flagged["local"]))
