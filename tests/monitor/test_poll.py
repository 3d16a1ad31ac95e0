"""The monitor end to end against recorded sites on a local server: discovery, baseline, storage, re-polls."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest
from sqlalchemy import text

from scrapers.monitor import Monitor, PollSummary
from scrapers.schedule import SourceSpec
from storage import Store
from tests.monitor.conftest import make_monitor
from tests.support.httpserver import LocalHTTPServer, Reply, conditional
from tests.support.sites import Listing, Site

T = TypeVar("T")
SITE_NAMES = ("county-cms", "stats-bureau", "news-portal", "tw-mirror")


def run(coro_factory: Callable[[Monitor], Awaitable[T]], store: Store, listing: Listing) -> T:
    async def main() -> T:
        monitor, fetcher = make_monitor(store, listing.today)
        try:
            return await coro_factory(monitor)
        finally:
            await fetcher.aclose()

    return asyncio.run(main())


def documents(store: Store) -> dict[str, dict[str, Any]]:
    """Every stored document row by canonical URL (reposts included)."""
    with store.engine.connect() as conn:
        result = conn.execute(text("SELECT * FROM documents"))
        return {row["canonical_url"]: dict(row) for row in result.mappings()}


def spec_for(listing: Listing, name: str = "src") -> SourceSpec:
    return SourceSpec(name=name, url=listing.url, kind=listing.kind, interval=60)


@pytest.mark.parametrize("site_name", SITE_NAMES)
def test_first_poll_discovers_exactly_and_stores_a_baseline(
    site_name: str, sites: dict[str, Site], store: Store, server: LocalHTTPServer
) -> None:
    listing = sites[site_name].listings[0]
    summary = run(lambda m: m.poll(spec_for(listing)), store, listing)
    expected = [item.url for item in listing.items]
    assert (summary.status, summary.items, summary.new) == ("baseline", len(expected), len(expected))
    assert store.known_urls(expected) == set(expected)
    rows = documents(store)
    assert sorted(rows) == sorted(expected) and all(r["baseline"] for r in rows.values())
    # The statistics bureau lists its bulletin twice (a stub page and the PDF): one report, one repost.
    reposts = [u for u, r in rows.items() if r["duplicate_of"] is not None]
    assert len(reposts) == (1 if site_name == "stats-bureau" else 0)
    for item in listing.items:
        assert str(rows[item.url]["published"])[:10] == str(item.published)
    state = store.get_source("src")
    assert state is not None and state.baseline_done and state.consecutive_failures == 0


def test_second_poll_fetches_no_article_again(sites: dict[str, Site], store: Store, server: LocalHTTPServer) -> None:
    listing = sites["county-cms"].listings[0]
    run(lambda m: m.poll(spec_for(listing)), store, listing)
    server.clear()
    again = run(lambda m: m.poll(spec_for(listing)), store, listing)
    assert (again.status, again.new) == ("ok", 0)
    assert [r.path for r in server.requests] == [listing.path]


def test_unchanged_list_is_a_conditional_get(sites: dict[str, Site], store: Store, server: LocalHTTPServer) -> None:
    listing = sites["news-portal"].listings[0]
    body, _ = sites["news-portal"].get(listing.url)
    server.route(listing.path, conditional(body, etag='"v1"'))
    run(lambda m: m.poll(spec_for(listing)), store, listing)
    server.clear()
    again = run(lambda m: m.poll(spec_for(listing)), store, listing)
    assert again.status == "unchanged"
    (request,) = server.requests
    assert request.headers.get("if-none-match") == '"v1"'


def test_a_new_item_after_the_baseline_is_stored_for_alerting(
    sites: dict[str, Site], store: Store, server: LocalHTTPServer
) -> None:
    site = sites["news-portal"]
    listing = site.listings[0]
    run(lambda m: m.poll(spec_for(listing)), store, listing)
    feed, ctype = site.get(listing.url)
    new_path = "/news-portal/gujiao/2024-02/02/content_1.htm"
    item = (
        f"<item><title>古交市2023年招商引资签约额256亿元</title><link>{server.url(new_path)}</link>"
        "<pubDate>Fri, 02 Feb 2024 09:00:00 +0800</pubDate></item>"
    )
    server.route(
        listing.path, Reply(200, [("Content-Type", ctype)], feed.replace(b"<item>", item.encode() + b"<item>", 1))
    )
    article = "<html><head><title>古交市2023年招商引资签约额256亿元</title></head><body><h1>古交市2023年招商引资签约额256亿元</h1><p>2023年，古交市招商引资签约额256亿元，位居太原市第一。全市地区生产总值完成95亿元，同比增长1%。</p></body></html>"
    server.route(new_path, Reply(200, [("Content-Type", "text/html; charset=utf-8")], article.encode()))
    summary = run(lambda m: m.poll(spec_for(listing)), store, listing)
    assert (summary.status, summary.new) == ("ok", 1)
    (doc,) = [d for d in store.latest_documents(limit=10) if d.canonical_url == server.url(new_path)]
    assert not doc.baseline and doc.region == "古交市"
    got = {(f.indicator, f.period, f.basis, f.value) for f in store.figures(region_code="140181")}
    assert ("investment_signed", "2023", "actual", 256.0) in got


def test_figures_of_a_report_are_stored_with_their_document(
    sites: dict[str, Site], store: Store, server: LocalHTTPServer
) -> None:
    listing = sites["county-cms"].listings[0]
    run(lambda m: m.poll(spec_for(listing)), store, listing)
    gdp = store.figures(region_code="140181", indicator="gdp")
    assert {(f.period, f.basis, f.value, f.yoy) for f in gdp} == {
        ("2025", "estimate", 95.0, 1.0),
        ("2026", "target", None, 5.0),
    }
    assert all(f.document_url.endswith("t20260104_1198765.html") and f.document_title for f in gdp)
    best = store.best_figures("140181", "gdp")
    assert [(f.period, f.basis) for f in best] == [("2026", "target"), ("2025", "estimate")]


def test_a_stub_page_is_followed_to_its_pdf(sites: dict[str, Site], store: Store, server: LocalHTTPServer) -> None:
    site = sites["stats-bureau"]
    listing = site.listings[0]
    run(lambda m: m.poll(spec_for(listing)), store, listing)
    (stub, pdf) = next(iter(site.stubs.items()))
    rows = documents(store)
    assert rows[stub]["attachment_url"] == pdf and rows[stub]["kind"] == "bulletin"
    assert server.requests_to(pdf.removeprefix(server.base_url))
    # The list also links the PDF itself: whichever was read first holds the figures, the other links to it.
    first, second = sorted((rows[stub], rows[pdf]), key=lambda r: r["duplicate_of"] is not None)
    assert second["duplicate_of"] == first["id"]
    assert {f.document_url for f in store.figures(region_code="140181")} >= {first["canonical_url"]}


def test_polls_of_all_sites_at_once(sites: dict[str, Site], store: Store) -> None:
    listings = [sites[n].listings[0] for n in SITE_NAMES]

    async def poll_all(monitor: Monitor) -> list[PollSummary]:
        specs = [spec_for(lst, name) for lst, name in zip(listings, SITE_NAMES, strict=True)]
        return list(await asyncio.gather(*(monitor.poll(s) for s in specs)))

    summaries = run(poll_all, store, listings[0])
    assert [s.status for s in summaries] == ["baseline"] * 4
    assert {s.source for s in summaries} == set(SITE_NAMES)
    assert len(store.recent_polls(limit=10)) == 4


def test_an_unchanged_list_still_gives_the_items_a_cut_short_poll_left(
    sites: dict[str, Site], store: Store, server: LocalHTTPServer
) -> None:
    """A poll whose items were not all read (one failed, as a crash would leave them) keeps no validators: the next
    poll is a full GET, not a 304 that would hide the unread items until the site changes."""
    listing = sites["news-portal"].listings[0]
    body, _ = sites["news-portal"].get(listing.url)
    server.route(listing.path, conditional(body, etag='"v1"'))
    run(lambda m: m.poll(spec_for(listing)), store, listing)  # the baseline: every item stored
    missing = listing.items[1]
    with store.engine.begin() as conn:  # as if that item's read had been cut short
        conn.execute(text("DELETE FROM documents WHERE canonical_url = :u"), {"u": missing.url})
        conn.execute(text("DELETE FROM http_cache"))
    path = missing.url.removeprefix(server.base_url)
    saved_page = sites["news-portal"].get(path)
    server.route(path, Reply(503))
    first = run(lambda m: m.poll(spec_for(listing)), store, listing)
    assert first.status == "ok" and first.new == 0
    server.route(path, Reply(200, [("Content-Type", saved_page[1])], saved_page[0]))
    server.clear()
    second = run(lambda m: m.poll(spec_for(listing)), store, listing)
    assert second.status == "ok" and second.new == 1, "the list answered 304 and the unread item stayed unread"
    assert server.requests[0].headers.get("if-none-match") is None
    third = run(lambda m: m.poll(spec_for(listing)), store, listing)
    assert third.status == "unchanged"  # everything read: validators kept, the next poll is a 304


def test_an_item_over_its_parse_budget_is_stored_bare_and_not_read_again(
    sites: dict[str, Site], store: Store, server: LocalHTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    """A page that takes too long to extract and parse is recorded (title and date from the list, no figures), so
    the source's other items go on and no later poll reads it again."""
    from tests.monitor.conftest import make_monitor

    listing = sites["news-portal"].listings[0]

    async def main() -> PollSummary:
        monitor, fetcher = make_monitor(store, listing.today)
        monitor.parse_timeout = 0.0  # every document is over its budget
        try:
            return await monitor.poll(spec_for(listing))
        finally:
            await fetcher.aclose()

    summary = asyncio.run(main())
    assert summary.status == "baseline" and summary.new == len(listing.items) and summary.figures == 0
    rows = documents(store)
    assert {item.url for item in listing.items} <= set(rows)
    first = listing.items[0]
    assert rows[first.url]["title"] == first.title and rows[first.url]["text"] == ""
    assert any("over the 0s parse budget" in r.getMessage() for r in caplog.records)
    server.clear()
    again = run(lambda m: m.poll(spec_for(listing)), store, listing)
    assert again.new == 0 and not [r for r in server.requests if r.path != listing.path]


