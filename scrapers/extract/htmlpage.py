"""Decoded HTML → title, publication date, main text, tables, attachment links.

The main text comes from trafilatura, run on the gov CMS content block when the page has one,
after layout tables are unwrapped and loose text is wrapped into paragraphs. Table rows in the
text are lines of tab-separated cells (TABLE_CELL_SEPARATOR); `tables` holds them as lists.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

import trafilatura

from scrapers.extract.furniture import clean_text
from scrapers.extract.htmlmeta import meta_values, page_title, published_date, visible_text
from scrapers.extract.htmltree import (
    Node,
    attachment_links,
    block_lines,
    content_block,
    data_tables,
    paragraphize,
    parse_html,
    standalone,
    text_length,
    unwrap_layout_tables,
)

# Pages beyond this many characters are cut: gov pages are well under 1 MB, and the extractor's
# time grows with the tree.
MAX_HTML_CHARS = 5_000_000
# The extractor's text from the content block must cover this share of the block's text; less
# means it picked a fragment (or nothing), and the whole page is read instead.
BLOCK_MIN_SHARE = 0.3
REPEATED_LOST_MIN = 3
FLATTENED_MIN_LINES = 4


@dataclass(frozen=True)
class ExtractedPage:
    """What one HTML page holds: title, publication date, main text, data tables, attachments."""

    title: str | None
    published: dt.date | None
    text: str
    tables: list[list[list[str]]] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)


def _trafilatura(tree: Node, url: str | None) -> str:
    try:
        found = trafilatura.extract(tree, url=url, include_tables=True, include_comments=False, with_metadata=False)
    except Exception:  # a parser fault on one page is a page without text, not a crash
        return ""
    return found or ""


def _drops_repeated_lines(text: str, lines: list[str]) -> bool:
    """Whether the extractor lost repeated lines of the block (several, and a noticeable share)."""
    lost = Counter(lines) - Counter(line.strip() for line in text.splitlines())
    repeated_lost = sum(n for line, n in lost.items() if Counter(lines)[line] > 1)
    return repeated_lost >= REPEATED_LOST_MIN and repeated_lost * 10 >= len(lines)


def _flattened(text: str, lines: list[str]) -> bool:
    """Whether the extractor ran the block's lines together (a table or a list of paragraphs as one line)."""
    return len(lines) >= FLATTENED_MIN_LINES and (text.count("\n") + 1) * 3 < len(lines)


def main_text(root: Node, block: Node | None, url: str | None, tables: list[list[list[str]]]) -> str:
    """Main text: trafilatura on the CMS content block, else on the whole (repaired) page."""
    unwrap_layout_tables(root)
    paragraphize(root)
    text = ""
    if block is not None:
        text = _trafilatura(standalone(block), url)
        if len(re.sub(r"\s+", "", text)) < BLOCK_MIN_SHARE * text_length(block):
            text = ""
        else:
            lines = block_lines(block)
            # trafilatura drops repeated short paragraphs (`同比增长` under every figure of an infographic)
            # and, on a short page, falls back to one flattened line; the block is the article, so read it
            # as it stands.
            if _drops_repeated_lines(text, lines) or _flattened(text, lines):
                text = "\n".join(lines)
    if not text:
        text = _trafilatura(root, url)
    if not text and block is not None:
        text = block.text_content()
    return clean_text(text, tables)


def extract_html(html: str, url: str | None = None) -> ExtractedPage:
    """Title, publication date, main text, data tables and attachment URLs of a decoded page."""
    root = parse_html(html[:MAX_HTML_CHARS])
    if root is None:
        return ExtractedPage(title=None, published=None, text="")
    meta = meta_values(root)
    title = page_title(root, meta)
    published = published_date(root, meta, visible_text(root), title, url)
    attachments = attachment_links(root, url)
    # Tables are read before the layout repair turns layout tables into divs.
    block = content_block(root)
    tables = data_tables(block if block is not None else root)
    text = main_text(root, block, url, tables)
    return ExtractedPage(title=title, published=published, text=text, tables=tables, attachments=attachments)
