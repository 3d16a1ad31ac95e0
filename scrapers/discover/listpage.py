"""HTML list pages → their items, without per-site code: the densest repeated block of dated article links.

Every article link's ancestors are candidate items; an item's parent is its container. Candidates are
grouped by shape (the container's ancestry of tags and classes, its tag, the item's tag), so two
columns of one list count together; the group with the most items holding a title-like link and a
date beside it wins. Page furniture (navigation, breadcrumbs, hot/related boxes, friend links,
pagination) never competes: its containers are recognised by tag, class and box heading (`boxes`).

Once a list is chosen it is completed: entries whose titles are too short or in another script to have
competed (`公 示`, `GDP Q3`) join it from its own containers, and dated rows that broken markup split off
its edges (a stray `</table>` after the first row) join it back. A column holding a single report is a list
of one when nothing else on the page is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from scrapers.discover.boxes import PageFacts, under_box_heading
from scrapers.discover.entries import entry_like, item_date, link_title, read_item, title_like
from scrapers.discover.items import Found
from scrapers.discover.urls import canonical_url, followable
from scrapers.extract.htmltree import Node

__all__ = ["css_path", "list_items", "read_list_block"]

# Without dates anywhere, only longer titles count: menus are made of 4–8 character links.
FALLBACK_MIN_TITLE_CHARS = 10
# A list needs this many items to be one (a lone dated link is a byline or a sidebar teaser) …
MIN_ITEMS = 2
FALLBACK_MIN_ITEMS = 3
# … unless it is an entry of a list-shaped element and nothing else on the page is a list.
LIST_ITEM_TAGS = frozenset({"li", "tr", "dd", "dt"})
LIST_CONTAINER_TAGS = frozenset({"ul", "ol", "table", "tbody", "dl"})
# An item holds one article link (two when a column link sits beside it); more makes it a block.
MAX_TITLE_LINKS_PER_ITEM = 2
# Items are sought at most this many levels above their link (tr > td > div > a is three).
ITEM_LEVELS = 6

Shape = tuple[object, ...]
Score = tuple[int, int, int, Shape]


@dataclass(slots=True)
class _Group:
    """Candidate items sharing one shape; the list is the best-scoring shape."""

    items: list[Node] = field(default_factory=list)
    containers: set[Node] = field(default_factory=set)


@dataclass(slots=True)
class _Candidates:
    """A page's candidate items by shape, each item's article link and date, and the order of title links."""

    groups: dict[Shape, _Group]
    links: dict[Node, Node]
    dates: dict[Node, dt.date | None]
    order: dict[Node, int]  # a title link → its rank among all title links, in page order


def _title_links(root: Node, base: str, cjk_share: float) -> Iterator[tuple[Node, str, str]]:
    """Every link that looks like an article title: (link, canonical URL, title)."""
    own = canonical_url(base)
    for link in root.iter("a"):
        url = followable(link.get("href"), base)
        if url is None or url == own:
            continue
        title = link_title(link)
        if title_like(title, cjk_share=cjk_share):
            yield link, url, title


def _holders(links: list[tuple[Node, str, str]]) -> dict[Node, dict[str, Node]]:
    """Candidate items (a title link and up to ITEM_LEVELS of its ancestors) → their title links by URL."""
    holders: dict[Node, dict[str, Node]] = {}
    for link, url, title in links:
        node = link
        for _ in range(ITEM_LEVELS):
            parent = node.getparent()
            if parent is None or parent.tag in ("html", "head"):
                break
            held = holders.setdefault(node, {})
            best = held.get(url)
            if best is None or len(link_title(best)) < len(title):
                held[url] = link
            node = parent
    return {node: held for node, held in holders.items() if len(held) <= MAX_TITLE_LINKS_PER_ITEM}


def _candidates(root: Node, base: str, today: dt.date, cjk_share: float) -> _Candidates:
    """Candidate items grouped by shape, page furniture left out."""
    page = PageFacts()
    links = list(_title_links(root, base, cjk_share))
    found = _Candidates({}, {}, {}, {link: i for i, (link, _, _) in enumerate(links)})
    excluded: dict[Node, bool] = {}
    for item, held in _holders(links).items():
        container = item.getparent()
        if container not in excluded:
            excluded[container] = page.in_furniture(container) or under_box_heading(container)
        if excluded[container]:
            continue
        # The container's own class is left out: two columns of one list (ul.left, ul.right) are one shape.
        group = found.groups.setdefault((page.path(container.getparent()), container.tag, item.tag), _Group())
        group.items.append(item)
        group.containers.add(container)
        found.links[item] = max(held.values(), key=lambda link: len(link_title(link)))
        found.dates[item] = item_date(item, found.links[item], today)[0]
    return found


def _best(cands: _Candidates, counted: dict[Shape, list[Node]], minimum: int) -> Shape | None:
    """The shape of the top score (most items, then fewest containers, then most title text)."""
    scored: list[Score] = [
        (len(items), -len(cands.groups[key].containers), sum(len(link_title(cands.links[i])) for i in items), key)
        for key, items in counted.items()
    ]
    best = max(scored, key=lambda s: s[:3], default=None)
    return best[3] if best is not None and best[0] >= minimum else None


def _dated(cands: _Candidates) -> dict[Shape, list[Node]]:
    return {key: [i for i in g.items if cands.dates[i] is not None] for key, g in cands.groups.items()}


def _single_entry(cands: _Candidates) -> Shape | None:
    """A column listing one dated report: the list-shaped group whose one dated item has the longest title."""
    singles = {
        key: items
        for key, items in _dated(cands).items()
        if len(items) == 1 and (key[2] in LIST_ITEM_TAGS or key[1] in LIST_CONTAINER_TAGS)
    }
    return _best(cands, singles, 1)


def _choose(root: Node, base: str, today: dt.date) -> tuple[_Candidates, Shape] | None:
    """The candidates and the shape of the page's article list, or None when it has none."""
    cands = _candidates(root, base, today, cjk_share=0.5)
    chosen = _best(cands, _dated(cands), MIN_ITEMS)
    if chosen is None:
        # Titles mostly in digits or Latin letters (`2025年1-10月GDP`) still make a dated list.
        relaxed = _candidates(root, base, today, cjk_share=0.0)
        chosen = _best(relaxed, _dated(relaxed), MIN_ITEMS)
        cands = relaxed if chosen is not None else cands
    if chosen is None:
        # No dated list: the densest list of long-titled links in the main content.
        long_titled = {
            key: [i for i in g.items if title_like(link_title(cands.links[i]), FALLBACK_MIN_TITLE_CHARS)]
            for key, g in cands.groups.items()
        }
        chosen = _best(cands, long_titled, FALLBACK_MIN_ITEMS) or _single_entry(cands)
    return None if chosen is None else (cands, chosen)


