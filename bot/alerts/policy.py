"""Who hears of a new document: the alert policy, decided here and handed to storage with each document."""

from __future__ import annotations

import re
from collections.abc import Sequence

from parsers.model import DocKind, Figure
from parsers.regions import Gazetteer
from storage.records import NewDocument

__all__ = ["REPORT_KINDS", "alert_regions", "reach", "worth_alerting"]

# Kinds that alert even without a key figure: the reports govwatch exists to notice.
REPORT_KINDS: frozenset[DocKind] = frozenset({"work_report", "plan_report", "bulletin", "indicator_table"})
_REGION_CODE = re.compile(r"[0-9]{6}")


def worth_alerting(baseline: bool, kind: str, figure_count: int) -> bool:
    """Whether a new (not reposted) document alerts: never a baseline; a key figure or a report by its kind."""
    return not baseline and (figure_count > 0 or kind in REPORT_KINDS)


def reach(region_code: str | None, gazetteer: Gazetteer | None = None) -> tuple[str | None, ...]:
    """The subscriptions a document of `region_code` reaches: its region, every region containing it, everything.

    A subscription to a city covers its counties; a document without a known region reaches only those who
    follow everything (None).
    """
    if region_code is None or not _REGION_CODE.fullmatch(region_code):
        return (None,)
    gaz = gazetteer or Gazetteer.default()
    region = gaz.by_code(region_code)
    ancestors = () if region is None else gaz.ancestors(region)  # a code the gazetteer lacks: followed as given
    return (region_code, *(a.code for a in ancestors), None)


def alert_regions(doc: NewDocument, figures: Sequence[Figure]) -> tuple[str | None, ...]:
    """The subscription regions a new document alerts (none when it is not worth an alert)."""
    if not worth_alerting(doc.baseline, doc.kind, len(figures)):
        return ()
    return reach(doc.region_code)
