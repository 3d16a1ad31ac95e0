"""Atom 1.0 feeds of stored documents: newest first, each entry with its link, a stable id, its times and a summary
of its key figures. Built with ElementTree, so every scraped string is escaped as XML text."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, time
from xml.etree import ElementTree

from bot.chat.format import BASIS_CN, KIND_CN, cap, fmt_figure, fmt_period
from parsers.dates import CHINA_TZ
from parsers.indicators import display_rank, indicator_name
from storage.records import StoredDocument, StoredFigure

__all__ = ["FEED_ENTRIES", "atom_feed", "feed_etag"]

ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 50
SUMMARY_FIGURES = 8
TITLE_LIMIT = 300
_XML_UNSAFE = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))  # control characters XML forbids


def _clean(text: str | None, limit: int = TITLE_LIMIT) -> str:
    return cap(" ".join((text or "").translate(_XML_UNSAFE).split()), limit)


def _stamp(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _published(doc: StoredDocument) -> str:
    """A document's publication day as an Atom date (midnight in China), or the time it was read."""
    if doc.published is None:
        return _stamp(doc.fetched_at)
    return _stamp(datetime.combine(doc.published, time(), tzinfo=CHINA_TZ))


def _summary(doc: StoredDocument, figures: Sequence[StoredFigure]) -> str:
    lines = [f"{doc.region or '地区不详'} · {KIND_CN.get(doc.kind, doc.kind)}"]
    for fig in sorted(figures, key=lambda f: display_rank(f.indicator))[:SUMMARY_FIGURES]:
        figure = fmt_figure(fig.value, fig.unit, fig.yoy, fig.qualifier, fig.basis)
        basis = BASIS_CN.get(fig.basis, fig.basis)
        lines.append(f"{indicator_name(fig.indicator)} {fmt_period(fig.period)}（{basis}）：{figure}")
    if len(figures) > SUMMARY_FIGURES:
        lines.append(f"……共{len(figures)}项数据")
    return "\n".join(_clean(line) for line in lines)


def feed_etag(docs: Sequence[StoredDocument], feed_id: str) -> str:
    """A strong ETag over what the feed shows (its id, each entry's id, reading time and figure count)."""
    digest = hashlib.sha256(feed_id.encode())
    for doc in docs:
        digest.update(f"|{doc.id}:{doc.fetched_at.isoformat()}:{doc.figures}".encode())
    return f'"{digest.hexdigest()[:32]}"'


def atom_feed(
    title: str,
    feed_id: str,
    self_url: str,
    docs: Sequence[StoredDocument],
    figures: Mapping[int, Sequence[StoredFigure]],
    now: datetime,
) -> bytes:
    """The Atom document (UTF-8 bytes) for `docs`, newest first as given."""
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")
    ElementTree.SubElement(feed, f"{{{ATOM}}}id").text = feed_id
    ElementTree.SubElement(feed, f"{{{ATOM}}}title").text = _clean(title)
    updated = max((d.fetched_at for d in docs), default=now)
    ElementTree.SubElement(feed, f"{{{ATOM}}}updated").text = _stamp(updated)
    ElementTree.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url, type="application/atom+xml")
    author = ElementTree.SubElement(feed, f"{{{ATOM}}}author")
    ElementTree.SubElement(author, f"{{{ATOM}}}name").text = "govwatch"
    ElementTree.SubElement(feed, f"{{{ATOM}}}generator").text = "govwatch"
    for doc in docs:
        entry = ElementTree.SubElement(feed, f"{{{ATOM}}}entry")
        ElementTree.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:govwatch:document:{doc.id}"
        ElementTree.SubElement(entry, f"{{{ATOM}}}title").text = _clean(doc.title) or "（无标题）"
        link = doc.canonical_url if doc.canonical_url.startswith(("http://", "https://")) else ""
        if link:
            ElementTree.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=link)
        ElementTree.SubElement(entry, f"{{{ATOM}}}published").text = _published(doc)
        ElementTree.SubElement(entry, f"{{{ATOM}}}updated").text = _stamp(doc.fetched_at)
        ElementTree.SubElement(entry, f"{{{ATOM}}}summary", type="text").text = _summary(doc, figures.get(doc.id, ()))
    body = bytes(ElementTree.tostring(feed, encoding="utf-8", xml_declaration=False))
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body
