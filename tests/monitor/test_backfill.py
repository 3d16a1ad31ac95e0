"""Backfill on local paginated columns: every pager kind in GBK and UTF-8, loops, missing pages, limits, resuming,
baseline storage (no alerts), and the per-host gap shared by two processes on one database."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date
from typing import TypeVar

import pytest

from scrapers.backfill import Backfiller, BackfillPlan, BackfillSummary, PageDone
from scrapers.http.fetch import Fetcher
from scrapers.monitor import Monitor
from scrapers.schedule import SourceSpec
from storage import Store
from tests.monitor.conftest import TEST_FETCH, make_monitor
from tests.support.httpserver import LocalHTTPServer, RecordedRequest
from tests.support.paginated import FIRST_YEAR, PAGER_STYLES, Column, PagerStyle, gdp_of, serve_column

TODAY = date(2026, 6, 1)
T = TypeVar("T")


def run(store: Store, walk: Callable[[Monitor], Awaitable[T]]) -> T:
    async def main() -> T:
        monitor, fetcher = make_monitor(store, TODAY)
        async with fetcher:
            return await walk(monitor)

    return asyncio.run(main())


def backfill(
    store: Store, column: Column, plan: BackfillPlan | None = None, listener: Callable[[PageDone], None] | None = None
) -> BackfillSummary:
    plan = plan or BackfillPlan()
    spec = SourceSpec("古交统计公报", column.first_url, "list", "古交市")
    return run(store, lambda m: Backfiller(m, listener or (lambda d: None)).run(spec, plan))


def gdp_years(store: Store) -> dict[int, float | None]:
    return {int(f.period): f.value for f in store.figures(region_code="140181", indicator="gdp")}


def list_fetches(server: LocalHTTPServer, column: Column) -> list[str]:
    wanted = set(column.list_paths)
    return [_full(r) for r in server.requests if _full(r) in wanted]


def _full(r: RecordedRequest) -> str:
    return r.path + ("?" + r.query if r.query else "")


@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
@pytest.mark.parametrize("style", PAGER_STYLES)
def test_every_pager_kind_is_walked_to_its_last_page(
    server: LocalHTTPServer, store: Store, style: PagerStyle, encoding: str
) -> None:
    column = serve_column(server, style, encoding=encoding)
    summary = backfill(store, column)
    assert (summary.status, summary.pages, summary.items, summary.documents) == ("done", 4, 12, 12)
    assert summary.stop_reason == "last page"
    assert list_fetches(server, column) == column.list_paths  # each page once, in order
    assert gdp_years(store) == {y: gdp_of(y) for y in range(FIRST_YEAR - 11, FIRST_YEAR + 1)}
    docs = store.latest_documents(None, 50)
    assert len(docs) == 12
    assert store.outbox_counts() == {} or sum(store.outbox_counts().values()) == 0  # baseline: no alert


def test_backfilled_documents_are_baseline_and_never_alert(server: LocalHTTPServer, store: Store) -> None:
    store.subscribe(42, None)  # a chat following everything
    backfill(store, serve_column(server, "trs"))
    assert sum(store.outbox_counts().values()) == 0


def test_a_pager_that_loops_back_to_page_one_stops(server: LocalHTTPServer, store: Store) -> None:
    column = serve_column(server, "next-link", pages=3, loop=True)
    summary = backfill(store, column)
    assert summary.status == "done" and summary.pages == 3
    assert "loops back" in summary.stop_reason
    assert list_fetches(server, column) == column.list_paths


@pytest.mark.parametrize("style", ["trs", "query", "suffix"])
def test_a_missing_page_in_the_middle_is_skipped_by_the_pager_formula(
    server: LocalHTTPServer, store: Store, style: PagerStyle
) -> None:
    column = serve_column(server, style, pages=5, missing=frozenset({3}))
    errors: list[PageDone] = []
    summary = backfill(store, column, listener=lambda d: errors.append(d) if d.error else None)
    assert summary.status == "done" and summary.pages == 4 and summary.documents == 12
    assert [e.page for e in errors] == [3]
    years = gdp_years(store)
    assert FIRST_YEAR - 6 not in years and FIRST_YEAR - 14 in years  # page 3's bulletins only are missing


def test_a_missing_page_behind_a_bare_next_link_halts_and_is_retried(server: LocalHTTPServer, store: Store) -> None:
    column = serve_column(server, "next-link", pages=4, missing=frozenset({2}))
    summary = backfill(store, column)
    assert summary.status == "failed" and summary.pages == 1 and "page 2 unavailable" in summary.stop_reason
    cursor = store.backfill("古交统计公报")
    assert cursor is not None and cursor.status == "failed" and cursor.next_url == server.url(column.list_paths[1])


def test_pages_and_since_limit_the_walk(server: LocalHTTPServer, store: Store) -> None:
    column = serve_column(server, "query", pages=6)
    assert backfill(store, column, BackfillPlan(pages=2)).pages == 2
    assert backfill(store, column, BackfillPlan(pages=2)).documents == 0  # pages 1-2 are stored already
    # Bulletins come out in March of the next year. Page 4 lists those published 2017-03-20 … 2015-03-20: only
    # the first is kept. Page 5 (2014 … 2012) is all older than 2017-01-01: the walk stops there.
    summary = backfill(store, column, BackfillPlan(since=2017))
    assert summary.pages == 5 and summary.documents == 4 and "older than 2017-01-01" in summary.stop_reason
    assert min(gdp_years(store)) == 2016


def test_an_interrupted_walk_resumes_and_a_second_walk_fetches_no_article(
    server: LocalHTTPServer, store: Store
) -> None:
    column = serve_column(server, "suffix", pages=4)

    def crash_after_page_two(done: PageDone) -> None:
        if done.page == 2:
            raise KeyboardInterrupt  # the process dies after page 2 was stored

    with pytest.raises(KeyboardInterrupt):
        backfill(store, column, listener=crash_after_page_two)
    assert len(gdp_years(store)) == 6
    before = len(server.requests)
    summary = backfill(store, column)
    resumed = server.requests[before:]
    assert summary.status == "done" and summary.pages == 2 and summary.documents == 6
    assert [_full(r) for r in resumed if _full(r) in column.list_paths] == column.list_paths[2:]
    assert len(gdp_years(store)) == 12
    before = len(server.requests)
    again = backfill(store, column)  # a finished walk starts over from page 1 …
    assert again.pages == 4 and again.documents == 0
    article_paths = set(column.articles)
    assert not [r for r in server.requests[before:] if r.path in article_paths]  # … and fetches no article again


def test_two_processes_keep_one_gap_per_host(server: LocalHTTPServer, store_url: str) -> None:
    """A backfill beside `govwatch run`: two fetchers (two processes) on one database share the per-host gap."""
    column = serve_column(server, "trs", pages=1)
    gap = 0.3  # wide, so that a loaded machine's scheduling slack stays well inside it
    slow = replace(TEST_FETCH, per_host_delay=gap)
    stores = [Store.open(store_url), Store.open(store_url)]
    urls = [server.url(p) for p in list(column.articles)[:3]]

    async def main() -> None:
        async with Fetcher(slow, host_clock=stores[0]) as one, Fetcher(slow, host_clock=stores[1]) as two:
            await asyncio.gather(*(f.fetch(u, conditional=False) for u in urls for f in (one, two)))

    try:
        started = time.monotonic()
        asyncio.run(main())
    finally:
        for s in stores:
            s.close()
    times = sorted(r.time for r in server.requests if r.time >= started)
    assert len(times) == 6
    gaps = [b - a for a, b in itertools.pairwise(times)]
    # Alone, each fetcher would start its 3 requests 0.3 s apart, side by side with the other's: pairs of
    # starts at once. Shared, no two starts to the host are closer than the gap (less scheduling slack).
    assert min(gaps) >= gap * 0.5, gaps
