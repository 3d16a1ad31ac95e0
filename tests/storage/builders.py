"""Documents and figures for the storage tests: real parsers.model.Figure objects, plausible reports."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from bot.alerts.policy import alert_regions
from parsers.model import Basis, Figure
from storage import NewDocument, SavedDocument, Store

GUJIAO = ("古交市", "140181")
JIAOCHENG = ("交城县", "141122")
# Long enough to identify a report by its text (a stub shorter than 100 characters never does).
REPORT_BODY = "2025年，全市地区生产总值完成95亿元，增长1%；固定资产投资完成19.7亿元，下降41.5%。" * 4


def figure(
    indicator: str = "gdp",
    period: str = "2025",
    basis: Basis = "actual",
    value: float | None = 95.0,
    yoy: float | None = 1.0,
    region: tuple[str, str] = GUJIAO,
    unit: str = "亿元",
    qualifier: str | None = None,
    quote: str | None = None,
) -> Figure:
    """One figure of 古交市 unless told otherwise."""
    return Figure(
        region=region[0],
        region_code=region[1],
        indicator=indicator,
        period=period,
        basis=basis,
        value=value,
        unit=unit,
        yoy=yoy,
        qualifier=qualifier,
        quote=quote if quote is not None else f"{indicator} {period} {basis} {value}",
    )


def document(
    url: str,
    title: str | None = "古交市2025年国民经济和社会发展统计公报",
    text: str = REPORT_BODY,
    published: date | None = date(2026, 3, 20),
    region: tuple[str, str] = GUJIAO,
    kind: str = "bulletin",
    fetched_at: datetime | None = None,
    baseline: bool = False,
    source: str = "古交市统计局",
) -> NewDocument:
    """A new document of 古交市 unless told otherwise."""
    return NewDocument(
        canonical_url=url,
        source_name=source,
        title=title,
        published=published,
        kind=kind,
        region=region[0],
        region_code=region[1],
        text=text,
        attachment_url=None,
        baseline=baseline,
        fetched_at=fetched_at,
    )


def at(day: int, hour: int = 0) -> datetime:
    """A fetch time in March 2026, UTC."""
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def save(store: Store, doc: NewDocument, figures: Sequence[Figure]) -> SavedDocument:
    """Save a document as the monitor does: with the alert policy's decision of whom it alerts."""
    return store.save_document(doc, figures, alert_regions(doc, figures))
