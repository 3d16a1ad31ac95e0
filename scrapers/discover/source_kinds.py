"""The source kinds, one registry: what `list`, `rss` and `page` mean when a source is polled.

A new kind is one `SourceKindSpec` in SOURCE_KINDS (and its name in `SourceKind`): the monitor, the settings
and `govwatch try` read everything they need about a kind from here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace

from scrapers.discover.feeds import discover_feed
from scrapers.discover.items import VERSION_MARK, Item, Selectors, SourceKind
from scrapers.discover.lists import discover_list
from scrapers.discover.pages import discover_page
from scrapers.errors import ScrapeError
from scrapers.extract.decode import decode_bytes

__all__ = ["SOURCE_KINDS", "Listing", "SourceKind", "SourceKindSpec"]

VERSION_DIGITS = 16


@dataclass(frozen=True, slots=True)
class Listing:
    """A fetched list page, feed or watched page: its bytes, their HTTP charset and the URL they came from."""

    content: bytes
    charset: str | None
    url: str


Discoverer = Callable[[Listing, dt.date, Selectors | None], list[Item] | ScrapeError]


@dataclass(frozen=True, slots=True)
class SourceKindSpec:
    """One source kind: how its items are found, and whether the listing is itself the document."""

    name: SourceKind
    description: str
    discover: Discoverer
    # The page kind: the one item is the listing itself, read from the bytes already fetched.
    item_is_listing: bool = False


def _list(listing: Listing, today: dt.date, selectors: Selectors | None) -> list[Item] | ScrapeError:
    html = decode_bytes(listing.content, listing.charset).text
    return discover_list(html, listing.url, today, selectors)


def _feed(listing: Listing, today: dt.date, selectors: Selectors | None) -> list[Item] | ScrapeError:
    return discover_feed(listing.content, listing.url)


def _page(listing: Listing, today: dt.date, selectors: Selectors | None) -> list[Item] | ScrapeError:
    html = decode_bytes(listing.content, listing.charset).text
    digest = hashlib.sha256(listing.content).hexdigest()[:VERSION_DIGITS]
    return [replace(i, url=f"{i.url}{VERSION_MARK}{digest}") for i in discover_page(html, listing.url)]


SOURCE_KINDS: dict[SourceKind, SourceKindSpec] = {
    spec.name: spec
    for spec in (
        SourceKindSpec("list", "an HTML list page (a column of a site)", _list),
        SourceKindSpec("rss", "an RSS or Atom feed", _feed),
        SourceKindSpec("page", "one page replaced in place: each new version is a new document", _page, True),
    )
}
