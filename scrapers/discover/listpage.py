"""HTML list pages → their items, without per-site code: the densest repeated block of dated article links.

Every article link's ancestors are candidate items; an item's parent is its container. Candidates are
grouped by shape (the container's ancestry of tags and classes, its tag, the item's tag), so two
columns of one list count together; the group with the most items holding a title-like link and a
date beside it wins. Page furniture (navigation, breadcrumbs, hot/related boxes, friend links,
pagination) never competes: its containers are recognised by tag, class and box heading.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from parsers.dates import make_date, parse_date
from scrapers.discover.items import Found
from scrapers.discover.urls import canonical_url, followable
from scrapers.extract.htmltree import Node, squash

# A link is an article title when it has this many letters/digits/ideographs, mostly CJK.
MIN_TITLE_CHARS = 6
MIN_CJK_SHARE = 0.5
# Without dates anywhere, only longer titles count: menus are made of 4–8 character links.
FALLBACK_MIN_TITLE_CHARS = 10
# A list needs this many items to be one (a lone dated link is a byline or a sidebar teaser).
MIN_ITEMS = 2
FALLBACK_MIN_ITEMS = 3
# An item holds one article link (two when a column link sits beside it); more makes it a block.
MAX_TITLE_LINKS_PER_ITEM = 2
# Items are sought at most this many levels above their link (tr > td > div > a is three).
ITEM_LEVELS = 6
# Text chunks longer than this are summaries, not the date beside a link.
MAX_DATE_CHUNK = 40
# A year-less date this far ahead of `today` still counts as this year's (the site is UTC+8, the
# caller's clock may be behind it); further ahead, it is last year's (`12-30` seen on 01-05).
FUTURE_GRACE = dt.timedelta(days=1)

# Containers inside these tags are page furniture. (Not <form>: ASP.NET pages wrap the whole body in one.)
FURNITURE_TAGS = frozenset({"nav", "header", "footer", "aside", "select", "script", "style", "noscript"})
# …and inside elements whose id/class holds one of these (substring, case-insensitive).
FURNITURE_CLASSES: tuple[str, ...] = (
    "nav", "menu", "header", "footer", "breadcrumb", "crumb", "sidebar", "friend", "yqlj", "youqing",
    "related", "xgxw", "recommend", "tuijian", "paihang", "remen", "redian", "rdxw", "copyright",
    "pagination", "pager", "fenye", "dqwz", "location",
)  # fmt: skip
# …or these, as the start of a word (`hot-news`, `rank_list`, but not `photo`).
FURNITURE_CLASS_WORDS: tuple[str, ...] = ("hot", "rank", "foot", "share", "position")
_FURNITURE_CLASS = re.compile(
    "|".join([*map(re.escape, FURNITURE_CLASSES), *(rf"(?<![a-z]){re.escape(w)}" for w in FURNITURE_CLASS_WORDS)]),
    re.IGNORECASE,
)
# A box whose heading (a short text just before the list) holds one of these is not the main list.
BOX_HEADING_WORDS: tuple[str, ...] = (
    "热点", "热门", "推荐", "排行", "相关", "友情链接", "猜你喜欢", "点击榜", "阅读榜", "网站导航", "快速导航",
    "熱點", "熱門", "推薦", "相關", "友情鏈接", "點擊榜", "閱讀榜", "網站導航", "快速導航",
)  # fmt: skip
BOX_HEADING_MAX_CHARS = 12
# A short text holding one of these is a breadcrumb (首页 > 热点新闻), not a box heading.
BREADCRUMB_SEPARATORS: tuple[str, ...] = (">", "＞", "›", "»", "→")
# Siblings that are never seen on the page, so never a heading.
INVISIBLE_TAGS = frozenset({"head", "script", "style", "noscript", "template"})
# Headings are looked for before the container and before this many of its ancestors.
HEADING_LEVELS = 3
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


@dataclass(slots=True)
class _Shape:
    """Candidate items sharing one shape; the list is the best-scoring shape."""

    items: list[Node] = field(default_factory=list)
    containers: set[Node] = field(default_factory=set)


def title_like(text: str, min_chars: int = MIN_TITLE_CHARS) -> bool:
    """Long enough, mostly CJK and not a pagination word: an article title, not a menu entry."""
    alnum = sum(ch.isalnum() for ch in text)
    if alnum < min_chars or (len(text) <= PAGING_MAX_CHARS and NOT_TITLES.match(text)):
        return False
    return len(_CJK.findall(text)) >= MIN_CJK_SHARE * alnum


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
    """A list date in any usual form; year-less ones take today's year, or last year's if that is future."""
    text = text.strip()
    if not text or len(text) > MAX_DATE_CHUNK * 2:
        return None
    found = parse_date(text)
    if found is not None:
        return found
    found = parse_date(text, default_year=today.year)
    if found is None or found <= today + FUTURE_GRACE:
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


def _own_furniture(node: Node) -> bool:
    if node.tag in FURNITURE_TAGS:
        return True
    marker = f"{node.get('id', '')} {node.get('class', '')}"
    return bool(marker.strip()) and _FURNITURE_CLASS.search(marker) is not None


def _previous_text(node: Node) -> str:
    """The text of the nearest preceding sibling that has any."""
    for sibling in node.itersiblings(preceding=True):
        if not isinstance(sibling.tag, str) or sibling.tag in INVISIBLE_TAGS:
            continue
        if text := squash(sibling.text_content()):
            return text
    return ""


def _under_box_heading(container: Node) -> bool:
    """The nearest short heading before the container (or its ancestors) names a furniture box."""
    node = container
    for _ in range(HEADING_LEVELS):
        text = _previous_text(node)
        if text and len(text) <= BOX_HEADING_MAX_CHARS and not any(sep in text for sep in BREADCRUMB_SEPARATORS):
            return any(word in text for word in BOX_HEADING_WORDS)
        node = node.getparent()
        if node is None:
            break
    return False


class _Page:
    """Memoised per-node facts of one parsed page."""

    def __init__(self) -> None:
        self.furniture: dict[Node, bool] = {}
        self.paths: dict[Node, tuple[tuple[str, str], ...]] = {}

    def in_furniture(self, node: Node | None) -> bool:
        if node is None or not isinstance(node.tag, str):
            return False
        if node not in self.furniture:
            self.furniture[node] = _own_furniture(node) or self.in_furniture(node.getparent())
        return self.furniture[node]

    def path(self, node: Node | None) -> tuple[tuple[str, str], ...]:
        if node is None:
            return ()
        if node not in self.paths:
            self.paths[node] = (*self.path(node.getparent()), (node.tag, " ".join(sorted(node.classes))))
        return self.paths[node]


def _title_links(root: Node, base: str) -> Iterator[tuple[Node, str, str]]:
    """Every link that looks like an article title: (link, canonical URL, title)."""
    own = canonical_url(base)
    for link in root.iter("a"):
        url = followable(link.get("href"), base)
        if url is None or url == own:
            continue
        title = link_title(link)
        if title_like(title):
            yield link, url, title


def _candidates(root: Node, base: str) -> dict[Node, dict[str, Node]]:
    """Candidate items (a title link and up to ITEM_LEVELS of its ancestors) → their title links by URL."""
    holders: dict[Node, dict[str, Node]] = {}
    for link, url, title in _title_links(root, base):
        node = link
        for _ in range(ITEM_LEVELS):
            parent = node.getparent()
            if parent is None or parent.tag in ("html", "head"):
                break
            links = holders.setdefault(node, {})
            best = links.get(url)
            if best is None or len(link_title(best)) < len(title):
                links[url] = link
            node = parent
    return {node: links for node, links in holders.items() if len(links) <= MAX_TITLE_LINKS_PER_ITEM}


def _main_link(links: dict[str, Node]) -> Node:
    """The item's article link: the one with the longest title (a column link sits beside it)."""
    return max(links.values(), key=lambda link: len(link_title(link)))


