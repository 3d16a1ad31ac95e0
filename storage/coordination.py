"""Several processes on one database: who polls a source now, and which process is the leader.

A poll is claimed in `poll_claims` by one atomic UPDATE (a row lock on PostgreSQL, the write lock on SQLite): it
succeeds only when the source is due and no live claim holds it, so N processes poll each source once per
interval, and a claim whose process died expires at its lease. The leader (the one process that reads Telegram's
updates) holds a PostgreSQL session advisory lock on a connection of its own: when the process dies, its
connection closes and the lock passes to another process. SQLite is for one process, which leads.
"""

from __future__ import annotations

import os
import secrets
import socket
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, or_, select, update

from storage import queries
from storage.base import StoreBase
from storage.rows import utcnow
from storage.schema import poll_claims
from storage.text import MAX_FIELD, clean

__all__ = ["CoordinationStore", "LeaderLock", "process_id"]

# The Telegram leader's advisory lock: this class, and the schema's name hashed (two deployments sharing one
# database in different schemas each have their leader).
PG_LEADER_CLASS = 0x676F7702  # "gow" + 2, an int4
EPOCH = datetime(1970, 1, 1)


def _schema_key() -> Any:
    return func.hashtext(func.current_schema())


def process_id() -> str:
    """This process's name in claims: host, pid and a random tag (a pid is reused after a restart)."""
    return clean(f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}", MAX_FIELD)


class CoordinationStore(StoreBase):
    """Poll claims shared by every process on the database."""

    def claim_poll(self, source_name: str, owner: str, every: float, lease: float, *, force: bool = False) -> bool:
        """Take the source's next poll: True when it is due (or `force`) and no live claim holds it. The claim
        holds for `lease` seconds or until released; the source is not due again for `every` seconds."""
        name = clean(source_name, MAX_FIELD)
        now = utcnow()
        with self._write() as conn:
            queries.upsert(conn, poll_claims, {"source_name": name, "due_at": EPOCH}, key="source_name")
            free = or_(poll_claims.c.lease_until.is_(None), poll_claims.c.lease_until <= now)
            due = poll_claims.c.due_at <= now
            claim = (
                update(poll_claims)
                .where(poll_claims.c.source_name == name, free if force else free & due)
                .values(owner=owner, lease_until=now + timedelta(seconds=lease), due_at=now + timedelta(seconds=every))
            )
            return conn.execute(claim).rowcount == 1

    def renew_poll(self, source_name: str, owner: str, lease: float) -> bool:
        """Extend a claim this owner holds for `lease` more seconds (a long poll's heartbeat); False when lost."""
        until = utcnow() + timedelta(seconds=lease)
        with self._write() as conn:
            renewed = conn.execute(
                update(poll_claims)
                .where(poll_claims.c.source_name == clean(source_name, MAX_FIELD), poll_claims.c.owner == owner)
                .values(lease_until=until)
            )
            return renewed.rowcount == 1

    def release_poll(self, source_name: str, owner: str) -> None:
        """The poll is over: the claim is released (the source stays not due until its time)."""
        name = clean(source_name, MAX_FIELD)
        with self._write() as conn:
            conn.execute(
                update(poll_claims)
                .where(poll_claims.c.source_name == name, poll_claims.c.owner == owner)
                .values(owner=None, lease_until=None)
            )

    def poll_claim(self, source_name: str) -> tuple[str | None, datetime | None, datetime] | None:
        """(owner, lease_until, due_at) of a source's claim row, None before its first poll."""
        with self._read() as conn:
            row = conn.execute(
                select(poll_claims.c.owner, poll_claims.c.lease_until, poll_claims.c.due_at).where(
                    poll_claims.c.source_name == clean(source_name, MAX_FIELD)
                )
            ).first()
        return None if row is None else (row[0], row[1], row[2])

    def leader_lock(self) -> LeaderLock:
        """The lock whose holder reads Telegram's updates (see LeaderLock)."""
        return LeaderLock(self)


class LeaderLock:
    """Leadership among the processes on one database: a session advisory lock on PostgreSQL, held on a
    connection of its own; on SQLite the one process leads."""

    def __init__(self, store: StoreBase) -> None:
        self._store = store
        self._conn: Connection | None = None
        self._taken = False  # SQLite: this process took the lead

    @property
    def held(self) -> bool:
        """Whether this process leads (as of the last `try_acquire` or `still_held`)."""
        return self._conn is not None or (self._sqlite and self._taken)

    @property
    def _sqlite(self) -> bool:
        return self._store.engine.dialect.name != "postgresql"

    def try_acquire(self) -> bool:
        """Take the lead if no live process has it; True when this process leads."""
        if self._sqlite:
            self._taken = True
            return True
        if self._conn is not None:
            return self.still_held()
        conn = self._store.engine.connect()
        try:
            got = bool(conn.execute(select(func.pg_try_advisory_lock(PG_LEADER_CLASS, _schema_key()))).scalar())
            conn.commit()
        except Exception:
            conn.close()
            raise
        if not got:
            conn.close()
            return False
        self._conn = conn
        return True

    def still_held(self) -> bool:
        """Whether the lead is still ours: False once its connection is gone (the database restarted, the
        backend was terminated), and the lock with it."""
        if self._sqlite:
            return self._taken
        if self._conn is None:
            return False
        try:
            self._conn.execute(select(1))
            self._conn.commit()
            return True
        except Exception:
            self._drop()
            return False

    def release(self) -> None:
        """Give the lead up (at shutdown)."""
        self._taken = False
        if self._conn is not None:
            try:
                self._conn.execute(select(func.pg_advisory_unlock(PG_LEADER_CLASS, _schema_key())))
                self._conn.commit()
            except Exception:  # the connection is gone: so is the lock
                pass
            self._drop()

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.invalidate()  # never back to the pool: a pooled connection would keep the lock
                conn.close()
            except Exception:
                pass
