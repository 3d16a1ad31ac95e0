"""Schema migrations: an ordered list of steps applied at start-up in one transaction, each recorded once.

A new migration is one `Migration` appended to `MIGRATIONS` with the next version number. Each step must be
idempotent (create with `checkfirst`, add a column only where it is missing), because the current `Table`
objects in `schema.py` may already carry what a later step adds to an older database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Table, func, insert, inspect, select

from storage import schema
from storage.records import StorageError

# Held for the migration's transaction, so two processes starting at once migrate one after the other.
PG_MIGRATION_LOCK = 0x676F7677_01  # "govw" + 1


@dataclass(frozen=True, slots=True)
class Migration:
    """One step of the schema's history."""

    version: int
    description: str
    apply: Callable[[Connection], None]


def create_tables(*tables: Table) -> Callable[[Connection], None]:
    """A step creating `tables` (and their indexes) where they do not exist yet."""

    def step(conn: Connection) -> None:
        schema.metadata.create_all(conn, tables=list(tables), checkfirst=True)

    return step


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "sources, http_cache, documents, figures, poll_runs", create_tables(*schema.V1_TABLES)),
    Migration(2, "subscriptions, outbox", create_tables(*schema.V2_TABLES)),
    Migration(3, "backfills, host_slots", create_tables(*schema.V3_TABLES)),
    Migration(4, "poll_claims; outbox.lease_until", lambda conn: _v4(conn)),
)


def add_column(conn: Connection, table: Table, name: str) -> None:
    """ALTER TABLE … ADD COLUMN for a column of `table` the database lacks (a nullable one)."""
    present = {c["name"] for c in inspect(conn).get_columns(table.name)}
    if name in present:
        return
    column = table.c[name]
    kind = column.type.compile(dialect=conn.dialect)
    conn.exec_driver_sql(f'ALTER TABLE {table.name} ADD COLUMN {name} {kind}')


def _v4(conn: Connection) -> None:
    create_tables(*schema.V4_TABLES)(conn)
    add_column(conn, schema.outbox, "lease_until")


def latest_version(migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """The version a fully migrated database records."""
    return migrations[-1].version if migrations else 0


def current_version(conn: Connection) -> int:
    """The highest applied migration, 0 for an empty database."""
    schema.metadata.create_all(conn, tables=[schema.schema_version], checkfirst=True)
    return int(conn.scalar(select(func.coalesce(func.max(schema.schema_version.c.version), 0))) or 0)


def migrate(conn: Connection, migrations: Sequence[Migration] = MIGRATIONS) -> list[int]:
    """Apply the missing steps inside the caller's transaction; return the versions applied now."""
    _check_order(migrations)
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(PG_MIGRATION_LOCK)))
    current = current_version(conn)
    if current > latest_version(migrations):
        raise StorageError(
            f"the database is at schema version {current}, newer than this program's {latest_version(migrations)}"
        )
    applied: list[int] = []
    for migration in migrations:
        if migration.version <= current:
            continue
        migration.apply(conn)
        conn.execute(
            insert(schema.schema_version).values(
                version=migration.version, description=migration.description, applied_at=datetime.now(UTC)
            )
        )
        applied.append(migration.version)
    return applied


def _check_order(migrations: Sequence[Migration]) -> None:
    """Versions must run 1, 2, 3, … with no gap: a gap or a repeat is a programming error."""
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise StorageError(f"migration versions must be 1..n in order, got {versions}")
