"""`govwatch run`: the parts built from the settings, and what runs on one event loop until SIGINT or SIGTERM —
one APScheduler job per source, the alert dispatcher and the Telegram bot (or console mode without a token)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.alerts.dispatcher import Dispatcher, Limits
from bot.alerts.policy import alert_regions
from bot.alerts.render import plain_alert
from bot.chat.answers import Answers
from bot.chat.try_answers import fetch_preview
from bot.leadership import lead_telegram
from bot.settings import Settings, SourceSettings
from parsers.regions import Gazetteer
from scrapers.backfill import Backfiller, BackgroundBackfills
from scrapers.http.fetch import Fetcher
from scrapers.monitor import Monitor, PollClaims
from scrapers.schedule import Backoff, SourceSpec
from storage.coordination import process_id
from storage.records import OutboxRow
from storage.runlock import single_run
from storage.store import Store

if TYPE_CHECKING:
    from aiohttp import web

    from bot.alerts.dispatcher import Sender
    from bot.telegram import TelegramBot
    from bot.web.metrics import Metrics

log = logging.getLogger("govwatch.run")
CONSOLE_CHAT = 0  # console mode's own "chat": subscribed to everything, its alerts printed


def source_spec(settings: Settings, source: SourceSettings) -> SourceSpec:
    """The monitor's view of one `[[sources]]` table."""
    return SourceSpec(
        name=source.name,
        url=source.url,
        kind=source.kind,
        region=source.region,
        interval=settings.interval_of(source),
        selectors=source.selectors,
        backfill_since=source.backfill_since,
    )


def source_specs(settings: Settings, only: str | None = None) -> list[SourceSpec]:
    """Every enabled source (or the one named), in settings order."""
    return [source_spec(settings, s) for s in settings.sources if s.enabled and (only is None or s.name == only)]


@dataclass
class Parts:
    """The running pieces of govwatch."""

    settings: Settings
    store: Store
    fetcher: Fetcher
    monitor: Monitor


@asynccontextmanager
async def open_parts(settings: Settings) -> AsyncIterator[Parts]:
    """The store, fetcher and monitor, closed again on exit."""
    store = Store.open(settings.storage.url)
    fetcher = Fetcher(settings.fetch, validators=store, host_clock=store)
    sched = settings.schedule
    backoff = Backoff(sched.backoff_after, sched.max_backoff)
    claims = PollClaims(process_id())  # several processes on one PostgreSQL poll each source once
    monitor = Monitor(
        store,
        fetcher,
        backoff,
        sched.max_new_per_poll,
        alert_scope=alert_regions,
        claims=claims,
        parse_timeout=settings.fetch.parse_timeout,
    )
    try:
        yield Parts(settings, store, fetcher, monitor)
    finally:
        await fetcher.aclose()
        store.close()


def schedule_sources(
    scheduler: AsyncIOScheduler,
    parts: Parts,
    specs: list[SourceSpec],
    backfills: BackgroundBackfills | None = None,
    in_flight: set[asyncio.Task[object]] | None = None,
    metrics: Metrics | None = None,
) -> None:
    """One job per source at its interval, with jitter, never overlapping itself, the first run now; a source
    with backfill_since is walked back in the background after a poll that reached it. Polls under way are in
    `in_flight`."""
    now = datetime.now(UTC)
    running = in_flight if in_flight is not None else set()

    async def poll(spec: SourceSpec) -> None:
        task = asyncio.current_task()
        if task is not None:
            running.add(task)
        try:
            summary = await parts.monitor.poll(spec)
            if metrics is not None:
                metrics.observe_poll(summary)
            if backfills is not None:
                await backfills.after_poll(spec, summary.status)
        finally:
            if task is not None:
                running.discard(task)

    for spec in specs:
        scheduler.add_job(
            poll,
            "interval",
            args=[spec],
            id=f"poll:{spec.name}",
            name=f"poll {spec.name}",
            seconds=spec.interval,
            jitter=min(parts.settings.schedule.jitter, spec.interval / 4),
            max_instances=1,
            coalesce=True,
            misfire_grace_time=int(spec.interval),
            next_run_time=now,
        )


