"""Each fault of a site is a state of that source: the others go on polling and the store stays consistent."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from scrapers.monitor import PollSummary
from scrapers.schedule import Backoff, SourceSpec
from storage import Store
from tests.monitor.conftest import make_monitor
from tests.support.httpserver import (
    LocalHTTPServer,
    Reply,
    gzip_bomb,
    huge,
    redirect,
    ruishu_challenge,
    slow,
    text,
    trickle,
)
from tests.support.sites import Site

TODAY = date(2026, 2, 10)
LIST_PAGE = (
    "<html><head><meta charset='utf-8'><title>统计信息</title></head><body><ul class='list'>"
    + "".join(
        f"<li><a href='/ok/{i}.html'>古交市2025年第{i}期经济运行情况分析报告</a><span>2026-01-{i:02d}</span></li>"
        for i in range(1, 6)
    )
    + "</ul></body></html>"
)
FEED = (
    "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>t</title>"
    "<item><title>古交市经济运行</title><link>/ok/1.html</link></item></channel></rss>"
)
ARTICLE = "<html><body><h1>古交市经济运行</h1><p>全市地区生产总值完成95亿元，同比增长1%。</p></body></html>"


def html(body: str) -> Reply:
    return text(body, content_type="text/html; charset=utf-8")


FAULTS: dict[str, tuple[str, str, object, str, str | None]] = {
    # name: (path, kind, route, expected status, expected error fragment)
    "404": ("/404", "list", Reply(404, body=b"not found"), "error", "HTTP 404"),
    "500": ("/500", "list", Reply(500, body=b"oops"), "error", "HTTP 500"),
    "412 challenge": ("/412", "list", ruishu_challenge(), "blocked", "412"),
    "timeout": ("/slow", "list", slow(html(LIST_PAGE), 5.0), "error", "timeout"),
    "trickle": ("/trickle", "list", trickle(10_000, 0.5), "error", "timeout"),
    "redirect loop": ("/loop", "list", redirect("/loop"), "error", "redirects"),
    "html for a feed": ("/not-feed", "rss", html(LIST_PAGE), "error", "not a feed"),
    "feed for html": ("/not-html", "list", text(FEED, content_type="application/rss+xml"), "error", "feed"),
    "empty list": ("/empty", "list", html("<html><body><p>暂无信息</p></body></html>"), "baseline", None),
    "broken markup": (
        "/broken",
        "list",
        html(LIST_PAGE.replace("</li>", "").replace("</ul>", "<div>")),
        "baseline",
        None,
    ),
    "50 MB body": ("/huge", "list", huge(50 * 1024 * 1024), "baseline", None),
    "gzip bomb": ("/bomb", "list", gzip_bomb(200 * 1024 * 1024), "baseline", None),
}


@pytest.fixture
def faulty(server: LocalHTTPServer) -> dict[str, SourceSpec]:
    server.route("/good", html(LIST_PAGE))
    for i in range(1, 6):
        server.route(f"/ok/{i}.html", html(ARTICLE.replace("经济运行", f"经济运行{i}")))
    specs = {"good": SourceSpec("good", server.url("/good"), "list", "古交市", 60)}
    for name, (path, kind, route, _, _) in FAULTS.items():
        server.route(path, route)  # type: ignore[arg-type]
        specs[name] = SourceSpec(name, server.url(path), kind, "古交市", 60)
    return specs


def poll_all(store: Store, specs: list[SourceSpec], monitor_backoff: Backoff | None = None) -> dict[str, PollSummary]:
    async def main() -> dict[str, PollSummary]:
        monitor, fetcher = make_monitor(store, TODAY, monitor_backoff)
        try:
            done = await asyncio.gather(*(monitor.poll(s) for s in specs))
        finally:
            await fetcher.aclose()
        return {s.source: s for s in done}

    return asyncio.run(main())


def test_every_fault_is_a_state_and_the_good_source_polls(faulty: dict[str, SourceSpec], store: Store) -> None:
    results = poll_all(store, list(faulty.values()))
    assert (results["good"].status, results["good"].new) == ("baseline", 5)
    for name, (_, _, _, status, fragment) in FAULTS.items():
        got = results[name]
        assert got.status == status, (name, got)
        if fragment:
            assert fragment.lower() in (got.error or "").lower(), (name, got.error)
    states = {s.name: s for s in store.sources()}
    for name, (_, _, _, status, _) in FAULTS.items():
        failed = status in ("error", "blocked")
        assert states[name].consecutive_failures == (1 if failed else 0), name
        assert states[name].blocked == (status == "blocked"), name
        assert states[name].baseline_done == (not failed), name
    assert len(store.recent_polls(limit=50)) == len(faulty)
    assert len(store.latest_documents(limit=50)) == 5


def test_a_failing_source_backs_off_and_recovers(server: LocalHTTPServer, store: Store) -> None:
    server.route("/flaky", Reply(500, body=b"down"))
    spec = SourceSpec("flaky", server.url("/flaky"), "list", None, 60)
    backoff = Backoff(after=2, cap=3600)
    for _ in range(2):
        assert poll_all(store, [spec], backoff)["flaky"].status == "error"
    state = store.get_source("flaky")
    assert state is not None and state.consecutive_failures == 2 and state.next_poll_at is not None
    assert poll_all(store, [spec], backoff)["flaky"].status == "skipped"  # backing off: not polled
    assert len(server.requests_to("/flaky")) == 2
    server.route("/flaky", html(LIST_PAGE))

    async def forced() -> PollSummary:
        monitor, fetcher = make_monitor(store, TODAY, backoff)
        try:
            return await monitor.poll(spec, force=True)
        finally:
            await fetcher.aclose()

    assert asyncio.run(forced()).status == "baseline"
    state = store.get_source("flaky")
    assert state is not None and state.consecutive_failures == 0 and state.next_poll_at is None


@pytest.mark.parametrize(("failures", "delay"), [(0, 60), (2, 60), (3, 120), (5, 120), (6, 240), (30, 3600)])
def test_backoff_doubles_per_three_failures_and_is_capped(failures: int, delay: float) -> None:
    assert Backoff(after=3, cap=3600).delay(60, failures) == delay


def test_a_pdf_that_is_not_a_pdf_stores_the_stub_without_figures(
    server: LocalHTTPServer, store: Store, sites: dict[str, Site]
) -> None:
    del sites
    server.route("/bad.pdf", Reply(200, [("Content-Type", "application/pdf")], b"%PDF-1.4\n" + bytes(range(256)) * 4))
    stub = "<html><body><h1>2025年古交市国民经济和社会发展统计公报</h1><p>附件：<a href='/bad.pdf'>2025年统计公报.pdf</a></p></body></html>"
    server.route("/stub.html", html(stub))
    server.route("/list", html(LIST_PAGE.replace("/ok/1.html", "/stub.html")))
    for i in range(2, 6):
        server.route(f"/ok/{i}.html", html(ARTICLE))
    result = poll_all(store, [SourceSpec("s", server.url("/list"), "list", None, 60)])["s"]
    assert result.status == "baseline"
    assert server.url("/stub.html") in store.known_urls([server.url("/stub.html")])
