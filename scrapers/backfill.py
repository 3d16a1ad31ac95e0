"""Backfill: walk a source's list pages back in time and store what they list, as baseline (never alerting).

A walk reads page after page through the pager (`scrapers.discover.pagers`) and stores each new item exactly as
a poll does (`Monitor.read_item`), with the monitor's fetcher: the same per-host limits, shared with every
process on the database. It stops at the last page, at a page that loops back, after `pages` pages, or at a page
whose dated items are all older than 1 January of `since`. After each page its cursor is saved, so an
interrupted walk resumes at the next page and a second walk fetches no article again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from scrapers.discover.items import Item
from scrapers.discover.lists import read_list
from scrapers.discover.pagers import Pager
from scrapers.discover.source_kinds import SOURCE_KINDS, Listing
from scrapers.errors import ScrapeError
from scrapers.extract.decode import decode_bytes
from scrapers.http.fetch import FetchResult
from scrapers.monitor import Monitor
from scrapers.schedule import SourceSpec
from storage.records import BackfillState

__all__ = ["BackfillPlan", "BackfillSummary", "Backfiller", "BackgroundBackfills", "PageDone"]

log = logging.getLogger("govwatch.backfill")
# Pages that may be missing in a row (skipped by the pager's formula) before the walk gives up.
MAX_MISSING_PAGES = 3


@dataclass(frozen=True, slots=True)
class BackfillPlan:
    """How far back to walk: at most ``pages`` list pages (from the first), back to 1 January of ``since``."""

    pages: int | None = None
    since: int | None = None
    pause: float = 0.0  # seconds between pages: a background walk yields the hosts to the polls


@dataclass(frozen=True, slots=True)
class PageDone:
    """One list page of a walk, for the progress display and the log line."""

    source: str
    page: int
    url: str
    items: int = 0
    new: int = 0
    figures: int = 0
    total_pages: int | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class BackfillSummary:
    """What one walk did (this run's counts) and why it stopped."""

    source: str
    status: str  # done | failed | skipped
    pages: int = 0
    items: int = 0
    documents: int = 0
    figures: int = 0
    stop_reason: str = ""


PageListener = Callable[[PageDone], None]


def log_page(done: PageDone) -> None:
    """The default listener: one log line per page."""
    if done.error:
        log.warning("source %s: backfill page %d %s: %s", done.source, done.page, done.url, done.error)
    else:
        log.info(
            "source %s: backfill page %d%s, %d items, %d new, %d figures",
            done.source,
            done.page,
            f"/{done.total_pages}" if done.total_pages else "",
            done.items,
            done.new,
            done.figures,
        )


@dataclass(slots=True)
class _Walk:
    """A walk under way: where it is, what it has read, and this run's counts."""

    state: BackfillState
    url: str | None
    page: int
    visited: set[str]
    pager: Pager | None = None
    missing: int = 0
    pages: int = 0
    items: int = 0
    documents: int = 0
    figures: int = 0
    stop: str = ""
    failed: bool = False


class Backfiller:
    """Walks sources' pages with one monitor (its store, its fetcher and its per-host limits)."""

    def __init__(self, monitor: Monitor, listener: PageListener = log_page) -> None:
        self.monitor = monitor
        self.listener = listener

    async def run(self, spec: SourceSpec, plan: BackfillPlan) -> BackfillSummary:
        """Walk one source as far as the plan says; never raises for a site's faults."""
        if SOURCE_KINDS[spec.kind].item_is_listing:
            return BackfillSummary(spec.name, "skipped", stop_reason=f"a {spec.kind} source has no pages")
        store = self.monitor.store
        await asyncio.to_thread(store.upsert_source, spec.name, spec.url, spec.kind, spec.region)
        walk = self._start(spec, await asyncio.to_thread(store.backfill, spec.name))
        while walk.url is not None and not walk.stop:
            done = await self._step(spec, plan, walk)
            await asyncio.to_thread(store.save_backfill, self._cursor(walk))
            if done is not None:  # told only once the page is saved: a crash in the display resumes after it
                self.listener(done)
            if plan.pause and walk.url is not None and not walk.stop:
                await asyncio.sleep(plan.pause)
        status = "failed" if walk.failed else "done"
        summary = BackfillSummary(
            spec.name, status, walk.pages, walk.items, walk.documents, walk.figures, walk.stop or "last page"
        )
        log.info("source %s: backfill %s after %d pages: %s", spec.name, status, walk.pages, summary.stop_reason)
        return summary

    @staticmethod
    def _start(spec: SourceSpec, saved: BackfillState | None) -> _Walk:
        """Resume an unfinished walk of the same URL at its next page; otherwise start at the first page."""
        if saved is not None and saved.start_url == spec.url and saved.status != "done" and saved.next_url:
            return _Walk(saved, saved.next_url, saved.page + 1, set())
        fresh = BackfillState(spec.name, spec.url, spec.url)
        return _Walk(fresh, spec.url, 1, set())

    def _cursor(self, walk: _Walk) -> BackfillState:
        over = walk.stop and not walk.failed
        return replace(
            walk.state,
            next_url=None if over else walk.url,
            page=walk.page - 1,
            status="done" if over else ("failed" if walk.failed else "running"),
            stop_reason=walk.stop or None,
        )

    async def _step(self, spec: SourceSpec, plan: BackfillPlan, walk: _Walk) -> PageDone | None:
        url = walk.url
        assert url is not None
        if plan.pages is not None and walk.page > plan.pages:
            walk.stop = f"page limit ({plan.pages})"
            return None
        walk.visited.add(url)
        fetched = await self.monitor.fetcher.fetch(url, conditional=False)
        if fetched.status != "ok":
            return self._missing(spec, walk, fetched.error or fetched.status)
        found = self._items(spec, fetched)
        if isinstance(found, ScrapeError):
            return self._missing(spec, walk, found.message)
        items, pager = found
        walk.missing = 0
        return await self._read_page(spec, plan, walk, items, fetched, pager)

    async def _read_page(
        self, spec: SourceSpec, plan: BackfillPlan, walk: _Walk, items: list[Item], page: FetchResult,
        pager: Pager | None,
    ) -> PageDone:  # fmt: skip
        since = date(plan.since, 1, 1) if plan.since else None
        wanted = [i for i in items if since is None or i.published is None or i.published >= since]
        known = await asyncio.to_thread(self.monitor.store.known_urls, [i.url for i in wanted])
        fresh = [i for i in wanted if i.url not in known]
        results = await asyncio.gather(*(self.monitor.read_item(spec, i, True, page) for i in fresh))
        saved = [r for r in results if r is not None]
        new, figures = len(saved), sum(n for _, n in saved)
        walk.pages, walk.items, walk.documents, walk.figures = (
            walk.pages + 1, walk.items + len(items), walk.documents + new, walk.figures + figures
        )  # fmt: skip
        walk.state = replace(walk.state, documents=walk.state.documents + new, figures=walk.state.figures + figures)
        done = PageDone(spec.name, walk.page, walk.url or "", len(items), new, figures, pager.total if pager else None)
        walk.url, walk.page, walk.pager = (pager.next_url if pager else None), walk.page + 1, pager
        dated = [i.published for i in items if i.published is not None]
        if not items:
            walk.stop = f"page {walk.page - 1} lists nothing"
        elif since is not None and dated and max(dated) < since:
            walk.stop = f"every item older than {since:%Y-%m-%d}"
        elif walk.url is None:
            walk.stop = "last page"
        elif walk.url in walk.visited:
            walk.stop = "the pager loops back to a page already read"
        return done

    def _items(self, spec: SourceSpec, page: FetchResult) -> tuple[list[Item], Pager | None] | ScrapeError:
        if spec.kind != "list":  # a feed is one page
            found = SOURCE_KINDS[spec.kind].discover(
                Listing(page.content, page.charset, page.final_url), self.monitor.today(), spec.selectors
            )
            return found if isinstance(found, ScrapeError) else (found, None)
        html = decode_bytes(page.content, page.charset).text
        reading = read_list(html, page.final_url, self.monitor.today(), spec.selectors)
        return reading if isinstance(reading, ScrapeError) else (reading.items, reading.pager)

    @staticmethod
    def _missing(spec: SourceSpec, walk: _Walk, error: str) -> PageDone:
        """A page that cannot be read: skipped where the pager's formula names the next one, else the walk halts
        there (failed: the next run retries it)."""
        done = PageDone(spec.name, walk.page, walk.url or "", error=error)
        following = walk.pager.url_for(walk.page + 1) if walk.pager is not None else None
        if following is not None and walk.missing < MAX_MISSING_PAGES and following not in walk.visited:
            walk.missing += 1
            walk.url, walk.page = following, walk.page + 1
            return done
        walk.stop, walk.failed = f"page {walk.page} unavailable: {error}", True
        return done


class BackgroundBackfills:
    """`govwatch run`'s backfills: a source with ``backfill_since`` is walked once, after a poll that reached it,
    in the background and at low priority (one walk at a time, a pause between pages)."""

    def __init__(self, backfiller: Backfiller, pause: float) -> None:
        self.backfiller = backfiller
        self.pause = pause
        self._tasks: dict[str, asyncio.Task[BackfillSummary]] = {}
        self._one_at_a_time = asyncio.Semaphore(1)

    async def after_poll(self, spec: SourceSpec, poll_status: str) -> None:
        """Start the source's walk unless it is done for this URL, running, or the site was not reached."""
        if spec.backfill_since is None or poll_status in ("error", "blocked", "skipped"):
            return
        running = self._tasks.get(spec.name)
        if running is not None and not running.done():
            return
        saved = await asyncio.to_thread(self.backfiller.monitor.store.backfill, spec.name)
        if saved is not None and saved.status == "done" and saved.start_url == spec.url:
            return
        log.info("source %s: background backfill to %d starts", spec.name, spec.backfill_since)
        plan = BackfillPlan(since=spec.backfill_since, pause=self.pause)
        self._tasks[spec.name] = asyncio.create_task(self._walk(spec, plan), name=f"backfill {spec.name}")

    async def _walk(self, spec: SourceSpec, plan: BackfillPlan) -> BackfillSummary:
        async with self._one_at_a_time:
            return await self.backfiller.run(spec, plan)

    async def close(self) -> None:
        """Stop the walks under way; each resumes after its last saved page at the next start."""
        for task in self._tasks.values():
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)
