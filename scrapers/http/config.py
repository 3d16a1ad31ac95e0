"""The fetcher's configuration (the `[fetch]` table of the settings), light enough to load with the settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from scrapers.limits import MAX_BODY_BYTES

__all__ = ["FetchConfig"]


@dataclass(frozen=True, slots=True)
class FetchConfig:
    """Timeouts, size cap, politeness and retry settings shared by every fetch (the `[fetch]` table)."""

    # Settings embed this dataclass: an unknown key in `[fetch]` is an error.
    __pydantic_config__: ClassVar[dict[str, str]] = {"extra": "forbid"}

    user_agent: str = "Mozilla/5.0 (compatible; govwatch/0.1; +https://github.com/govwatch)"
    proxy: str | None = None
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 90.0  # wall-clock cap per request, a server trickling bytes included
    max_bytes: int = MAX_BODY_BYTES  # a larger (decoded) body is cut off while streaming
    per_host_concurrency: int = 2  # at most this many requests in flight per host
    per_host_delay: float = 1.0  # minimum seconds between request starts to one host
    # The gap between starts is kept across every process on one database (a backfill beside `govwatch run`).
    share_host_limits: bool = True
    retries: int = 3  # further attempts after the first, on timeouts, connection errors and 5xx; never on 4xx
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    max_redirects: int = 5
    # Loopback, private, link-local and reserved addresses are never fetched (a scraped link may point there)
    # unless this is true: local setups and tests serving pages on 127.0.0.1.
    allow_private: bool = False
    # Seconds one document may take to extract and parse in the monitor; past it the item is stored without
    # figures (so it is not read again on every poll) and the source's other items go on.
    parse_timeout: float = 60.0
