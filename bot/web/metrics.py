"""Prometheus metrics of a running govwatch: polls, documents, figures and alerts counted as they happen; the
outbox and failing sources read from the store at each scrape. A registry of its own, so tests and several
instances in one process never mix."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from scrapers.monitor import PollSummary
from storage.store import Store

__all__ = ["CONTENT_TYPE", "Metrics"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
POLL_BUCKETS = (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)


class _StoreGauges(Collector):
    """Gauges read from the store when Prometheus scrapes (cheap counts)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def collect(self) -> Iterator[GaugeMetricFamily]:
        pending = GaugeMetricFamily("govwatch_outbox_pending", "Alerts waiting to be sent (pending or sending)")
        counts = self.store.outbox_counts()
        pending.add_metric([], counts.get("pending", 0) + counts.get("sending", 0))
        yield pending
        failing = GaugeMetricFamily("govwatch_sources_failing", "Sources whose last poll failed (error or blocked)")
        failing.add_metric([], sum(1 for s in self.store.sources() if s.last_status in ("error", "blocked")))
        yield failing


class Metrics:
    """The counters `govwatch run` keeps, and the Prometheus text of them all."""

    def __init__(self, store: Store) -> None:
        self.registry = CollectorRegistry()
        self.polls = Counter(
            "govwatch_polls", "Polls by source and outcome", ["source", "status"], registry=self.registry
        )
        self.poll_seconds = Histogram(
            "govwatch_poll_seconds", "Wall time of one poll", buckets=POLL_BUCKETS, registry=self.registry
        )
        self.documents = Counter("govwatch_documents", "New documents stored", registry=self.registry)
        self.figures = Counter("govwatch_figures", "Figures stored with new documents", registry=self.registry)
        self.alerts_sent = Counter("govwatch_alerts_sent", "Alerts Telegram confirmed", registry=self.registry)
        self.alerts_failed = Counter(
            "govwatch_alerts_failed", "Alert sends that failed, by reason", ["reason"], registry=self.registry
        )
        self.registry.register(_StoreGauges(store))

    def observe_poll(self, summary: PollSummary) -> None:
        """Count one poll (a poll another process claimed is not one of ours)."""
        if summary.status == "skipped":
            return
        self.polls.labels(source=summary.source[:100], status=summary.status).inc()
        self.poll_seconds.observe(summary.seconds)
        self.documents.inc(summary.new)
        self.figures.inc(summary.figures)

    def alert_sent(self) -> None:
        """One alert confirmed."""
        self.alerts_sent.inc()

    def alert_failed(self, reason: str) -> None:
        """One failed send: retry_after, transient, permanent, rejected or migrated."""
        self.alerts_failed.labels(reason=reason).inc()

    def text(self) -> bytes:
        """The Prometheus exposition of every metric (reads the store: call it off the event loop)."""
        return generate_latest(self.registry)
