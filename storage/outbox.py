"""The alert outbox in SQL: what to queue, what is due, and the state changes of one alert.

An alert's life: `pending` (queued with its document, or back after a retry or a restart) → `sending` (one
dispatcher took it) → `sent` on Telegram's confirmation, or `dropped` (refused for good). The outbox's
UNIQUE(document_id, chat_id) makes "one alert per document and chat, ever" a property of the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Select, Update, func, or_, select, update

from storage.base import StoreBase
from storage.queries import insert_ignore
from storage.records import OUTBOX_STATUSES, OutboxRow, OutboxStatus
from storage.rows import record_from_row, utcnow
from storage.schema import outbox
from storage.text import MAX_ERROR, clean

OPEN: tuple[OutboxStatus, ...] = ("pending", "sending")  # the states an alert can still leave
# Seconds a dispatcher holds an alert it is sending: well above one send's worst case (Telegram's timeouts), so
# only a dispatcher that died loses its alerts to another, which sends them within a minute.
SENDING_LEASE = 60.0

_OUTBOX_COLUMNS = (
    outbox.c.id,
    outbox.c.document_id,
    outbox.c.chat_id,
    outbox.c.status,
    outbox.c.attempts,
    outbox.c.next_attempt_at,
    outbox.c.last_error,
    outbox.c.created_at,
)


# --- queueing ---------------------------------------------------------------------------------------------------


def queue(conn: Connection, document_id: int, chats: Sequence[int], now: datetime) -> int:
    """One pending alert per chat for a document (never a second for a chat); how many were queued."""
    rows = [
        {"document_id": document_id, "chat_id": chat, "status": "pending", "attempts": 0, "created_at": now}
        for chat in chats
    ]
    return insert_ignore(conn, outbox, rows, keys=("document_id", "chat_id"))


# --- delivery ---------------------------------------------------------------------------------------------------


def select_due(now: datetime, limit: int) -> Select[Any]:
    """Pending alerts whose time has come, oldest first."""
    due = or_(outbox.c.next_attempt_at.is_(None), outbox.c.next_attempt_at <= now)
    return (
        select(*_OUTBOX_COLUMNS)
        .where(outbox.c.status == "pending", due)
        .order_by(outbox.c.created_at, outbox.c.id)
        .limit(limit)
    )


def move(alert_id: int, states: Sequence[OutboxStatus], **values: Any) -> Update:
    """UPDATE one alert, only while it is in one of `states` (a state it may leave that way)."""
    return update(outbox).where(outbox.c.id == alert_id, outbox.c.status.in_(states)).values(**values)


def retry_values(at: datetime, error: str) -> dict[str, Any]:
    """Back to pending for another attempt at `at`."""
    return {
        "status": "pending",
        "attempts": outbox.c.attempts + 1,
        "next_attempt_at": at,
        "last_error": clean(error, MAX_ERROR),
    }


def dropped_values(reason: str) -> dict[str, Any]:
    """Given up for good, with the reason."""
    return {"status": "dropped", "last_error": clean(reason, MAX_ERROR)}


def drop_chat_alerts(chat_id: int, reason: str) -> Update:
    """Every open alert of a chat, dropped."""
    return update(outbox).where(outbox.c.chat_id == chat_id, outbox.c.status.in_(OPEN)).values(**dropped_values(reason))


def message_ids_text(message_ids: Sequence[int]) -> str:
    """Telegram message ids as stored: comma-separated."""
    return ",".join(str(int(i)) for i in message_ids)


def outbox_counts(conn: Connection) -> dict[str, int]:
    """Alerts by status, every status present (0 when none)."""
    counts: dict[str, int] = dict.fromkeys(OUTBOX_STATUSES, 0)
    for status, n in conn.execute(select(outbox.c.status, func.count()).group_by(outbox.c.status)):
        counts[str(status)] = int(n)
    return counts


class OutboxStore(StoreBase):
    """The alert outbox: what is due, and each alert's way to sent or dropped."""

    def due_alerts(self, now: datetime, limit: int = 100) -> list[OutboxRow]:
        """Pending alerts due by `now` (no retry time, or one passed), oldest first."""
        with self._read() as conn:
            return [record_from_row(OutboxRow, row) for row in conn.execute(select_due(now, max(limit, 0)))]

    def mark_sending(self, alert_id: int, lease: float = SENDING_LEASE) -> bool:
        """Take a pending alert for sending, for `lease` seconds at most; False when it was not pending (another
        dispatcher has it)."""
        until = utcnow() + timedelta(seconds=lease)
        with self._write() as conn:
            return conn.execute(move(alert_id, ("pending",), status="sending", lease_until=until)).rowcount == 1

    def mark_sent(self, alert_id: int, message_ids: Sequence[int]) -> None:
        """Telegram confirmed the alert: sent now, with its message ids (whatever state it was in, but sent)."""
        values = {"status": "sent", "sent_at": utcnow(), "message_ids": message_ids_text(message_ids)}
        with self._write() as conn:
            conn.execute(move(alert_id, ("pending", "sending", "dropped"), **values))

    def mark_retry(self, alert_id: int, at: datetime, error: str) -> None:
        """A failed attempt: pending again from `at`, one more attempt counted (an alert sent or dropped stays so)."""
        with self._write() as conn:
            conn.execute(move(alert_id, OPEN, **retry_values(at, error)))

    def mark_dropped(self, alert_id: int, reason: str) -> None:
        """Give an open alert up for good, with the reason."""
        with self._write() as conn:
            conn.execute(move(alert_id, OPEN, **dropped_values(reason)))

    def recover_sending(self, now: datetime | None = None, *, every: bool = False) -> int:
        """Alerts whose dispatcher died while sending (their lease passed) are pending again, to be sent once
        more; alerts a live dispatcher holds are left to it. `every`: the caller is the only process (SQLite at
        start-up), so every alert left sending is recovered at once. How many were recovered."""
        now = now or utcnow()
        expired = or_(outbox.c.lease_until.is_(None), outbox.c.lease_until <= now)
        stmt = update(outbox).where(outbox.c.status == "sending")
        stmt = (stmt if every else stmt.where(expired)).values(status="pending", lease_until=None)
        with self._write() as conn:
            return conn.execute(stmt).rowcount

    def outbox_counts(self) -> dict[str, int]:
        """Alerts by status, every status present."""
        with self._read() as conn:
            return outbox_counts(conn)
