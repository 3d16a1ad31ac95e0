"""Subscriptions: who follows a region (or everything), which chats a set of regions reaches, chats that go or move."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, delete, select, update

from storage.base import StoreBase
from storage.outbox import OPEN, drop_chat_alerts, dropped_values
from storage.queries import insert_ignore
from storage.rows import utcnow
from storage.schema import EVERYTHING, outbox
from storage.schema import subscriptions as subscription_table

__all__ = ["SubscriptionsStore", "chats_following", "region_key", "region_of"]

_REGION_CODE = re.compile(r"[0-9]{6}")


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


def _insert(conn: Connection, chat_id: int, key: str, now: datetime) -> bool:
    """Add one subscription; False when the chat had it already."""
    row = {"chat_id": chat_id, "region_code": key, "created_at": now}
    return insert_ignore(conn, subscription_table, [row], keys=("chat_id", "region_code")) == 1


def chats_following(conn: Connection, regions: Iterable[str | None]) -> list[int]:
    """The chats following any of `regions` (None: the everything subscription), ascending.

    What is neither None nor a 6-digit code follows nothing.
    """
    keys = sorted({EVERYTHING if r is None else r for r in regions if r is None or _REGION_CODE.fullmatch(r)})
    if not keys:
        return []
    stmt = (
        select(subscription_table.c.chat_id)
        .where(subscription_table.c.region_code.in_(keys))
        .distinct()
        .order_by(subscription_table.c.chat_id)
    )
    return [int(chat) for chat in conn.scalars(stmt)]


class SubscriptionsStore(StoreBase):
    """Which chats follow which regions; chats that leave or move."""

    def subscribe(self, chat_id: int, region_code: str | None) -> bool:
        """Follow a region (a 6-digit code) or, with None, everything; False when the chat did already.

        Raises ValueError for a region code that is not 6 digits.
        """
        key = region_key(region_code)
        with self._write() as conn:
            return _insert(conn, chat_id, key, utcnow())

    def unsubscribe(self, chat_id: int, region_code: str | None) -> bool:
        """Stop following a region (None: everything); False when the chat did not follow it."""
        key = region_key(region_code)
        table = subscription_table
        with self._write() as conn:
            gone = conn.execute(delete(table).where(table.c.chat_id == chat_id, table.c.region_code == key))
        return gone.rowcount > 0

    def subscriptions(self, chat_id: int) -> list[str | None]:
        """A chat's subscriptions: region codes in order, None (everything) first."""
        table = subscription_table
        with self._read() as conn:
            keys = conn.scalars(select(table.c.region_code).where(table.c.chat_id == chat_id)).all()
        regions = [region_of(key) for key in keys]
        return sorted(regions, key=lambda code: (code is not None, code or ""))

    def subscribers(self, regions: Iterable[str | None]) -> list[int]:
        """The chats following any of `regions` (None: those following everything), ascending."""
        with self._read() as conn:
            return chats_following(conn, regions)

    def drop_chat(self, chat_id: int, reason: str) -> int:
        """A chat that refuses the bot for good: its subscriptions deleted, its open alerts dropped (how many)."""
        with self._write() as conn:
            conn.execute(delete(subscription_table).where(subscription_table.c.chat_id == chat_id))
            return conn.execute(drop_chat_alerts(chat_id, reason)).rowcount

    def migrate_chat(self, old_chat_id: int, new_chat_id: int) -> int:
        """A group that became a supergroup: its subscriptions and open alerts move to the new id (how many alerts).

        The moved alerts are pending again, due at once: the new chat gets them. Where the new chat already had
        a subscription or an alert for the same document, the old alert is dropped, so nothing arrives twice.
        """
        table = subscription_table
        with self._write() as conn:
            keys = conn.scalars(select(table.c.region_code).where(table.c.chat_id == old_chat_id)).all()
            for key in keys:
                _insert(conn, new_chat_id, key, utcnow())
            conn.execute(delete(table).where(table.c.chat_id == old_chat_id))
            taken = select(outbox.c.document_id).where(outbox.c.chat_id == new_chat_id).scalar_subquery()
            clash = (outbox.c.chat_id == old_chat_id) & outbox.c.document_id.in_(taken)
            note = dropped_values(f"chat moved to {new_chat_id}, which has this alert already")
            conn.execute(update(outbox).where(clash, outbox.c.status.in_(OPEN)).values(**note))
            moved = conn.execute(
                update(outbox)
                .where(outbox.c.chat_id == old_chat_id, outbox.c.status.in_(OPEN), outbox.c.document_id.not_in(taken))
                .values(chat_id=new_chat_id, status="pending", next_attempt_at=None)
            )
            return moved.rowcount
