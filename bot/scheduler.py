"""`govwatch run`: one APScheduler job per source on the event loop, until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.wiring import Parts
from scrapers.monitor import SourceSpec

log = logging.getLogger("govwatch.run")


def schedule_sources(scheduler: AsyncIOScheduler, parts: Parts, specs: list[SourceSpec]) -> None:
    """One job per source at its interval, with jitter, never overlapping itself, the first run now."""
    now = datetime.now(UTC)
    for spec in specs:
        scheduler.add_job(
            parts.monitor.poll,
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


async def run_until_stopped(parts: Parts, specs: list[SourceSpec], stop: asyncio.Event | None = None) -> None:
    """Run the scheduler until SIGINT/SIGTERM (or `stop` is set), then shut down cleanly."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not the main thread
            loop.add_signal_handler(sig, stop.set)
    scheduler = AsyncIOScheduler(timezone="UTC")
    schedule_sources(scheduler, parts, specs)
    scheduler.start()
    log.info("watching %d sources; stop with Ctrl-C", len(specs))
    try:
        await stop.wait()
    finally:
        log.info("stopping")
        scheduler.shutdown(wait=False)
        # Let polls already under way finish their writes before the store closes.
        pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task() and "poll" in repr(t.get_coro())]
        if pending:
            await asyncio.wait(pending, timeout=30)
