"""The records the store takes and gives back: plain frozen dataclasses, no SQL."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, Literal

from parsers.model import Figure

SourceStatus = Literal["ok", "unchanged", "error", "blocked"]
# What one poll of a source did (a skipped poll, backing off, is not recorded).
PollStatus = Literal["ok", "unchanged", "baseline", "error", "blocked", "skipped"]
SaveStatus = Literal["new", "repost", "duplicate"]
OutboxStatus = Literal["pending", "sending", "sent", "dropped"]

SOURCE_STATUSES: tuple[SourceStatus, ...] = ("ok", "unchanged", "error", "blocked")
POLL_STATUSES: tuple[PollStatus, ...] = ("ok", "unchanged", "baseline", "error", "blocked", "skipped")
OUTBOX_STATUSES: tuple[OutboxStatus, ...] = ("pending", "sending", "sent", "dropped")


class StorageError(Exception):
    """The store cannot be opened or its schema is not one this code knows."""


@dataclass(frozen=True, slots=True)
class SourceState:
    """A watched source with its health: when it was polled, how it went, whether its baseline is done."""

    name: str
    url: str
    kind: str
    region: str | None
    last_poll_at: datetime | None = None
    last_success_at: datetime | None = None
    last_status: SourceStatus | None = None
    consecutive_failures: int = 0
    last_error: str | None = None
    blocked: bool = False
    baseline_done: bool = False
    next_poll_at: datetime | None = None
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class NewDocument:
    """A document read from a source, ready to be saved with its figures."""

    canonical_url: str
    source_name: str
    title: str | None
    published: date | None
    kind: str
    region: str | None
    region_code: str | None
    text: str
    attachment_url: str | None = None
    baseline: bool = False
    fetched_at: datetime | None = None  # None: the time of saving


@dataclass(frozen=True, slots=True)
class SavedDocument:
    """What `save_document` did: a new row, a repost of `duplicate_of`, or nothing (the URL was known)."""

    document_id: int
    status: SaveStatus
    duplicate_of: int | None
    alerts: int = 0  # outbox rows queued with it, one per subscribed chat


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """One alert: a document to send to a chat, with its delivery state."""

    id: int
    document_id: int
    chat_id: int
    status: OutboxStatus
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class PollRun:
    """One poll of one source, for the record and the admins' `/status`."""

    source_name: str
    started_at: datetime
    finished_at: datetime
    status: PollStatus
    items_found: int = 0
    new_documents: int = 0
    figures: int = 0
    error: str | None = None
    duration_ms: int = 0


@dataclass(frozen=True, slots=True)
class StoredFigure(Figure):
    """A stored figure: the figure of the contract, with its row id and the document it came from."""

    id: int
    document_id: int
    document_url: str
    document_title: str | None
    published: date | None
    fetched_at: datetime

    def figure(self) -> Figure:
        """The bare figure of the contract."""
        return Figure(**{f.name: getattr(self, f.name) for f in fields(Figure)})

    def to_dict(self) -> dict[str, Any]:
        """The figure contract's fields plus its document's URL, title and publication date, for JSON."""
        return {
            **self.figure().to_dict(),
            "document_url": self.document_url,
            "document_title": self.document_title,
            "published": self.published.isoformat() if self.published else None,
        }


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A stored document; `figures` counts its stored figures (none for a repost)."""

    id: int
    canonical_url: str
    source_name: str
    title: str | None
    published: date | None
    fetched_at: datetime
    kind: str
    region: str | None
    region_code: str | None
    text: str
    content_hash: str | None
    attachment_url: str | None
    baseline: bool
    duplicate_of: int | None
    figures: int

    def to_dict(self) -> dict[str, Any]:
        """The contract's document fields plus where and when it was read, for JSON."""
        return {
            "id": self.id,
            "url": self.canonical_url,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "region": self.region,
            "region_code": self.region_code,
            "kind": self.kind,
            "text": self.text,
            "source_name": self.source_name,
            "fetched_at": self.fetched_at.isoformat(),
            "attachment_url": self.attachment_url,
            "baseline": self.baseline,
            "duplicate_of": self.duplicate_of,
            "figures": self.figures,
        }


BackfillStatus = Literal["running", "done", "failed"]


@dataclass(frozen=True, slots=True)
class BackfillState:
    """Where a source's backfill stands: the next list page to read and what the walk has stored so far."""

    source_name: str
    start_url: str
    next_url: str | None
    page: int = 0
    documents: int = 0
    figures: int = 0
    status: BackfillStatus = "running"
    stop_reason: str | None = None
    updated_at: datetime | None = None
