"""Figures as spreadsheets: CSV (UTF-8 with a BOM, so Excel reads the Chinese) and XLSX (one sheet per indicator).

`/figures.csv`, `/export 古交 csv|xlsx` and `govwatch figures --format csv|xlsx` all write through here. The columns
are the figure contract's, then where each figure came from. Scraped text is untrusted: a cell that a spreadsheet
would run as a formula (`=`, `+`, `-`, `@` first) is written as text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from parsers.indicators import display_rank, indicator_name
from storage.records import StoredFigure

__all__ = ["CSV_COLUMNS", "figures_csv", "figures_xlsx"]

CSV_COLUMNS: tuple[str, ...] = (
    "region",
    "region_code",
    "indicator",
    "period",
    "basis",
    "value",
    "unit",
    "yoy",
    "qualifier",
    "quote",
    "document_url",
    "document_title",
    "published",
)
BOM = "\ufeff"
CELL_LIMIT = 32_000  # characters of one cell (Excel holds 32,767)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _text(value: str | None) -> str:
    text = (value or "")[:CELL_LIMIT]
    return "'" + text if text.startswith(_FORMULA_START) else text


def _row(fig: StoredFigure) -> list[str | float | None]:
    return [
        _text(fig.region),
        _text(fig.region_code),
        fig.indicator,
        fig.period,
        fig.basis,
        fig.value,
        _text(fig.unit),
        fig.yoy,
        _text(fig.qualifier),
        _text(fig.quote),
        _text(fig.document_url),
        _text(fig.document_title),
        fig.published.isoformat() if fig.published else None,
    ]


def figures_csv(figures: Iterable[StoredFigure]) -> bytes:
    """The figures as CSV in UTF-8 with a BOM, a header row first."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for fig in figures:
        writer.writerow(["" if cell is None else _csv_number(cell) for cell in _row(fig)])
    return out.getvalue().encode("utf-8")


def _csv_number(cell: str | float) -> str:
    return f"{cell:g}" if isinstance(cell, float) else str(cell)


def _sheet_title(indicator: str, used: set[str]) -> str:
    """The indicator's Chinese name as a sheet title (Excel: at most 31 characters, none of []:*?/\\)."""
    base = _SHEET_FORBIDDEN.sub(" ", indicator_name(indicator))[:31] or indicator[:31]
    title, n = base, 2
    while title in used:
        title = f"{base[:28]}({n})"
        n += 1
    used.add(title)
    return title


def figures_xlsx(figures: Sequence[StoredFigure]) -> bytes:
    """The figures as an XLSX workbook, one sheet per indicator in display order, a header row on each."""
    from openpyxl import Workbook  # loaded only when a workbook is written

    by_indicator: dict[str, list[StoredFigure]] = {}
    for fig in figures:
        by_indicator.setdefault(fig.indicator, []).append(fig)
    book = Workbook(write_only=True)
    used: set[str] = set()
    for indicator in sorted(by_indicator, key=display_rank):
        sheet = book.create_sheet(_sheet_title(indicator, used))
        sheet.append(list(CSV_COLUMNS))
        for fig in by_indicator[indicator]:
            sheet.append(_row(fig))
    if not by_indicator:
        book.create_sheet("figures").append(list(CSV_COLUMNS))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
