"""`make bench`, HTTP part: latency of `/feeds/<region>.atom` and `/figures.csv` over 100,000 stored figures.

The store is filled as bench/bot.py fills it (Shanxi's counties, 16 indicators, 100 figures per document); the
endpoint is the real aiohttp server of `govwatch run`, on 127.0.0.1, asked by a real HTTP client. Printed: p50
and p99 of each request kind, and the size of the answers.

    .venv/bin/python bench/web.py [--figures N] [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bench.bot import fill  # noqa: E402
from bot.web.metrics import Metrics  # noqa: E402
from bot.web.server import WebServer  # noqa: E402
from parsers.regions import Gazetteer  # noqa: E402
from storage import Store  # noqa: E402
from tests.support.httpserver import free_port  # noqa: E402

REQUESTS = {
    "feed of a county (/feeds/古交.atom)": "/feeds/古交.atom",
    "feed of a city with its counties (/feeds/吕梁市.atom)": "/feeds/吕梁市.atom",
    "CSV of a county's GDP (/figures.csv?region=古交&indicator=gdp)": "/figures.csv?region=古交&indicator=gdp",
    "CSV of a city since 2015 (/figures.csv?region=吕梁市&since=2015)": "/figures.csv?region=吕梁市&since=2015",
}


async def _measure(store: Store, runs: int) -> None:
    port = free_port()
    runner = await WebServer(store, Metrics(store), lambda: True, Gazetteer.default()).start(f"127.0.0.1:{port}")
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            for name, path in REQUESTS.items():
                times, size = [], 0
                for _ in range(runs):
                    start = time.perf_counter()
                    answer = await client.get(path)
                    times.append(time.perf_counter() - start)
                    size = len(answer.content)
                    assert answer.status_code == 200, (path, answer.status_code)
                times.sort()
                p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
                print(
                    f"  {name:<66} p50 {statistics.median(times) * 1000:7.1f} ms  p99 {p99 * 1000:7.1f} ms  "
                    f"{size / 1000:8.1f} kB"
                )
    finally:
        await runner.cleanup()


def main(argv: Sequence[str] = ()) -> int:
    """Fill a store, serve it, time the requests."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(list(argv))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{tmp}/bench.db")
        try:
            fill(store, args.figures)
            print(f"http: {args.figures:,} figures stored; {args.runs} requests of each kind")
            asyncio.run(_measure(store, args.runs))
        finally:
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
