"""The parsed HTML tree: loading, layout repair, the CMS content block, tables and attachment links.

lxml ships no type information, so tree nodes are typed `Node` (= Any) here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from copy import deepcopy
from typing import Any
from urllib.parse import urljoin

from trafilatura.utils import load_html

Node = Any  # an lxml.html.HtmlElement

# Government CMS templates put the article body in one of these; running the extractor on it
# avoids returning the menu (docs/FIELD-NOTES.md). Checked in order; the first that holds text wins.
CONTENT_SELECTORS: tuple[tuple[str, str], ...] = (
    ("id", "UCAP-CONTENT"),
    ("id", "zoomcon"),
    ("id", "zoom"),
    ("class", "TRS_Editor"),
    ("class", "TRS_UEDITOR"),
    ("class", "Custom_UnionStyle"),
    ("class", "article-content"),
    ("class", "article_content"),
    ("class", "pages_content"),
    ("id", "articleEdit"),
    ("id", "detail_content"),
)
# A selected block must hold at least this much text, else it is a stub or an empty template slot.
MIN_BLOCK_CHARS = 50
# Where an HTML5 page without CMS class names keeps its content, most specific first.
SEMANTIC_CONTENT_TAGS: tuple[str, ...] = ("article", "main")
# Elements that can carry a content id/class but never content (a comment box's <textarea id=content>).
NOT_CONTENT_TAGS = frozenset({"textarea", "input", "script", "style", "select", "form", "button"})

# A table is page layout, not data, when it nests tables or has a cell holding a paragraph's worth.
LAYOUT_CELL_CHARS = 200
# A table whose text is mostly link text is a menu or a list of other pages.
LINK_SHARE = 0.5
TABLE_PARTS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption")

# Block-level tags: text next to them is a paragraph of its own (see `paragraphize`).
BLOCK_TAGS = frozenset(
    (
        "address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt", "fieldset",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
        "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    )
)  # fmt: skip
# Containers whose stray text is markup debris, not prose.
NO_PARAGRAPH_TAGS = frozenset(
    ("html", "head", "table", "thead", "tbody", "tfoot", "tr", "ul", "ol", "dl", "select", "script", "style")
)

# Links to these are attachments (the real report is often one). `.ofd` and `.et` are Chinese
# office formats that gov sites use alongside the usual ones.
ATTACHMENT_EXTENSIONS: tuple[str, ...] = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".et", ".ofd")
_ATTACHMENT = re.compile(
    r"\.(" + "|".join(e.lstrip(".") for e in ATTACHMENT_EXTENSIONS) + r")(?:$|[?#&])", re.IGNORECASE
)
# Page furniture that may link documents which are not this page's attachments.
FURNITURE_MARKERS = re.compile(r"(?<![a-z])nav|menu|footer|header|breadcrumb|crumb|sidebar|friendlink", re.I)

_SPACE = re.compile(r"[\s\u3000\xa0]+")


# A start tag longer than this is cut to its first MAX_ATTRIBUTES attributes before parsing: libxml2 checks each
# new attribute against the tag's others, so a tag with 10^5 attributes took minutes.
LONG_TAG = 4096
MAX_ATTRIBUTES = 64
# [^<>] stops at the next tag too, so each character is scanned at most twice: linear in the page.
_LONG_TAG = re.compile(rf"<([a-zA-Z][^\s<>/]*)([^<>]{{{LONG_TAG},}})>")
_ATTRIBUTE = re.compile(r"""[^\s=<>"'/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s<>"']*))?""")


def _trim_tag(match: re.Match[str]) -> str:
    kept: list[str] = []
    for attribute in _ATTRIBUTE.finditer(match.group(2)):
        kept.append(attribute.group(0))
        if len(kept) >= MAX_ATTRIBUTES:
            break
    return f"<{match.group(1)} {' '.join(kept)}>"


def bound_markup(html: str) -> str:
    """The page with every overlong start tag cut to its first attributes (see LONG_TAG)."""
    return _LONG_TAG.sub(_trim_tag, html) if len(html) > LONG_TAG else html


def parse_html(html: str) -> Node | None:
    """Parse decoded HTML (a fragment is wrapped into a document); None when unparseable."""
    html = bound_markup(html)
    tree = load_html(html)
    if tree is None:
        tree = load_html(f"<html><body>{html}</body></html>")
    return tree


def squash(text: str) -> str:
    """Collapse every run of whitespace (ideographic and no-break spaces too) to one space."""
    return _SPACE.sub(" ", text).strip()


def text_length(node: Node) -> int:
    """Characters of text in a node, whitespace excluded."""
    return len(_SPACE.sub("", node.text_content()))


def _cells(row: Node) -> list[str]:
    return [squash(cell.text_content()) for cell in row if cell.tag in ("td", "th")]


def is_layout_table(table: Node) -> bool:
    """A table that lays out the page (nested tables, paragraph-sized cells) rather than data."""
    if table.find(".//table") is not None:
        return True
    return any(text_length(cell) > LAYOUT_CELL_CHARS for cell in table.iter("td", "th"))


def _mostly_links(node: Node) -> bool:
    """Navigation, not data: most of the text is link text."""
    total = text_length(node)
    linked = sum(text_length(a) for a in node.iter("a"))
    return total > 0 and linked >= LINK_SHARE * total


def data_tables(root: Node) -> list[list[list[str]]]:
    """Every data table under root as rows of cell strings (layout tables and empty rows skipped)."""
    tables: list[list[list[str]]] = []
    for table in root.iter("table"):
        if is_layout_table(table) or _mostly_links(table):
            continue
        rows = [cells for row in table.iter("tr") if any(cells := _cells(row))]
        # One row or one column is a box drawn with a table, not a table of data.
        if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
            tables.append(rows)
    return tables


def unwrap_layout_tables(root: Node) -> None:
    """Turn layout tables into divs, so the extractor weighs their cells as blocks, not one table."""
    for table in [t for t in root.iter("table") if is_layout_table(t)]:
        for node in [table, *table.iter(*TABLE_PARTS)]:
            node.tag = "div"


def _has_text(s: str | None) -> bool:
    return bool(s and not s.isspace())


def _holders_of_blocks(root: Node) -> set[Node]:
    """Every element with a block-level descendant (an inline <span> wrapping <p> counts as block)."""
    holders: set[Node] = set()
    for node in root.iter(*BLOCK_TAGS):
        for ancestor in node.iterancestors():
            if ancestor in holders:
                break
            holders.add(ancestor)
    return holders


def paragraphize(root: Node) -> None:
    """Wrap text that sits loose between block elements into <p>, where the extractor drops it."""
    # Word-exported and hand-written pages put a paragraph's text straight into a <td> or <div>
    # next to <p> siblings (`<td>first paragraph<p>second</p>`); trafilatura keeps only the <p>.
    holders = _holders_of_blocks(root)

    def is_block(node: Node) -> bool:
        return isinstance(node.tag, str) and (node.tag in BLOCK_TAGS or node in holders)

    for parent in list(holders):
        if parent.tag in NO_PARAGRAPH_TAGS:
            continue
        kids = list(parent)
        loose = _has_text(parent.text) or any(
            _has_text(k.tail) or (not is_block(k) and isinstance(k.tag, str) and _has_text(k.text_content()))
            for k in kids
        )
        if loose:
            _rebuild(parent, kids, is_block)


def _rebuild(parent: Node, kids: list[Node], is_block: Callable[[Node], bool]) -> None:
    """Regroup the children of parent: runs of inline content and text become <p> elements."""
    groups: list[Node] = []
    run = parent.makeelement("p", {})
    run.text, parent.text = parent.text, None
    for kid in kids:
        parent.remove(kid)  # lxml: removing keeps the tail with the kid; it is handled below
        tail, kid.tail = kid.tail, None
        if is_block(kid):
            if _has_text(run.text) or len(run):
                groups.append(run)
            groups.append(kid)
            run = parent.makeelement("p", {})
            run.text = tail
        else:
            run.append(kid)
            kid.tail = tail
    if _has_text(run.text) or len(run):
        groups.append(run)
    parent.extend(groups)


def content_block(root: Node) -> Node | None:
    """The CMS article body (first selector of CONTENT_SELECTORS with text), else the HTML5 article, or None."""
    block = _cms_block(root)
    return block if block is not None else _semantic_block(root)


def _semantic_block(root: Node) -> Node | None:
    """An HTML5 page's content: its fullest `<article>`, else its `<main>` (pages with no CMS class names)."""
    for tag in SEMANTIC_CONTENT_TAGS:
        nodes = list(root.iter(tag))
        if nodes:
            best = max(nodes, key=text_length)
            if text_length(best) >= MIN_BLOCK_CHARS:
                return best
    return None


def _cms_block(root: Node) -> Node | None:
    found: dict[tuple[str, str], list[Node]] = {}
    wanted = set(CONTENT_SELECTORS)
    # One pass over the tree: an XPath per selector costs a walk each.
    for node in root.iter():
        if not isinstance(node.tag, str) or node.tag in NOT_CONTENT_TAGS:
            continue
        keys = [("id", node.get("id", "").strip())] + [("class", c) for c in node.get("class", "").split()]
        for key in keys:
            if key in wanted:
                found.setdefault(key, []).append(node)
    for selector in CONTENT_SELECTORS:
        if selector not in found:
            continue
        # Templates repeat the body for print or mobile views; the fullest copy is the one to read.
        best = max(found[selector], key=text_length)
        if text_length(best) >= MIN_BLOCK_CHARS:
            return best
    return None


def standalone(block: Node) -> Node:
    """A copy of block as the body of a document of its own, for the extractor."""
    html = block.makeelement("html", {})
    body = block.makeelement("body", {})
    html.append(body)
    body.append(deepcopy(block))
    return html


def _in_furniture(link: Node) -> bool:
    for node in link.iterancestors():
        if node.tag in ("nav", "header", "footer"):
            return True
        marker = f"{node.get('id', '')} {node.get('class', '')}"
        if marker.strip() and FURNITURE_MARKERS.search(marker):
            return True
    return False


def attachment_links(root: Node, url: str | None) -> list[str]:
    """Absolute URLs of links to documents (PDF, Word, Excel, WPS…) outside page furniture, in order."""
    base = url or ""
    for node in root.iter("base"):
        if node.get("href"):
            base = urljoin(base, node.get("href"))
            break
    found: list[str] = []
    for link in root.iter("a"):
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        if not (_ATTACHMENT.search(href) or _ATTACHMENT.search(squash(link.text_content()))):
            continue
        absolute = urljoin(base, href) if base else href
        if absolute not in found and not _in_furniture(link):
            found.append(absolute)
    return found


def block_lines(block: Node) -> list[str]:
    """The block's text as it reads: one line per innermost block element, a table row's cells joined by tabs."""
    lines: list[str] = []
    for node in block.iter(*BLOCK_TAGS):
        if node.tag in ("script", "style"):
            continue
        if node.tag == "tr":
            cells = [squash(c.text_content()) for c in node if isinstance(c.tag, str) and c.tag in ("td", "th")]
            if any(cells):
                lines.append("\t".join(cells))
            continue
        inner = any(isinstance(d.tag, str) and d.tag in BLOCK_TAGS for d in node.iterdescendants())
        if inner or any(a.tag == "tr" for a in node.iterancestors()):
            continue
        text = squash(node.text_content())
        if text:
            lines.append(text)
    return lines
