"""Two `govwatch run` processes on one PostgreSQL, against a local site and the Bot API stand-in, killed and
restarted in turns: every alert arrives once, every command is answered once, each list is fetched once per
interval, and a stand-by takes over Telegram's updates when the leader dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.bot.test_run_sigkill import eventually
from tests.support.httpserver import LocalHTTPServer, Reply, serve
from tests.support.sites import build_site
from tests.support.telegram_api import FakeTelegram

ROOT = Path(__file__).resolve().parent.parent.parent
INTERVAL = 2.0
CHAT = 100
LATEST = "最新文件"  # the heading of a /latest answer



class Feed:
    """The news portal's RSS feed, served locally, to which reports are added one by one."""

    def __init__(self, server: LocalHTTPServer) -> None:
        self.server = server
        site = build_site("news-portal", server.base_url)
        for path, (body, ctype) in site.files.items():
            server.route(path, Reply(200, [("Content-Type", ctype)], body))
        self.path = site.listings[0].path
        self.body, _ = site.get(site.listings[0].url)
        self.titles: list[str] = []

    def add(self, n: int) -> str:
        title = f"古交市2026年第{n}号经济运行简报"
        path = f"/news-portal/gujiao/2026-0{n}/01/content_{n}.htm"
        article = (
            f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
            f"<p>今年以来，古交市地区生产总值完成{90 + n}亿元，同比增长{n}.5%。</p></body></html>"
        )
        self.server.route(path, Reply(200, [("Content-Type", "text/html; charset=utf-8")], article.encode()))
        item = f"<item><title>{title}</title><link>{self.server.url(path)}</link></item>".encode()
        self.body = self.body.replace(b"<item>", item + b"<item>", 1)
        self.server.route(self.path, Reply(200, [("Content-Type", "application/rss+xml")], self.body))
        self.titles.append(title)
        return title

    def fetches(self) -> int:
        return len(self.server.requests_to(self.path))


def start(config: Path, cwd: Path) -> subprocess.Popen[str]:
    """A `govwatch run`, its log in a file of its own: a pipe nobody reads fills up and stalls the process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "bot.cli", "--config", str(config), "run"]
    log = open(cwd / f"run-{time.monotonic_ns()}.log", "w", encoding="utf-8")  # noqa: SIM115 - outlives this call
    try:
        return subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=log, text=True)
    finally:
        log.close()  # the child holds its own copy


def kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def copies(fake: FakeTelegram, title: str) -> int:
    """Alerts naming the report (the /latest answers list it too: they are not alerts)."""
    return sum(1 for s in fake.sent_to(CHAT) if title in s.plain and LATEST not in s.plain)


def answers_to(fake: FakeTelegram, marker: str) -> int:
    return sum(1 for s in fake.sent_to(CHAT) if marker in s.plain)


def test_two_runs_share_the_work_and_survive_kills_in_turns(pg_url: str, tmp_path: Path) -> None:
    with serve() as server, FakeTelegram() as fake:
        feed = Feed(server)
        config = tmp_path / "settings.toml"
        config.write_text(
            f'[storage]\nurl = "{pg_url}"\n[http]\nlisten = ""\n'
            f'[telegram]\ntoken = "{fake.token}"\nbase_url = "{fake.base_url}"\n'
            "[fetch]\nallow_private = true\nper_host_delay = 0\nretries = 0\n"
            "[schedule]\njitter = 0\n"
            f'[[sources]]\nname = "黄河新闻网"\nurl = "{server.url(feed.path)}"\nkind = "rss"\ninterval = "2s"\n',
            encoding="utf-8",
        )
        runs = {"A": start(config, tmp_path), "B": start(config, tmp_path)}
        try:
            eventually(lambda: feed.fetches() >= 2, 60, "the first polls")
            fake.push_message(CHAT, "/subscribe 古交")
            eventually(lambda: answers_to(fake, "已订阅") >= 1, 60, "the subscription answered")

            # Each list is fetched once per interval, not once per process.
            time.sleep(1)
            before, started = feed.fetches(), time.monotonic()
            time.sleep(12)
            per_interval = (feed.fetches() - before) / ((time.monotonic() - started) / INTERVAL)
            assert per_interval <= 1.35, f"{per_interval:.2f} list fetches per interval with two processes"

            # Kill each process in turn (the leader among them), restart it, and add a report each time.
            for round_, victim in enumerate(("A", "B", "A"), start=1):
                title = feed.add(round_)
                eventually(lambda t=title: copies(fake, t) >= 1, 60, f"the alert of report {round_}")
                kill(runs[victim])
                fake.push_message(CHAT, "/latest 古交")
                # The survivor (leading already, or taking over within 30 s) answers the command.
                eventually(lambda n=round_: answers_to(fake, LATEST) >= n, 45, f"an answer after kill {round_}")
                runs[victim] = start(config, tmp_path)
            eventually(lambda: all(copies(fake, t) >= 1 for t in feed.titles), 60, "every alert")
            time.sleep(2 * INTERVAL + 3)  # a duplicate would come within the next rounds
        finally:
            for process in runs.values():
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in runs.values():
                process.wait(timeout=60)
            errors = [path.read_text(encoding="utf-8") for path in sorted(tmp_path.glob("run-*.log"))]
        assert [copies(fake, t) for t in feed.titles] == [1, 1, 1], "an alert was lost or sent twice"
        assert answers_to(fake, "已订阅") == 1, "the command was answered by both processes"
        assert answers_to(fake, LATEST) == 3
        assert all("Traceback" not in e for e in errors), [e[-3000:] for e in errors]
