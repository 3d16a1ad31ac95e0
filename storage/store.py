"""The store: sources' state, conditional-GET validators, documents with their figures, poll runs, queries,
subscriptions and the alert outbox.

Synchronous and safe to call from several threads (`asyncio.to_thread`): each call checks out its own
connection and runs in its own transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from parsers.model import Figure
from storage import alerts, queries, search
from storage.engine import WRITE, is_memory, make_engine, parse_url, safe_url
from storage.migrations import migrate
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
from storage.rows import clean_url, document_row, figure_rows, poll_values, source_values, utcnow
from storage.schema import documents, figures, http_cache, outbox, poll_runs, sources, subscriptions
from storage.stats import status_counts
from storage.text import MAX_FIELD, MAX_VALIDATOR, clean, clean_opt, url_fits

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

# Serialises document saves across processes on PostgreSQL, so two copies of one report saved at the same
# moment cannot both be "new" (SQLite gets the same from BEGIN IMMEDIATE).
PG_DOCUMENT_LOCK = 0x676F7677_02
URL_BATCH = 500  # bound parameters per IN (...): well under SQLite's and PostgreSQL's limits


class Store:
    """Persistence for govwatch on SQLite or PostgreSQL (SQLAlchemy Core)."""

    def __init__(self, engine: Engine, *, serialise: bool = False) -> None:
        """Wrap an engine whose schema is migrated already; `Store.open` is the usual way in."""
        self._engine = engine
        # An in-memory SQLite database is one shared connection: calls must take turns on it.
        self._lock: AbstractContextManager[Any] = threading.RLock() if serialise else nullcontext()

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
            raise StorageError(f"cannot open storage at {safe_url(parsed)}: {exc}") from exc
        except StorageError:
            engine.dispose()
            raise
        return store

    def close(self) -> None:
        """Release every pooled connection."""
        self._engine.dispose()

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

    # --- sources --------------------------------------------------------------------------------------------

    def get_source(self, name: str) -> SourceState | None:
        """The state of one source, None if it was never registered."""
        with self._read() as conn:
            row = conn.execute(queries.select_source(clean(name, MAX_FIELD))).first()
        return None if row is None else queries.to_source(row)

    def upsert_source(self, name: str, url: str, kind: str, region: str | None) -> SourceState:
        """Register a source from the configuration, or update its URL, kind and region; its state is kept.

        A new URL is a new page: its health and its baseline start over (what it lists now must not alert).
        """
        name = clean(name, MAX_FIELD)
        config = {"url": clean_url(url), "kind": clean(kind, MAX_FIELD), "region": clean_opt(region, MAX_FIELD)}
        with self._write() as conn:
            queries.upsert(conn, sources, {"name": name, **config, "created_at": utcnow()}, key="name")
            row = conn.execute(queries.select_source(name)).one()
            changes: dict[str, Any] = {k: v for k, v in config.items() if row._mapping[k] != v}
            if "url" in changes:
                changes |= {"baseline_done": False, "blocked": False, "consecutive_failures": 0}
                changes |= {"last_error": None, "next_poll_at": None}
            if changes:
                conn.execute(update(sources).where(sources.c.name == name).values(**changes))
                row = conn.execute(queries.select_source(name)).one()
        return queries.to_source(row)

    def save_source(self, state: SourceState) -> None:
        """Write a source's whole state (inserting it if it is not there)."""
        values = source_values(state)
        updated = [c for c in values if c not in ("name", "created_at")]
        with self._write() as conn:
            queries.upsert(conn, sources, values, key="name", update=updated)

    def sources(self) -> list[SourceState]:
        """Every registered source, by name."""
        with self._read() as conn:
            return [queries.to_source(row) for row in conn.execute(queries.select_source())]

    # --- conditional GET ------------------------------------------------------------------------------------

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """The (ETag, Last-Modified) last seen for `url`; (None, None) when there are none."""
        with self._read() as conn:
            row = conn.execute(
                select(http_cache.c.etag, http_cache.c.last_modified).where(http_cache.c.url == clean_url(url))
            ).first()
        return (None, None) if row is None else (row.etag, row.last_modified)

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember `url`'s validators; both None forgets them. Over-long values are junk and are dropped."""
        etag = etag if etag is not None and len(etag) <= MAX_VALIDATOR else None
        last_modified = last_modified if last_modified is not None and len(last_modified) <= MAX_VALIDATOR else None
        key = clean_url(url)
        with self._write() as conn:
            if (etag is None and last_modified is None) or not url_fits(key):
                conn.execute(delete(http_cache).where(http_cache.c.url == key))
                return
            values = {
                "url": key,
                "etag": clean_opt(etag, MAX_VALIDATOR),
                "last_modified": clean_opt(last_modified, MAX_VALIDATOR),
                "updated_at": utcnow(),
            }
            queries.upsert(conn, http_cache, values, key="url", update=("etag", "last_modified", "updated_at"))

    # --- documents ------------------------------------------------------------------------------------------

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Which of `urls` are stored already (as given), in batches of a few hundred per query."""
        wanted: dict[str, list[str]] = {}
        for url in urls:
            wanted.setdefault(clean_url(url), []).append(url)
        keys = list(wanted)
        found: set[str] = set()
        with self._read() as conn:
            for start in range(0, len(keys), URL_BATCH):
                batch = keys[start : start + URL_BATCH]
                stmt = select(documents.c.canonical_url).where(documents.c.canonical_url.in_(batch))
                found.update(conn.scalars(stmt))
        return {url for key in found for url in wanted.get(key, ())}

    def save_document(self, doc: NewDocument, figures: Sequence[Figure]) -> SavedDocument:
        """Save a document, its figures and its alerts in one transaction: "new", "repost" (no figures), or "duplicate".

        A new document that is not a baseline and carries a figure or is a report by its kind queues one alert
        per subscribed chat (`subscribers`); a repost or a duplicate queues none.

        Raises ValueError for a canonical URL too long to be a unique key (over 2000 UTF-8 bytes).
        """
        url = clean_url(doc.canonical_url)
        if not url_fits(url):
            raise ValueError(f"canonical URL too long to store ({len(url)} characters)")
        try:
            with self._write() as conn:
                return self._save_document(conn, doc, figures)
        except IntegrityError:
            # Another writer stored the same URL between our check and our insert: that is a duplicate.
            existing = self._document_id(url)
            if existing is None:
                raise
            return SavedDocument(existing, "duplicate", None)

    def _save_document(self, conn: Connection, doc: NewDocument, found: Sequence[Figure]) -> SavedDocument:
        """The body of `save_document`, inside its transaction."""
        if conn.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(PG_DOCUMENT_LOCK)))
        row = document_row(doc, found)
        url = row.values["canonical_url"]
        existing = conn.scalar(select(documents.c.id).where(documents.c.canonical_url == url))
        if existing is not None:
            return SavedDocument(int(existing), "duplicate", None)
        original = queries.find_original(conn, row.repost_hash, row.title_key, row.signature)
        inserted = conn.execute(insert(documents).values(**row.values, duplicate_of=original).returning(documents.c.id))
        document_id = int(inserted.scalar_one())
        if original is not None:
            return SavedDocument(document_id, "repost", original)  # its figures are the original's: not again
        if found:
            conn.execute(insert(figures), figure_rows(document_id, doc.published, found))
        return SavedDocument(document_id, "new", None, self._queue_alerts(conn, document_id, row.values, len(found)))

    def _queue_alerts(self, conn: Connection, document_id: int, values: dict[str, Any], figure_count: int) -> int:
        """The alerts of a new document, in its transaction; how many were queued."""
        if not alerts.worth_alerting(bool(values["baseline"]), values["kind"], figure_count):
            return 0
        return alerts.queue(conn, document_id, alerts.subscribers(conn, values["region_code"]), utcnow())

    def _document_id(self, url: str) -> int | None:
        """The id of the document stored at `url` (already cleaned)."""
        with self._read() as conn:
            found = conn.scalar(select(documents.c.id).where(documents.c.canonical_url == url))
        return None if found is None else int(found)

    def record_poll(self, run: PollRun) -> None:
        """Append one poll run to the log."""
        with self._write() as conn:
            conn.execute(insert(poll_runs).values(**poll_values(run)))

    def finish_poll(self, state: SourceState, run: PollRun) -> None:
        """A poll's end in one transaction: the source's new state and the run's log line."""
        values = source_values(state)
        updated = [c for c in values if c not in ("name", "created_at")]
        with self._write() as conn:
            queries.upsert(conn, sources, values, key="name", update=updated)
            conn.execute(insert(poll_runs).values(**poll_values(run)))

    def recent_polls(self, source_name: str | None = None, limit: int = 20) -> list[PollRun]:
        """The latest poll runs (of one source, or of all), newest first."""
        with self._read() as conn:
            rows = conn.execute(queries.select_polls(source_name, max(limit, 0)))
            return [queries.to_poll(row) for row in rows]

    # --- queries --------------------------------------------------------------------------------------------

    def figures(
        self, region_code: str | None = None, indicator: str | None = None, limit: int | None = None
    ) -> list[StoredFigure]:
        """Every stored figure, revisions included, newest publication first."""
        stmt = queries.select_figures(region_code, indicator, None if limit is None else max(limit, 0))
        with self._read() as conn:
            return [queries.to_figure(row) for row in conn.execute(stmt)]

    def best_figures(self, region_code: str, indicator: str | None = None) -> list[StoredFigure]:
        """One figure per indicator, period and target-or-outcome (actual over estimate, newest first)."""
        with self._read() as conn:
            return [queries.to_figure(row) for row in conn.execute(queries.select_best_figures(region_code, indicator))]

    def document_figures(self, document_id: int) -> list[StoredFigure]:
        """The figures saved with one document, in reading order (none for a repost: they are its original's)."""
        with self._read() as conn:
            return [queries.to_figure(row) for row in conn.execute(queries.select_document_figures(document_id))]

    def latest_documents(self, region_code: str | None = None, limit: int = 10) -> list[StoredDocument]:
        """The newest documents (of a region, or of all), reposts left out."""
        with self._read() as conn:
            rows = conn.execute(queries.select_latest_documents(region_code, max(limit, 0)))
            return [queries.to_document(row) for row in rows]

    def document(self, document_id: int) -> StoredDocument | None:
        """One document by id."""
        with self._read() as conn:
            row = conn.execute(queries.select_documents().where(documents.c.id == document_id)).first()
        return None if row is None else queries.to_document(row)

    def search_documents(self, query: str, limit: int = 10) -> list[StoredDocument]:
        """Documents whose title or text contains `query` (case-insensitive, literal), reposts left out, newest first.

        The query is cut to 100 characters; a blank one finds nothing.
        """
        pattern = search.like_pattern(query)
        if pattern is None or limit <= 0:
            return []
        with self._read() as conn:
            return [queries.to_document(row) for row in conn.execute(search.select_search(pattern, limit))]

    def stats(self) -> dict[str, int]:
        """Counts for the admins' `/status`: documents, figures, sources, subscriptions, chats, the outbox by status."""
        with self._read() as conn:
            return status_counts(conn)

    # --- subscriptions --------------------------------------------------------------------------------------

    def subscribe(self, chat_id: int, region_code: str | None) -> bool:
        """Follow a region (a 6-digit code) or, with None, everything; False when the chat did already.

        Raises ValueError for a region code that is not 6 digits.
        """
        key = alerts.region_key(region_code)
        with self._write() as conn:
            return alerts.subscribe(conn, chat_id, key, utcnow())

    def unsubscribe(self, chat_id: int, region_code: str | None) -> bool:
        """Stop following a region (None: everything); False when the chat did not follow it."""
        key = alerts.region_key(region_code)
        with self._write() as conn:
            gone = conn.execute(
                delete(subscriptions).where(subscriptions.c.chat_id == chat_id, subscriptions.c.region_code == key)
            )
        return gone.rowcount > 0

    def subscriptions(self, chat_id: int) -> list[str | None]:
        """A chat's subscriptions: region codes in order, None (everything) first."""
        with self._read() as conn:
            keys = conn.scalars(select(subscriptions.c.region_code).where(subscriptions.c.chat_id == chat_id)).all()
        regions = [alerts.region_of(key) for key in keys]
        return sorted(regions, key=lambda code: (code is not None, code or ""))

    def subscribers(self, region_code: str | None) -> list[int]:
        """The chats alerted for a document of `region_code`: its followers, its ancestors' and everything's."""
        with self._read() as conn:
            return alerts.subscribers(conn, region_code)

    def drop_chat(self, chat_id: int, reason: str) -> int:
        """A chat that refuses the bot for good: its subscriptions deleted, its open alerts dropped (how many)."""
        with self._write() as conn:
            conn.execute(delete(subscriptions).where(subscriptions.c.chat_id == chat_id))
            return conn.execute(alerts.drop_chat_alerts(chat_id, reason)).rowcount

    # --- the outbox -----------------------------------------------------------------------------------------

    def due_alerts(self, now: datetime, limit: int = 100) -> list[OutboxRow]:
        """Pending alerts due by `now` (no retry time, or one passed), oldest first."""
        with self._read() as conn:
            return [alerts.to_outbox(row) for row in conn.execute(alerts.select_due(now, max(limit, 0)))]

    def mark_sending(self, alert_id: int) -> bool:
        """Take a pending alert for sending; False when it was not pending (another dispatcher has it)."""
        with self._write() as conn:
            return conn.execute(alerts.move(alert_id, ("pending",), status="sending")).rowcount == 1

    def mark_sent(self, alert_id: int, message_ids: Sequence[int]) -> None:
        """Telegram confirmed the alert: sent now, with its message ids (whatever state it was in, but sent)."""
        values = {"status": "sent", "sent_at": utcnow(), "message_ids": alerts.message_ids_text(message_ids)}
        with self._write() as conn:
            conn.execute(alerts.move(alert_id, ("pending", "sending", "dropped"), **values))

    def mark_retry(self, alert_id: int, at: datetime, error: str) -> None:
        """A failed attempt: pending again from `at`, one more attempt counted (an alert sent or dropped stays so)."""
        with self._write() as conn:
            conn.execute(alerts.move(alert_id, alerts.OPEN, **alerts.retry_values(at, error)))

    def mark_dropped(self, alert_id: int, reason: str) -> None:
        """Give an open alert up for good, with the reason."""
        with self._write() as conn:
            conn.execute(alerts.move(alert_id, alerts.OPEN, **alerts.dropped_values(reason)))

    def recover_sending(self) -> int:
        """At start-up: alerts a crash left `sending` are pending again (sent once more); how many."""
        with self._write() as conn:
            return conn.execute(update(outbox).where(outbox.c.status == "sending").values(status="pending")).rowcount

    def outbox_counts(self) -> dict[str, int]:
        """Alerts by status, every status present."""
        with self._read() as conn:
            return alerts.outbox_counts(conn)
