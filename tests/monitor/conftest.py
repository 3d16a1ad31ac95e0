"""Fixtures for the monitor suites: a fast fetcher and a monitor over it (the recorded sites are tests/conftest.py's)."""

from __future__ import annotations

from datetime import date

from scrapers.http.fetch import FetchConfig, Fetcher
from scrapers.monitor import Monitor
from scrapers.schedule import Backoff
from storage import Store

# Fast and strict: a test server answers at once, so nothing needs patience or retries.
TEST_FETCH = FetchConfig(
    connect_timeout=2.0, read_timeout=2.5, total_timeout=6.0, per_host_delay=0.0, retries=0, backoff_base=0.01,
    allow_private=True,  # the sites are served on 127.0.0.1
)


def make_monitor(store: Store, today: date, backoff: Backoff | None = None) -> tuple[Monitor, Fetcher]:
    """A monitor over a real fetcher, its day fixed (list pages carry year-less dates)."""
    fetcher = Fetcher(TEST_FETCH, validators=store)
    return Monitor(store, fetcher, backoff=backoff or Backoff(), today=lambda: today), fetcher
