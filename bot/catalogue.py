"""The catalogue of real Shanxi sources (`bot/data/catalogue.tsv`): report columns, each with its evidence.

One row per column of a government portal or statistics bureau: the division's 6-digit code, the site (`portal` or
`stats`), what the column publishes (`kind`), its URL, how govwatch reads it (`source_kind`, as a `[[sources]]`
kind) and the evidence that the URL is real (a stored page or a public listing, with its date). docs/CATALOGUE.md
says how the rows were found and how to add one. `govwatch sources catalogue` prints it and
`govwatch sources add --from-catalogue REGION` copies rows into the settings file.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import get_args
from urllib.parse import urlsplit

from parsers.regions import Gazetteer, Region
from parsers.tsv import read_tsv
from scrapers.discover.items import SourceKind

__all__ = [
    "COLUMNS",
    "KINDS",
    "PROVINCE",
    "SITES",
    "SOURCE_KINDS",
    "Catalogue",
    "CatalogueError",
    "Row",
    "load_catalogue",
    "parse_catalogue",
]

COLUMNS: tuple[str, ...] = ("code", "site", "kind", "url", "source_kind", "evidence", "note")
_REQUIRED = COLUMNS[:6]
SITES: tuple[str, ...] = ("portal", "stats")
# 政府工作报告; 计划执行情况, 规划计划 and 财政预决算 reports; 统计公报; 统计信息/统计数据 tables; other news.
KINDS: tuple[str, ...] = ("work_report", "plan_report", "bulletin", "indicator_table", "news")
SOURCE_KINDS: tuple[str, ...] = get_args(SourceKind)
PROVINCE = "140000"  # 山西省: the catalogue covers it and the divisions under it
_DATE_RE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)")
_HOST_RE = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")


class CatalogueError(ValueError):
    """A catalogue row that cannot be used; the message names the line and the row."""


@dataclass(frozen=True, slots=True)
class Row:
    """One column of a site: where it is, what it publishes, and why we believe it exists."""

    code: str
    site: str
    kind: str
    url: str
    source_kind: str
    evidence: str
    note: str = ""
    line: int = 0  # in the TSV text, for messages

    @property
    def evidence_date(self) -> date | None:
        """The date of the evidence: the first ``(YYYY-MM-DD)`` in it, or None when it gives none."""
        found = _DATE_RE.search(self.evidence)
        return date.fromisoformat(found.group(1)) if found else None

    @property
    def host(self) -> str:
        """The URL's host name."""
        return urlsplit(self.url).hostname or ""


def _problem_with_url(url: str) -> str | None:
    """Why a column URL is not well formed (None when it is): http(s), a host under .cn, nothing odd in it."""
    if not url or any(ch.isspace() for ch in url):
        return "is empty or has spaces"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"cannot be read ({exc})"
    if parts.scheme not in ("http", "https"):
        return "is not http or https"
    host = parts.hostname or ""
    if parts.username is not None or parts.password is not None:
        return "carries a user name or password"
    if not _HOST_RE.match(host):
        return f"has no valid host name ({host or 'none'})"
    if not host.endswith(".cn"):
        return f"has a host outside .gov.cn and .cn ({host})"
    if port is not None and port not in (80, 443):
        return f"uses an unusual port ({port})"
    return None


