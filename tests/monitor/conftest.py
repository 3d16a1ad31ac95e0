"""Fixtures for the monitor suites: the four recorded sites on a local server, a store, a fast fetcher."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from scrapers.http.fetch import FetchConfig, Fetcher
from scrapers.monitor import Monitor
from scrapers.schedule import Backoff
from storage import Store
from tests.support.httpserver import LocalHTTPServer, Reply, serve
from tests.support.sites import Site, build_sites

# Fast and strict: a test server answers at once, so nothing needs patience or retries.
TEST_FETCH = FetchConfig(
    connect_timeout=2.0, read_timeout=2.5, total_timeout=6.0, per_host_delay=0.0, retries=0, backoff_base=0.01,
    allow_private=True,  # the sites are served on 127.0.0.1
)


@pytest.fixture
def server() -> Iterator[LocalHTTPServer]:
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


def make_monitor(store: Store, today: date, backoff: Backoff | None = None) -> tuple[Monitor, Fetcher]:
    """A monitor over a real fetcher, its day fixed (list pages carry year-less dates)."""
    fetcher = Fetcher(TEST_FETCH, validators=store)
    return Monitor(store, fetcher, backoff=backoff or Backoff(), today=lambda: today), fetcher
