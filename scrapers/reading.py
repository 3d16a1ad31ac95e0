"""One fetched page read as a document: extracted, and a stub page followed to the attachment it points at.

Shared by the monitor (polls and backfills) and `govwatch try`, so that a preview reads exactly what a poll
would store.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace

from scrapers.discover.pages import attachment_link
from scrapers.errors import ScrapeError
from scrapers.extract.content import ExtractedDocument, extract_document
from scrapers.extract.decode import decode_bytes
from scrapers.http.fetch import Fetcher, FetchResult

__all__ = ["ReadDocument", "read_document"]


@dataclass(frozen=True, slots=True)
class ReadDocument:
    """A page's document: the extracted text (the attachment's, for a stub), where it came from, what went wrong."""

    extracted: ExtractedDocument
    attachment_url: str | None = None
    warning: str | None = None  # an attachment that could not be read (the stub's own text is used)


async def read_document(fetcher: Fetcher, page: FetchResult) -> ReadDocument | ScrapeError:
    """Extract a fetched page; a stub page pointing at its report (PDF, DOCX …) is followed to it."""
    # Extraction is CPU work of up to seconds on a big page: in a worker thread, the event loop (other sources'
    # polls, the bot) goes on meanwhile.
    extracted = await asyncio.to_thread(
        extract_document, page.content, page.final_url, page.content_type, page.charset
    )
    if isinstance(extracted, ScrapeError) or extracted.kind != "html":
        return extracted if isinstance(extracted, ScrapeError) else ReadDocument(extracted)
    html = decode_bytes(page.content, page.charset).text
    target = attachment_link(html, page.final_url, extracted.text)
    if target is None:
        return ReadDocument(extracted)
    attached = await fetcher.fetch(target, conditional=False)
    if attached.status != "ok":
        return ReadDocument(extracted, warning=f"attachment {target}: {attached.error or attached.status}")
    inner = await asyncio.to_thread(
        extract_document, attached.content, attached.final_url, attached.content_type, attached.charset
    )
    if isinstance(inner, ScrapeError):
        return ReadDocument(extracted, warning=f"attachment {target}: {inner.message}")
    # The stub page knows the title and date; the attachment holds the report.
    merged = replace(inner, title=extracted.title or inner.title, published=extracted.published or inner.published)
    return ReadDocument(merged, target)
