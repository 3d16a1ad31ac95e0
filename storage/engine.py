"""Engines for SQLite and PostgreSQL, set up the way the store relies on."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

from storage.records import StorageError

SQLITE_BUSY_TIMEOUT_MS = 30_000
PG_CONNECT_TIMEOUT_S = 10
PG_APPLICATION = "govwatch"
# Execution option marking a connection whose transactions write: SQLite then takes the write lock at BEGIN.
WRITE = "govwatch_write"


def parse_url(url: str) -> URL:
    """The storage URL parsed, or a StorageError naming what is accepted."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StorageError(f"bad storage URL {url!r}: {exc}") from None
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")  # psycopg 3 is the driver installed
    if backend not in ("sqlite", "postgresql"):
        raise StorageError(f"unsupported storage URL {safe_url(parsed)}: use sqlite:///PATH or postgresql+psycopg://…")
    return parsed


def safe_url(url: URL) -> str:
    """The URL for messages, password hidden."""
    return url.render_as_string(hide_password=True)


def is_memory(url: URL) -> bool:
    """Whether a SQLite URL names an in-memory database."""
    return url.database in (None, "", ":memory:") or url.query.get("mode") == "memory"


def make_engine(url: URL) -> Engine:
    """An engine for a parsed storage URL (no connection is made yet)."""
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_S  # an unreachable host fails fast, not in minutes
    if "application_name" not in url.query:
        connect_args["application_name"] = PG_APPLICATION  # how an operator spots govwatch in pg_stat_activity
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def _sqlite_engine(url: URL) -> Engine:
    """SQLite with foreign keys, WAL, a busy timeout and real transactions (BEGIN emitted by us)."""
    memory = is_memory(url)
    if memory:
        # One shared connection: the default pool would give each thread its own empty database.
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        database = url.database or ""
        if not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The sqlite3 module's own transaction handling skips BEGIN before SELECT and DDL; take it over.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS:d}")
            if not memory:
                _enable_wal(cursor)
                cursor.execute("PRAGMA synchronous = NORMAL")  # durable enough under WAL, much faster
        finally:
            cursor.close()

    def on_begin(conn: Connection) -> None:
        # A writer locks at BEGIN: a deferred transaction that reads and then writes fails at once with
        # SQLITE_BUSY when another writer got in between, whatever the busy timeout.
        immediate = bool(conn.get_execution_options().get(WRITE))
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", on_begin)
    return engine


def _enable_wal(cursor: Any) -> None:
    """Switch the database file to WAL (a setting the file keeps)."""
    # The switch needs the file to itself and ignores the busy timeout: a connection opened while another
    # one migrates would fail at once, so retry for as long as that timeout.
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorname", "SQLITE_BUSY") != "SQLITE_BUSY" or time.monotonic() > deadline:
                raise
            time.sleep(0.02)
