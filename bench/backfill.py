"""`make bench`, backfill part: one source's history walked through its pager, pages per second and CPU per page.

A column of PAGES list pages (ITEMS bulletins each, a TRS `createPageHTML` pager, GBK like a real county site)
is served by a separate process on 127.0.0.1. This process walks it with the real Backfiller, Monitor, Fetcher
and a SQLite store, with the per-host gap off so the figure is govwatch's own cost: each page is a list fetch and
ITEMS articles fetched, extracted, parsed and stored. The CPU time printed is this process's alone. The walk is
checked (every page read, every bulletin's GDP stored) so a broken run is reported, not measured.

    .venv/bin/python bench/backfill.py [--pages N] [--items N]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PAGES = 6
ITEMS = 6  # 36 bulletins: 2025 back to 1990, each with its year's GDP


def _serve(pages: int, items: int, conn: Connection) -> None:
    """The child: serve the column until told to stop."""
    from tests.support.httpserver import serve
    from tests.support.paginated import serve_column

    with serve() as server:
        column = serve_column(server, "trs", encoding="gbk", pages=pages, per_page=items, prefix="/tjgb")
        conn.send(column.first_url)
        conn.recv()


async def _walk(first_url: str, db: Path) -> tuple[int, int, int, int]:
    from scrapers.backfill import Backfiller, BackfillPlan
    from scrapers.http.config import FetchConfig
    from scrapers.http.fetch import Fetcher
    from scrapers.monitor import Monitor
    from scrapers.schedule import Backoff, SourceSpec
    from storage import Store

    store = Store.open(f"sqlite:///{db}")
    config = FetchConfig(per_host_delay=0.0, retries=0, per_host_concurrency=4, allow_private=True)
    fetcher = Fetcher(config, validators=store)
    monitor = Monitor(store, fetcher, Backoff(), today=lambda: date(2026, 6, 1))
    try:
        spec = SourceSpec("古交统计公报", first_url, "list", "古交市")
        summary = await Backfiller(monitor, lambda done: None).run(spec, BackfillPlan())
        gdp = len(store.figures(region_code="140181", indicator="gdp"))
    finally:
        await fetcher.aclose()
        store.close()
    return summary.pages, summary.items, summary.documents, gdp


def _warm_up() -> None:
    """Load what the first article would load (trafilatura, the gazetteer): the figure is the steady state."""
    from parsers.document import parse_document
    from scrapers.extract.content import extract_document

    extract_document("<html><body><p>2025年古交市地区生产总值100亿元。</p></body></html>".encode())
    parse_document("2025年古交市地区生产总值100亿元，增长5%。")


def main(argv: Sequence[str] = ()) -> int:
    """Walk the served column once and print pages/s and CPU per page; exit 1 when the walk was incomplete."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=PAGES)
    parser.add_argument("--items", type=int, default=ITEMS)
    args = parser.parse_args(list(argv))
    ours, theirs = multiprocessing.Pipe()
    child = multiprocessing.Process(target=_serve, args=(args.pages, args.items, theirs), daemon=True)
    child.start()
    try:
        first_url = ours.recv()
        _warm_up()
        with tempfile.TemporaryDirectory() as tmp:
            wall, cpu = time.perf_counter(), time.process_time()
            pages, items, documents, gdp = asyncio.run(_walk(first_url, Path(tmp) / "bench.db"))
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        ours.send("stop")
        child.join(10)
    expected = args.pages * args.items
    print(
        f"backfill: {pages} list pages, {items} items, {documents} documents stored in {wall:.1f} s: "
        f"{pages / wall:.1f} pages/s, CPU {cpu / max(pages, 1) * 1000:.0f} ms per page "
        f"({cpu / max(documents, 1) * 1000:.0f} ms per article; per-host gap off)"
    )
    if pages != args.pages or documents != expected or gdp != expected:
        print(f"backfill: INCOMPLETE: expected {args.pages} pages and {expected} documents, GDP figures {gdp}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
