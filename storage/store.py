"""The store: sources' state, conditional-GET validators, documents with their figures, poll runs, and queries.

Synchronous and safe to call from several threads (`asyncio.to_thread`): each call checks out its own
connection and runs in its own transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from parsers.model import Figure
from storage import queries
from storage.engine import WRITE, is_memory, make_engine, parse_url, safe_url
from storage.migrations import migrate
from storage.records import (
    NewDocument,
    PollRun,
    SavedDocument,
    SourceState,
    StorageError,
    StoredDocument,
    StoredFigure,
)
from storage.rows import clean_url, document_row, figure_rows, poll_values, source_values, utcnow
from storage.schema import documents, figures, http_cache, poll_runs, sources
from storage.text import MAX_FIELD, MAX_VALIDATOR, clean, clean_opt, url_fits

__all__ = [
    "NewDocument",
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
        """Save a document and its figures in one transaction: "new", "repost" (no figures), or "duplicate".

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
        return SavedDocument(document_id, "new", None)

    def _document_id(self, url: str) -> int | None:
        """The id of the document stored at `url` (already cleaned)."""
        with self._read() as conn:
            found = conn.scalar(select(documents.c.id).where(documents.c.canonical_url == url))
        return None if found is None else int(found)

    def record_poll(self, run: PollRun) -> None:
        """Append one poll run to the log."""
        with self._write() as conn:
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
