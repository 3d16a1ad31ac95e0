"""`govwatch run` end to end: subscribe in Telegram, a new report appears, the alert arrives once — even across SIGKILL."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.httpserver import LocalHTTPServer, Reply, serve
from tests.support.sites import build_site
from tests.support.telegram_api import FakeTelegram

ROOT = Path(__file__).resolve().parent.parent.parent
NEW_PATH = "/news-portal/gujiao/2024-02/02/content_1.htm"
NEW_TITLE = "古交市2023年招商引资签约额256亿元"
ARTICLE = (
    f"<html><head><title>{NEW_TITLE}</title></head><body><h1>{NEW_TITLE}</h1>"
    "<p>2023年，古交市招商引资签约额256亿元，位居太原市第一。全市地区生产总值完成95亿元，同比增长1%。</p></body></html>"
)


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


@pytest.fixture
def site() -> Iterator[tuple[LocalHTTPServer, str, bytes]]:
    with serve() as server:
        built = build_site("news-portal", server.base_url)
        for path, (body, ctype) in built.files.items():
            server.route(path, Reply(200, [("Content-Type", ctype)], body))
        listing = built.listings[0]
        feed, _ = built.get(listing.url)
        yield server, listing.path, feed


def settings_file(tmp_path: Path, fake: FakeTelegram, feed_url: str) -> tuple[Path, Path]:
    db = tmp_path / "govwatch.db"
    config = tmp_path / "settings.toml"
    config.write_text(
        f"""
[storage]
url = "sqlite:///{db}"
[http]
listen = ""
[telegram]
token = "{fake.token}"
base_url = "{fake.base_url}"
[fetch]
allow_private = true
per_host_delay = 0
retries = 0
[schedule]
jitter = 0
[[sources]]
name = "黄河新闻网"
url = "{feed_url}"
kind = "rss"
interval = "2s"
""",
        encoding="utf-8",
    )
    return config, db


def start(config: Path, cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "--config", str(config), "run"],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    if not db.exists():
        return []
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return list(conn.execute(sql).fetchall())
    except sqlite3.Error:
        return []


def eventually(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def alerts_to(fake: FakeTelegram, chat: int) -> list[str]:
    return [s.plain for s in fake.sent_to(chat) if NEW_TITLE in s.plain]


def test_alert_arrives_once_across_a_sigkill_mid_delivery(
    tmp_path: Path, fake: FakeTelegram, site: tuple[LocalHTTPServer, str, bytes]
) -> None:
    server, feed_path, feed = site
    config, db = settings_file(tmp_path, fake, server.url(feed_path))
    first = start(config, tmp_path)
    try:
        eventually(lambda: bool(query(db, "SELECT 1 FROM poll_runs")), 60, "the baseline poll")
        fake.push_message(100, "/subscribe 古交")
        fake.push_message(200, "/subscribe 交城")
        assert fake.wait_for(2, timeout=30), "both subscriptions confirmed"
        fake.hold_sends()  # Telegram will not confirm the next sends
        item = f"<item><title>{NEW_TITLE}</title><link>{server.url(NEW_PATH)}</link></item>"
        server.route(NEW_PATH, Reply(200, [("Content-Type", "text/html; charset=utf-8")], ARTICLE.encode()))
        server.route(
            feed_path,
            Reply(
                200, [("Content-Type", "application/rss+xml")], feed.replace(b"<item>", item.encode() + b"<item>", 1)
            ),
        )
        eventually(lambda: query(db, "SELECT status FROM outbox") == [("sending",)], 60, "the alert in flight")
        eventually(lambda: fake.holding == 1, 10, "the send held at Telegram")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    fake.release_held(discard=True)  # the dead process's request never reached the chat
    assert alerts_to(fake, 100) == []

    second = start(config, tmp_path)
    try:
        eventually(lambda: len(alerts_to(fake, 100)) >= 1, 60, "the alert after restart")
        time.sleep(3)  # a second copy would come within the dispatcher's next rounds
        second.send_signal(signal.SIGTERM)
        _, err = second.communicate(timeout=60)
    finally:
        if second.poll() is None:
            second.kill()
    assert len(alerts_to(fake, 100)) == 1
    assert "256亿元" in alerts_to(fake, 100)[0]
    assert alerts_to(fake, 200) == []  # 交城县's subscriber hears nothing of 古交市
    assert query(db, "SELECT status FROM outbox") == [("sent",)]
    assert second.returncode == 0 and "Traceback" not in err
