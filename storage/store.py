"""The store: sources' state, conditional-GET validators, documents with their figures, poll runs, queries,
subscriptions and the alert outbox — one class made of one part per family of tables.

Synchronous and safe to call from several threads (`asyncio.to_thread`): each call checks out its own
connection and runs in its own transaction.
"""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from storage.backfills import BackfillsStore
from storage.coordination import CoordinationStore
from storage.documents import DocumentsStore
from storage.engine import is_memory, make_engine, parse_url, safe_url
from storage.exports import ExportsStore
from storage.migrations import migrate
from storage.outbox import OutboxStore
from storage.records import (
    NewDocument,
    OutboxRow,
    PollRun,
    SavedDocument,
    SourceState,
    StorageError,
    StoredDocument,
    StoredFigure,
)
from storage.sources import SourcesStore
from storage.subscriptions import SubscriptionsStore

__all__ = [
    "NewDocument",
    "OutboxRow",
    "PollRun",
    "SavedDocument",
    "SourceState",
    "StorageError",
    "Store",
    "StoredDocument",
    "StoredFigure",
]


class Store(
    SourcesStore, DocumentsStore, SubscriptionsStore, OutboxStore, BackfillsStore, CoordinationStore, ExportsStore
):
    """Persistence for govwatch on SQLite or PostgreSQL (SQLAlchemy Core)."""

    @classmethod
    def open(cls, url: str) -> Store:
        """Connect to `url` (sqlite:///PATH or postgresql+psycopg://…) and bring its schema up to date."""
        parsed = parse_url(url)
        try:
            engine = make_engine(parsed)
        except OSError as exc:  # the SQLite file's directory cannot be created
            raise StorageError(f"cannot open storage at {safe_url(parsed)}: {exc}") from exc
        store = cls(engine, serialise=parsed.get_backend_name() == "sqlite" and is_memory(parsed))
        try:
            with store._write() as conn:
                migrate(conn)
        except SQLAlchemyError as exc:
            engine.dispose()
            raise StorageError(f"cannot open storage at {safe_url(parsed)}: {_first_line(exc)}") from exc
        except StorageError:
            engine.dispose()
            raise
        return store


def _first_line(exc: SQLAlchemyError) -> str:
    """The driver's own message, first line only (SQLAlchemy adds the statement and a link)."""
    cause = getattr(exc, "orig", None) or exc
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__
