"""Fetcher against a real local server: every fault is a status value, never an exception, and fast."""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
import tracemalloc
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from typing import TypeVar

import httpx
import pytest

from scrapers.http import waf
from scrapers.http.fetch import FetchConfig, Fetcher, FetchResult, parse_content_type, parse_retry_after
from tests.support.httpserver import (
    LocalHTTPServer,
    Reply,
    closed_port_url,
    conditional,
    deflated,
    gzip_bomb,
    gzipped,
    huge,
    js_shell,
    loopback_available,
    redirect,
    ruishu_challenge,
    sequence,
    serve,
    slow,
    text,
    trickle,
)

T = TypeVar("T")
MB = 1024 * 1024
FAST = FetchConfig(
    connect_timeout=0.5,
    read_timeout=0.3,
    total_timeout=1.0,
    max_bytes=MB,
    per_host_concurrency=4,
    per_host_delay=0.0,
    retries=2,
    backoff_base=0.01,
    backoff_max=0.05,
    allow_private=True,  # the test servers listen on 127.0.0.1 (the guard's own tests turn this off)
)
ARTICLE = (
    "<html><head><title>报告</title></head><body><p>"
    + "古交市地区生产总值完成180.5亿元，比上年增长5.2%。" * 40
    + "</p></body></html>"
)


class DictValidators:
    """The storage layer's conditional-GET memory, in a dict."""

    def __init__(self) -> None:
        self.saved: dict[str, tuple[str | None, str | None]] = {}

    def validators(self, url: str) -> tuple[str | None, str | None]:
        return self.saved.get(url, (None, None))

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        self.saved[url] = (etag, last_modified)


@pytest.fixture
def server() -> Iterator[LocalHTTPServer]:
    with serve() as running:
        yield running


def run(config: FetchConfig, body: Callable[[Fetcher], Awaitable[T]], validators: DictValidators | None = None) -> T:
    async def main() -> T:
        async with Fetcher(config, validators) as fetcher:
            return await body(fetcher)

    return asyncio.run(main())


def fetch(url: str, config: FetchConfig = FAST, validators: DictValidators | None = None) -> FetchResult:
    return run(config, lambda f: f.fetch(url), validators)


def test_a_page_comes_back_with_its_header_charset(server: LocalHTTPServer) -> None:
    url = server.route("/report", text(ARTICLE.encode("gbk"), content_type="text/html; Charset=GBK"))
    result = fetch(url)
    assert (result.status, result.http_status, result.error, result.attempts) == ("ok", 200, None, 1)
    assert result.content == ARTICLE.encode("gbk")
    assert (result.content_type, result.charset, result.truncated) == ("text/html", "gbk", False)
    assert result.url == result.final_url == url


def test_user_agent_and_accept_are_sent(server: LocalHTTPServer) -> None:
    url = server.route("/", text(ARTICLE))
    config = replace(FAST, user_agent="govwatch-test/9")
    run(config, lambda f: f.fetch(url, accept="application/rss+xml"))
    (request,) = server.requests
    assert request.headers["user-agent"] == "govwatch-test/9"
    assert request.headers["accept"] == "application/rss+xml"
    assert request.headers["accept-encoding"] == "gzip, deflate"


def test_slow_headers_are_a_read_timeout(server: LocalHTTPServer) -> None:
    url = server.route("/slow", slow(text(ARTICLE), 3.0))
    result = fetch(url, replace(FAST, retries=1))
    assert (result.status, result.error, result.attempts, result.http_status) == ("error", "read timeout", 2, None)
    assert len(server.requests) == 2
    assert result.elapsed < 1.5


def test_a_trickling_server_is_cut_by_the_total_timeout(server: LocalHTTPServer) -> None:
    # A byte every 0.05 s never trips the 0.3 s read timeout; only the wall-clock cap catches it.
    url = server.route("/trickle", trickle(10_000, 0.05))
    result = fetch(url, replace(FAST, total_timeout=0.5, retries=0))
    assert (result.status, result.error, result.attempts) == ("error", "timeout (total)", 1)
    assert result.elapsed < 1.0


