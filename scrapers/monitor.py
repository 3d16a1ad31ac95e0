"""One poll of one source: fetch its list or feed, discover new items, read them, store documents and figures."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from parsers.dates import china_today
from parsers.document import parse_document
from parsers.model import Figure, ParsedDocument
from scrapers.discover.items import Item
from scrapers.discover.source_kinds import SOURCE_KINDS, Listing
from scrapers.errors import ScrapeError
from scrapers.extract.content import ExtractedDocument
from scrapers.http.fetch import Fetcher, FetchResult
from scrapers.reading import read_document
from scrapers.schedule import DEFAULT_BACKOFF, DEFAULT_MAX_NEW, Backoff, SourceSpec
from storage.records import NewDocument, PollRun, PollStatus, SourceState, SourceStatus
from storage.store import Store

log = logging.getLogger("govwatch.monitor")
MAX_ERROR = 300
# The stored health of a source after a poll with this outcome (None: nothing is recorded).
SOURCE_STATUS: dict[PollStatus, SourceStatus | None] = {
    "ok": "ok",
    "baseline": "ok",
    "unchanged": "unchanged",
    "error": "error",
    "blocked": "blocked",
    "skipped": None,
}
FAILED: frozenset[PollStatus] = frozenset({"error", "blocked"})
# Who a new document alerts: the subscription regions it reaches (None = everyone who follows everything),
# decided by the application (bot.alerts.policy) and passed in; nothing by default.
AlertScope = Callable[[NewDocument, Sequence[Figure]], Sequence[str | None]]


def no_alerts(doc: NewDocument, figures: Sequence[Figure]) -> Sequence[str | None]:
    """The default alert scope: a document alerts nobody."""
    return ()


@dataclass(frozen=True, slots=True)
class PollSummary:
    """What one poll of one source did, for the CLI table and the log line."""

    source: str
    status: PollStatus
    items: int = 0
    new: int = 0
    figures: int = 0
    seconds: float = 0.0
    error: str | None = None
    document_ids: tuple[int, ...] = ()
    # False when the list shows more unread items than one poll reads (max_new_per_poll): the rest come next time,
    # and a baseline goes on until they have all been read (so none of them alerts later).
    complete: bool = True


@dataclass(frozen=True, slots=True)
class PollClaims:
    """Polls claimed in the store, so several processes on one database poll each source once per interval: a
    claim holds for `lease` seconds and is renewed every third of it while the poll runs (a process that dies
    mid-poll loses it within `lease`), and the source is not due again before `due_share` of its interval (the
    schedulers' jitter fits in the rest)."""

    owner: str
    lease: float = 60.0
    due_share: float = 0.9


class Monitor:
    """Polls sources with one shared fetcher into one store."""

    def __init__(
        self,
        store: Store,
        fetcher: Fetcher,
        backoff: Backoff = DEFAULT_BACKOFF,
        max_new_per_poll: int = DEFAULT_MAX_NEW,
        today: Callable[[], date] = china_today,
        alert_scope: AlertScope = no_alerts,
        claims: PollClaims | None = None,
        parse_timeout: float = 60.0,
    ) -> None:
        self.store = store
        self.claims = claims
        self.parse_timeout = parse_timeout
        self.fetcher = fetcher
        self.backoff = backoff
        self.max_new = max_new_per_poll
        self.today = today
        self.alert_scope = alert_scope
        # The monitor owns its sources' state: kept here after the first read, written at the end of each poll.
        self._states: dict[str, SourceState] = {}

    async def poll(self, spec: SourceSpec, *, force: bool = False) -> PollSummary:
        """Poll one source now (unless it is backing off and not forced, or another process polls it); never
        raises for a site's faults."""
        claims = self.claims
        if claims is None:
            return await self._poll_claimed(spec, force)
        every = spec.interval * claims.due_share
        claim = self.store.claim_poll
        if not await asyncio.to_thread(claim, spec.name, claims.owner, every, claims.lease, force=force):
            log.debug("source %s: polled by another process", spec.name)
            return PollSummary(spec.name, "skipped", error="polled by another process")
        self._states.pop(spec.name, None)  # another process may have polled it last: its state is read afresh
        heartbeat = asyncio.create_task(self._renew(spec.name, claims))
        try:
            return await self._poll_claimed(spec, force)
        finally:
            heartbeat.cancel()
            await asyncio.to_thread(self.store.release_poll, spec.name, claims.owner)

    async def _renew(self, source_name: str, claims: PollClaims) -> None:
        """Keep a long poll's claim alive: renewed every third of its lease until the poll ends."""
        while True:
            await asyncio.sleep(claims.lease / 3)
            try:
                await asyncio.to_thread(self.store.renew_poll, source_name, claims.owner, claims.lease)
            except Exception as exc:  # the database is away: the poll goes on, the claim may lapse
                log.warning("source %s: claim not renewed (%s)", source_name, type(exc).__name__)

    async def _poll_claimed(self, spec: SourceSpec, force: bool) -> PollSummary:
        started = time.monotonic()
        state = self._states.get(spec.name)
        if state is None or (state.url, state.kind, state.region) != (spec.url, spec.kind, spec.region):
            state = await asyncio.to_thread(self.store.upsert_source, spec.name, spec.url, spec.kind, spec.region)
        now = datetime.now(UTC)
        if not force and state.next_poll_at is not None and _aware(state.next_poll_at) > now:
            return PollSummary(spec.name, "skipped", error=f"backing off until {state.next_poll_at:%Y-%m-%d %H:%M}")
        try:
            summary = await self._poll(spec, state)
        except Exception as exc:  # a bug on one page must not stop the other sources
            log.exception("source %s: poll failed", spec.name)
            summary = PollSummary(spec.name, "error", error=f"internal error: {type(exc).__name__}: {exc}"[:MAX_ERROR])
        summary = replace(summary, seconds=time.monotonic() - started)
        await asyncio.to_thread(self._record, spec, state, summary, now)
        _log_summary(summary)
        return summary

    async def _poll(self, spec: SourceSpec, state: SourceState) -> PollSummary:
        kind = SOURCE_KINDS[spec.kind]
        conditional = not kind.item_is_listing or state.baseline_done
        listing = await self.fetcher.fetch(spec.url, conditional=conditional, keep_validators=False)
        if listing.status == "not_modified":
            return PollSummary(spec.name, "unchanged")
        if listing.status in ("blocked", "error"):
            return PollSummary(spec.name, listing.status, error=listing.error or listing.status)
        found = Listing(listing.content, listing.charset, listing.final_url)
        items = kind.discover(found, self.today(), spec.selectors)
        if isinstance(items, ScrapeError):
            return PollSummary(spec.name, "error", error=items.message)
        known = await asyncio.to_thread(self.store.known_urls, [i.url for i in items])
        unread = [i for i in items if i.url not in known]
        fresh = unread[: self.max_new]
        baseline = not state.baseline_done
        results = await asyncio.gather(*(self.read_item(spec, item, baseline, listing) for item in fresh))
        saved = [r for r in results if r is not None]
        if conditional:
            await self._keep_validators_when_read(listing, unread, fresh)
        status: PollStatus = "baseline" if baseline else "ok"
        return PollSummary(
            spec.name,
            status,
            items=len(items),
            new=len(saved),
            figures=sum(n for _, n in saved),
            document_ids=tuple(doc_id for doc_id, _ in saved),
            complete=len(unread) <= len(fresh),
        )

    async def _keep_validators_when_read(self, listing: FetchResult, unread: list[Item], fresh: list[Item]) -> None:
        """The list's validators are saved only when every item it shows is stored: a poll cut short (a crash, an
        item that failed, more new items than one poll reads) must not make the next poll's answer a 304."""
        if len(unread) > len(fresh):
            return
        stored = await asyncio.to_thread(self.store.known_urls, [i.url for i in fresh]) if fresh else set()
        if all(i.url in stored for i in fresh):
            await self.fetcher.keep_validators(listing)

    async def read_item(
        self, spec: SourceSpec, item: Item, baseline: bool, listing: FetchResult
    ) -> tuple[int, int] | None:
        """Fetch, read and store one item as a poll does: (document id, figures stored), None when nothing new."""
        reuse = SOURCE_KINDS[spec.kind].item_is_listing
        page = listing if reuse else await self.fetcher.fetch(item.url, conditional=False)
        if page.status != "ok":
            log.warning("source %s: item %s: %s", spec.name, _short(item.url), page.error or page.status)
            return None
        try:
            async with asyncio.timeout(self.parse_timeout):
                read = await self._read(spec, item, page)
        except TimeoutError:
            # The worker thread finishes on its own; the item is stored bare, so no poll reads it again.
            budget = self.parse_timeout
            log.warning("source %s: item %s: over the %.0fs parse budget", spec.name, _short(item.url), budget)
            read = await self._bare(spec, item)
        if read is None:
            return None
        attachment, parsed = read
        new = NewDocument(
            canonical_url=item.url,
            source_name=spec.name,
            title=parsed.title or item.title,
            published=date.fromisoformat(parsed.published) if parsed.published else item.published,
            kind=parsed.kind,
            region=parsed.region,
            region_code=parsed.region_code,
            text=parsed.text,
            attachment_url=attachment,
            baseline=baseline,
        )
        scope = self.alert_scope(new, parsed.figures)
        saved = await asyncio.to_thread(self.store.save_document, new, parsed.figures, scope)
        if saved.status == "duplicate":
            return None
        return saved.document_id, (len(parsed.figures) if saved.status == "new" else 0)

    async def _read(
        self, spec: SourceSpec, item: Item, page: FetchResult
    ) -> tuple[str | None, ParsedDocument] | None:
        """The item extracted (a stub followed to its attachment: its URL) and parsed, None when unreadable."""
        doc = await self._extract(spec, item, page)
        if doc is None:
            return None
        extracted, attachment = doc
        parsed = await asyncio.to_thread(
            parse_document,
            extracted.text,
            extracted.title or item.title,
            extracted.published or item.published,
            spec.region,
        )
        return attachment, parsed

    @staticmethod
    async def _bare(spec: SourceSpec, item: Item) -> tuple[str | None, ParsedDocument]:
        """An item known by its list entry only (title, date): its kind and region from the title, no figures."""
        return None, await asyncio.to_thread(parse_document, "", item.title, item.published, spec.region)

    async def _extract(
        self, spec: SourceSpec, item: Item, page: FetchResult
    ) -> tuple[ExtractedDocument, str | None] | None:
        read = await read_document(self.fetcher, page)
        if isinstance(read, ScrapeError):
            log.warning("source %s: item %s: %s", spec.name, _short(item.url), read.message)
            return None
        if read.warning:
            log.warning("source %s: %s", spec.name, _short(read.warning))
        return read.extracted, read.attachment_url

    def _record(self, spec: SourceSpec, state: SourceState, summary: PollSummary, started: datetime) -> None:
        now = datetime.now(UTC)
        failed = summary.status in FAILED
        status = SOURCE_STATUS[summary.status]
        if status is None:
            return
        failures = state.consecutive_failures + 1 if failed else 0
        delay = self.backoff.delay(spec.interval, failures)
        new_state = replace(
            state,
            last_poll_at=now,
            last_success_at=state.last_success_at if failed else now,
            last_status=status,
            consecutive_failures=failures,
            last_error=(summary.error or "")[:MAX_ERROR] or None if failed else None,
            blocked=summary.status == "blocked",
            baseline_done=state.baseline_done
            or summary.status in ("ok", "unchanged")
            or (summary.status == "baseline" and summary.complete),
            next_poll_at=now + timedelta(seconds=delay) if failures >= self.backoff.after else None,
        )
        run = PollRun(
            source_name=spec.name,
            started_at=started,
            finished_at=now,
            status=summary.status,
            items_found=summary.items,
            new_documents=summary.new,
            figures=summary.figures,
            error=summary.error,
            duration_ms=int(summary.seconds * 1000),
        )
        self.store.finish_poll(new_state, run)
        self._states[spec.name] = new_state


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _short(url: str) -> str:
    return url if len(url) <= 120 else url[:117] + "..."


def _log_summary(s: PollSummary) -> None:
    if s.status in FAILED:
        log.warning("source %s: %s (%s) in %.1fs", s.source, s.status, s.error, s.seconds)
    else:
        log.info(
            "source %s: %s, %d items, %d new, %d figures in %.1fs",
            s.source,
            s.status,
            s.items,
            s.new,
            s.figures,
            s.seconds,
        )
