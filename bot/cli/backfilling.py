"""`govwatch backfill`: walk each source's pages back in time and store what they list, as baseline.

On a terminal a rich progress bar per source shows pages, items, figures and the time left; otherwise each page
is one log line.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from bot.app import open_parts, source_specs
from bot.cli.terminal import text_table
from bot.settings import Settings
from scrapers.backfill import Backfiller, BackfillPlan, BackfillSummary, PageDone, PageListener, log_page
from scrapers.schedule import SourceSpec


def backfill(args: argparse.Namespace, settings: Settings) -> int:
    """Walk the named sources (all enabled ones by default); prints what each walk stored."""
    specs = [s for s in source_specs(settings) if not args.source or s.name in args.source]
    unknown = sorted(set(args.source or ()) - {s.name for s in specs})
    if unknown or not specs:
        known = ", ".join(s.name for s in settings.sources) or "none configured"
        print(f"govwatch backfill: no enabled source named {', '.join(unknown)} (sources: {known})", file=sys.stderr)
        return 1
    plan = BackfillPlan(pages=args.pages, since=args.since)
    with _listener(specs, interactive=sys.stderr.isatty()) as listener:
        summaries = asyncio.run(_walk_all(settings, specs, plan, listener))
    rows = [_row(s) for s in summaries]
    print(text_table(["source", "status", "pages", "items", "new", "figures", "stopped"], rows))
    return 0 if all(s.status != "failed" for s in summaries) else 3


async def _walk_all(
    settings: Settings, specs: list[SourceSpec], plan: BackfillPlan, listener: PageListener
) -> list[BackfillSummary]:
    async with open_parts(settings) as parts:
        walker = Backfiller(parts.monitor, listener)
        # Sources walk side by side; the fetcher's per-host limits keep each site's load as in a poll.
        return list(await asyncio.gather(*(walker.run(spec, plan) for spec in specs)))


def _row(s: BackfillSummary) -> list[str]:
    return [s.source, s.status, str(s.pages), str(s.items), str(s.documents), str(s.figures), s.stop_reason[:80]]


@contextmanager
def _listener(specs: list[SourceSpec], *, interactive: bool) -> Iterator[PageListener]:
    """A rich progress display on a terminal (one bar per source), else one log line per page."""
    if not interactive:
        yield log_page
        return
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("pages · {task.fields[items]} items · {task.fields[new]} new · {task.fields[figures]} figures"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, transient=False) as progress:
        tasks = {s.name: progress.add_task(s.name, total=None, items=0, new=0, figures=0) for s in specs}
        counts: dict[str, list[int]] = {s.name: [0, 0, 0] for s in specs}

        def show(done: PageDone) -> None:
            if done.error:
                progress.console.print(f"[yellow]{escape(done.source)}[/]: page {done.page}: {escape(done.error)}")
                return
            c = counts[done.source]
            c[0], c[1], c[2] = c[0] + done.items, c[1] + done.new, c[2] + done.figures
            progress.update(tasks[done.source], advance=1, total=done.total_pages, items=c[0], new=c[1], figures=c[2])

        yield show