def test_404_is_not_retried(server: LocalHTTPServer) -> None:
    url = server.route("/gone", text("not here", status=404))
    result = fetch(url)
    assert (result.status, result.error, result.http_status, result.attempts) == ("error", "HTTP 404", 404, 1)
    assert len(server.requests) == 1


def test_500_is_retried_then_an_error(server: LocalHTTPServer) -> None:
    url = server.route("/broken", text("oops", status=500))
    result = fetch(url, replace(FAST, retries=2))
    assert (result.status, result.error, result.http_status, result.attempts) == ("error", "HTTP 500", 500, 3)
    assert len(server.requests) == 3


def test_503_then_200_recovers(server: LocalHTTPServer) -> None:
    url = server.route("/flaky", sequence(text("busy", status=503), text(ARTICLE)))
    result = fetch(url)
    assert (result.status, result.http_status, result.attempts) == ("ok", 200, 2)
    assert result.content == ARTICLE.encode()


def test_a_small_retry_after_is_honoured(server: LocalHTTPServer) -> None:
    url = server.route("/later", sequence(Reply(503, [("Retry-After", "1")]), text(ARTICLE)))
    result = fetch(url, replace(FAST, backoff_max=2.0))
    assert (result.status, result.attempts) == ("ok", 2)
    first, second = server.requests
    assert second.time - first.time >= 0.95


def test_a_long_retry_after_gives_up_at_once(server: LocalHTTPServer) -> None:
    url = server.route("/closed", Reply(503, [("Retry-After", "3600")]))
    result = fetch(url)
    assert (result.status, result.error, result.attempts) == ("error", "HTTP 503", 1)


def test_429_is_retried_only_when_told_when(server: LocalHTTPServer) -> None:
    told = server.route("/told", sequence(Reply(429, [("Retry-After", "0")]), text(ARTICLE)))
    untold = server.route("/untold", Reply(429))
    assert (fetch(told).status, len(server.requests_to("/told"))) == ("ok", 2)
    assert (fetch(untold).error, len(server.requests_to("/untold"))) == ("HTTP 429", 1)


def test_a_ruishu_412_challenge_is_blocked_not_retried(server: LocalHTTPServer) -> None:
    url = server.route("/wall", ruishu_challenge())
    result = fetch(url)
    assert (result.status, result.http_status, result.attempts) == ("blocked", 412, 1)
    assert result.error is not None and "瑞数" in result.error
    assert len(server.requests) == 1


def test_an_empty_js_shell_is_blocked(server: LocalHTTPServer) -> None:
    result = fetch(server.route("/shell", js_shell()))
    assert (result.status, result.http_status) == ("blocked", 200)
    assert result.error == "JavaScript shell (HTTP 200)"


def test_an_article_with_a_noscript_notice_is_content(server: LocalHTTPServer) -> None:
    page = ARTICLE.replace("<body>", "<body><noscript>请开启JavaScript</noscript><script>var a=1;</script>")
    assert fetch(server.route("/article", text(page))).status == "ok"


@pytest.mark.parametrize(
    ("status", "body", "cookie", "blocked"),
    [
        (200, "<html><body>请开启JavaScript并刷新该页.</body></html>".encode("gbk"), "", True),
        (200, b"<html><script>var wzws_sessionid='x';</script></html>", "", True),
        (
            200,
            b"<html><head><script src='/wzws/a.js'></script></head><body></body></html>",
            "wzws_cid=abc; path=/",
            True,
        ),
        (200, b"", "wzws_cid=abc; path=/", False),
        (521, b"<script>document.cookie=('__jsl_clearance=1'+'');location.href=location.pathname</script>", "", True),
        (405, b"<html><script>var arg1='3D2B';acw_sc__v2=1;</script></html>", "", True),
        (405, b"Method Not Allowed", "", False),
        (200, b"<html><body><script>location.href='/a'</script>" + b"<p>text</p>" * 300 + b"</body></html>", "", False),
        (200, b"<html><body>short page without scripts</body></html>", "", False),
        (200, b"%PDF-1.7 binary", "", False),
    ],
)
def test_waf_signatures(status: int, body: bytes, cookie: str, blocked: bool) -> None:
    assert (waf.classify(status, body, cookie) is not None) is blocked


