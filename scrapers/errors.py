"""The one error value of the scrapers: why a fetch, a discovery or an extraction gave nothing."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ScrapeError:
    """Why a page, feed or document gave nothing, in one line (errors are values, not exceptions)."""

    message: str
