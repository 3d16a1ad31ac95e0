"""Charts: PNG bytes, Chinese text drawn with the mplfonts CJK font (no missing glyphs), no global state left."""

from __future__ import annotations

import logging
import struct
import warnings
from pathlib import Path

import matplotlib
import mplfonts
import pytest
from matplotlib import font_manager

from bot.chat.charts import CHART_FONT, Point, line_chart

POINTS = [Point("2022年", 88.4), Point("2023年", 90.5), Point("2024年", 93.0), Point("2025年", 95.0, estimate=True)]


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk."""
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_chart_renders_chinese_without_missing_glyphs(caplog: pytest.LogCaptureFixture) -> None:
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.DEBUG, "matplotlib"):
        warnings.simplefilter("always")
        png = line_chart("古交市 地区生产总值", "亿元", POINTS, "空心点为预计值；−1")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert _png_size(png) == (864, 480)
    assert [str(w.message) for w in caught] == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_the_font_is_the_one_mplfonts_ships() -> None:
    line_chart("字体", "元", POINTS)
    found = font_manager.findfont(font_manager.FontProperties(family=CHART_FONT), fallback_to_default=False)
    assert Path(found).parent == Path(mplfonts.__file__).parent / "fonts"


def test_growth_and_single_point_charts() -> None:
    assert line_chart("交城县 固定资产投资 同比增长", "同比增长（%）", [Point("2023年", -41.5)]).startswith(b"\x89PNG")


def test_rc_params_are_left_as_they_were() -> None:
    before = (matplotlib.rcParams["font.family"], list(matplotlib.rcParams["font.sans-serif"]))
    line_chart("测试", "元", POINTS)
    after = (matplotlib.rcParams["font.family"], list(matplotlib.rcParams["font.sans-serif"]))
    assert before == after


def test_charts_never_touch_pyplot() -> None:
    import sys

    line_chart("测试", "元", POINTS)
    assert "matplotlib.pyplot" not in sys.modules or not __import__("matplotlib.pyplot").pyplot.get_fignums()


def test_the_glyph_check_would_catch_tofu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.chat.charts.CHART_FONT", "DejaVu Sans")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line_chart("古交市", "亿元", POINTS)
    assert any("missing from font" in str(w.message) for w in caught)
