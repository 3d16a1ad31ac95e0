"""`make bench`: how fast govwatch starts, parses, polls and answers.

Prints CLI start-up as a multiple of a bare interpreter (`bench/startup.py`); parse throughput (MB of UTF-8 text
per second on one core, normalisation included) on the seeds and the report corpus; the ratio of parse time to
trafilatura's extraction time on the recorded pages; the poll benchmark (`bench/poll.py`: wall, CPU per source
and peak RSS of the monitor over 1,000 local sources); a backfill's pages per second and CPU per page
(`bench/backfill.py`); and the bot benchmark (`bench/bot.py`). Numbers, not
assertions (the poll benchmark exits 1 only when a cycle's outcome was wrong).
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.backfill import main as bench_backfill  # noqa: E402
from bench.bot import bench_bot  # noqa: E402
from bench.hostile import main as bench_hostile  # noqa: E402
from bench.poll import main as bench_poll  # noqa: E402
from bench.scale import main as bench_scale  # noqa: E402
from bench.startup import main as bench_startup  # noqa: E402
from bench.web import main as bench_web  # noqa: E402
from parsers.document import parse_document  # noqa: E402
from scrapers.extract.content import ExtractedDocument, extract_document  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
MIN_SECONDS = 2.0


def _timed(fn: Callable[[], object]) -> float:
    """Seconds per call of fn, repeated until MIN_SECONDS have passed (CPU time of this process)."""
    gc.collect()
    runs, start = 0, time.process_time()
    while True:
        fn()
        runs += 1
        spent = time.process_time() - start
        if spent >= MIN_SECONDS:
            return spent / runs


def _texts() -> list[str]:
    files = sorted((FIXTURES / "seeds").glob("*.txt")) + sorted((FIXTURES / "reports").glob("*.txt"))
    return [f.read_text(encoding="utf-8") for f in files]


def _pages() -> list[bytes]:
    return [p.read_bytes() for p in sorted((FIXTURES / "pages").glob("**/*.html"))]


def bench_parse(texts: list[str]) -> None:
    size = sum(len(t.encode("utf-8")) for t in texts)
    seconds = _timed(lambda: [parse_document(t) for t in texts])
    print(f"parse throughput: {size / 1e6 / seconds:6.2f} MB/s  ({len(texts)} texts, {size / 1e6:.2f} MB)")


def bench_pages(pages: list[bytes]) -> None:
    extracted = [d for d in (extract_document(p) for p in pages) if isinstance(d, ExtractedDocument)]
    extract_s = _timed(lambda: [extract_document(p) for p in pages])
    parse_s = _timed(lambda: [parse_document(d.text, title=d.title, published=d.published) for d in extracted])
    print(f"pages: {len(pages)}; extraction (decode + trafilatura) {extract_s * 1000:7.1f} ms per pass")
    print(f"pages: parse of the extracted text       {parse_s * 1000:7.1f} ms per pass")
    print(f"parse / extraction time ratio: {parse_s / extract_s:.3f}")


def main() -> int:
    """Run every benchmark and print its figures."""
    bench_startup()
    bench_parse(_texts())
    bench_hostile()  # inputs shaped to hit each loop's worst case, against a typical report
    pages = _pages()
    if pages:
        bench_pages(pages)
    # The monitor polling 1,000 sources on a local server: baseline, all unchanged (304), one new item each.
    status = bench_poll([])
    # 10,000 sources shared by 2 processes on PostgreSQL (poll claims): CPU per source, RSS per process.
    status = bench_scale([]) or status
    # A backfill: one source's history walked through its TRS pager, pages per second and CPU per page.
    status = bench_backfill([]) or status
    # The bot: /gdp latency over 100,000 stored figures; alert dispatch to the local Bot API stand-in.
    status = bench_bot([]) or status
    # The HTTP endpoint: /feeds/<region>.atom and /figures.csv latency over 100,000 stored figures.
    return bench_web([]) or status


if __name__ == "__main__":
    sys.exit(main())