def test_a_redirect_loop_is_an_error_without_retry(server: LocalHTTPServer) -> None:
    url = server.route("/loop", redirect("/loop"))
    result = fetch(url)
    assert (result.status, result.error, result.attempts, result.http_status) == ("error", "too many redirects", 1, 302)
    assert len(server.requests) == 1 + FAST.max_redirects


def test_redirects_are_followed(server: LocalHTTPServer) -> None:
    server.route("/old", redirect("/new", 301))
    server.route("/new", text(ARTICLE))
    result = fetch(server.url("/old"))
    assert (result.status, result.url, result.final_url) == ("ok", server.url("/old"), server.url("/new"))


def fetch_measuring_memory(url: str) -> tuple[FetchResult, int]:
    """Fetch url and return the peak memory traced while fetching (measured inside the loop, on the fetch alone)."""

    async def measured(fetcher: Fetcher) -> tuple[FetchResult, int]:
        tracemalloc.start()
        try:
            result = await fetcher.fetch(url)
            return result, tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    return run(FAST, measured)


def test_a_50mb_body_is_truncated_at_the_cap(server: LocalHTTPServer) -> None:
    url = server.route("/huge", huge(50 * MB))
    result, peak = fetch_measuring_memory(url)
    assert (result.status, result.truncated, len(result.content)) == ("ok", True, MB)
    assert peak < 10 * MB
    assert result.elapsed < 3


def test_a_gzip_bomb_is_truncated_at_the_cap(server: LocalHTTPServer) -> None:
    url = server.route("/bomb", gzip_bomb(50 * MB))
    result, peak = fetch_measuring_memory(url)
    assert (result.status, result.truncated, len(result.content)) == ("ok", True, MB)
    assert result.content == bytes(MB)
    # The cap holds while decoding, not after: decoded whole, the 50 KB that arrive in one read would be 50 MB.
    assert peak < 10 * MB


@pytest.mark.parametrize("reply", [gzipped(ARTICLE), deflated(ARTICLE), deflated(ARTICLE, raw=True)])
def test_compressed_bodies_are_decoded(server: LocalHTTPServer, reply: Reply) -> None:
    result = fetch(server.route("/z", reply))
    assert (result.status, result.content, result.truncated) == ("ok", ARTICLE.encode(), False)


def test_a_body_exactly_at_the_cap_is_complete(server: LocalHTTPServer) -> None:
    result = fetch(server.route("/exact", huge(MB)))
    assert (len(result.content), result.truncated) == (MB, False)


def test_conditional_get_with_an_etag(server: LocalHTTPServer) -> None:
    url = server.route("/list", conditional(ARTICLE, etag='"v1"'))
    store = DictValidators()
    first = fetch(url, validators=store)
    assert (first.status, first.etag) == ("ok", '"v1"')
    assert store.saved[url] == ('"v1"', None)
    second = fetch(url, validators=store)
    assert (second.status, second.http_status, second.content) == ("not_modified", 304, b"")
    assert server.requests[1].headers["if-none-match"] == '"v1"'


def test_last_modified_round_trip(server: LocalHTTPServer) -> None:
    stamp = "Wed, 21 Oct 2025 07:28:00 GMT"
    url = server.route("/feed", conditional(ARTICLE, last_modified=stamp))
    store = DictValidators()
    assert fetch(url, validators=store).last_modified == stamp
    assert store.saved[url] == (None, stamp)
    assert fetch(url, validators=store).status == "not_modified"
    assert server.requests[1].headers["if-modified-since"] == stamp


def test_unconditional_fetch_sends_no_validators(server: LocalHTTPServer) -> None:
    url = server.route("/list", conditional(ARTICLE, etag='"v1"'))
    store = DictValidators()
    store.saved[url] = ('"v1"', None)
    result = run(FAST, lambda f: f.fetch(url, conditional=False), store)
    assert result.status == "ok"
    assert "if-none-match" not in server.requests[0].headers


def test_a_truncated_body_saves_no_validators(server: LocalHTTPServer) -> None:
    url = server.route("/big", replace(huge(2 * MB), headers=[("ETag", '"big"')]))
    store = DictValidators()
    assert fetch(url, validators=store).truncated
    assert store.saved == {}


