"""`govwatch figures`: the stored figures as a table, JSON, CSV or XLSX (the CSV and XLSX of bot.spreadsheets)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.chat.format import BASIS_CN
from bot.cli.terminal import fmt_number, fmt_yoy, text_table
from bot.settings import Settings
from parsers.indicators import resolve_indicator
from parsers.regions import Gazetteer
from storage.records import StoredFigure
from storage.store import Store


def figures(args: argparse.Namespace, settings: Settings) -> int:
    """The stored figures, filtered by region and indicator, as a table, CSV or JSON."""
    region_code = None
    if args.region:
        res = Gazetteer.default().resolve(args.region)
        if res.region is None:
            print(f"govwatch figures: {res.problem(args.region)}", file=sys.stderr)
            return 1
        region_code = res.region.code
    indicator = None
    if args.indicator:
        ind = resolve_indicator(args.indicator)
        if ind is None:
            print(f"govwatch figures: unknown indicator {args.indicator!r}", file=sys.stderr)
            return 1
        indicator = ind.id
    if args.format == "xlsx" and not args.output:
        print("govwatch figures: --format xlsx writes a file: give --output FILE.xlsx", file=sys.stderr)
        return 2
    store = Store.open(settings.storage.url)
    try:
        found = store.figures(region_code=region_code, indicator=indicator)
    finally:
        store.close()
    if args.format in ("csv", "xlsx"):
        from bot.spreadsheets import figures_csv, figures_xlsx

        data = figures_csv(found) if args.format == "csv" else figures_xlsx(found)
        if args.output:
            Path(args.output).write_bytes(data)
            print(f"{len(found)} figures written to {args.output}", file=sys.stderr)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        return 0
    text = _render_figures(found, args.format)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
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
]


def _render_figures(found: list[StoredFigure], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([f.to_dict() for f in found], ensure_ascii=False, indent=2)
    return text_table(FIGURE_COLUMNS, [_figure_cells(f) for f in found])


def _figure_cells(f: StoredFigure) -> list[str]:
    return [
        f.region or "",
        f.indicator,
        f.period,
        BASIS_CN.get(f.basis, f.basis),
        fmt_number(f.value),
        f.unit,
        fmt_yoy(f.yoy),
        f.qualifier or "",
        f.published.isoformat() if f.published else "",
        (f.document_title or "")[:30],
    ]
