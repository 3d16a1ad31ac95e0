"""The HTTP endpoint of a running `govwatch run`, through a real HTTP client: /healthz, /metrics, Atom feeds checked
with feedparser, ETag revalidation, /figures.csv, and validated parameters."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import feedparser
import httpx
import pytest

from tests.support.httpserver import LocalHTTPServer, Reply, free_port, serve
from tests.support.sites import build_site

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def site() -> Iterator[LocalHTTPServer]:
    with serve() as server:
        built = build_site("county-cms", server.base_url)
        for path, (body, ctype) in built.files.items():
            server.route(path, Reply(200, [("Content-Type", ctype)], body))
        yield server


@pytest.fixture
def running(tmp_path: Path, site: LocalHTTPServer) -> Iterator[str]:
    """`govwatch run` with one source and its HTTP endpoint; yields the endpoint's base URL."""
    port = free_port()
    config = tmp_path / "settings.toml"
    config.write_text(
        f'[storage]\nurl = "sqlite:///{tmp_path / "g.db"}"\n[http]\nlisten = "127.0.0.1:{port}"\n'
        "[fetch]\nallow_private = true\nper_host_delay = 0\nretries = 0\n[schedule]\njitter = 0\n"
        f'[[sources]]\nname = "古交市 计划报告"\nurl = "{site.url("/county-cms/zwgk/jhbg/index.html")}"\n'
        'region = "古交市"\ninterval = "1h"\n',
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = tmp_path / "run.log"  # a file, not a pipe: a pipe nobody reads fills up and stalls the process
    with open(log, "w", encoding="utf-8") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "--config", str(config), "run"],
            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=sink, text=True,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                health = httpx.get(f"{base}/healthz", timeout=2)
                if health.status_code == 200 and health.json().get("last_poll_age_seconds") is not None:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            raise AssertionError("govwatch run never became healthy")
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        err = log.read_text(encoding="utf-8")
        assert "Traceback" not in err, err[-3000:]


def test_health_and_metrics(running: str) -> None:
    health = httpx.get(f"{running}/healthz").json()
    assert health["status"] == "ok" and health["database"] is True and health["scheduler"] is True
    assert health["alerts_pending"] >= 0 and health["last_poll_age_seconds"] >= 0
    metrics = httpx.get(f"{running}/metrics")
    assert metrics.status_code == 200 and metrics.headers["content-type"].startswith("text/plain")
    text = metrics.text
    assert 'govwatch_polls_total{source="古交市 计划报告",status="baseline"} 1.0' in text
    assert "govwatch_poll_seconds_bucket" in text and "govwatch_documents_total 3.0" in text
    assert "govwatch_figures_total" in text and "govwatch_alerts_sent_total 0.0" in text
    assert "govwatch_outbox_pending 0.0" in text and "govwatch_sources_failing 0.0" in text
    assert httpx.post(f"{running}/metrics").status_code == 405  # nothing changes state


def test_atom_feeds_are_valid_and_revalidate_with_an_etag(running: str) -> None:
    whole = httpx.get(f"{running}/feeds/all.atom")
    assert whole.status_code == 200 and whole.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(whole.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10" and len(parsed.entries) == 3
    first = parsed.entries[0]
    assert first.id.startswith("urn:govwatch:document:") and first.link.startswith("http://127.0.0.1")
    assert first.published and first.updated and first.title
    assert any("地区生产总值" in e.summary for e in parsed.entries)
    # A region's feed by name, short form or code; a city's includes its counties; unknown is 404.
    for name in ("古交市", "古交", "140181", "太原市"):
        feed = feedparser.parse(httpx.get(f"{running}/feeds/{name}.atom").content)
        assert not feed.bozo and len(feed.entries) >= 1, name
    assert httpx.get(f"{running}/feeds/火星市.atom").status_code == 404
    assert httpx.get(f"{running}/feeds/吕梁市.atom").status_code == 200  # known, nothing stored yet
    etag = whole.headers["etag"]
    again = httpx.get(f"{running}/feeds/all.atom", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""


def test_figures_csv_with_its_filters(running: str) -> None:
    answer = httpx.get(f"{running}/figures.csv", params={"region": "古交", "indicator": "gdp", "since": "2020"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert answer.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "region", "region_code", "indicator", "period", "basis", "value", "unit", "yoy", "qualifier", "quote",
        "document_url", "document_title", "published",
    ]  # fmt: skip
    assert len(rows) > 1 and all(r[2] == "gdp" and r[1] == "140181" for r in rows[1:])
    everything = list(csv.reader(io.StringIO(httpx.get(f"{running}/figures.csv").content.decode("utf-8-sig"))))
    assert len(everything) > len(rows)
    assert httpx.get(f"{running}/figures.csv", params={"since": "2020-13"}).status_code == 400
    assert httpx.get(f"{running}/figures.csv", params={"indicator": "幸福指数"}).status_code == 400
    assert httpx.get(f"{running}/figures.csv", params={"region": "火星"}).status_code == 404


def test_healthz_is_503_when_the_scheduler_does_not_run(tmp_path: Path) -> None:
    from bot.web.metrics import Metrics
    from bot.web.server import WebServer
    from parsers.regions import Gazetteer
    from storage import Store

    store = Store.open(f"sqlite:///{tmp_path / 'g.db'}")
    port = free_port()

    async def main() -> httpx.Response:
        runner = await WebServer(store, Metrics(store), lambda: False, Gazetteer.default()).start(f"127.0.0.1:{port}")
        try:
            async with httpx.AsyncClient() as client:
                return await client.get(f"http://127.0.0.1:{port}/healthz")
        finally:
            await runner.cleanup()

    try:
        down = asyncio.run(main())
    finally:
        store.close()
    assert down.status_code == 503 and down.json()["status"] == "unavailable" and down.json()["database"] is True


def test_a_taken_port_turns_http_off_and_run_goes_on(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from bot.app import open_parts, serve
    from bot.settings import load_settings

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config = tmp_path / "settings.toml"
        config.write_text(
            f'[storage]\nurl = "sqlite:///{tmp_path / "g.db"}"\n[http]\nlisten = "127.0.0.1:{port}"\n', encoding="utf-8"
        )
        settings = load_settings(config)

        async def main() -> None:
            stop = asyncio.Event()
            async with open_parts(settings) as parts:
                running = asyncio.create_task(serve(parts, [], stop))
                await asyncio.sleep(1.0)
                assert not running.done(), "run stopped because the HTTP port was taken"
                stop.set()
                await running

        asyncio.run(main())
    assert any("cannot listen" in r.getMessage() and "HTTP endpoint is off" in r.getMessage() for r in caplog.records)
