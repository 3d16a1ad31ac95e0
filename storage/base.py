"""The store's foundation: one engine, and connections for reading or writing, each in its own transaction."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from sqlalchemy import Connection, Engine

from storage.engine import WRITE


class StoreBase:
    """An engine whose schema is migrated; every call checks out its own connection and transaction."""

    def __init__(self, engine: Engine, *, serialise: bool = False) -> None:
        """Wrap an engine whose schema is migrated already; `Store.open` is the usual way in."""
        self._engine = engine
        # An in-memory SQLite database is one shared connection: calls must take turns on it.
        self._lock: AbstractContextManager[Any] = threading.RLock() if serialise else nullcontext()

    def close(self) -> None:
        """Release every pooled connection."""
        self._engine.dispose()

    @property
    def shared(self) -> bool:
        """Whether several processes may use this database at once (PostgreSQL); SQLite is for one `run`."""
        return self._engine.dialect.name == "postgresql"

    @property
    def engine(self) -> Engine:
        """The underlying engine (for tests and for migrations added by other packages)."""
        return self._engine

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """A connection whose transaction is rolled back at the end."""
        with self._lock, self._engine.connect() as conn:
            yield conn

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A connection in a write transaction, committed at the end unless an exception escapes."""
        with self._lock, self._engine.connect() as conn:
            conn.execution_options(**{WRITE: True})
            with conn.begin():
                yield conn
