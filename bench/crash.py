"""A crash campaign: two `govwatch run` processes on one PostgreSQL, SIGKILLed at random moments while reports keep
appearing; then every alert is counted. Prints kills, reports, alerts delivered, lost and duplicated.

The site is a local RSS feed that gains a report every second or so; the Bot API is the tests' stand-in; the
database is a throwaway schema on `GOVWATCH_BENCH_POSTGRES_URL` (default the test server). Run by hand:

    .venv/bin/python bench/crash.py [--kills 30] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.scale import drop_schema, new_schema  # noqa: E402
from tests.bot.test_two_processes import CHAT, LATEST, Feed  # noqa: E402
from tests.support.httpserver import serve  # noqa: E402
from tests.support.telegram_api import FakeTelegram  # noqa: E402


def _start(config: Path, cwd: Path, n: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(cwd / f"run-{n}.log", "w", encoding="utf-8") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "--config", str(config), "run"],
            cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=log, text=True,
        )  # fmt: skip


def main(argv: Sequence[str] = ()) -> int:
    """Run the campaign; exit 1 when an alert was lost."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--logs", metavar="DIR", help="keep the processes' logs here")
    args = parser.parse_args(list(argv))
    rng = random.Random(args.seed)
    made = new_schema()
    if isinstance(made, str):
        print(f"crash campaign: skipped: {made}")
        return 0
    url, schema = made
    started = 0
    try:
        with tempfile.TemporaryDirectory() as tmp, serve() as server, FakeTelegram() as fake:
            work = Path(args.logs or tmp)
            work.mkdir(parents=True, exist_ok=True)
            feed = Feed(server)
            config = work / "settings.toml"
            config.write_text(
                f'[storage]\nurl = "{url}"\n[http]\nlisten = ""\n'
                f'[telegram]\ntoken = "{fake.token}"\nbase_url = "{fake.base_url}"\n'
                "[fetch]\nallow_private = true\nper_host_delay = 0\nretries = 0\n[schedule]\njitter = 0\n"
                f'[[sources]]\nname = "黄河新闻网"\nurl = "{server.url(feed.path)}"\nkind = "rss"\ninterval = "1s"\n',
                encoding="utf-8",
            )
            runs = [_start(config, work, 0), _start(config, work, 1)]
            started = 2
            deadline = time.monotonic() + 60
            while not feed.fetches() and time.monotonic() < deadline:
                time.sleep(0.2)
            fake.push_message(CHAT, "/subscribe 古交")
            deadline = time.monotonic() + 60
            while not any("已订阅" in (s.plain or "") for s in fake.sent_to(CHAT)):
                if time.monotonic() > deadline:
                    print("crash campaign: the subscription was never answered")
                    return 1
                time.sleep(0.2)
            for report in range(1, args.kills + 1):
                feed.add(report)
                time.sleep(rng.uniform(0.2, 2.5))
                victim = rng.randrange(2)
                runs[victim].send_signal(signal.SIGKILL)
                runs[victim].wait(timeout=30)
                runs[victim] = _start(config, work, started)
                started += 1
            time.sleep(90)  # every lease passes (60 s) and the survivors deliver what is pending
            for process in runs:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=60)
            sent = [s.plain or "" for s in fake.sent_to(CHAT)]
            alerts = Counter(t for t in feed.titles for plain in sent if t in plain and LATEST not in plain)
            lost = [t for t in feed.titles if alerts[t] == 0]
            duplicated = sum(n - 1 for n in alerts.values() if n > 1)
            print(
                f"crash campaign: {args.kills} SIGKILLs over 2 processes on PostgreSQL, {len(feed.titles)} reports: "
                f"{sum(1 for t in feed.titles if alerts[t])} alerted, {len(lost)} lost, {duplicated} duplicates"
            )
            return 1 if lost else 0
    finally:
        drop_schema(schema)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
