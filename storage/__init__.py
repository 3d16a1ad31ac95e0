"""Persistence (SQLAlchemy Core): SQLite by default, PostgreSQL for larger deployments.

The names below are loaded on first use, so that importing a light module of this package (`storage.records`)
does not import SQLAlchemy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    if name == "Store":
        return importlib.import_module("storage.store").Store
    if name in __all__:
        return getattr(importlib.import_module("storage.records"), name)
    raise AttributeError(f"module 'storage' has no attribute {name!r}")
