"""Backfill cursors and the per-host request clock that every process on one database shares."""

from __future__ import annotations

import time
from dataclasses import replace

from sqlalchemy import select, update

from storage import queries
from storage.base import StoreBase
from storage.records import BackfillState
from storage.rows import record_from_row, utcnow
from storage.schema import backfills, host_slots
from storage.text import MAX_ERROR, MAX_FIELD, clean, clean_opt

__all__ = ["BackfillsStore"]


class BackfillsStore(StoreBase):
    """Backfill state per source; request starts per host across processes."""

    def backfill(self, source_name: str) -> BackfillState | None:
        """The source's backfill cursor, None when none was ever started."""
        with self._read() as conn:
            query = select(backfills).where(backfills.c.source_name == clean(source_name, MAX_FIELD))
            row = conn.execute(query).first()
        return None if row is None else record_from_row(BackfillState, row)

    def save_backfill(self, state: BackfillState) -> BackfillState:
        """Write the cursor after a page (insert or replace); returns it with its time."""
        state = replace(
            state,
            source_name=clean(state.source_name, MAX_FIELD),
            stop_reason=clean_opt(state.stop_reason, MAX_ERROR),
            updated_at=utcnow(),
        )
        values = {f: getattr(state, f) for f in BackfillState.__dataclass_fields__}
        with self._write() as conn:
            queries.upsert(conn, backfills, values, key="source_name", update=[k for k in values if k != "source_name"])
        return state

    def claim_host_start(self, host: str, gap: float) -> float:
        """Reserve the next request start at host, ``gap`` seconds after the last one any process reserved;
        returns how many seconds to wait before starting."""
        host = clean(host, MAX_FIELD)
        with self._write() as conn:
            queries.upsert(conn, host_slots, {"host": host, "next_start": 0.0}, key="host")
            # The row is read after the upsert, inside the write transaction: SQLite's write lock and
            # PostgreSQL's row lock (FOR UPDATE) make two processes claim one after the other.
            stmt = select(host_slots.c.next_start).where(host_slots.c.host == host)
            if conn.dialect.name == "postgresql":
                stmt = stmt.with_for_update()
            reserved = float(conn.execute(stmt).scalar_one())
            now = time.time()
            start = max(now, reserved)
            conn.execute(update(host_slots).where(host_slots.c.host == host).values(next_start=start + gap))
        return start - now
