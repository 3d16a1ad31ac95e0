"""`govwatch poll`, `sources`, `figures` and `run`: the monitor from the command line."""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import sys
from datetime import UTC, datetime

from bot import service
from bot.render import fmt_number, fmt_yoy, text_table
from bot.settings import Settings
from bot.wiring import open_parts, source_specs
from parsers.indicators import resolve_indicator
from parsers.regions import Gazetteer
from scrapers.monitor import PollSummary, SourceSpec
from storage.store import SourceState, Store, StoredFigure

BASIS_LABELS = {"actual": "实际", "estimate": "预计", "target": "目标"}


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


def figures(args: argparse.Namespace, settings: Settings) -> int:
    """The stored figures, filtered by region and indicator, as a table, CSV or JSON."""
    region_code = None
    if args.region:
        res = Gazetteer.default().resolve(args.region)
        if res.region is None:
            hint = "、".join(r.name for r in res.candidates[:5])
            print(
                f"govwatch figures: unknown region {args.region!r}" + (f" (did you mean {hint}?)" if hint else ""),
                file=sys.stderr,
            )
            return 1
        region_code = res.region.code
    indicator = None
    if args.indicator:
        ind = resolve_indicator(args.indicator)
        if ind is None:
            print(f"govwatch figures: unknown indicator {args.indicator!r}", file=sys.stderr)
            return 1
        indicator = ind.id
    store = Store.open(settings.storage.url)
    try:
        found = store.figures(region_code=region_code, indicator=indicator)
    finally:
        store.close()
    print(_render_figures(found, args.format))
    return 0


FIGURE_COLUMNS = [
    "region",
    "indicator",
    "period",
    "basis",
    "value",
    "unit",
    "yoy",
    "qualifier",
    "published",
    "title",
    "url",
]


def _render_figures(found: list[StoredFigure], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([f.to_dict() for f in found], ensure_ascii=False, indent=2)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(FIGURE_COLUMNS)
        for f in found:
            writer.writerow(_figure_cells(f, plain=True))
        return out.getvalue().rstrip("\n")
    return text_table(FIGURE_COLUMNS[:-1], [_figure_cells(f, plain=False)[:-1] for f in found])


def _figure_cells(f: StoredFigure, plain: bool) -> list[str]:
    basis = f.basis if plain else BASIS_LABELS.get(f.basis, f.basis)
    yoy = ("" if f.yoy is None else f"{f.yoy:g}") if plain else fmt_yoy(f.yoy)
    title = f.document_title or ""
    return [
        f.region or "",
        f.indicator,
        f.period,
        basis,
        fmt_number(f.value),
        f.unit,
        yoy,
        f.qualifier or "",
        f.published.isoformat() if f.published else "",
        title if plain else title[:30],
        f.document_url,
    ]


def run(args: argparse.Namespace, settings: Settings) -> int:
    """The monitor, the alert dispatcher and the bot until SIGINT/SIGTERM."""
    del args
    service.run(settings, source_specs(settings))
    return 0
