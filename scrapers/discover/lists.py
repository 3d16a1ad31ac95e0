"""HTML list pages → items: the heuristics of `listpage`, or a source's own CSS selectors.

Errors are values: a feed where a list page was promised, or a bad selector, is a ScrapeError; an empty list
is an empty list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import soupsieve
from bs4 import BeautifulSoup

from scrapers.discover.entries import read_item
from scrapers.discover.feeds import looks_like_feed
from scrapers.discover.items import Found, Item, Selectors, finish
from scrapers.discover.listpage import css_path, list_items, read_list_block
from scrapers.discover.pagers import Pager, find_pager
from scrapers.discover.urls import document_base, followable
from scrapers.errors import ScrapeError
from scrapers.extract.htmltree import Node, parse_html

__all__ = ["ListReading", "discover_list", "read_list"]

# Marks set on the elements CSS selectors chose, read back after re-parsing with lxml.
_ITEM_MARK, _LINK_MARK, _DATE_MARK = "data-govwatch-item", "data-govwatch-link", "data-govwatch-date"


def _mark_selected(html: str, selectors: Selectors) -> str | ScrapeError:
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
        return ScrapeError(f"bad selector: {str(err).splitlines()[0]}")
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


def _selected_items(html: str, base_url: str, today: dt.date, selectors: Selectors) -> list[Found] | ScrapeError:
    """Items picked by CSS selectors: each item's link (selected, or its first `<a href>`) and date."""
    marked = _mark_selected(html, selectors)
    if isinstance(marked, ScrapeError):
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
) -> list[Item] | ScrapeError:
    """The items of an HTML list page, newest first (undated last); selectors, when given, replace the heuristics."""
    if looks_like_feed(html):
        return ScrapeError("not an HTML list: got a feed")
    if selectors is not None and (selectors.item or selectors.link):
        picked = _selected_items(html, base_url, today, selectors)
        return picked if isinstance(picked, ScrapeError) else finish(picked)
    root = parse_html(html)
    if root is None:
        return []
    return finish(list_items(root, document_base(root, base_url), today))


@dataclass(frozen=True, slots=True)
class ListReading:
    """A list page as `govwatch try` and backfill see it: items in page order, the block, the pager."""

    items: list[Item]
    block: str | None  # CSS path of the element holding the list ("selectors" when the source's selectors chose)
    pager: Pager | None


def read_list(
    html: str, base_url: str, today: dt.date, selectors: Selectors | None = None
) -> ListReading | ScrapeError:
    """The items of an HTML list page in page order (each URL once), where they are, and the page's pager."""
    if looks_like_feed(html):
        return ScrapeError("not an HTML list: got a feed")
    pager = find_pager(html, base_url)
    if selectors is not None and (selectors.item or selectors.link):
        picked = _selected_items(html, base_url, today, selectors)
        if isinstance(picked, ScrapeError):
            return picked
        return ListReading(_in_page_order(picked), "selectors", pager)
    root = parse_html(html)
    if root is None:
        return ListReading([], None, pager)
    found, block = read_list_block(root, document_base(root, base_url), today)
    return ListReading(_in_page_order(found), css_path(block) if block is not None else None, pager)


def _in_page_order(found: list[Found]) -> list[Item]:
    """Each URL once, where it first appears; a missing date filled from a later copy (as `finish` does)."""
    by_url = {item.url: item for item in finish(found)}
    return [by_url[url] for url in dict.fromkeys(f.url for f in found)]
