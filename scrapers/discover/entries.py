"""One entry of a list page: whether a link is an article title, the title it gives, and the date beside it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import lru_cache

from parsers.dates import make_date, parse_date, relative_date
from scrapers.discover.items import Found
from scrapers.discover.urls import followable
from scrapers.extract.htmltree import Node, squash

__all__ = ["item_date", "link_title", "read_date", "read_item", "title_like"]

# A link is an article title when it has this many letters/digits/ideographs, mostly CJK.
MIN_TITLE_CHARS = 6
MIN_CJK_SHARE = 0.5
# Inside a list already found, an entry's title may be short (`公 示`) or in another script (`GDP Q3`).
MIN_ENTRY_CHARS = 2
# Text chunks longer than this are summaries, not the date beside a link.
MAX_DATE_CHUNK = 40
# A year-less date this far ahead of `today` still counts as this year's (the site is UTC+8, the
# caller's clock may be behind it); further ahead, it is last year's (`12-30` seen on 01-05).
FUTURE_GRACE = dt.timedelta(days=1)
# Link texts that page through or out of a list, never an article.
PAGING_WORDS: tuple[str, ...] = (
    "上一页", "下一页", "首页", "尾页", "末页", "更多", "查看更多", "返回列表", "返回首页", "跳转",
    "上一頁", "下一頁", "首頁", "尾頁", "末頁", "返回首頁", "跳轉",
    r"第\s*\d+\s*页", r"共\s*\d+\s*页",
)  # fmt: skip
NOT_TITLES = re.compile("^(?:" + "|".join(PAGING_WORDS) + ")")
# Only a short link text is taken for a paging word (`首页推荐…` may well be a title).
PAGING_MAX_CHARS = 15
# Markers of pinned items that CMSes print into the title.
PIN_MARKER = re.compile(r"^\s*[\[【(（]?\s*(?:置顶|顶|荐)\s*[\]】)）]\s*|^\s*置顶\s*")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def title_like(text: str, min_chars: int = MIN_TITLE_CHARS, cjk_share: float = MIN_CJK_SHARE) -> bool:
    """Long enough, mostly CJK and not a pagination word: an article title, not a menu entry."""
    alnum = sum(ch.isalnum() for ch in text)
    if alnum < min_chars or (len(text) <= PAGING_MAX_CHARS and NOT_TITLES.match(text)):
        return False
    return len(_CJK.findall(text)) >= cjk_share * alnum


def entry_like(text: str) -> bool:
    """A link text that can be an entry of a list already found: short titles and other scripts included."""
    return title_like(text, MIN_ENTRY_CHARS, 0.0)


def link_title(link: Node) -> str:
    """A link's title: its text, or its title attribute when the text is a truncation of it."""
    text = squash(link.text_content())
    stated = squash(link.get("title") or "")
    stem = text.rstrip(".。…· ")
    if len(stated) > len(text) and stated.startswith(stem):
        text = stated
    return PIN_MARKER.sub("", text).strip()


@lru_cache(maxsize=8192)
def read_date(text: str, today: dt.date) -> dt.date | None:
    """A list date in any usual form, relative ones (`3小时前`, `昨天 19:14`) counted from today; year-less ones
    take today's year, or last year's if that is in the future."""
    text = text.strip()
    if not text or len(text) > MAX_DATE_CHUNK * 2:
        return None
    found = parse_date(text)
    if found is not None:
        return found
    found = parse_date(text, default_year=today.year)
    if found is None:
        return relative_date(text, today) if len(text) <= MAX_DATE_CHUNK else None
    if found <= today + FUTURE_GRACE:
        return found
    return make_date(today.year - 1, found.month, found.day)


def _chunks(item: Node) -> Iterator[tuple[str, Node]]:
    """The item's non-empty text pieces with the element each sits in."""
    for piece in item.xpath(".//text()"):
        owner = piece.getparent()
        if piece.is_tail:
            owner = owner.getparent()
        text = squash(str(piece))
        if text and owner is not None and owner.tag not in ("script", "style"):
            yield text, owner


def item_date(item: Node, link: Node, today: dt.date) -> tuple[dt.date | None, str]:
    """The date beside the link in its item (outside the link first), with the text it was read from."""
    inside = set(link.iter())
    outside: list[str] = []
    within: list[str] = []
    for text, owner in _chunks(item):
        if len(text) <= MAX_DATE_CHUNK:
            (within if owner in inside else outside).append(text)
    # Split dates (`<b>2025</b>-01-20`) are read from the joined outside text.
    candidates = [*outside, " ".join(outside), *(t for t in within if not title_like(t))]
    for text in candidates:
        found = read_date(text, today)
        if found is not None:
            return found, text
    return None, ""


def read_item(item: Node, link: Node, base: str, today: dt.date, date_node: Node | None = None) -> Found | None:
    """The item a link stands for (None when the link leads nowhere worth fetching)."""
    url = followable(link.get("href"), base)
    if url is None:
        return None
    title = link_title(link)
    if date_node is not None:
        published = read_date(squash(date_node.text_content()), today)
    else:
        published, source = item_date(item, link, today)
        if source and source in title:  # the date printed inside the link is not part of the title
            title = squash(title.replace(source, ""))
    return Found(url, title, published)
