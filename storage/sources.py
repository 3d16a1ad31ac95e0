"""Sources, their conditional-GET validators and their poll log: the store's side of the monitor."""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from storage import queries
from storage.base import StoreBase
from storage.records import PollRun, SourceState
from storage.rows import clean_url, poll_values, record_from_row, source_values, utcnow
from storage.schema import http_cache, poll_runs, sources
from storage.text import MAX_FIELD, MAX_VALIDATOR, clean, clean_opt, url_fits

__all__ = ["SourcesStore"]


# Poll runs kept per source (what /status and `sources` show, with room for an operator's look back).
POLL_RUNS_KEPT = 200
PRUNE_EVERY = 20


def _prune_runs(conn: Connection, source_name: str, keep: int) -> None:
    """Delete a source's poll runs older than its newest `keep`."""
    cutoff = conn.scalar(
        select(poll_runs.c.id)
        .where(poll_runs.c.source_name == source_name)
        .order_by(poll_runs.c.id.desc())
        .offset(keep)
        .limit(1)
    )
    if cutoff is not None:
        conn.execute(delete(poll_runs).where(poll_runs.c.source_name == source_name, poll_runs.c.id <= cutoff))


class SourcesStore(StoreBase):
    """Sources' state, validators and poll runs."""

    def get_source(self, name: str) -> SourceState | None:
        """The state of one source, None if it was never registered."""
        with self._read() as conn:
            row = conn.execute(queries.select_source(clean(name, MAX_FIELD))).first()
        return None if row is None else record_from_row(SourceState, row)

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
        return record_from_row(SourceState, row)

    def save_source(self, state: SourceState) -> None:
        """Write a source's whole state (inserting it if it is not there)."""
        values = source_values(state)
        updated = [c for c in values if c not in ("name", "created_at")]
        with self._write() as conn:
            queries.upsert(conn, sources, values, key="name", update=updated)

    def sources(self) -> list[SourceState]:
        """Every registered source, by name."""
        with self._read() as conn:
            return [record_from_row(SourceState, row) for row in conn.execute(queries.select_source())]

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

    def record_poll(self, run: PollRun) -> None:
        """Append one poll run to the log."""
        with self._write() as conn:
            conn.execute(insert(poll_runs).values(**poll_values(run)))

    def finish_poll(self, state: SourceState, run: PollRun, keep_runs: int = POLL_RUNS_KEPT) -> None:
        """A poll's end in one transaction: the source's new state and the run's log line; the source's runs
        beyond the newest `keep_runs` are pruned (a source polled every 5 s adds 17,000 a day)."""
        values = source_values(state)
        updated = [c for c in values if c not in ("name", "created_at")]
        with self._write() as conn:
            queries.upsert(conn, sources, values, key="name", update=updated)
            conn.execute(insert(poll_runs).values(**poll_values(run)))
            if random.random() < 1 / PRUNE_EVERY:  # about one poll in PRUNE_EVERY pays for the pruning
                _prune_runs(conn, state.name, keep_runs)

    def recent_polls(self, source_name: str | None = None, limit: int = 20) -> list[PollRun]:
        """The latest poll runs (of one source, or of all), newest first."""
        with self._read() as conn:
            rows = conn.execute(queries.select_polls(source_name, max(limit, 0)))
            return [record_from_row(PollRun, row) for row in rows]
