"""Fixtures every suite may use: a storage URL on SQLite (a new file) or PostgreSQL (a throwaway schema).

PostgreSQL is `GOVWATCH_TEST_POSTGRES_URL` (default: the trust-auth server of CI and of this machine). Each test
gets its own `CREATE SCHEMA t_<random>` and a URL whose `options=-csearch_path=t_<random>` makes every table the
store creates land there; the schema is dropped afterwards, so parallel and repeated runs never meet. Where the
server is unreachable (a laptop), the PostgreSQL cases are skipped with the reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from storage import Store
from tests.support.httpserver import LocalHTTPServer, Reply, serve
from tests.support.sites import Site, build_sites

POSTGRES_URL = os.environ.get("GOVWATCH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Engine | str]:
    """An engine on the test server, or the reason it cannot be used (checked once per session)."""
    engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        engine.dispose()
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        yield f"PostgreSQL not reachable at {make_url(POSTGRES_URL).render_as_string()}: {first_line}"
        return
    yield engine
    engine.dispose()


@contextmanager
def _throwaway_schema(admin: Engine) -> Iterator[str]:
    """A URL on a new schema of the test server, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:16]}"  # ours, hex only: safe to spell into DDL
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path, postgres_admin: Engine | str) -> Iterator[str]:
    """A storage URL nobody else uses: a new SQLite file (in a directory not made yet), or a new schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'not-yet' / 'govwatch.db'}"
        return
    if isinstance(postgres_admin, str):
        pytest.skip(postgres_admin)
    with _throwaway_schema(postgres_admin) as url:
        yield url


@pytest.fixture
def pg_url(postgres_admin: Engine | str) -> Iterator[str]:
    """A PostgreSQL URL on a schema nobody else uses (skipped where the server is not reachable)."""
    if isinstance(postgres_admin, str):
        pytest.skip(postgres_admin)
    with _throwaway_schema(postgres_admin) as url:
        yield url


@pytest.fixture
def server() -> Iterator[LocalHTTPServer]:
    """A local HTTP server on 127.0.0.1 (routes added by the test)."""
    with serve() as srv:
        yield srv


@pytest.fixture
def sites(server: LocalHTTPServer) -> dict[str, Site]:
    """The four recorded sites, every file routed on the local server."""
    built = build_sites(server.base_url)
    for site in built.values():
        for path, (body, ctype) in site.files.items():
            server.route(path, Reply(200, [("Content-Type", ctype)], body))
    return built


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A migrated, empty store on the backend under test."""
    opened = Store.open(store_url)
    try:
        yield opened
    finally:
        opened.close()
