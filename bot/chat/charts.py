"""PNG line charts with Chinese labels: matplotlib's Agg canvas on a Figure object, a CJK font from mplfonts.

matplotlib is imported when the first chart is drawn, not when the bot starts: most answers are text.
"""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["CHART_FONT", "Point", "line_chart"]

CHART_FONT = "Noto Sans CJK SC"
_FONT_FILE = "NotoSansCJKsc-Regular.otf"  # shipped in mplfonts/fonts: no system font needed
_LINE = "#1f5fa8"
# rcParams are process-wide: one chart at a time changes them, inside rc_context, and they are restored after.
_RC_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class Point:
    """One point of a series: its label on the x axis, its value, and whether it is only an estimate."""

    label: str
    value: float
    estimate: bool = False


@functools.cache
def _register_font() -> None:
    """Make the mplfonts copy of Noto Sans CJK SC known to matplotlib's font manager (once)."""
    import mplfonts
    from matplotlib import font_manager

    path = Path(mplfonts.__file__).parent / "fonts" / _FONT_FILE
    font_manager.fontManager.addfont(str(path))


def line_chart(title: str, ylabel: str, points: Sequence[Point], note: str = "") -> bytes:
    """A PNG of the points joined by a line, estimates drawn hollow, each point labelled with its value."""
    import matplotlib
    import mplfonts
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    _register_font()
    with _RC_LOCK, matplotlib.rc_context():
        mplfonts.use_font(CHART_FONT)
        figure = Figure(figsize=(7.2, 4.0), dpi=120, layout="constrained")
        FigureCanvasAgg(figure)
        _draw(figure, title, ylabel, points, note)
        out = io.BytesIO()
        figure.savefig(out, format="png")
    return out.getvalue()


def _draw(figure: Figure, title: str, ylabel: str, points: Sequence[Point], note: str) -> None:
    """The axes: a line through every point, markers filled for outcomes and hollow for estimates."""
    axes = figure.add_subplot()
    xs = list(range(len(points)))
    ys = [p.value for p in points]
    axes.plot(xs, ys, color=_LINE, linewidth=2)
    for x, point in zip(xs, points, strict=True):
        face = "white" if point.estimate else _LINE
        axes.plot([x], [point.value], marker="o", markersize=7, color=_LINE, markerfacecolor=face)
        axes.annotate(
            f"{point.value:,.4g}",
            (x, point.value),
            textcoords="offset points",
            xytext=(0, 8),
            ha="center",
            fontsize=9,
        )
    axes.set_xticks(xs, [p.label for p in points])
    axes.set_xlim(-0.5, len(points) - 0.5)
    axes.set_title(title, fontsize=13)
    axes.set_ylabel(ylabel)
    axes.margins(y=0.2)
    axes.grid(axis="y", alpha=0.3)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if note:
        figure.supxlabel(note, x=0.01, ha="left", fontsize=8, color="#555555")