def _check(row: Row, gazetteer: Gazetteer, seen: dict[tuple[str, str], int]) -> None:
    where = f"catalogue line {row.line} ({row.code or '?'} {row.url or '?'})"
    if not (len(row.code) == 6 and row.code.isascii() and row.code.isdigit()):
        raise CatalogueError(f"{where}: code {row.code!r} is not 6 digits")
    region = gazetteer.by_code(row.code)
    if region is None:
        raise CatalogueError(f"{where}: code {row.code} is no division in the gazetteer")
    if gazetteer.province_of(region).code != PROVINCE:
        raise CatalogueError(f"{where}: {region.name} ({row.code}) is not in Shanxi")
    for column, value, allowed in (
        ("site", row.site, SITES),
        ("kind", row.kind, KINDS),
        ("source_kind", row.source_kind, SOURCE_KINDS),
    ):
        if value not in allowed:
            raise CatalogueError(f"{where}: {column} {value!r} is not one of {', '.join(allowed)}")
    problem = _problem_with_url(row.url)
    if problem is not None:
        raise CatalogueError(f"{where}: url {row.url!r} {problem}")
    if not row.evidence:
        raise CatalogueError(f"{where}: no evidence (a page or listing that shows the URL, with its date)")
    found = _DATE_RE.search(row.evidence)
    if found is not None:
        try:
            date.fromisoformat(found.group(1))
        except ValueError:
            raise CatalogueError(f"{where}: evidence date {found.group(1)!r} is not a date") from None
    first = seen.get((row.code, row.url))
    if first is not None:
        raise CatalogueError(f"{where}: repeats line {first} (same code and url)")
    seen[(row.code, row.url)] = row.line


def _rows(text: str) -> Iterable[Row]:
    try:
        for lineno, values in read_tsv(text, _REQUIRED, "catalogue"):
            yield Row(
                code=values["code"],
                site=values["site"],
                kind=values["kind"],
                url=values["url"],
                source_kind=values["source_kind"],
                evidence=values["evidence"],
                note=values.get("note", ""),
                line=lineno,
            )
    except ValueError as exc:  # the table's shape: a header, cells per line
        raise CatalogueError(str(exc)) from None


def parse_catalogue(text: str, gazetteer: Gazetteer | None = None) -> Catalogue:
    """Read and validate a catalogue TSV text; CatalogueError names the first bad row.

    Every code is a Shanxi division of the gazetteer, site, kind and source_kind come from their vocabularies,
    every URL is http(s) on a host under .cn, every row has evidence, and no (code, url) pair repeats.
    """
    gaz = gazetteer or Gazetteer.default()
    seen: dict[tuple[str, str], int] = {}
    rows: list[Row] = []
    for row in _rows(text):
        _check(row, gaz, seen)
        rows.append(row)
    return Catalogue(tuple(rows), gaz)


@functools.cache
def _packaged_text() -> str:
    return (importlib.resources.files("bot") / "data" / "catalogue.tsv").read_text(encoding="utf-8")


@functools.cache
def load_catalogue() -> Catalogue:
    """The packaged catalogue (``bot/data/catalogue.tsv``), validated; read once, then cached."""
    return parse_catalogue(_packaged_text())


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Validated catalogue rows and the gazetteer their codes belong to."""

    rows: tuple[Row, ...]
    gazetteer: Gazetteer

    def region(self, code: str) -> Region:
        """The division of a code; KeyError for a code the gazetteer lacks."""
        region = self.gazetteer.by_code(code)
        if region is None:
            raise KeyError(code)
        return region

    def divisions(self, region_code: str = PROVINCE) -> list[Region]:
        """The region and every division under it, parents before children, in code order."""
        found: list[Region] = []
        stack = [self.region(region_code)]
        while stack:
            current = stack.pop()
            found.append(current)
            stack.extend(reversed(self.gazetteer.children_of(current)))
        return sorted(found, key=lambda r: r.code)

    def rows_for(self, region_code: str, kind: str | None = None) -> list[Row]:
        """The rows of a region and of the divisions under it (a city includes its counties, the province
        everything), of one kind or all, in catalogue order."""
        if kind is not None and kind not in KINDS:
            raise ValueError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
        codes = {r.code for r in self.divisions(region_code)}
        return [row for row in self.rows if row.code in codes and (kind is None or row.kind == kind)]

    def missing(self, region_code: str, kind: str | None = None) -> list[Region]:
        """The divisions under a region (itself included) with no row of that kind, or with no row at all."""
        covered = {row.code for row in self.rows_for(region_code, kind)}
        return [r for r in self.divisions(region_code) if r.code not in covered]

    def kinds_by_division(self) -> dict[str, int]:
        """How many divisions have at least one row of each kind (docs/CATALOGUE.md's table)."""
        return {kind: len({row.code for row in self.rows if row.kind == kind}) for kind in KINDS}
