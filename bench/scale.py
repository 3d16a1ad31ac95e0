"""`make bench`, scale part: 10,000 sources shared by 2 `govwatch` processes on one PostgreSQL database.

The sites are bench/poll.py's (a separate server process, ~250 loopback hosts). Each worker process runs a real
Fetcher and a Monitor with poll claims (`PollClaims`) over *all* the sources, as `govwatch run` does: the claims
split them. Two cycles: the baseline (each source's first poll reads its newest item) and the steady state (every
list answers 304). Printed per cycle: the sources each process polled, CPU per polled source, the peak RSS of each
process, and the list fetches the server saw (each list fetched once per cycle, not once per process).

    .venv/bin/python bench/scale.py [--sources N] [--processes N]

Needs PostgreSQL (`GOVWATCH_BENCH_POSTGRES_URL`, default the test server); skipped with the reason otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import multiprocessing
import os
import sys
import time
import uuid
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.poll import COUNTIES, SiteServer, _rss_mb, poll_all, usable_hosts  # noqa: E402

POSTGRES_URL = os.environ.get("GOVWATCH_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SOURCES = 10_000
PROCESSES = 2
INTERVAL = 3600.0  # each source's interval: a cycle takes far less, so no source falls due twice in one


def _worker(url: str, lists: list[str], conn: Connection) -> None:
    """One process: poll every source each time it is told to, with claims; report what it did."""
    from scrapers.http.config import FetchConfig
    from scrapers.http.fetch import Fetcher
    from scrapers.monitor import Monitor, PollClaims
    from scrapers.schedule import SourceSpec
    from storage import Store
    from storage.coordination import process_id

    specs = [
        SourceSpec(f"bench-{i:05d}", u, "list", COUNTIES[i % len(COUNTIES)], interval=INTERVAL)
        for i, u in enumerate(lists)
    ]
    store = Store.open(url)
    config = FetchConfig(per_host_delay=0.02, per_host_concurrency=2, retries=0, allow_private=True)

    async def cycles() -> None:
        async with Fetcher(config, validators=store) as fetcher:
            monitor = Monitor(store, fetcher, max_new_per_poll=1, claims=PollClaims(process_id()))
            while conn.recv() == "cycle":
                cpu0 = time.process_time()
                summaries = await poll_all(monitor, specs)
                polled = sum(1 for s in summaries if s.status != "skipped")
                statuses = sorted({s.status for s in summaries})
                conn.send((polled, time.process_time() - cpu0, _rss_mb(), statuses))

    try:
        asyncio.run(cycles())
    finally:
        store.close()


def new_schema() -> tuple[str, str] | str:
    """(URL, schema) of a new schema on the bench's PostgreSQL, or why there is none."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        return f"PostgreSQL not reachable ({str(exc).splitlines()[0]})"
    finally:
        engine.dispose()
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def _time_passes(url: str) -> None:
    """An interval later: every source is due again (as the schedulers' next runs would find it)."""
    from sqlalchemy import text

    from storage import Store

    store = Store.open(url)
    try:
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE poll_claims SET due_at = :t"), {"t": dt.datetime(2000, 1, 1)})
    finally:
        store.close()


def drop_schema(schema: str) -> None:
    """Drop a schema new_schema made."""
    from sqlalchemy import create_engine, text

    engine = create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def main(argv: Sequence[str] = ()) -> int:
    """Run the two cycles over N processes; exit 1 when a source was polled twice or not at all."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=SOURCES)
    parser.add_argument("--processes", type=int, default=PROCESSES)
    args = parser.parse_args(list(argv))
    made = new_schema()
    if isinstance(made, str):
        print(f"scale: skipped: {made}")
        return 0
    url, schema = made
    hosts = usable_hosts()
    server = SiteServer(hosts, dt.date(2026, 3, 20), 1)  # one item a list: the baseline reads it whole
    ctx = multiprocessing.get_context("spawn")
    lists = [server.list_url(i) for i in range(args.sources)]
    pipes, workers = [], []
    try:
        # The schema is migrated once before the workers start (they would take turns on the lock anyway).
        from storage import Store

        Store.open(url).close()
        for _ in range(args.processes):
            ours, theirs = ctx.Pipe()
            worker = ctx.Process(target=_worker, args=(url, lists, theirs), daemon=True)
            worker.start()
            pipes.append(ours)
            workers.append(worker)
        print(f"scale: {args.sources} sources, {args.processes} processes on PostgreSQL, {len(hosts)} hosts")
        ok = True
        for cycle in ("baseline", "unchanged"):
            before, _ = server.stats()
            wall = time.perf_counter()
            for pipe in pipes:
                pipe.send("cycle")
            results = [pipe.recv() for pipe in pipes]
            wall = time.perf_counter() - wall
            after, _ = server.stats()
            after.subtract(before)
            polled = sum(r[0] for r in results)
            lists_fetched = sum(n for kind, n in after.items() if "list" in kind)
            per = ", ".join(
                f"process {i + 1}: {r[0]} polled, {r[1] / max(r[0], 1) * 1000:.2f} ms CPU each, {r[2]:.0f} MB"
                for i, r in enumerate(results)
            )
            print(f"  {cycle:<9} {wall:6.1f} s wall; {per}; lists fetched {lists_fetched}")
            ok = ok and polled == args.sources
            if polled != args.sources:
                print(f"  WRONG: {polled} polls for {args.sources} sources")
            _time_passes(url)
        for pipe in pipes:
            pipe.send("stop")
        return 0 if ok else 1
    finally:
        for worker in workers:
            worker.join(30)
            if worker.is_alive():
                worker.terminate()
        server.stop()
        drop_schema(schema)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
