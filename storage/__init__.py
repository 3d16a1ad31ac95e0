"""Persistence (SQLAlchemy Core): SQLite by default, PostgreSQL for larger deployments."""

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
from storage.store import Store

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
