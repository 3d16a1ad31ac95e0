"""Tab-separated data tables (regions.tsv, the source catalogue): comments, a header, rows checked against it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

__all__ = ["read_tsv"]


def read_tsv(text: str, required: Sequence[str], name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """The data lines of a table as (line number, cells keyed by the header); blank and ``#`` lines are skipped and
    missing trailing cells are empty. ValueError, naming the table and the line: a header without a required
    column, a row with more cells than columns, no header at all."""
    header: list[str] | None = None
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if header is None:
            missing = [column for column in required if column not in cells]
            if missing:
                raise ValueError(f"{name} line {lineno}: the header lacks {', '.join(missing)}: {line!r}")
            header = cells
            continue
        if len(cells) > len(header):
            raise ValueError(f"{name} line {lineno}: {len(cells)} cells but {len(header)} columns")
        yield lineno, dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True))
    if header is None:
        raise ValueError(f"{name}: no header line")
