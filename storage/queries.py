"""The store's SELECTs and upserts. Everything scraped travels as a bound parameter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Executable, Select, Table, and_, case, func, nulls_last, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from storage.schema import documents, figures, poll_runs, sources

FIGURE_COLUMNS = (
    figures.c.id,
    figures.c.document_id,
    figures.c.region,
    figures.c.region_code,
    figures.c.indicator,
    figures.c.period,
    figures.c.basis,
    figures.c.value,
    figures.c.unit,
    figures.c.yoy,
    figures.c.qualifier,
    figures.c.quote,
    documents.c.canonical_url.label("document_url"),
    documents.c.title.label("document_title"),
    figures.c.published,
    documents.c.fetched_at,
)
FIGURES_FROM = figures.join(documents, figures.c.document_id == documents.c.id)

# Within one (indicator, period), targets stand apart from outcomes; among outcomes actual beats estimate.
_BASIS_CLASS = case((figures.c.basis == "target", "target"), else_="outcome")
_BASIS_RANK = case((figures.c.basis == "actual", 0), (figures.c.basis == "estimate", 1), else_=2)


def _figure_filters(region_code: str | None, indicator: str | None) -> list[Any]:
    """WHERE clauses for the optional region and indicator."""
    clauses: list[Any] = []
    if region_code is not None:
        clauses.append(figures.c.region_code == region_code)
    if indicator is not None:
        clauses.append(figures.c.indicator == indicator)
    return clauses


def select_figures(region_code: str | None, indicator: str | None, limit: int | None) -> Select[Any]:
    """Every stored figure (history included), newest publication first, then newest fetch."""
    stmt = (
        select(*FIGURE_COLUMNS)
        .select_from(FIGURES_FROM)
        .where(*_figure_filters(region_code, indicator))
        .order_by(
            nulls_last(figures.c.published.desc()),
            documents.c.fetched_at.desc(),
            figures.c.document_id.desc(),
            figures.c.id,
        )
    )
    return stmt if limit is None else stmt.limit(limit)


def select_document_figures(document_id: int) -> Select[Any]:
    """One document's figures, in the order they were saved (the order they were read)."""
    return (
        select(*FIGURE_COLUMNS)
        .select_from(FIGURES_FROM)
        .where(figures.c.document_id == document_id)
        .order_by(figures.c.id)
    )


def select_best_figures(region_code: str, indicator: str | None) -> Select[Any]:
    """One figure per (indicator, period, target-or-outcome): actual over estimate, then the newest."""
    rank = (
        func.row_number()
        .over(
            partition_by=(figures.c.indicator, figures.c.period, _BASIS_CLASS),
            order_by=(
                _BASIS_RANK,
                nulls_last(figures.c.published.desc()),
                documents.c.fetched_at.desc(),
                figures.c.id.desc(),
            ),
        )
        .label("pick")
    )
    ranked = (
        select(*FIGURE_COLUMNS, _BASIS_RANK.label("basis_rank"), rank)
        .select_from(FIGURES_FROM)
        .where(*_figure_filters(region_code, indicator))
        .subquery()
    )
    names = [c.key for c in FIGURE_COLUMNS]
    return (
        select(*(ranked.c[name] for name in names))
        .where(ranked.c.pick == 1)
        .order_by(ranked.c.indicator, ranked.c.period.desc(), ranked.c.basis_rank)
    )


def select_documents() -> Select[Any]:
    """Documents with the count of their stored figures."""
    count = select(func.count()).where(figures.c.document_id == documents.c.id).scalar_subquery()
    return select(documents, count.label("figures"))  # StoredDocument.figures


def newest_documents_first() -> tuple[Any, ...]:
    """ORDER BY for documents: newest publication first (undated last), then newest fetch, then newest row."""
    return (nulls_last(documents.c.published.desc()), documents.c.fetched_at.desc(), documents.c.id.desc())


def select_latest_documents(region_codes: Sequence[str] | None, limit: int) -> Select[Any]:
    """The newest documents of these regions (None: of all), reposts left out (they are the same report again)."""
    stmt = select_documents().where(documents.c.duplicate_of.is_(None))
    if region_codes is not None:
        stmt = stmt.where(documents.c.region_code.in_(list(region_codes)))
    return stmt.order_by(*newest_documents_first()).limit(limit)


def find_original(
    conn: Connection, content_hash: str | None, title_key: str | None, signature: str | None
) -> int | None:
    """The first stored copy of the same report (same text, or same title and same figures), if any."""
    matches: list[Any] = []
    if content_hash is not None:
        matches.append(documents.c.content_hash == content_hash)
    if title_key is not None and signature is not None:
        matches.append(and_(documents.c.title_key == title_key, documents.c.figure_signature == signature))
    if not matches:
        return None
    row = conn.execute(
        select(documents.c.id, documents.c.duplicate_of).where(or_(*matches)).order_by(documents.c.id).limit(1)
    ).first()
    if row is None:
        return None
    # A repost points at its original, so one hop reaches the first copy.
    return int(row.duplicate_of if row.duplicate_of is not None else row.id)


def upsert(conn: Connection, table: Any, values: Mapping[str, Any], key: str, update: Sequence[str] = ()) -> None:
    """INSERT … ON CONFLICT (key): update the `update` columns, or do nothing when there are none."""
    if conn.dialect.name == "postgresql":
        pg = postgresql.insert(table).values(**values)
        conn.execute(
            pg.on_conflict_do_update(index_elements=[key], set_={c: pg.excluded[c] for c in update})
            if update
            else pg.on_conflict_do_nothing(index_elements=[key])
        )
    else:
        lite = sqlite.insert(table).values(**values)
        conn.execute(
            lite.on_conflict_do_update(index_elements=[key], set_={c: lite.excluded[c] for c in update})
            if update
            else lite.on_conflict_do_nothing(index_elements=[key])
        )


def insert_ignore(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]], keys: Sequence[str]) -> int:
    """INSERT … ON CONFLICT (keys) DO NOTHING for every row; how many were inserted (counted by RETURNING)."""
    if not rows:
        return 0
    stmt: Executable
    if conn.dialect.name == "postgresql":
        stmt = postgresql.insert(table).on_conflict_do_nothing(index_elements=list(keys)).returning(*table.primary_key)
    else:
        stmt = sqlite.insert(table).on_conflict_do_nothing(index_elements=list(keys)).returning(*table.primary_key)
    # The drivers' rowcount is -1 here on psycopg (and a sum, if anything, for many rows): count what came back.
    return len(conn.execute(stmt, [dict(row) for row in rows]).all())


def select_polls(source_name: str | None, limit: int) -> Select[Any]:
    """The most recent poll runs, newest first."""
    stmt = select(poll_runs)
    if source_name is not None:
        stmt = stmt.where(poll_runs.c.source_name == source_name)
    return stmt.order_by(poll_runs.c.started_at.desc(), poll_runs.c.id.desc()).limit(limit)


def select_source(name: str | None = None) -> Select[Any]:
    """One source by name, or all of them by name."""
    stmt = select(sources).order_by(sources.c.name)
    return stmt if name is None else stmt.where(sources.c.name == name)
