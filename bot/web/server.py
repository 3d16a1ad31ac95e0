"""The HTTP endpoint of `govwatch run` (aiohttp, on the run's own event loop): /healthz, /metrics, Atom feeds and
/figures.csv. Nothing here changes state; query parameters are validated, and scraped text is escaped by the
XML and CSV writers."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from aiohttp import web

from bot.spreadsheets import figures_csv
from bot.web.atom import FEED_ENTRIES, atom_feed, feed_etag
from bot.web.metrics import CONTENT_TYPE, Metrics
from parsers.indicators import resolve_indicator
from parsers.regions import Gazetteer, Region
from storage.store import Store

__all__ = ["WebServer", "region_codes"]

log = logging.getLogger("govwatch.web")
QUERY_LIMIT = 100  # characters of a query parameter read
_SINCE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def region_codes(gazetteer: Gazetteer, region: Region) -> list[str]:
    """The region's code and every division under it (a city's counties; a province's cities and counties)."""
    return [r.code for r in gazetteer.with_descendants(region)]


@dataclass
class WebServer:
    """Routes over the store; `running` says whether the scheduler runs (for /healthz)."""

    store: Store
    metrics: Metrics
    running: Callable[[], bool]
    gazetteer: Gazetteer

    def app(self) -> web.Application:
        """The aiohttp application (GET and HEAD only)."""
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/metrics", self.prometheus)
        app.router.add_get("/feeds/{name}.atom", self.feed)
        app.router.add_get("/figures.csv", self.figures)
        return app

    async def start(self, listen: str) -> web.AppRunner:
        """Serve on HOST:PORT until the runner is cleaned up."""
        host, _, port = listen.rpartition(":")
        runner = web.AppRunner(self.app(), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, host.strip("[]"), int(port)).start()
        log.info("http: serving /healthz, /metrics, /feeds and /figures.csv on %s", listen)
        return runner

    async def healthz(self, request: web.Request) -> web.Response:
        """200 while the scheduler runs and the store answers; 503 otherwise (for Docker and Kubernetes)."""
        body: dict[str, object] = {"scheduler": self.running()}
        try:
            polls = await asyncio.to_thread(self.store.recent_polls, None, 1)
            counts = await asyncio.to_thread(self.store.outbox_counts)
            body["database"] = True
            body["last_poll_age_seconds"] = _age(polls[0].finished_at) if polls else None
            body["alerts_pending"] = counts.get("pending", 0) + counts.get("sending", 0)
        except Exception as exc:  # the database is unreachable: that is the answer, not a crash
            body["database"] = False
            body["error"] = type(exc).__name__
        ok = bool(body["scheduler"]) and bool(body["database"])
        body["status"] = "ok" if ok else "unavailable"
        return web.json_response(body, status=200 if ok else 503)

    async def prometheus(self, request: web.Request) -> web.Response:
        """The Prometheus text exposition."""
        text = await asyncio.to_thread(self.metrics.text)
        return web.Response(body=text, headers={"Content-Type": CONTENT_TYPE})

    def _region(self, query: str) -> Region | None:
        resolution = self.gazetteer.resolve(query[:QUERY_LIMIT])
        return resolution.region

    async def feed(self, request: web.Request) -> web.StreamResponse:
        """`/feeds/all.atom` or `/feeds/<region>.atom` (a name, short form or code; a city includes its counties)."""
        name = request.match_info["name"]
        if name == "all":
            codes, title, key = None, "govwatch：全部地区", "all"
        else:
            region = self._region(name)
            if region is None:
                raise web.HTTPNotFound(text="unknown region\n")
            codes = region_codes(self.gazetteer, region)
            title, key = f"govwatch：{region.name}", region.code
        docs = await asyncio.to_thread(self.store.documents_in, codes, FEED_ENTRIES)
        feed_id = f"urn:govwatch:feed:{key}"
        etag = feed_etag(docs, feed_id)
        if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
            return web.Response(status=304, headers={"ETag": etag})
        figures = await asyncio.to_thread(self.store.document_figure_lists, [d.id for d in docs])
        self_url = str(request.url.with_query(None))
        body = atom_feed(title, feed_id, self_url, docs, figures, datetime.now(UTC))
        headers = {"ETag": etag, "Content-Type": "application/atom+xml; charset=utf-8"}
        return web.Response(body=body, headers=headers)

    async def figures(self, request: web.Request) -> web.Response:
        """`/figures.csv?region=&indicator=&since=`: the figures, UTF-8 with a BOM."""
        query = request.query
        codes = None
        if query.get("region"):
            region = self._region(query["region"])
            if region is None:
                raise web.HTTPNotFound(text="unknown region\n")
            codes = region_codes(self.gazetteer, region)
        indicator = None
        if query.get("indicator"):
            found = resolve_indicator(query["indicator"][:QUERY_LIMIT])
            if found is None:
                raise web.HTTPBadRequest(text="unknown indicator\n")
            indicator = found.id
        since = _since(query.get("since", ""))
        figs = await asyncio.to_thread(self.store.figures_in, codes, indicator, since)
        body = await asyncio.to_thread(figures_csv, figs)
        headers = {
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": 'attachment; filename="govwatch-figures.csv"',
        }
        return web.Response(body=body, headers=headers)


def _age(moment: datetime) -> int:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return round((datetime.now(UTC) - aware).total_seconds())


def _since(value: str) -> date | None:
    """`2020`, `2020-06` or `2020-06-30` as the first day it names; 400 on anything else."""
    if not value:
        return None
    m = _SINCE.fullmatch(value.strip()[:QUERY_LIMIT])
    try:
        if m is None:
            raise ValueError(value)
        return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        raise web.HTTPBadRequest(text="since: YYYY, YYYY-MM or YYYY-MM-DD\n") from None
