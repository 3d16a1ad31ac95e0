"""One shared httpx.AsyncClient for all fetching: timeouts, a size cap, politeness, conditional GET, retries."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from dataclasses import dataclass, replace
from types import TracebackType
from typing import Literal, Protocol, Self

import httpx

from scrapers.http import waf
from scrapers.http.addresses import guarded_transport, refusal
from scrapers.http.body import BodyError, read_capped
from scrapers.http.config import FetchConfig
from scrapers.http.politeness import HostClock, Politeness
from scrapers.http.reasons import describe, parse_content_type, parse_retry_after

__all__ = ["DEFAULT_CONFIG", "FetchConfig", "FetchResult", "Fetcher", "parse_content_type", "parse_retry_after"]

log = logging.getLogger("govwatch.fetch")

FetchStatus = Literal["ok", "not_modified", "blocked", "error"]

DEFAULT_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# Only codings this module can undo a bounded step at a time are offered (never br or zstd).
ACCEPT_ENCODING = "gzip, deflate"
# Error pages are read only as far as a challenge signature could be found in them.
ERROR_BODY_BYTES = waf.SCAN_BYTES


DEFAULT_CONFIG = FetchConfig()


class Validators(Protocol):
    """Conditional-GET memory: the ETag and Last-Modified last seen for a URL."""

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """Return (etag, last_modified) saved for url."""
        ...

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember the validators of url's latest complete 200 response."""
        ...


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one fetch gave: content, or why there is none (never an exception)."""

    url: str
    final_url: str
    status: FetchStatus
    http_status: int | None
    content: bytes
    content_type: str | None
    charset: str | None  # from the Content-Type header only; <meta> is scrapers.extract.decode's business
    etag: str | None
    last_modified: str | None
    truncated: bool
    error: str | None
    attempts: int
    elapsed: float


@dataclass(frozen=True, slots=True)
class _Attempt:
    """The outcome of one attempt (its redirects included), before retry is decided."""

    status: FetchStatus
    final_url: str
    http_status: int | None = None
    headers: httpx.Headers | None = None
    content: bytes = b""
    truncated: bool = False
    error: str | None = None
    retryable: bool = False
    retry_after: float | None = None


class Fetcher:
    """Fetches URLs through one shared httpx.AsyncClient; every outcome is a FetchResult, never an exception."""

    def __init__(
        self,
        config: FetchConfig = DEFAULT_CONFIG,
        validators: Validators | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        host_clock: HostClock | None = None,
    ) -> None:
        # httpx logs every request with its full URL (query strings, tokens) at INFO.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        logging.getLogger("httpcore").setLevel(logging.WARNING)
        self._config = config
        self._validators = validators
        self._known: dict[str, tuple[str | None, str | None]] = {}
        clock = host_clock if config.share_host_limits else None
        self._politeness = Politeness(config.per_host_concurrency, config.per_host_delay, clock)
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=10)
        self._client = httpx.AsyncClient(
            headers={
                "User-Agent": config.user_agent,
                "Accept-Encoding": ACCEPT_ENCODING,
                "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5",
            },
            timeout=httpx.Timeout(
                connect=config.connect_timeout,
                read=config.read_timeout,
                write=config.read_timeout,
                pool=config.total_timeout,
            ),
            # Small pools: polls are minutes apart, so keep-alive rarely pays, and httpcore scans its pool per request.
            limits=limits,
            # A given transport replaces the network (tests); a proxy would be mounted over it. Otherwise every
            # connection goes to a public address only (scrapers.http.addresses), unless allow_private.
            proxy=config.proxy if transport is None else None,
            transport=transport or _default_transport(config, limits),
            # Redirects are followed hop by hop here: politeness per host, and no redirect body read whole.
            follow_redirects=False,
            # The proxy comes from the configuration only, not from whatever the environment holds.
            trust_env=False,
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the shared client and its connections."""
        await self._client.aclose()

    async def fetch(
        self, url: str, *, conditional: bool = True, accept: str | None = None, keep_validators: bool = True
    ) -> FetchResult:
        """GET url politely with retries; conditional sends the saved ETag/Last-Modified. With keep_validators
        False the caller saves them (`keep_validators`) once it has used the whole response."""
        started = time.monotonic()
        known = await self._load_validators(url) if conditional else (None, None)
        try:
            request = self._client.build_request("GET", url, headers=self._request_headers(known, accept))
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError):
            request = None
        refused = _refused(url, request, self._config.allow_private)
        if refused is not None or request is None:
            log.warning("fetch error: %s: %s", _host(url), refused)
            return _result(url, _Attempt("error", url, error=refused or "invalid URL"), 0, started)
        attempts = 0
        while True:
            attempts += 1
            try:
                attempt = await self._attempt(request)
            except Exception as exc:  # a bug here must not stop the monitor: it becomes a value and a log line
                log.exception("fetch failed: %s: internal error", _host(url))
                attempt = _Attempt("error", url, error=f"internal error ({type(exc).__name__})")
            delay = self._retry_delay(attempt, attempts)
            if delay is None:
                break
            log.debug("fetch retry: %s: %s, attempt %d in %.2fs", _host(url), attempt.error, attempts + 1, delay)
            if attempt.retry_after is not None:
                self._politeness.defer(_host(attempt.final_url), delay)
            await asyncio.sleep(delay)
        result = _result(url, attempt, attempts, started)
        self._after(result)
        if conditional and keep_validators:
            await self._save_validators(result, known)
        return result

    async def keep_validators(self, result: FetchResult) -> None:
        """Save a response's ETag/Last-Modified for the next conditional GET: a 304 then means "nothing new", so a
        list's are kept only once every item it led to was read."""
        await self._save_validators(result, await self._load_validators(result.url))

    async def _save_validators(self, result: FetchResult, known: tuple[str | None, str | None]) -> None:
        store = self._validators
        if store is not None and self._should_save(result, known):
            # The store is a database: its calls leave the event loop free for the other fetches.
            await asyncio.to_thread(store.save_validators, result.url, result.etag, result.last_modified)
            self._known[result.url] = (result.etag, result.last_modified)

    async def _load_validators(self, url: str) -> tuple[str | None, str | None]:
        # Read once per URL from the store, then kept: this process is the one that writes them.
        if self._validators is None:
            return (None, None)
        known = self._known.get(url)
        if known is None:
            known = self._known[url] = await asyncio.to_thread(self._validators.validators, url)
        return known

    def _should_save(self, result: FetchResult, known: tuple[str | None, str | None]) -> bool:
        """Only a complete 200 whose validators changed is written (most polls change nothing)."""
        if self._validators is None or result.status != "ok" or result.http_status != 200 or result.truncated:
            return False
        return (result.etag, result.last_modified) != known

    def _request_headers(self, known: tuple[str | None, str | None], accept: str | None) -> dict[str, str]:
        headers = {"Accept": accept or DEFAULT_ACCEPT}
        etag, last_modified = known
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return headers

    def _retry_delay(self, attempt: _Attempt, attempts: int) -> float | None:
        config = self._config
        if not attempt.retryable or attempts > config.retries:
            return None
        if attempt.retry_after is not None:
            # A server asking for a long pause is not hammered: the next poll will try again.
            return attempt.retry_after if attempt.retry_after <= config.backoff_max else None
        if attempt.http_status == 429:
            return None  # a 4xx: retried only when the server says when
        return random.uniform(0, min(config.backoff_max, config.backoff_base * 2 ** (attempts - 1)))

    def _after(self, result: FetchResult) -> None:
        host = _host(result.url)
        if result.status in ("error", "blocked"):
            log.warning("fetch %s: %s: %s (%d attempts)", result.status, host, result.error, result.attempts)
        elif result.truncated:
            log.warning("fetch truncated: %s: body cut at %d bytes", host, len(result.content))

    async def _attempt(self, request: httpx.Request) -> _Attempt:
        redirects = 0
        while True:
            try:
                async with self._politeness.slot(request.url.host):
                    async with asyncio.timeout(self._config.total_timeout):
                        response, content, truncated = await self._exchange(request)
            except TimeoutError:
                return _Attempt("error", str(request.url), error="timeout (total)", retryable=True)
            except httpx.HTTPError as exc:
                error, retryable = describe(exc)
                return _Attempt("error", str(request.url), error=error, retryable=retryable)
            except BodyError as exc:
                return _Attempt("error", str(request.url), error=str(exc))
            if response.next_request is None:
                return _judge(response, content, truncated)
            if redirects >= self._config.max_redirects:
                return _Attempt("error", str(request.url), response.status_code, error="too many redirects")
            refused = refusal(response.next_request.url, self._config.allow_private)
            if refused is not None:  # every hop is checked: a public page may redirect inwards
                return _Attempt("error", str(request.url), response.status_code, error=f"redirect {refused}")
            redirects += 1
            request = response.next_request

    async def _exchange(self, request: httpx.Request) -> tuple[httpx.Response, bytes, bool]:
        response = await self._client.send(request, stream=True)
        try:
            if response.next_request is not None:
                return response, b"", False  # a redirect's body is never read
            limit = self._config.max_bytes if response.is_success else min(self._config.max_bytes, ERROR_BODY_BYTES)
            content, truncated = await read_capped(response, limit)
            return response, content, truncated
        finally:
            await response.aclose()


