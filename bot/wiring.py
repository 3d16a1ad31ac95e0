"""Building the parts from the settings: the store, the fetcher, the monitor and the source list."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.settings import Settings, SourceSettings
from scrapers.discover import Selectors
from scrapers.fetch import FetchConfig, Fetcher
from scrapers.monitor import Backoff, Monitor, SourceSpec
from storage.store import Store

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: int = logging.INFO) -> None:
    """Operator logs on stderr; the HTTP libraries stay at WARNING so no URL with a token is ever logged."""
    logging.basicConfig(level=level, format=LOG_FORMAT)
    logging.getLogger("govwatch").setLevel(level)  # even where a host application configured the root
    for noisy in ("httpx", "httpcore", "apscheduler.executors.default", "trafilatura", "htmldate"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def source_spec(settings: Settings, source: SourceSettings) -> SourceSpec:
    """The monitor's view of one `[[sources]]` table."""
    sel = source.selectors
    selectors = Selectors(item=sel.item, link=sel.link, date=sel.date) if sel else None
    return SourceSpec(
        name=source.name,
        url=source.url,
        kind=source.kind,
        region=source.region,
        interval=settings.interval_of(source),
        selectors=selectors,
    )


def source_specs(settings: Settings, only: str | None = None) -> list[SourceSpec]:
    """Every enabled source (or the one named), in settings order."""
    return [source_spec(settings, s) for s in settings.sources if s.enabled and (only is None or s.name == only)]


def fetch_config(settings: Settings) -> FetchConfig:
    """The fetcher's configuration from the `[fetch]` table."""
    f = settings.fetch
    return FetchConfig(
        connect_timeout=f.connect_timeout,
        read_timeout=f.read_timeout,
        total_timeout=f.total_timeout,
        max_bytes=f.max_bytes,
        user_agent=f.user_agent,
        proxy=f.proxy,
        per_host_concurrency=f.per_host_concurrency,
        per_host_delay=f.per_host_delay,
        retries=f.retries,
    )


@dataclass
class Parts:
    """The running pieces of govwatch."""

    settings: Settings
    store: Store
    fetcher: Fetcher
    monitor: Monitor


@asynccontextmanager
async def open_parts(settings: Settings) -> AsyncIterator[Parts]:
    """The store, fetcher and monitor, closed again on exit."""
    store = Store.open(settings.storage.url)
    fetcher = Fetcher(fetch_config(settings), validators=store)
    sched = settings.schedule
    monitor = Monitor(store, fetcher, Backoff(sched.backoff_after, sched.max_backoff), sched.max_new_per_poll)
    try:
        yield Parts(settings, store, fetcher, monitor)
    finally:
        await fetcher.aclose()
        store.close()
