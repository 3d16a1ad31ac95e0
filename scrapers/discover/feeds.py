"""RSS and Atom feeds → items (feedparser); an HTML page where a feed was promised is an error."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from email.utils import parsedate_to_datetime
from typing import Any

import feedparser

from parsers.dates import CHINA_TZ, parse_date
from scrapers.discover.items import Found, Item, finish
from scrapers.discover.urls import followable
from scrapers.errors import ScrapeError
from scrapers.extract.decode import decode_bytes
from scrapers.extract.htmltree import squash

__all__ = ["discover_feed", "looks_like_feed"]

# Sniffing looks at this many leading characters.
SNIFF_CHARS = 2048
# A feed's root element, after an optional XML declaration, comments and processing instructions.
_FEED_ROOT = re.compile(
    r"^\s*(?:<\?xml[^>]*\?>\s*|<!--.*?-->\s*|<\?xml-stylesheet[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*)*<(?:rss|feed|rdf:RDF)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_MARKERS: tuple[str, ...] = ("<!doctype html", "<html", "<head", "<body")
# Feed entry date fields, best first (RSS pubDate is `published`, dc:date and Atom's are `updated`).
FEED_DATE_FIELDS: tuple[str, ...] = ("published", "updated", "created")


def looks_like_feed(text: str) -> bool:
    """Whether text opens with an RSS, Atom or RDF root element."""
    return _FEED_ROOT.match(text[:SNIFF_CHARS].lstrip("\ufeff")) is not None


def _looks_like_html(text: str) -> bool:
    head = text[:SNIFF_CHARS].lower()
    return not looks_like_feed(text) and any(marker in head for marker in _HTML_MARKERS)


def _rfc822_date(raw: str) -> dt.date | None:
    try:
        stamp = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    # A stated offset is read in Beijing time: `Sun, 13 Aug 2023 23:30:00 GMT` is the 14th there.
    return stamp.astimezone(CHINA_TZ).date() if stamp.tzinfo else stamp.date()


def _entry_date(entry: Any) -> dt.date | None:
    for name in FEED_DATE_FIELDS:
        raw = entry.get(name)
        if isinstance(raw, str) and raw.strip():
            found = _rfc822_date(raw) or parse_date(raw)
            if found is not None:
                return found
    for name in FEED_DATE_FIELDS:
        stamp = entry.get(f"{name}_parsed")
        if stamp:  # feedparser's normalised UTC time
            return dt.datetime.fromtimestamp(calendar.timegm(stamp), CHINA_TZ).date()
    return None


def _entry_link(entry: Any) -> str | None:
    link = entry.get("link")
    if isinstance(link, str) and link.strip():
        return link
    for candidate in entry.get("links", []):
        if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
            return str(candidate["href"])
    return None


def discover_feed(content: bytes, base_url: str) -> list[Item] | ScrapeError:
    """The items of an RSS or Atom feed, newest first; an HTML page instead of a feed is an error."""
    head = decode_bytes(content[:SNIFF_CHARS]).text
    if _looks_like_html(head):
        return ScrapeError("not a feed: got an HTML page")
    # feedparser fetches what looks like a URL or a file name: only markup may reach it.
    if not head.lstrip("\ufeff \t\r\n").startswith("<"):
        return ScrapeError("not a feed: no markup")
    parsed = feedparser.parse(content, response_headers={"content-location": base_url})
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no RSS or Atom root element"
        return ScrapeError(f"not a feed: {reason}")
    found: list[Found] = []
    for entry in parsed.entries:
        link = _entry_link(entry)
        url = followable(link, base_url) if link else None
        if url is not None:
            found.append(Found(url, squash(str(entry.get("title", ""))), _entry_date(entry)))
    return finish(found)
