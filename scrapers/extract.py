"""Page bytes → kind; decoded HTML → title, publication date, main text, tables, attachment links.

The main text comes from trafilatura, run on the gov CMS content block when the page has one,
after layout tables are unwrapped and loose text is wrapped into paragraphs. Table rows in the
text are lines of tab-separated cells (TABLE_CELL_SEPARATOR); `tables` holds them as lists.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

import trafilatura

from scrapers.furniture import clean_text
from scrapers.htmlmeta import meta_values, page_title, published_date, visible_text
from scrapers.htmltree import (
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

Kind = Literal["html", "pdf", "text", "docx", "binary", "empty"]

# Pages beyond this many characters are cut: gov pages are well under 1 MB, and the extractor's
# time grows with the tree.
MAX_HTML_CHARS = 5_000_000
# Sniffing looks at this many leading bytes.
SNIFF_BYTES = 8192
# In the sniffed prefix, a share of control bytes above this (or any NUL) means binary.
MAX_CONTROL_SHARE = 0.05
# Tags that make a text HTML when they open its first few KB.
HTML_MARKERS: tuple[bytes, ...] = (
    b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title", b"<div", b"<p>", b"<table",
)  # fmt: skip
# The extractor's text from the content block must cover this share of the block's text; less
# means it picked a fragment (or nothing), and the whole page is read instead.
BLOCK_MIN_SHARE = 0.3
REPEATED_LOST_MIN = 3
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\x0c\x1b")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class ExtractedPage:
    """What one HTML page holds: title, publication date, main text, data tables, attachments."""

    title: str | None
    published: dt.date | None
    text: str
    tables: list[list[list[str]]] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    controls = sum(head.count(bytes([b])) for b in _CONTROL)
    return controls > MAX_CONTROL_SHARE * len(head)


def sniff_kind(data: bytes) -> Kind:
    """What the bytes are, from magic numbers and content (never from a file name)."""
    head = data[:SNIFF_BYTES]
    if not head.strip():
        return "empty"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in data else "binary"
    if head.startswith(_UTF16_BOMS):
        # UTF-16 text is full of NULs; judge it by its decoded prefix instead.
        head = head.decode("utf-16", errors="replace").encode("utf-8", errors="replace")
    elif _looks_binary(head):
        return "binary"
    lowered = head[:4096].lower()
    return "html" if any(marker in lowered for marker in HTML_MARKERS) else "text"


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


def main_text(root: Node, block: Node | None, url: str | None, tables: list[list[list[str]]]) -> str:
    """Main text: trafilatura on the CMS content block, else on the whole (repaired) page."""
    unwrap_layout_tables(root)
    paragraphize(root)
    text = ""
    if block is not None:
        text = _trafilatura(standalone(block), url)
        if len(re.sub(r"\s+", "", text)) < BLOCK_MIN_SHARE * text_length(block):
            text = ""
        elif _drops_repeated_lines(text, block_lines(block)):
            # trafilatura drops repeated short paragraphs (`同比增长` under every figure of an
            # infographic); the CMS block is the article, so read it as it stands.
            text = "\n".join(block_lines(block))
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
