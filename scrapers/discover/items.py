"""What discovery yields: items (URL, title, date), and the CSS selectors a source may set."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar, Literal

__all__ = ["VERSION_MARK", "Found", "Item", "Selectors", "SourceKind", "finish"]

# The kinds of source (their behaviour is registered in scrapers.discover.source_kinds).
SourceKind = Literal["list", "rss", "page"]

# A watched page's version is the digest of its bytes, kept in its item URL's fragment (`#v=…`).
VERSION_MARK = "#v="


@dataclass(frozen=True, slots=True)
class Found:
    """One item read off a list page: canonical URL, title, date (None when none is beside it)."""

    url: str
    title: str
    published: dt.date | None


@dataclass(frozen=True, slots=True)
class Item:
    """One discovered item: canonical absolute URL, title, publication date when the source gives one."""

    url: str
    title: str
    published: dt.date | None


@dataclass(frozen=True, slots=True)
class Selectors:
    """Per-source CSS selectors overriding the list heuristics (item element, its link, its date)."""

    # Settings embed this dataclass: an unknown key in `[sources.selectors]` is an error.
    __pydantic_config__: ClassVar[dict[str, str]] = {"extra": "forbid"}

    item: str | None = None
    link: str | None = None
    date: str | None = None


def finish(found: list[Found]) -> list[Item]:
    """De-duplicate by URL (the first title stays, a missing date is filled), newest first, undated last."""
    merged: dict[str, Found] = {}
    for one in found:
        seen = merged.get(one.url)
        if seen is None:
            merged[one.url] = one
        elif seen.published is None and one.published is not None:
            merged[one.url] = Found(seen.url, seen.title, one.published)
    # Pinned items make list order differ from date order; the sort is stable for equal dates.
    ordered = sorted(merged.values(), key=lambda f: f.published.toordinal() if f.published else 0, reverse=True)
    return [Item(f.url, f.title, f.published) for f in ordered]