def _refused(url: str, request: httpx.Request | None, allow_private: bool) -> str | None:
    """Why the URL is not fetched: not a URL, a scheme other than http(s) (judged on the URL as written:
    file:///etc/passwd has no host), no host, or a non-public address."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError):
        return "invalid URL"
    if request is None or not parsed.scheme:
        return "invalid URL"
    refused = refusal(parsed, allow_private)
    if refused is None and not (parsed.host and request.url.host):
        return "invalid URL"
    return refused


def _default_transport(config: FetchConfig, limits: httpx.Limits) -> httpx.AsyncBaseTransport | None:
    """The guarded transport, or None (httpx's own) when private addresses are allowed or a proxy resolves names."""
    return None if config.allow_private or config.proxy else guarded_transport(limits)


def _judge(response: httpx.Response, content: bytes, truncated: bool) -> _Attempt:
    status, url = response.status_code, str(response.url)
    attempt = _Attempt("ok", url, status, response.headers, content, truncated)
    if status == 304:
        return replace(attempt, status="not_modified", content=b"", truncated=False)
    challenge = waf.classify(status, content, "; ".join(response.headers.get_list("set-cookie")))
    if challenge is not None:
        return replace(attempt, status="blocked", error=challenge)
    if 200 <= status < 300:
        return attempt
    retry_after = parse_retry_after(response.headers.get("retry-after")) if status in (429, 503) else None
    transient = status >= 500 or status == 429
    return replace(attempt, status="error", error=f"HTTP {status}", retryable=transient, retry_after=retry_after)


def _result(url: str, attempt: _Attempt, attempts: int, started: float) -> FetchResult:
    headers = attempt.headers if attempt.headers is not None else httpx.Headers()
    content_type, charset = parse_content_type(headers.get("content-type"))
    return FetchResult(
        url=url,
        final_url=attempt.final_url,
        status=attempt.status,
        http_status=attempt.http_status,
        content=attempt.content,
        content_type=content_type,
        charset=charset,
        etag=headers.get("etag"),
        last_modified=headers.get("last-modified"),
        truncated=attempt.truncated,
        error=attempt.error,
        attempts=attempts,
        elapsed=time.monotonic() - started,
    )


def _host(url: str) -> str:
    """The host of url for log lines: never the path or query, which may hold tokens."""
    try:
        return httpx.URL(url).host or "?"
    except (httpx.InvalidURL, ValueError):
        return "?"
