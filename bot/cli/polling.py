"""`govwatch poll` and `govwatch sources`: the monitor from the command line."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime

from bot.app import open_parts, source_specs
from bot.cli.terminal import text_table
from bot.settings import Settings
from scrapers.monitor import PollSummary
from scrapers.schedule import SourceSpec
from storage.records import SourceState
from storage.store import Store


def poll(args: argparse.Namespace, settings: Settings) -> int:
    """One polling cycle now, over every source or the one named; prints a summary per source."""
    specs = source_specs(settings, args.source)
    if not specs:
        known = ", ".join(s.name for s in settings.sources) or "none configured"
        print(f"govwatch poll: no enabled source named {args.source!r} (sources: {known})", file=sys.stderr)
        return 1
    summaries = asyncio.run(_poll_all(settings, specs))
    rows = [_summary_row(s) for s in summaries]
    print(text_table(["source", "status", "items", "new", "figures", "time", "error"], rows))
    return 0 if all(s.status not in ("error", "blocked") for s in summaries) else 3


async def _poll_all(settings: Settings, specs: list[SourceSpec]) -> list[PollSummary]:
    async with open_parts(settings) as parts:
        return list(await asyncio.gather(*(parts.monitor.poll(spec, force=True) for spec in specs)))


def _summary_row(s: PollSummary) -> list[str]:
    return [s.source, s.status, str(s.items), str(s.new), str(s.figures), f"{s.seconds:.1f}s", (s.error or "")[:80]]


def sources(args: argparse.Namespace, settings: Settings) -> int:
    """The health of each configured source, from the store."""
    del args
    store = Store.open(settings.storage.url)
    try:
        states = {s.name: s for s in store.sources()}
    finally:
        store.close()
    rows = [_source_row(src.name, src.url, states.get(src.name)) for src in settings.sources]
    print(text_table(["source", "status", "last poll", "last success", "failures", "next poll", "error"], rows))
    return 0


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "-"
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone().strftime("%Y-%m-%d %H:%M")


def _source_row(name: str, url: str, state: SourceState | None) -> list[str]:
    del url
    if state is None or state.last_poll_at is None:
        return [name, "never polled", "-", "-", "0", "-", ""]
    status = "blocked" if state.blocked else (state.last_status or "-")
    return [
        name,
        status,
        _when(state.last_poll_at),
        _when(state.last_success_at),
        str(state.consecutive_failures),
        _when(state.next_poll_at),
        (state.last_error or "")[:80],
    ]
