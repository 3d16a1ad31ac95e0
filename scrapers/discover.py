"""Discover: the new items a source lists — RSS/Atom feeds, HTML list pages, a page that is its own item.

Errors are values: a feed that is really an HTML page (or the reverse), an unreadable feed or a bad
selector comes back as a DiscoverError; an empty list is an empty list.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import feedparser
import soupsieve
from bs4 import BeautifulSoup

from parsers.dates import CHINA_TZ, parse_date
from scrapers.decode import decode_bytes
from scrapers.htmlmeta import meta_values, page_title, published_date, visible_text
from scrapers.htmltree import Node, attachment_links, parse_html, squash
from scrapers.listpage import Found, list_items, read_item
from scrapers.urls import canonical_url, document_base, followable

__all__ = [
    "DiscoverError",
    "Item",
    "Selectors",
    "attachment_link",
    "canonical_url",
    "discover_feed",
    "discover_list",
    "discover_page",
]

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

# Attachments a stub page may point at instead of carrying the report.
STUB_EXTENSIONS: tuple[str, ...] = (".pdf", ".doc", ".docx", ".wps")
# A page whose text, attachment names and labels aside, is at most this long is a stub.
STUB_MAX_CHARS = 150
# Labels around an attachment link on a stub page.
STUB_LABEL_WORDS: tuple[str, ...] = (
    r"附\s*件\s*\d*\s*[:：]?", "点击下载", "下载附件", "附件下载", "查看附件", "相关附件", r"[（(]?\s*PDF\s*[)）]?",
)  # fmt: skip
STUB_LABELS = re.compile("|".join(STUB_LABEL_WORDS), re.IGNORECASE)

# Marks set on the elements CSS selectors chose, read back after re-parsing with lxml.
_ITEM_MARK, _LINK_MARK, _DATE_MARK = "data-govwatch-item", "data-govwatch-link", "data-govwatch-date"


@dataclass(frozen=True, slots=True)
class Item:
    """One discovered item: canonical absolute URL, title, publication date when the source gives one."""

    url: str
    title: str
    published: dt.date | None


@dataclass(frozen=True, slots=True)
class DiscoverError:
    """Why a source's content could not be read as what it was promised to be."""

    message: str


@dataclass(frozen=True, slots=True)
class Selectors:
    """Per-source CSS selectors overriding the list heuristics (item element, its link, its date)."""

    item: str | None = None
    link: str | None = None
    date: str | None = None


def looks_like_feed(text: str) -> bool:
    """Whether text opens with an RSS, Atom or RDF root element."""
    return _FEED_ROOT.match(text[:SNIFF_CHARS].lstrip("\ufeff")) is not None


def _looks_like_html(text: str) -> bool:
    head = text[:SNIFF_CHARS].lower()
    return not looks_like_feed(text) and any(marker in head for marker in _HTML_MARKERS)


def _finish(found: list[Found]) -> list[Item]:
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


def discover_feed(content: bytes, base_url: str) -> list[Item] | DiscoverError:
    """The items of an RSS or Atom feed, newest first; an HTML page instead of a feed is an error."""
    head = decode_bytes(content[:SNIFF_CHARS]).text
    if _looks_like_html(head):
        return DiscoverError("not a feed: got an HTML page")
    # feedparser fetches what looks like a URL or a file name: only markup may reach it.
    if not head.lstrip("\ufeff \t\r\n").startswith("<"):
        return DiscoverError("not a feed: no markup")
    parsed = feedparser.parse(content, response_headers={"content-location": base_url})
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no RSS or Atom root element"
        return DiscoverError(f"not a feed: {reason}")
    found: list[Found] = []
    for entry in parsed.entries:
        link = _entry_link(entry)
        url = followable(link, base_url) if link else None
        if url is not None:
            found.append(Found(url, squash(str(entry.get("title", ""))), _entry_date(entry)))
    return _finish(found)


def _mark_selected(html: str, selectors: Selectors) -> str | DiscoverError:
    """The page with the selected items, links and dates marked by attributes (CSS through soupsieve)."""
    soup = BeautifulSoup(html, "lxml")
    try:
        if selectors.item:
            for item in soup.select(selectors.item):
                item[_ITEM_MARK] = "1"
                for mark, css in ((_LINK_MARK, selectors.link), (_DATE_MARK, selectors.date)):
                    found = item.select_one(css) if css else None
                    if found is not None:
                        found[mark] = "1"
        else:
            for mark, css in ((_LINK_MARK, selectors.link), (_DATE_MARK, selectors.date)):
                for found in soup.select(css) if css else []:
                    found[mark] = "1"
    except soupsieve.SelectorSyntaxError as err:
        return DiscoverError(f"bad selector: {str(err).splitlines()[0]}")
    return str(soup)


