"""Subscriptions and the alert outbox in SQL: who follows a region, what to queue, what is due, state changes.

An alert's life: `pending` (queued with its document, or back after a retry or a restart) → `sending` (one
dispatcher took it) → `sent` on Telegram's confirmation, or `dropped` (refused for good). The outbox's
UNIQUE(document_id, chat_id) makes "one alert per document and chat, ever" a property of the database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Select, Update, func, or_, select, update
from sqlalchemy.engine import Row

from parsers.regions import Gazetteer
from storage.queries import insert_ignore
from storage.records import OUTBOX_STATUSES, OutboxRow, OutboxStatus
from storage.schema import EVERYTHING, outbox, subscriptions
from storage.text import MAX_ERROR, clean

# Kinds that alert even without a key figure: the reports govwatch exists to notice.
REPORT_KINDS = frozenset({"work_report", "plan_report", "bulletin", "indicator_table"})
OPEN: tuple[OutboxStatus, ...] = ("pending", "sending")  # the states an alert can still leave
_REGION_CODE = re.compile(r"[0-9]{6}")

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


# --- subscriptions ----------------------------------------------------------------------------------------------


def region_key(region_code: str | None) -> str:
    """A subscription's stored region: the code, or EVERYTHING for None. ValueError for what is not a code."""
    if region_code is None:
        return EVERYTHING
    if not _REGION_CODE.fullmatch(region_code):
        raise ValueError(f"not a 6-digit region code: {region_code!r}")
    return region_code


def region_of(key: str) -> str | None:
    """A stored subscription region as the API gives it: None for everything."""
    return None if key == EVERYTHING else key


def reaching(region_code: str | None) -> list[str]:
    """The subscriptions a document of `region_code` reaches: its region, every region containing it, everything."""
    if region_code is None or not _REGION_CODE.fullmatch(region_code):
        return [EVERYTHING]
    gazetteer = Gazetteer.default()
    region = gazetteer.by_code(region_code)
    ancestors = () if region is None else gazetteer.ancestors(region)
    return [region_code, *(a.code for a in ancestors), EVERYTHING]


def subscribe(conn: Connection, chat_id: int, key: str, now: datetime) -> bool:
    """Add one subscription; False when the chat had it already."""
    row = {"chat_id": chat_id, "region_code": key, "created_at": now}
    return insert_ignore(conn, subscriptions, [row], keys=("chat_id", "region_code")) == 1


def subscribers(conn: Connection, region_code: str | None) -> list[int]:
    """The chats a document of `region_code` alerts, ascending."""
    stmt = (
        select(subscriptions.c.chat_id)
        .where(subscriptions.c.region_code.in_(reaching(region_code)))
        .distinct()
        .order_by(subscriptions.c.chat_id)
    )
    return [int(chat) for chat in conn.scalars(stmt)]


# --- queueing ---------------------------------------------------------------------------------------------------


def worth_alerting(baseline: bool, kind: str, figure_count: int) -> bool:
    """Whether a new (not reposted) document alerts: never a baseline; a key figure or a report by its kind."""
    return not baseline and (figure_count > 0 or kind in REPORT_KINDS)


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


def to_outbox(row: Row[Any]) -> OutboxRow:
    """An outbox row as an OutboxRow."""
    m = row._mapping
    return OutboxRow(
        id=int(m["id"]),
        document_id=int(m["document_id"]),
        chat_id=int(m["chat_id"]),
        status=cast(OutboxStatus, m["status"]),  # written only from OutboxStatus values
        attempts=int(m["attempts"]),
        next_attempt_at=m["next_attempt_at"],
        last_error=m["last_error"],
        created_at=m["created_at"],
    )