def test_a_baseline_longer_than_one_poll_goes_on_until_every_item_is_read(
    sites: dict[str, Site], store: Store, server: LocalHTTPServer
) -> None:
    """max_new_per_poll below the list's length: the baseline goes on over several polls (none of its items
    alerts), and only then does the list answer 304."""
    from tests.monitor.conftest import make_monitor

    listing = sites["county-cms"].listings[0]
    body, ctype = sites["county-cms"].get(listing.url)
    server.route(listing.path, conditional(body, etag='"v1"', content_type=ctype))
    store.subscribe(7, None)  # someone follows everything: a non-baseline document would alert them

    async def poll_with_max(n: int) -> PollSummary:
        monitor, fetcher = make_monitor(store, listing.today)
        monitor.max_new = n
        try:
            return await monitor.poll(spec_for(listing))
        finally:
            await fetcher.aclose()

    total = len(listing.items)
    assert total == 3
    summaries = [asyncio.run(poll_with_max(1)) for _ in range(total)]
    assert [s.status for s in summaries] == ["baseline"] * len(summaries)
    assert [s.complete for s in summaries] == [False] * (len(summaries) - 1) + [True]
    assert sum(s.new for s in summaries) == total
    assert store.outbox_counts()["pending"] == 0, "an item of the baseline alerted"
    assert asyncio.run(poll_with_max(1)).status == "unchanged"