def _shapes(root: Node, base: str) -> tuple[dict[tuple[object, ...], _Shape], dict[Node, Node]]:
    """Candidate items grouped by shape, page furniture left out; and each item's article link."""
    page = _Page()
    shapes: dict[tuple[object, ...], _Shape] = {}
    main_links: dict[Node, Node] = {}
    excluded: dict[Node, bool] = {}
    for item, links in _candidates(root, base).items():
        container = item.getparent()
        if container not in excluded:
            excluded[container] = page.in_furniture(container) or _under_box_heading(container)
        if excluded[container]:
            continue
        # The container's own class is left out: two columns of one list (ul.left, ul.right) are one shape.
        shape = shapes.setdefault((page.path(container.getparent()), container.tag, item.tag), _Shape())
        shape.items.append(item)
        shape.containers.add(container)
        main_links[item] = _main_link(links)
    return shapes, main_links


def _best(scored: list[tuple[int, int, int, tuple[object, ...]]], minimum: int) -> tuple[object, ...] | None:
    """The key of the top score (most items, then fewest containers, then most title text)."""
    if not scored:
        return None
    best = max(scored, key=lambda s: s[:3])
    return best[3] if best[0] >= minimum else None


def list_items(root: Node, base: str, today: dt.date) -> list[Found]:
    """The items of the page's article list, in page order; [] when it has none."""
    shapes, main_links = _shapes(root, base)
    dates = {item: item_date(item, main_links[item], today)[0] for shape in shapes.values() for item in shape.items}

    def score(key: tuple[object, ...], counted: list[Node]) -> tuple[int, int, int, tuple[object, ...]]:
        chars = sum(len(link_title(main_links[item])) for item in counted)
        return len(counted), -len(shapes[key].containers), chars, key

    dated = [score(key, [i for i in shape.items if dates[i] is not None]) for key, shape in shapes.items()]
    chosen = _best(dated, MIN_ITEMS)
    if chosen is None:
        # No dated list: the densest list of long-titled links in the main content.
        long_titled = [
            score(key, [i for i in shape.items if title_like(link_title(main_links[i]), FALLBACK_MIN_TITLE_CHARS)])
            for key, shape in shapes.items()
        ]
        chosen = _best(long_titled, FALLBACK_MIN_ITEMS)
    if chosen is None:
        return []
    items = shapes[chosen].items
    if any(dates[item] is not None for item in items):
        # An undated item belongs to the list only beside dated ones (a pinned item printed without its
        # date); alone in a container of the same shape it is a comment link or a "more" row.
        dated_containers = {item.getparent() for item in items if dates[item] is not None}
        items = [item for item in items if dates[item] is not None or item.getparent() in dated_containers]
    found = (read_item(item, main_links[item], base, today) for item in items)
    return [f for f in found if f is not None]
