"""The regions table (`parsers/data/regions.tsv`): reading its rows. Adding divisions is adding rows."""

from __future__ import annotations

import functools
import importlib.resources

COLUMNS: tuple[str, ...] = ("code", "name", "level", "parent", "aliases", "not_before", "flags")
_COLUMNS = COLUMNS


def parse_tsv(text: str) -> list[dict[str, str]]:
    """Rows of a regions.tsv text as dicts keyed by the header; blank and ``#`` lines are skipped."""
    header: list[str] | None = None
    rows: list[dict[str, str]] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if header is None:
            header = cells
            missing = [col for col in _COLUMNS[:5] if col not in header]
            if missing:
                raise ValueError(f"regions table header lacks column(s) {missing}: {line!r}")
            continue
        if len(cells) > len(header):
            raise ValueError(f"line {lineno}: {len(cells)} cells but {len(header)} columns")
        cells += [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, cells, strict=True)))
    return rows


@functools.cache
def _default_text() -> str:
    return (importlib.resources.files("parsers") / "data" / "regions.tsv").read_text(encoding="utf-8")


def default_rows() -> list[dict[str, str]]:
    """The rows of the packaged regions.tsv (fresh dicts: callers may extend or change them)."""
    return parse_tsv(_default_text())
