"""Opening a store: migrations applied once, recorded, idempotent; SQLite set up with WAL and foreign keys."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Column, Connection, Integer, MetaData, Table, inspect, select, text

from storage import StorageError, Store
from storage.migrations import MIGRATIONS, Migration, create_tables, latest_version, migrate
from storage.schema import schema_version

TABLES = {"schema_version", "sources", "http_cache", "documents", "figures", "poll_runs"}


def versions(store: Store) -> list[int]:
    with store.engine.connect() as conn:
        return list(conn.scalars(select(schema_version.c.version).order_by(schema_version.c.version)))


def test_open_creates_every_table_and_records_the_version(store: Store) -> None:
    assert set(inspect(store.engine).get_table_names()) >= TABLES
    assert versions(store) == [m.version for m in MIGRATIONS]
    assert versions(store)[-1] == latest_version()


def test_reopening_applies_nothing_again(store_url: str) -> None:
    first = Store.open(store_url)
    first.close()
    again = Store.open(store_url)
    try:
        assert versions(again) == [m.version for m in MIGRATIONS]
        with again.engine.begin() as conn:
            assert migrate(conn) == []
    finally:
        again.close()


def test_data_survives_a_reopen(store_url: str) -> None:
    first = Store.open(store_url)
    first.upsert_source("古交市人民政府", "https://www.gujiao.gov.cn/", "list", "古交市")
    first.close()
    again = Store.open(store_url)
    try:
        assert [s.name for s in again.sources()] == ["古交市人民政府"]
    finally:
        again.close()


def test_an_appended_migration_runs_once(store: Store) -> None:
    extra = Table("outbox_example", MetaData(), Column("id", Integer, primary_key=True))
    steps = (*MIGRATIONS, Migration(len(MIGRATIONS) + 1, "an example table", create_tables(extra)))
    with store.engine.begin() as conn:
        assert migrate(conn, steps) == [len(MIGRATIONS) + 1]
    with store.engine.begin() as conn:
        assert migrate(conn, steps) == []
    assert "outbox_example" in inspect(store.engine).get_table_names()
    assert versions(store)[-1] == len(MIGRATIONS) + 1


def test_a_failing_migration_leaves_no_trace(store: Store) -> None:
    def broken(conn: Connection) -> None:
        create_tables(Table("half_done", MetaData(), Column("id", Integer, primary_key=True)))(conn)
        raise RuntimeError("step failed")

    steps = (*MIGRATIONS, Migration(len(MIGRATIONS) + 1, "broken", broken))
    with pytest.raises(RuntimeError), store.engine.begin() as conn:
        migrate(conn, steps)
    assert "half_done" not in inspect(store.engine).get_table_names()  # the DDL rolled back with it
    assert versions(store) == [m.version for m in MIGRATIONS]


def test_misnumbered_migrations_are_refused(store: Store) -> None:
    steps = (*MIGRATIONS, Migration(len(MIGRATIONS) + 2, "a gap", lambda conn: None))
    with pytest.raises(StorageError, match=r"1\.\.n"), store.engine.begin() as conn:
        migrate(conn, steps)


def test_a_database_from_a_newer_program_is_refused(store_url: str) -> None:
    store = Store.open(store_url)
    with store.engine.begin() as conn:
        conn.execute(schema_version.insert().values(version=999, description="future", applied_at=datetime.now(UTC)))
    store.close()
    with pytest.raises(StorageError, match="newer"):
        Store.open(store_url)


def test_concurrent_opens_migrate_once(store_url: str) -> None:
    errors: list[BaseException] = []
    stores: list[Store] = []

    def open_one() -> None:
        try:
            stores.append(Store.open(store_url))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        assert versions(stores[0]) == [m.version for m in MIGRATIONS]
    finally:
        for s in stores:
            s.close()


def test_sqlite_file_uses_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "govwatch.db"
    store = Store.open(f"sqlite:///{path}")
    try:
        assert path.exists()
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert int(conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) >= 1000
    finally:
        store.close()


def test_in_memory_sqlite_is_one_database_for_every_thread() -> None:
    store = Store.open("sqlite://")
    try:
        worker = threading.Thread(target=store.upsert_source, args=("s", "https://example.org/", "list", None))
        worker.start()
        worker.join()
        assert [s.name for s in store.sources()] == ["s"]
    finally:
        store.close()


@pytest.mark.parametrize(
    "url", ["not a url", "mysql://root@localhost/govwatch", "postgresql+psycopg://nobody@127.0.0.1:1/none"]
)
def test_a_bad_url_is_a_storage_error(url: str) -> None:
    with pytest.raises(StorageError) as caught:
        Store.open(url)
    assert "password" not in str(caught.value)


def test_an_unwritable_sqlite_directory_is_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StorageError):
        Store.open(f"sqlite:///{blocker / 'sub' / 'govwatch.db'}")


def test_pragmas_apply_to_every_pooled_connection(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'g.db'}")
    try:
        conns = [store.engine.connect() for _ in range(3)]
        assert all(c.execute(text("PRAGMA foreign_keys")).scalar() == 1 for c in conns)
        for c in conns:
            c.close()
    finally:
        store.close()
