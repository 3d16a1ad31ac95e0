"""Page furniture around a list: navigation, headers, footers and the boxes (热门, 推荐, 相关) that never hold the
main list — recognised by tag, by whole class/id tokens and by the box's heading."""

from __future__ import annotations

import re

from scrapers.extract.htmltree import Node, squash

__all__ = ["PageFacts", "own_furniture", "under_box_heading"]

# Containers inside these tags are page furniture. (Not <form>: ASP.NET pages wrap the whole body in one.)
FURNITURE_TAGS = frozenset({"nav", "header", "footer", "aside", "select", "script", "style", "noscript"})
# These are the page itself, whatever their class says (`<body class="scrollHeader">`).
NEVER_FURNITURE_TAGS = frozenset({"html", "body", "main"})
# Class and id tokens are cut into parts at `-`, `_`, digits and camelCase humps; furniture when a part is one of
# these words…
FURNITURE_PARTS: frozenset[str] = frozenset(
    {
        "nav", "menu", "header", "footer", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "sidebar", "friend",
        "yqlj", "youqing", "related", "xgxw", "recommend", "tuijian", "paihang", "remen", "redian", "rdxw",
        "copyright", "pagination", "pager", "fenye", "dqwz", "location", "position", "topbar",
    }
)  # fmt: skip
# …or starts with one of these (`navbar`, `menubar`, `hotnews`, `footer1`, `ranklist`)…
FURNITURE_PART_PREFIXES: tuple[str, ...] = (
    "nav", "menu", "footer", "header", "breadcrumb", "sidebar", "friend", "hot", "rank", "foot", "share",
    "copyright", "pagination", "recommend", "related", "tuijian", "remen",
)  # fmt: skip
# …or ends with one of these (`topnav`, `leftmenu`, `pagefooter`).
FURNITURE_PART_SUFFIXES: tuple[str, ...] = ("nav", "menu", "footer", "header", "crumb", "crumbs", "sidebar")
# Utility classes of CSS frameworks say how a box is drawn, not what it is (`position-relative`, `d-flex`).
UTILITY_CLASS_PREFIXES: tuple[str, ...] = ("position-", "d-", "col-", "text-", "bg-", "float-", "sticky-", "fixed-")
_PART_SPLIT = re.compile(r"[-_\d]+|(?<=[a-z])(?=[A-Z])")

# A box whose heading (a short text just before the list, or opening it) holds one of these is not the main list.
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


def _furniture_token(token: str) -> bool:
    if token.lower().startswith(UTILITY_CLASS_PREFIXES):
        return False
    parts = [p.lower() for p in _PART_SPLIT.split(token) if p]
    return any(
        part in FURNITURE_PARTS or part.startswith(FURNITURE_PART_PREFIXES) or part.endswith(FURNITURE_PART_SUFFIXES)
        for part in parts
    )


def own_furniture(node: Node) -> bool:
    """The element itself is furniture: by its tag, or by a whole token of its id or class."""
    if node.tag in NEVER_FURNITURE_TAGS:
        return False
    if node.tag in FURNITURE_TAGS:
        return True
    tokens = f"{node.get('id', '')} {node.get('class', '')}".split()
    return any(_furniture_token(token) for token in tokens)


def _previous_text(node: Node) -> str:
    """The text of the nearest preceding sibling that has any."""
    for sibling in node.itersiblings(preceding=True):
        if not isinstance(sibling.tag, str) or sibling.tag in INVISIBLE_TAGS:
            continue
        if text := squash(sibling.text_content()):
            return text
    return ""


def _opening_text(container: Node) -> str:
    """The text a container opens with before its first link: a heading inside the box (`<li>热门文章</li>`)."""
    pieces = [container.text or ""]
    for child in container:
        if not isinstance(child.tag, str) or child.tag in INVISIBLE_TAGS:
            continue
        if child.tag == "a" or child.find(".//a") is not None:
            break
        pieces.append(child.text_content())
    return squash(" ".join(pieces))


def _is_box_heading(text: str) -> bool:
    if not text or len(text) > BOX_HEADING_MAX_CHARS or any(sep in text for sep in BREADCRUMB_SEPARATORS):
        return False
    return any(word in text for word in BOX_HEADING_WORDS)


def under_box_heading(container: Node) -> bool:
    """The container opens with, or follows, a short heading that names a furniture box (热门, 推荐 …)."""
    if _is_box_heading(_opening_text(container)):
        return True
    node = container
    for _ in range(HEADING_LEVELS):
        text = _previous_text(node)
        if text and len(text) <= BOX_HEADING_MAX_CHARS and not any(sep in text for sep in BREADCRUMB_SEPARATORS):
            return _is_box_heading(text)
        node = node.getparent()
        if node is None or node.tag in NEVER_FURNITURE_TAGS:
            break
    return False


class PageFacts:
    """Memoised per-node facts of one parsed page: furniture, and each node's path of tags and classes."""

    def __init__(self) -> None:
        self.furniture: dict[Node, bool] = {}
        self.paths: dict[Node, tuple[tuple[str, str], ...]] = {}

    def in_furniture(self, node: Node | None) -> bool:
        """The node or one of its ancestors is page furniture."""
        if node is None or not isinstance(node.tag, str):
            return False
        if node not in self.furniture:
            self.furniture[node] = own_furniture(node) or self.in_furniture(node.getparent())
        return self.furniture[node]

    def path(self, node: Node | None) -> tuple[tuple[str, str], ...]:
        """The tags and classes from the root down to the node."""
        if node is None:
            return ()
        if node not in self.paths:
            self.paths[node] = (*self.path(node.getparent()), (node.tag, " ".join(sorted(node.classes))))
        return self.paths[node]
