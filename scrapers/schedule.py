"""What the monitor is told about a source, and how a failing source backs off (light: loaded with the settings)."""

from __future__ import annotations

from dataclasses import dataclass

from scrapers.discover.items import Selectors, SourceKind

__all__ = ["DEFAULT_BACKOFF", "DEFAULT_MAX_NEW", "Backoff", "SourceSpec"]

DEFAULT_MAX_NEW = 30  # items read per poll; the rest come on the next one


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """A source to poll, as the settings describe it."""

    name: str
    url: str
    kind: SourceKind = "list"
    region: str | None = None
    interval: float = 1800.0
    selectors: Selectors | None = None
    backfill_since: int | None = None  # after the first poll, fetch the column's history back to this year


@dataclass(frozen=True, slots=True)
class Backoff:
    """How a failing source backs off: after `after` failures its interval doubles per `after` more, capped."""

    after: int = 3
    cap: float = 86400.0

    def delay(self, interval: float, failures: int) -> float:
        """Seconds until a source with this many consecutive failures is polled again."""
        if failures < self.after:
            return interval
        factor = 2.0 ** ((failures - self.after) // self.after + 1)
        return float(min(self.cap, interval * factor))


DEFAULT_BACKOFF = Backoff()
