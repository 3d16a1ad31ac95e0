"""Documents with their figures, saved in one transaction with the alerts they cause, and read back."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.exc import IntegrityError

from parsers.model import Figure
from storage import outbox, queries, search, subscriptions
from storage.base import StoreBase
from storage.records import NewDocument, SavedDocument, StoredDocument, StoredFigure
from storage.rows import clean_url, document_row, figure_rows, record_from_row, utcnow
from storage.schema import documents, figures
from storage.stats import status_counts
from storage.text import url_fits

__all__ = ["DocumentsStore"]

# Serialises document saves across processes on PostgreSQL, so two copies of one report saved at the same
# moment cannot both be "new" (SQLite gets the same from BEGIN IMMEDIATE).
PG_DOCUMENT_LOCK = 0x676F7677_02
URL_BATCH = 500  # bound parameters per IN (...): well under SQLite's and PostgreSQL's limits


class DocumentsStore(StoreBase):
    """Documents, figures, reposts, and the queries the answers are made of."""

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

    def save_document(
        self, doc: NewDocument, figures: Sequence[Figure], alert_regions: Sequence[str | None] = ()
    ) -> SavedDocument:
        """Save a document, its figures and its alerts in one transaction: "new", "repost" (no figures), or "duplicate".

        `alert_regions` is the caller's decision of whom the document alerts: the subscription regions it reaches
        (None: the chats that follow everything). A new document queues one alert per chat following any of them;
        a repost or a duplicate queues none. Storage decides nothing about who should hear of what.

        Raises ValueError for a canonical URL too long to be a unique key (over 2000 UTF-8 bytes).
        """
        url = clean_url(doc.canonical_url)
        if not url_fits(url):
            raise ValueError(f"canonical URL too long to store ({len(url)} characters)")
        try:
            with self._write() as conn:
                saved = self._save_document(conn, doc, figures)
                if saved.status == "new" and alert_regions:
                    chats = subscriptions.chats_following(conn, alert_regions)
                    saved = replace(saved, alerts=outbox.queue(conn, saved.document_id, chats, utcnow()))
                return saved
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

    def figures(
        self, region_code: str | None = None, indicator: str | None = None, limit: int | None = None
    ) -> list[StoredFigure]:
        """Every stored figure, revisions included, newest publication first."""
        stmt = queries.select_figures(region_code, indicator, None if limit is None else max(limit, 0))
        with self._read() as conn:
            return [record_from_row(StoredFigure, row) for row in conn.execute(stmt)]

    def best_figures(self, region_code: str, indicator: str | None = None) -> list[StoredFigure]:
        """One figure per indicator, period and target-or-outcome (actual over estimate, newest first)."""
        with self._read() as conn:
            rows = conn.execute(queries.select_best_figures(region_code, indicator))
            return [record_from_row(StoredFigure, row) for row in rows]

    def document_figures(self, document_id: int) -> list[StoredFigure]:
        """The figures saved with one document, in reading order (none for a repost: they are its original's)."""
        with self._read() as conn:
            rows = conn.execute(queries.select_document_figures(document_id))
            return [record_from_row(StoredFigure, row) for row in rows]

    def latest_documents(self, region_code: str | None = None, limit: int = 10) -> list[StoredDocument]:
        """The newest documents (of a region, or of all), reposts left out."""
        with self._read() as conn:
            codes = None if region_code is None else [region_code]
            rows = conn.execute(queries.select_latest_documents(codes, max(limit, 0)))
            return [record_from_row(StoredDocument, row) for row in rows]

    def document(self, document_id: int) -> StoredDocument | None:
        """One document by id."""
        with self._read() as conn:
            row = conn.execute(queries.select_documents().where(documents.c.id == document_id)).first()
        return None if row is None else record_from_row(StoredDocument, row)

    def search_documents(self, query: str, limit: int = 10) -> list[StoredDocument]:
        """Documents whose title or text contains `query` (case-insensitive, literal), reposts left out, newest first.

        The query is cut to 100 characters; a blank one finds nothing.
        """
        pattern = search.like_pattern(query)
        if pattern is None or limit <= 0:
            return []
        with self._read() as conn:
            return [record_from_row(StoredDocument, row) for row in conn.execute(search.select_search(pattern, limit))]

    def stats(self) -> dict[str, int]:
        """Counts for the admins' `/status`: documents, figures, sources, subscriptions, chats, the outbox by status."""
        with self._read() as conn:
            return status_counts(conn)
