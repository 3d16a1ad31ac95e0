"""One entry point from fetched bytes to an extracted document, whatever the bytes are.

The bytes decide what they are (never a file name). The heavy readers (trafilatura for HTML, pdfminer for PDF)
are imported only when a document of their kind arrives, so that reading a text file starts at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from parsers.dates import date_from_url
from scrapers.errors import ScrapeError
from scrapers.extract.decode import decode_bytes

__all__ = ["MAX_TEXT_BYTES", "ExtractedDocument", "Kind", "ScrapeError", "extract_document", "sniff_kind"]

Kind = Literal["html", "pdf", "text", "docx", "binary", "empty"]


# Sniffing looks at this many leading bytes.
SNIFF_BYTES = 8192
# In the sniffed prefix, a share of control bytes above this (or any NUL) means binary.
MAX_CONTROL_SHARE = 0.05
# Tags that make a text HTML when they open its first few KB.
HTML_MARKERS: tuple[bytes, ...] = (
    b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title", b"<div", b"<p>", b"<table",
)  # fmt: skip
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\x0c\x1b")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


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


# Plain text beyond this is cut before decoding (≈1.3 M Chinese characters, a 2,000-page book):
# no report is longer, and a runaway response must not cost seconds or gigabytes.
MAX_TEXT_BYTES = 4 * 1024 * 1024
# HTML bytes beyond this are cut before decoding: gov pages are well under 1 MB, and the extractor's
# time grows with the tree.
MAX_HTML_BYTES = 5_000_000

# A cut looks this far back for a line end to cut after.
CUT_SEARCH_BYTES = 65536

UNREADABLE: dict[str, str] = {
    "empty": "empty document: no content",
    "binary": "unsupported binary content: not HTML, PDF, DOCX or text",
}


@dataclass(frozen=True)
class ExtractedDocument:
    """A document's title, publication date, text, tables, attachments, sniffed kind and encoding."""

    title: str | None
    published: dt.date | None
    text: str
    kind: Kind
    encoding: str | None = None
    tables: list[list[list[str]]] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)


def _cap(data: bytes, limit: int) -> bytes:
    """The first `limit` bytes, cut after a line end where one is near: no character split in two."""
    if len(data) <= limit:
        return data
    cut = data.rfind(b"\n", max(limit - CUT_SEARCH_BYTES, 0), limit)
    return data[: cut + 1] if cut >= 0 else data[:limit]


def _kind(data: bytes, content_type: str | None) -> Kind:
    """The bytes decide; a Content-Type only tells markup-less HTML from plain text."""
    kind = sniff_kind(data)
    if kind == "text" and content_type and "html" in content_type.lower():
        return "html"
    return kind


def _html(data: bytes, url: str | None, http_charset: str | None) -> ExtractedDocument:
    from scrapers.extract.htmlpage import extract_html  # trafilatura: only for HTML

    decoded = decode_bytes(_cap(data, MAX_HTML_BYTES), http_charset)
    page = extract_html(decoded.text, url)
    return ExtractedDocument(
        title=page.title,
        published=page.published,
        text=page.text,
        kind="html",
        encoding=decoded.encoding,
        tables=page.tables,
        attachments=page.attachments,
    )


def _text(data: bytes, url: str | None, http_charset: str | None) -> ExtractedDocument:
    decoded = decode_bytes(_cap(data, MAX_TEXT_BYTES), http_charset)
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return ExtractedDocument(
        title=None, published=date_from_url(url), text=text, kind="text", encoding=decoded.encoding
    )


def _pdf(data: bytes, url: str | None) -> ExtractedDocument | ScrapeError:
    from scrapers.extract.pdf import pdf_to_text  # pdfminer: only for PDF

    text = pdf_to_text(data)
    if isinstance(text, ScrapeError):
        return text
    return ExtractedDocument(title=None, published=date_from_url(url), text=text, kind="pdf")


def _docx(data: bytes, url: str | None) -> ExtractedDocument | ScrapeError:
    from scrapers.extract.docx import docx_to_text

    content = docx_to_text(data)
    if isinstance(content, ScrapeError):
        return content
    return ExtractedDocument(
        title=content.title, published=date_from_url(url), text=content.text, kind="docx", tables=content.tables
    )


def extract_document(
    data: bytes, url: str | None = None, content_type: str | None = None, http_charset: str | None = None
) -> ExtractedDocument | ScrapeError:
    """Extract HTML, PDF, DOCX or plain text from bytes; empty or binary input is a ScrapeError."""
    kind = _kind(data, content_type)
    if kind in UNREADABLE:
        return ScrapeError(UNREADABLE[kind])
    if kind == "html":
        return _html(data, url, http_charset)
    if kind == "pdf":
        return _pdf(data, url)
    if kind == "docx":
        return _docx(data, url)
    return _text(data, url, http_charset)