def _first_link(node: Node, base: str) -> Node | None:
    """The node itself or its first `<a href>` that leads somewhere."""
    links = node.xpath("descendant-or-self::a[@href]")
    return next((link for link in links if followable(link.get("href"), base)), None)


def _enclosing_item(link: Node) -> Node:
    """The largest ancestor of a selected link that holds no other selected link: its list item."""
    item = link
    for parent in link.iterancestors():
        if len(parent.xpath(f".//*[@{_LINK_MARK}]")) > 1:
            break
        item = parent
    return item


def _selected_pairs(root: Node, base: str, selectors: Selectors) -> list[tuple[Node, Node | None]]:
    """(item, link) for every selected item, or for every selected link when no item selector is given."""
    if not selectors.item:
        return [(_enclosing_item(link), _first_link(link, base)) for link in root.xpath(f"//*[@{_LINK_MARK}]")]
    pairs: list[tuple[Node, Node | None]] = []
    for item in root.xpath(f"//*[@{_ITEM_MARK}]"):
        chosen = item.xpath(f"descendant-or-self::*[@{_LINK_MARK}]") if selectors.link else [item]
        pairs.append((item, _first_link(chosen[0], base) if chosen else None))
    return pairs


def _selected_items(html: str, base_url: str, today: dt.date, selectors: Selectors) -> list[Found] | DiscoverError:
    """Items picked by CSS selectors: each item's link (selected, or its first `<a href>`) and date."""
    marked = _mark_selected(html, selectors)
    if isinstance(marked, DiscoverError):
        return marked
    root = parse_html(marked)
    if root is None:
        return []
    base = document_base(root, base_url)
    found: list[Found] = []
    for item, link in _selected_pairs(root, base, selectors):
        dates = item.xpath(f"descendant-or-self::*[@{_DATE_MARK}]") if selectors.date else []
        one = read_item(item, link, base, today, dates[0] if dates else None) if link is not None else None
        if one is not None:
            found.append(one)
    return found


def discover_list(
    html: str, base_url: str, today: dt.date, selectors: Selectors | None = None
) -> list[Item] | DiscoverError:
    """The items of an HTML list page, newest first (undated last); selectors, when given, replace the heuristics."""
    if looks_like_feed(html):
        return DiscoverError("not an HTML list: got a feed")
    if selectors is not None and (selectors.item or selectors.link):
        picked = _selected_items(html, base_url, today, selectors)
        return picked if isinstance(picked, DiscoverError) else _finish(picked)
    root = parse_html(html)
    if root is None:
        return []
    return _finish(list_items(root, document_base(root, base_url), today))


def discover_page(html: str, base_url: str) -> list[Item]:
    """A page watched in place (kind="page"): the page itself is the one item, with its title and date."""
    url = canonical_url(base_url)
    root = parse_html(html)
    if root is None:
        return [Item(url, url, None)]
    meta = meta_values(root)
    title = page_title(root, meta)
    published = published_date(root, meta, visible_text(root), title, base_url)
    return [Item(url, title or url, published)]


def _link_texts(root: Node, base: str, url: str) -> list[str]:
    texts: list[str] = []
    for link in root.iter("a"):
        href = (link.get("href") or "").strip()
        if href and urljoin(base, href) == url and (text := squash(link.text_content())):
            texts.append(text)
    return texts


def attachment_link(html: str, base_url: str, text: str) -> str | None:
    """The attachment (PDF/DOC/DOCX/WPS) a stub page merely points at, as an absolute URL; else None."""
    root = parse_html(html)
    if root is None:
        return None
    base = document_base(root, base_url)
    for url in attachment_links(root, base_url):
        names = _link_texts(root, base, url)
        path = urlsplit(url).path.lower()
        if not (path.endswith(STUB_EXTENSIONS) or any(n.lower().endswith(STUB_EXTENSIONS) for n in names)):
            continue
        rest = text
        for name in sorted(names, key=len, reverse=True):
            rest = rest.replace(name, "")
        if sum(ch.isalnum() for ch in STUB_LABELS.sub("", rest)) > STUB_MAX_CHARS:
            return None
        return urldefrag(url).url
    return None