def _absorb_edges(cands: _Candidates, key: Shape, items: list[Node]) -> list[Node]:
    """Dated items of the same tag that broken markup put just before or after the list join it again."""
    by_rank: dict[int, Node] = {}
    for group in cands.groups.values():
        for item in group.items:
            rank = cands.order[cands.links[item]]
            held = by_rank.get(rank)
            # Of the nested candidates of one link, the innermost element of the list's item tag.
            if item.tag == key[2] and cands.dates[item] and (held is None or _depth(item) > _depth(held)):
                by_rank[rank] = item
    ranks = sorted(cands.order[cands.links[i]] for i in items)
    if not ranks:
        return items
    low, high = ranks[0], ranks[-1]
    # An element holding the list is no row of it: its date is the list's first row's (a menu link beside the
    # list, seen from the wrapper of both).
    enclosing = set(items[0].iterancestors())
    extra: list[Node] = []
    for step, edge in ((-1, low), (1, high)):
        rank = edge + step
        while (stray := by_rank.get(rank)) is not None and stray not in items and stray not in enclosing:
            extra.append(stray)
            rank += step
    return [*items, *extra]


def _depth(node: Node) -> int:
    return sum(1 for _ in node.iterancestors())


def _fill_entries(
    cands: _Candidates, key: Shape, items: list[Node], base: str, today: dt.date
) -> list[tuple[Node, Node]]:
    """The list's items with their links, plus the dated entries of its containers too short to compete."""
    chosen = {item: cands.links[item] for item in items}
    for container in cands.groups[key].containers:
        for child in container:
            if child in chosen or child.tag != key[2]:
                continue
            link = next((a for a in child.iter("a") if followable(a.get("href"), base)), None)
            if link is not None and entry_like(link_title(link)) and item_date(child, link, today)[0]:
                chosen[child] = link
    return list(chosen.items())


def _page_order(root: Node, pairs: list[tuple[Node, Node]]) -> list[tuple[Node, Node]]:
    position = {node: i for i, node in enumerate(root.iter())}
    return sorted(pairs, key=lambda pair: position.get(pair[0], 0))


def list_items(root: Node, base: str, today: dt.date) -> list[Found]:
    """The items of the page's article list, in page order; [] when it has none."""
    return read_list_block(root, base, today)[0]


def read_list_block(root: Node, base: str, today: dt.date) -> tuple[list[Found], Node | None]:
    """The items of the page's article list in page order, and the element holding them (None: no list)."""
    picked = _choose(root, base, today)
    if picked is None:
        return [], None
    cands, key = picked
    items = cands.groups[key].items
    pairs = [(item, cands.links[item]) for item in items]
    if any(cands.dates[item] is not None for item in items):
        # An undated item belongs to the list only beside dated ones (a pinned item printed without its
        # date); alone in a container of the same shape it is a comment link or a "more" row.
        dated_containers = {item.getparent() for item in items if cands.dates[item] is not None}
        items = [item for item in items if cands.dates[item] is not None or item.getparent() in dated_containers]
        pairs = _fill_entries(cands, key, _absorb_edges(cands, key, items), base, today)
    pairs = _page_order(root, pairs)
    found = (read_item(item, link, base, today) for item, link in pairs)
    return [f for f in found if f is not None], _common_container([item for item, _ in pairs])


def _common_container(items: list[Node]) -> Node | None:
    """The innermost element holding every item (the list's block)."""
    if not items:
        return None
    chains = [[item, *item.iterancestors()] for item in items]
    shared = set(chains[0]).intersection(*chains[1:]) if len(chains) > 1 else set(chains[0][1:2])
    return next((node for node in chains[0] if node in shared), None)


def css_path(node: Node | None) -> str:
    """A readable CSS path of an element (`body > div#main > ul.list`), for people choosing selectors."""
    steps: list[str] = []
    while node is not None and isinstance(node.tag, str) and node.tag != "html":
        step = node.tag
        if node.get("id"):
            step += "#" + node.get("id", "").strip().split()[0]
        elif node.get("class"):
            step += "".join("." + c for c in node.get("class", "").split()[:2])
        steps.append(step)
        node = node.getparent()
    return " > ".join(reversed(steps))
