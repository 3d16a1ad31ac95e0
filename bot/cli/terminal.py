"""Plain-text tables for the terminal (CJK characters take two columns)."""

from __future__ import annotations

from collections.abc import Sequence


def display_width(s: str) -> int:
    """Columns a string takes in a terminal."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Rows under a header, each column padded to its widest cell."""
    table = [list(header), *[list(r) for r in rows]]
    widths = [max(display_width(r[i]) for r in table) for i in range(len(header))]
    lines = [
        "  ".join(c + " " * (w - display_width(c)) for c, w in zip(r, widths, strict=True)).rstrip() for r in table
    ]
    return "\n".join(lines)


def fmt_number(x: float | None) -> str:
    """A number without a trailing `.0`, or nothing."""
    return "" if x is None else f"{x:g}"


def fmt_yoy(x: float | None) -> str:
    """A growth rate with its sign, or nothing."""
    return "" if x is None else f"{x:+g}%"
