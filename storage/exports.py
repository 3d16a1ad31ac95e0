"""What the feeds and exports read: a region's documents (a city's with its counties'), and its figures since a date.

Region sets are passed in as codes: which divisions lie under a region is the gazetteer's knowledge, not the
store's (the caller expands 吕梁市 into its code and its counties' codes).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, select

from storage import queries
from storage.base import StoreBase
from storage.records import StoredDocument, StoredFigure
from storage.rows import record_from_row
from storage.schema import figures

__all__ = ["ExportsStore"]

MAX_CODES = 5000  # region codes in one IN list (all of China's divisions fit)


class ExportsStore(StoreBase):
    """Documents and figures of a set of regions, for Atom feeds and CSV/XLSX exports."""

    def documents_in(self, region_codes: Sequence[str] | None, limit: int) -> list[StoredDocument]:
        """The newest documents of these regions (None: of all), baseline ones included, reposts left out."""
        codes = None if region_codes is None else list(region_codes)[:MAX_CODES]
        stmt = queries.select_latest_documents(codes, max(limit, 0))
        with self._read() as conn:
            return [record_from_row(StoredDocument, row) for row in conn.execute(stmt)]

    def figures_in(
        self, region_codes: Sequence[str] | None, indicator: str | None = None, since: date | None = None
    ) -> list[StoredFigure]:
        """Every stored figure of these regions (None: all), of one indicator or all, published on or after
        `since`; newest publication first."""
        stmt = queries.select_figures(None, indicator, None)
        if region_codes is not None:
            stmt = stmt.where(figures.c.region_code.in_(list(region_codes)[:MAX_CODES]))
        if since is not None:
            stmt = stmt.where(figures.c.published >= since)
        with self._read() as conn:
            return [record_from_row(StoredFigure, row) for row in conn.execute(stmt)]

    def document_figure_lists(self, document_ids: Sequence[int]) -> dict[int, list[StoredFigure]]:
        """Each document's figures in reading order (for a feed entry's summary), in one query."""
        if not document_ids:
            return {}
        stmt: Select[Any] = (
            select(*queries.FIGURE_COLUMNS)
            .select_from(queries.FIGURES_FROM)
            .where(figures.c.document_id.in_(list(document_ids)))
            .order_by(figures.c.document_id, figures.c.id)
        )
        found: dict[int, list[StoredFigure]] = {}
        with self._read() as conn:
            for row in conn.execute(stmt):
                fig = record_from_row(StoredFigure, row)
                found.setdefault(fig.document_id, []).append(fig)
        return found