def test_starts_to_one_host_are_spaced_by_the_delay(server: LocalHTTPServer) -> None:
    urls = [server.route(f"/p{i}", text(ARTICLE)) for i in range(3)]

    async def three(fetcher: Fetcher) -> list[FetchResult]:
        return list(await asyncio.gather(*(fetcher.fetch(u) for u in urls)))

    results = run(replace(FAST, per_host_delay=0.3), three)
    assert [r.status for r in results] == ["ok"] * 3
    starts = sorted(r.time for r in server.requests)
    # Wide slack: arrivals at the server jitter on a loaded machine (the first also opens the connection);
    # without the delay the three would arrive within a few milliseconds.
    assert all(b - a >= 0.2 for a, b in itertools.pairwise(starts))


def test_requests_in_flight_per_host_are_capped(server: LocalHTTPServer) -> None:
    urls = [server.route(f"/s{i}", slow(text(ARTICLE), 0.15)) for i in range(4)]

    async def four(fetcher: Fetcher) -> list[FetchResult]:
        return list(await asyncio.gather(*(fetcher.fetch(u) for u in urls)))

    results = run(replace(FAST, per_host_concurrency=2), four)
    assert [r.status for r in results] == ["ok"] * 4
    assert server.peak_in_flight == 2


@pytest.mark.skipif(not loopback_available("127.0.0.2"), reason="127.0.0.2 is not a loopback address here")
def test_hosts_do_not_wait_on_each_other(server: LocalHTTPServer) -> None:
    with serve(host="127.0.0.2") as other:
        urls = [server.route("/a", text(ARTICLE)), other.route("/a", text(ARTICLE))] * 2

        async def both(fetcher: Fetcher) -> list[FetchResult]:
            return list(await asyncio.gather(*(fetcher.fetch(u) for u in urls)))

        began = time.monotonic()
        results = run(replace(FAST, per_host_delay=0.4), both)
        took = time.monotonic() - began
        assert [r.status for r in results] == ["ok"] * 4
        assert abs(server.requests[0].time - other.requests[0].time) < 0.2
        assert took < 0.75  # serialised across hosts, the four starts would need 1.2 s


def test_a_closed_port_is_connection_refused() -> None:
    result = fetch(closed_port_url(), replace(FAST, retries=1))
    assert (result.status, result.error, result.attempts, result.http_status) == (
        "error",
        "connection refused",
        2,
        None,
    )


@pytest.mark.parametrize("url", ["http://", "not a url at all"])
def test_an_unusable_url_is_an_error_value(url: str) -> None:
    result = fetch(url)
    assert (result.status, result.error, result.attempts) == ("error", "invalid URL", 0)


@pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd", "gopher://example.org/", "data:,hi"])
def test_only_http_and_https_are_fetched(url: str) -> None:
    result = fetch(url)
    assert result.status == "error" and result.attempts == 0
    assert result.error is not None and "only http and https" in result.error


def test_a_given_transport_replaces_the_network() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=b"mock", headers={"ETag": '"m"'}))

    async def main() -> FetchResult:
        async with Fetcher(FAST, transport=transport) as fetcher:
            return await fetcher.fetch("http://example.invalid/")

    result = asyncio.run(main())
    assert (result.status, result.content, result.etag) == ("ok", b"mock", '"m"')


def test_a_failure_is_one_log_line_with_the_host_only(
    server: LocalHTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    url = server.route("/gone", text("no", status=404)) + "?token=SECRET"
    with caplog.at_level(logging.DEBUG, logger="govwatch.fetch"):
        fetch(url)
    records = [r for r in caplog.records if r.name == "govwatch.fetch"]
    assert len(records) == 1
    assert "127.0.0.1" in records[0].getMessage()
    assert "SECRET" not in caplog.text and "/gone" not in caplog.text
    assert logging.getLogger("httpx").level == logging.WARNING
    assert logging.getLogger("httpcore").level == logging.WARNING


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, (None, None)),
        ("text/html", ("text/html", None)),
        ('Text/HTML; charset="GB2312"', ("text/html", "gb2312")),
        ("application/pdf; name=a.pdf; charset=", ("application/pdf", None)),
    ],
)
def test_parse_content_type(header: str | None, expected: tuple[str | None, str | None]) -> None:
    assert parse_content_type(header) == expected


def test_parse_retry_after() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
