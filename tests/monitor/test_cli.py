"""`govwatch poll`, `sources`, `figures` and `run` from the command line, against the recorded sites."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.cli import main
from tests.support.httpserver import LocalHTTPServer
from tests.support.sites import Site

ROOT = Path(__file__).resolve().parent.parent.parent


def write_settings(tmp_path: Path, sites: dict[str, Site], interval: str = "1h") -> tuple[Path, Path]:
    db = tmp_path / "data" / "govwatch.db"
    county = sites["county-cms"].listings[0]
    news = sites["news-portal"].listings[0]
    config = tmp_path / "settings.toml"
    config.write_text(
        f"""
[storage]
url = "sqlite:///{db}"
[fetch]
allow_private = true
per_host_delay = 0
retries = 0
read_timeout = 2
total_timeout = 5
[[sources]]
name = "古交市人民政府"
url = "{county.url}"
region = "古交市"
interval = "{interval}"
[[sources]]
name = "黄河新闻网"
url = "{news.url}"
kind = "rss"
interval = "{interval}"
""",
        encoding="utf-8",
    )
    return config, db


def test_poll_sources_and_figures(tmp_path: Path, sites: dict[str, Site], capsys: pytest.CaptureFixture[str]) -> None:
    config, _ = write_settings(tmp_path, sites)
    assert main(["--config", str(config), "poll"]) == 0
    out = capsys.readouterr().out
    assert "古交市人民政府" in out and "黄河新闻网" in out and out.count("baseline") == 2

    assert main(["--config", str(config), "sources"]) == 0
    table = capsys.readouterr().out
    assert all(("古交市人民政府" in line or "黄河新闻网" in line) and " ok " in line for line in table.splitlines()[1:])

    assert main(["--config", str(config), "figures", "--region", "古交", "--indicator", "GDP", "--format", "json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert {(f["period"], f["basis"], f["value"]) for f in figures} >= {
        ("2025", "estimate", 95.0),
        ("2026", "target", None),
    }
    for f in figures:
        assert f["region_code"] == "140181" and f["document_url"].startswith("http://127.0.0.1")
        assert set(f) >= {
            "indicator",
            "period",
            "basis",
            "value",
            "unit",
            "yoy",
            "qualifier",
            "quote",
            "document_title",
        }

    assert main(["--config", str(config), "figures", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeff")  # a BOM: Excel then reads the Chinese as UTF-8
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
    assert rows[0][:5] == ["region", "region_code", "indicator", "period", "basis"] and len(rows) > 20
    assert rows[0][-3:] == ["document_url", "document_title", "published"]
    workbook = tmp_path / "figures.xlsx"
    assert main(["--config", str(config), "figures", "--format", "xlsx"]) == 2  # a workbook goes to a file
    assert main(["--config", str(config), "figures", "--format", "xlsx", "--output", str(workbook)]) == 0
    from openpyxl import load_workbook

    book = load_workbook(workbook)
    assert "地区生产总值" in book.sheetnames  # one sheet per indicator, named in Chinese
    capsys.readouterr()

    assert main(["--config", str(config), "poll", "--source", "黄河新闻网"]) == 0
    assert " ok " in capsys.readouterr().out  # second poll: nothing new, not a baseline


def test_unknown_names_get_a_clear_answer(
    tmp_path: Path, sites: dict[str, Site], capsys: pytest.CaptureFixture[str]
) -> None:
    config, _ = write_settings(tmp_path, sites)
    assert main(["--config", str(config), "figures", "--region", "火星市"]) == 1
    assert "unknown region" in capsys.readouterr().err
    assert main(["--config", str(config), "figures", "--indicator", "幸福指数"]) == 1
    assert "unknown indicator" in capsys.readouterr().err
    assert main(["--config", str(config), "poll", "--source", "nope"]) == 1
    assert "no enabled source named 'nope'" in capsys.readouterr().err


def test_an_unreachable_source_is_a_logged_state(
    tmp_path: Path, sites: dict[str, Site], capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    config, _ = write_settings(tmp_path, sites)
    text = config.read_text(encoding="utf-8")
    config.write_text(text + '\n[[sources]]\nname = "down"\nurl = "http://127.0.0.1:9/"\n', encoding="utf-8")
    assert main(["--config", str(config), "poll"]) == 3  # some source failed: a non-zero status for scripts
    assert "connection refused" in capsys.readouterr().out
    assert "source down: error (connection refused)" in caplog.text
    assert "source 古交市人民政府: baseline" in caplog.text


def test_run_polls_at_start_up_and_stops_cleanly_on_sigterm(
    tmp_path: Path, sites: dict[str, Site], server: LocalHTTPServer
) -> None:
    config, db = write_settings(tmp_path, sites)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "--config", str(config), "run"],
        cwd=tmp_path,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _poll_runs(db) < 2:
            time.sleep(0.2)
        assert _poll_runs(db) == 2, "both sources were polled at start-up"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert "watching 2 sources" in err and "stopping" in err and "Traceback" not in err
    assert "source 古交市人民政府: baseline" in err


def _poll_runs(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db) as conn:
            return int(conn.execute("SELECT count(*) FROM poll_runs").fetchone()[0])
    except sqlite3.Error:
        return 0