async def run_until_stopped(
    parts: Parts,
    specs: list[SourceSpec],
    stop: asyncio.Event | None = None,
    metrics: Metrics | None = None,
    scheduling: asyncio.Event | None = None,
) -> None:
    """Run the scheduler until SIGINT/SIGTERM (or `stop` is set), then shut down cleanly; `scheduling` is set
    while the scheduler runs, and each poll is counted in `metrics`."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not the main thread
            loop.add_signal_handler(sig, stop.set)
    scheduler = AsyncIOScheduler(timezone="UTC")
    backfills = BackgroundBackfills(Backfiller(parts.monitor), parts.settings.schedule.backfill_pause)
    in_flight: set[asyncio.Task[object]] = set()
    schedule_sources(scheduler, parts, specs, backfills, in_flight, metrics)
    scheduler.start()
    if scheduling is not None:
        scheduling.set()
    log.info("watching %d sources; stop with Ctrl-C", len(specs))
    try:
        await stop.wait()
    finally:
        log.info("stopping")
        if scheduling is not None:
            scheduling.clear()
        scheduler.shutdown(wait=False)
        # Let polls already under way finish their writes before the store closes.
        if in_flight:
            await asyncio.wait(set(in_flight), timeout=30)
        await backfills.close()


class ConsoleAlertSender:
    """Console mode (no token): alerts print to stdout, through the same outbox as Telegram's."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def send_alert(self, row: OutboxRow) -> Sequence[int]:
        """Print the alert and confirm it."""
        text = await asyncio.to_thread(plain_alert, self.store, row.document_id)
        print(f"\n{text}\n", flush=True, file=sys.stdout)
        return [0]


async def serve(parts: Parts, specs: list[SourceSpec], stop: asyncio.Event | None = None) -> None:
    """Run everything until stopped (SIGINT/SIGTERM or `stop`)."""
    stop = stop or asyncio.Event()
    settings = parts.settings
    bot: TelegramBot | None = None
    sender: Sender
    if settings.telegram.token:
        from bot.telegram import TelegramAlertSender, TelegramBot  # PTB: only with a token

        admins = frozenset(settings.telegram.admins)
        answers = Answers(parts.store, admins=admins, previewer=fetch_preview(settings.fetch))
        bot = TelegramBot(settings.telegram, answers)
        await asyncio.to_thread(parts.store.unsubscribe, CONSOLE_CHAT, None)
        sender = TelegramAlertSender(bot, parts.store)
        bot_task = asyncio.create_task(lead_telegram(bot, parts.store.leader_lock(), stop))
    else:
        log.info("no Telegram token: console mode, alerts print here")
        await asyncio.to_thread(parts.store.subscribe, CONSOLE_CHAT, None)
        sender = ConsoleAlertSender(parts.store)
    from bot.web.metrics import Metrics  # prometheus_client: only in `run`

    metrics = Metrics(parts.store)
    dispatcher = Dispatcher(parts.store, sender, Limits(), sole=not parts.store.shared, events=metrics)
    dispatch_task = asyncio.create_task(dispatcher.run(stop))
    scheduling = asyncio.Event()
    web_runner = await _start_web(parts, metrics, scheduling)
    try:
        await run_until_stopped(parts, specs, stop, metrics, scheduling)
    finally:
        stop.set()
        await dispatch_task
        if web_runner is not None:
            await web_runner.cleanup()
        if bot is not None:
            await bot_task
            await bot.stop()


async def _start_web(parts: Parts, metrics: Metrics, scheduling: asyncio.Event) -> web.AppRunner | None:
    """The HTTP endpoint on `[http] listen` (none when empty)."""
    listen = parts.settings.http.listen
    if not listen:
        return None
    from bot.web.server import WebServer  # aiohttp: only when serving

    server = WebServer(parts.store, metrics, scheduling.is_set, Gazetteer.default())
    try:
        return await server.start(listen)
    except OSError as exc:  # the port is taken: the monitor and the bot run on, and the operator is told
        log.error("http: cannot listen on %s (%s): the HTTP endpoint is off", listen, exc.strerror or exc)
        return None


def run(settings: Settings, specs: list[SourceSpec]) -> None:
    """`govwatch run` from the command line."""

    async def main() -> None:
        async with open_parts(settings) as parts:
            await serve(parts, specs)

    with single_run(settings.storage.url):
        asyncio.run(main())
