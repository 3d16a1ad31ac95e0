"""One entry point from fetched bytes to an extracted document, whatever the bytes are."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from scrapers.decode import decode_bytes
from scrapers.docx import DocxContent, docx_to_text
from scrapers.errors import ExtractError
from scrapers.extract import MAX_HTML_CHARS, Kind, extract_html, sniff_kind
from scrapers.htmlmeta import date_from_url
from scrapers.pdf import pdf_to_text

__all__ = ["MAX_TEXT_BYTES", "ExtractError", "ExtractedDocument", "extract_document"]

# Plain text beyond this is cut before decoding (≈1.3 M Chinese characters, a 2,000-page book):
# no report is longer, and a runaway response must not cost seconds or gigabytes.
MAX_TEXT_BYTES = 4 * 1024 * 1024
# HTML bytes beyond this are cut before decoding (see MAX_HTML_CHARS).
MAX_HTML_BYTES = MAX_HTML_CHARS

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


def _docx(content: DocxContent, url: str | None) -> ExtractedDocument:
    return ExtractedDocument(
        title=content.title,
        published=date_from_url(url),
        text=content.text,
        kind="docx",
        tables=content.tables,
    )


def extract_document(
    data: bytes, url: str | None = None, content_type: str | None = None, http_charset: str | None = None
) -> ExtractedDocument | ExtractError:
    """Extract HTML, PDF, DOCX or plain text from bytes; empty or binary input is an ExtractError."""
    kind = _kind(data, content_type)
    if kind in UNREADABLE:
        return ExtractError(UNREADABLE[kind])
    if kind == "html":
        return _html(data, url, http_charset)
    if kind == "pdf":
        text = pdf_to_text(data)
        if isinstance(text, ExtractError):
            return text
        return ExtractedDocument(title=None, published=date_from_url(url), text=text, kind="pdf")
    if kind == "docx":
        content = docx_to_text(data)
        return content if isinstance(content, ExtractError) else _docx(content, url)
    return _text(data, url, http_charset)
