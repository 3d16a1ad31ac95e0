"""The bot's speed: `/gdp` answer latency over 100,000 stored figures, and alert dispatch throughput.

Dispatch runs against the local Bot API stand-in of the tests, through the real PTB bot and the real
dispatcher, so the figure printed is what the pacing lets through (Telegram's limit is ≈30 messages/s).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.alerts.dispatcher import Dispatcher, Limits  # noqa: E402
from bot.alerts.policy import alert_regions  # noqa: E402
from bot.chat.answers import Answers  # noqa: E402
from bot.settings import TelegramSettings  # noqa: E402
from bot.telegram import TelegramAlertSender, TelegramBot  # noqa: E402
from parsers.indicators import indicators  # noqa: E402
from parsers.model import Figure  # noqa: E402
from parsers.regions import Gazetteer  # noqa: E402
from storage import NewDocument, Store  # noqa: E402
from tests.support.telegram_api import FakeTelegram  # noqa: E402

QUERIES = ("/gdp 古交", "古交GDP", "/gdp 交城县 2024", "/gdp 太原")


def fill(store: Store, total: int) -> None:
    """`total` figures over Shanxi's counties, 16 indicators, years and bases, 100 per document."""
    gaz = Gazetteer.default()
    counties = [r for r in gaz.regions if r.level == "county" and r.code.startswith("14")]
    ids = list(indicators().values())
    per_doc, made, n = 100, 0, 0
    while made < total:
        region = counties[n % len(counties)]
        figs = []
        for k in range(per_doc):
            ind = ids[k % len(ids)]
            year = 2000 + (k // len(ids)) + (n // len(counties)) % 20
            basis = ("actual", "estimate", "target")[k % 3]
            figs.append(Figure(region.name, region.code, ind.id, str(year), basis, 100.0 + k, ind.unit, 5.0, None, "q"))
        store.save_document(
            NewDocument(
                canonical_url=f"https://bench.example/{n}.html",
                source_name="bench",
                title=f"报告{n}",
                published=date(2020, 1, 1 + n % 28),
                kind="bulletin",
                region=region.name,
                region_code=region.code,
                text=f"正文{n}",
                attachment_url=None,
                baseline=True,
            ),
            figs,
        )
        made += per_doc
        n += 1


def bench_answers(store: Store, runs: int) -> None:
    answers = Answers(store)
    for q in QUERIES:
        answers.answer(q, 1)  # warm caches
    timings = []
    for i in range(runs):
        start = time.perf_counter()
        answers.answer(QUERIES[i % len(QUERIES)], 1)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p99 = timings[max(0, int(len(timings) * 0.99) - 1)]
    print(f"bot /gdp latency over {runs} answers: p50 {statistics.median(timings):.2f} ms, p99 {p99:.2f} ms (aim < 10)")


def bench_dispatch(store: Store, chats: int) -> None:
    for chat in range(1, chats + 1):
        store.subscribe(10_000 + chat, "140181")
    new = NewDocument(
        canonical_url="https://bench.example/new.html",
        source_name="bench",
        title="古交市新报告",
        published=date(2026, 1, 4),
        kind="plan_report",
        region="古交市",
        region_code="140181",
        text="新报告",
        attachment_url=None,
        baseline=False,
    )
    figs = [Figure("古交市", "140181", "gdp", "2025", "estimate", 95.0, "亿元", 1.0, None, "预计完成95亿元")]
    store.save_document(new, figs, alert_regions(new, figs))

    async def main(fake: FakeTelegram) -> tuple[int, float]:
        bot = TelegramBot(TelegramSettings(token=fake.token, base_url=fake.base_url), Answers(store))
        await bot.app.initialize()
        dispatcher = Dispatcher(store, TelegramAlertSender(bot, store), Limits())
        start = time.perf_counter()
        while dispatcher.sent_count < chats:
            if await dispatcher.drain() == 0:
                await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - start
        await bot.app.shutdown()
        return dispatcher.sent_count, elapsed

    with FakeTelegram() as fake:
        sent, elapsed = asyncio.run(main(fake))
        print(
            f"bot dispatch: {sent} alerts in {elapsed:.1f} s = {sent / elapsed:.1f} messages/s "
            f"(peak {fake.max_rate(window=1.0)} in any second; Telegram's limit ≈30/s)"
        )


def bench_bot(argv: list[str]) -> int:
    """Run the bot benchmarks and print their figures."""
    parser = argparse.ArgumentParser(prog="bench/bot.py")
    parser.add_argument("--figures", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=2_000)
    parser.add_argument("--chats", type=int, default=300)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{tmp}/bench.db")
        try:
            started = time.perf_counter()
            fill(store, args.figures)
            print(f"bot: stored {args.figures:,} figures in {time.perf_counter() - started:.1f} s")
            bench_answers(store, args.runs)
            bench_dispatch(store, args.chats)
        finally:
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(bench_bot(sys.argv[1:]))
