"""`govwatch figures`: the stored figures as a table, CSV or JSON."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys

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
    basis = f.basis if plain else BASIS_CN.get(f.basis, f.basis)
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
