"""Reading HTTP answers and failures: Content-Type, Retry-After, and a short reason for each transport error."""

from __future__ import annotations

import email.utils
import ssl
from datetime import UTC, datetime

import httpx

__all__ = ["describe", "parse_content_type", "parse_retry_after"]


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """Split a Content-Type header into (media type, charset), both lower-cased."""
    if not value:
        return None, None
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'").lower() or None
    return media.strip().lower() or None, charset


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), None when absent or bad."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _connect_reason(exc: httpx.ConnectError) -> tuple[str, bool]:
    cause: BaseException | None = exc
    while cause is not None:
        if str(cause).startswith("refused:"):
            return str(cause)[:200], False  # a non-public address (scrapers.http.addresses) stays non-public
        if isinstance(cause, ConnectionRefusedError) or "refused" in str(cause).lower():
            return "connection refused", True
        if isinstance(cause, ssl.SSLError):
            return "TLS error", False  # a bad certificate stays bad
        if any(word in str(cause).lower() for word in ("name or service", "nodename", "name resolution")):
            return "name resolution failed", True
        cause = cause.__cause__ or cause.__context__
    return "connection error", True


def describe(exc: httpx.HTTPError) -> tuple[str, bool]:
    """A short reason for an httpx failure, and whether trying again may help."""
    if isinstance(exc, httpx.ConnectTimeout):
        return "connect timeout", True
    if isinstance(exc, httpx.ReadTimeout):
        return "read timeout", True
    if isinstance(exc, httpx.TimeoutException):
        return "timeout", True
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "invalid URL", False
    if isinstance(exc, httpx.ProxyError):
        return "proxy error", True
    if isinstance(exc, httpx.ConnectError):
        return _connect_reason(exc)
    if isinstance(exc, httpx.RemoteProtocolError):
        if "disconnect" in str(exc).lower() or "incomplete" in str(exc).lower():
            return "connection closed", True
        return "protocol error", False
    if isinstance(exc, httpx.TransportError):
        return "connection error", True
    return type(exc).__name__, False
