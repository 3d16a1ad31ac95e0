"""`govwatch try` and `/try`: what govwatch would do with one URL, with nothing stored.

A list page or a feed gives its items in page order, the block they were found in and its pager; an article or
an attachment gives its title, date, region, kind and figures (a stub page followed to its report). A page that
is blocked, or where nothing is found, is a `PreviewFailure` with its reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from parsers.document import parse_document
from parsers.model import ParsedDocument
from scrapers.discover.feeds import discover_feed, looks_like_feed
from scrapers.discover.items import Item, SourceKind
from scrapers.discover.lists import read_list
from scrapers.discover.pagers import Pager
from scrapers.errors import ScrapeError
from scrapers.extract.content import sniff_kind
from scrapers.extract.decode import decode_bytes
from scrapers.http.fetch import Fetcher, FetchResult
from scrapers.reading import read_document

__all__ = ["DocumentPreview", "ListPreview", "Preview", "PreviewFailure", "preview_url"]

# A page is taken for a list, when no kind is given, when it lists at least this many items.
MIN_LIST_ITEMS = 2


@dataclass(frozen=True, slots=True)
class ListPreview:
    """A list page or feed: its items in page order, where they were found, and the next page."""

    url: str
    kind: SourceKind
    items: list[Item]
    block: str | None
    pager: Pager | None


@dataclass(frozen=True, slots=True)
class DocumentPreview:
    """An article or attachment read as a poll would read it."""

    url: str
    document: ParsedDocument
    attachment_url: str | None = None
    warning: str | None = None


@dataclass(frozen=True, slots=True)
class PreviewFailure:
    """Why a URL gave nothing: blocked, unreachable, or no list or document in it."""

    url: str
    reason: str


Preview = ListPreview | DocumentPreview | PreviewFailure


async def preview_url(
    fetcher: Fetcher, url: str, kind: SourceKind | None, region: str | None, today: dt.date
) -> Preview:
    """Fetch ``url`` once and read it as ``kind`` (list, rss or page), or as what it looks like."""
    page = await fetcher.fetch(url, conditional=False)
    if page.status != "ok":
        return PreviewFailure(url, f"{page.status}: {page.error or 'no content'}")
    if kind == "rss" or (kind is None and looks_like_feed(page.content[:4096].decode("utf-8", "replace"))):
        return _feed(page)
    if kind == "page" or (kind is None and sniff_kind(page.content) != "html"):
        return await _document(fetcher, page, region)
    html = decode_bytes(page.content, page.charset).text
    reading = read_list(html, page.final_url, today)
    if isinstance(reading, ScrapeError):
        return PreviewFailure(url, reading.message)
    if kind == "list" or len(reading.items) >= MIN_LIST_ITEMS:
        if not reading.items:
            return PreviewFailure(url, "no list of articles found on the page (try --kind page, or set selectors)")
        return ListPreview(page.final_url, "list", reading.items, reading.block, reading.pager)
    return await _document(fetcher, page, region)


def _feed(page: FetchResult) -> Preview:
    items = discover_feed(page.content, page.final_url)
    if isinstance(items, ScrapeError):
        return PreviewFailure(page.url, items.message)
    if not items:
        return PreviewFailure(page.url, "the feed has no entries")
    return ListPreview(page.final_url, "rss", items, None, None)


async def _document(fetcher: Fetcher, page: FetchResult, region: str | None) -> Preview:
    read = await read_document(fetcher, page)
    if isinstance(read, ScrapeError):
        return PreviewFailure(page.url, read.message)
    doc = read.extracted
    parsed = parse_document(doc.text, doc.title, doc.published, region_hint=region)
    return DocumentPreview(page.final_url, parsed, read.attachment_url, read.warning)
