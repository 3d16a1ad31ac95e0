"""Counts for the admins' `/status`: what is stored, who is subscribed, how the outbox stands."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, distinct, func, select

from storage.outbox import outbox_counts
from storage.schema import documents, figures, sources, subscriptions


def _count(conn: Connection, what: Any) -> int:
    """One COUNT(...) of a table, or of a column expression."""
    return int(conn.scalar(select(func.count(what))) or 0)


def status_counts(conn: Connection) -> dict[str, int]:
    """documents (reposts among them), figures, sources, subscriptions, subscribed chats, outbox_<status>."""
    counts = {
        "documents": _count(conn, documents.c.id),
        "reposts": _count(conn, documents.c.duplicate_of),
        "figures": _count(conn, figures.c.id),
        "sources": _count(conn, sources.c.id),
        "subscriptions": _count(conn, subscriptions.c.id),
        "chats": _count(conn, distinct(subscriptions.c.chat_id)),
    }
    return counts | {f"outbox_{status}": n for status, n in outbox_counts(conn).items()}
