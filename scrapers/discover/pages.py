"""A page watched in place (kind "page") as its own item, and the attachment a stub page points at."""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin, urlsplit

from scrapers.discover.items import Item
from scrapers.discover.urls import canonical_url, document_base
from scrapers.extract.htmlmeta import meta_values, page_title, published_date, visible_text
from scrapers.extract.htmltree import Node, attachment_links, parse_html, squash

__all__ = ["attachment_link", "discover_page"]

# Attachments a stub page may point at instead of carrying the report.
STUB_EXTENSIONS: tuple[str, ...] = (".pdf", ".doc", ".docx", ".wps")
# A page whose text, attachment names and labels aside, is at most this long is a stub.
STUB_MAX_CHARS = 150
# Labels around an attachment link on a stub page.
STUB_LABEL_WORDS: tuple[str, ...] = (
    r"附\s*件\s*\d*\s*[:：]?", "点击下载", "下载附件", "附件下载", "查看附件", "相关附件", r"[（(]?\s*PDF\s*[)）]?",
)  # fmt: skip
STUB_LABELS = re.compile("|".join(STUB_LABEL_WORDS), re.IGNORECASE)


def discover_page(html: str, base_url: str) -> list[Item]:
    """A page watched in place (kind="page"): the page itself is the one item, with its title and date."""
    url = canonical_url(base_url)
    root = parse_html(html)
    if root is None:
        return [Item(url, url, None)]
    meta = meta_values(root)
    title = page_title(root, meta)
    published = published_date(root, meta, visible_text(root), title, base_url)
    return [Item(url, title or url, published)]


def _link_texts(root: Node, base: str, url: str) -> list[str]:
    texts: list[str] = []
    for link in root.iter("a"):
        href = (link.get("href") or "").strip()
        if href and urljoin(base, href) == url and (text := squash(link.text_content())):
            texts.append(text)
    return texts


def attachment_link(html: str, base_url: str, text: str) -> str | None:
    """The attachment (PDF/DOC/DOCX/WPS) a stub page merely points at, as an absolute URL; else None."""
    root = parse_html(html)
    if root is None:
        return None
    base = document_base(root, base_url)
    for url in attachment_links(root, base_url):
        names = _link_texts(root, base, url)
        path = urlsplit(url).path.lower()
        if not (path.endswith(STUB_EXTENSIONS) or any(n.lower().endswith(STUB_EXTENSIONS) for n in names)):
            continue
        rest = text
        for name in sorted(names, key=len, reverse=True):
            rest = rest.replace(name, "")
        if sum(ch.isalnum() for ch in STUB_LABELS.sub("", rest)) > STUB_MAX_CHARS:
            return None
        return urldefrag(url).url
    return None
