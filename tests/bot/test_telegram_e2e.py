"""The real PTB application and the alert dispatcher against a local stand-in for the Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.alerts.dispatcher import Dispatcher, Limits
from bot.chat.answers import Answers
from bot.settings import TelegramSettings
from bot.telegram import TelegramAlertSender, TelegramBot
from parsers.document import parse_document
from storage import NewDocument, Store
from tests.storage.builders import save
from tests.support.telegram_api import FakeTelegram

SEEDS = Path(__file__).parent.parent / "fixtures" / "seeds"
GUJIAO, JIAOCHENG = "140181", "141122"


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server
        assert not server.errors


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path / 'govwatch.db'}")
    try:
        yield opened
    finally:
        opened.close()


def save_seed(store: Store, name: str, published: str, url: str, baseline: bool) -> int:
    """Parse a seed and store it as a document read from url; returns its id."""
    doc = parse_document((SEEDS / name).read_text(encoding="utf-8"), published=date.fromisoformat(published))
    saved = save(
        store,
        NewDocument(
            canonical_url=url,
            source_name="test",
            title=doc.title,
            published=date.fromisoformat(published),
            kind=doc.kind,
            region=doc.region,
            region_code=doc.region_code,
            text=doc.text,
            attachment_url=None,
            baseline=baseline,
        ),
        doc.figures,
    )
    return saved.document_id


def telegram(fake: FakeTelegram) -> TelegramSettings:
    return TelegramSettings(token=fake.token, base_url=fake.base_url, admins=[7])


def test_commands_free_text_and_charts_through_ptb(fake: FakeTelegram, store: Store) -> None:
    save_seed(store, "003_dd839b69f8cc83e5.txt", "2026-01-04", "https://gov.example/003.html", baseline=True)

    async def main() -> None:
        bot = TelegramBot(telegram(fake), Answers(store, admins=frozenset({7})))
        await bot.start()
        try:
            fake.push_message(100, "/gdp 古交")
            assert await fake.wait_for_async(1, timeout=15)
            fake.push_message(100, "古交GDP")
            assert await fake.wait_for_async(2, timeout=15)
            fake.push_message(100, "/chart 古交")
            assert await fake.wait_for_async(3, timeout=30)
            fake.push_message(100, "/gdp 火星")
            assert await fake.wait_for_async(4, timeout=15)
        finally:
            await bot.stop()

    asyncio.run(main())
    gdp, free, chart, unknown = fake.sent_to(100)
    assert "地区生产总值" in gdp.plain and "95亿元" in gdp.plain and "预计" in gdp.plain and "2026-01-04" in gdp.plain
    assert free.plain == gdp.plain
    assert chart.method == "sendPhoto" and (chart.photo_size or 0) > 1000
    assert "火星" in unknown.plain
    commands = dict(fake.my_commands())
    assert commands["gdp"].startswith("地区生产总值") and "status" not in commands


def subscribe_by_chat(fake: FakeTelegram, store: Store, chats: dict[int, str]) -> None:
    """Each chat sends /subscribe <region> to the running bot."""

    async def main() -> None:
        bot = TelegramBot(telegram(fake), Answers(store))
        await bot.start()
        try:
            for n, (chat, region) in enumerate(chats.items(), 1):
                fake.push_message(chat, f"/subscribe {region}")
                assert await fake.wait_for_async(n, timeout=15)
        finally:
            await bot.stop()

    asyncio.run(main())


def dispatch(fake: FakeTelegram, store: Store, until_sent: int, timeout: float = 30.0) -> Dispatcher:
    """Run the dispatcher until `until_sent` alerts are confirmed (or the timeout)."""

    async def main() -> Dispatcher:
        bot = TelegramBot(telegram(fake), Answers(store))
        await bot.app.initialize()
        dispatcher = Dispatcher(store, TelegramAlertSender(bot, store), Limits(idle_poll=0.2, retry_base=0.5))
        stop = asyncio.Event()
        task = asyncio.create_task(dispatcher.run(stop))
        deadline = asyncio.get_running_loop().time() + timeout
        while dispatcher.sent_count < until_sent and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)  # room for a send that should not happen
        stop.set()
        await task
        await bot.app.shutdown()
        return dispatcher

    return asyncio.run(main())


def test_one_alert_per_subscriber_of_the_region_and_none_elsewhere(fake: FakeTelegram, store: Store) -> None:
    subscribe_by_chat(fake, store, {100: "古交", 200: "交城县", 300: "太原市"})
    assert store.subscriptions(100) == [GUJIAO] and store.subscriptions(200) == [JIAOCHENG]
    fake.clear()
    save_seed(store, "003_dd839b69f8cc83e5.txt", "2026-01-04", "https://gov.example/a&b<003>.html", baseline=False)
    save_seed(store, "000_8bf610cf3b1391ec.txt", "2024-02-24", "https://gov.example/000.html", baseline=False)
    dispatcher = dispatch(fake, store, until_sent=2)
    assert dispatcher.sent_count == 2
    sent = {chat: fake.sent_to(chat) for chat in (100, 200, 300)}
    assert sent[200] == []
    alert = sent[100][0]
    assert "古交市" in alert.plain and "地区生产总值" in alert.plain and "95亿元" in alert.plain
    assert alert.parse_mode == "HTML" and alert.reply_markup is not None
    assert len(sent[100]) == 1  # seed 000 is news without a figure: no alert
    assert len(sent[300]) == 1  # 太原市 contains 古交市: its subscriber hears of it too
    assert store.outbox_counts()["sent"] == 2
    assert dispatch(fake, store, until_sent=1, timeout=2).sent_count == 0  # nothing is ever sent twice


def test_a_429_storm_still_delivers_everything_within_the_limits(fake: FakeTelegram, store: Store) -> None:
    chats = list(range(1000, 1012))
    for chat in chats:
        store.subscribe(chat, GUJIAO)
    save_seed(store, "003_dd839b69f8cc83e5.txt", "2026-01-04", "https://gov.example/003.html", baseline=False)
    fake.fail_next(6, error_code=429, retry_after=1)
    dispatcher = dispatch(fake, store, until_sent=len(chats), timeout=60)
    assert dispatcher.sent_count == len(chats)
    assert all(len(fake.sent_to(chat)) == 1 for chat in chats)
    assert fake.max_rate(window=1.0) <= 30
    refused = [r for r in fake.requests_for("sendMessage") if r.status == 429]
    assert len(refused) == 6


def test_a_bot_blocked_by_a_user_drops_the_subscription(fake: FakeTelegram, store: Store) -> None:
    store.subscribe(400, GUJIAO)
    store.subscribe(401, GUJIAO)
    fake.block_chat(400)
    save_seed(store, "003_dd839b69f8cc83e5.txt", "2026-01-04", "https://gov.example/003.html", baseline=False)
    dispatch(fake, store, until_sent=1)
    assert store.subscriptions(400) == [] and store.subscriptions(401) == [GUJIAO]
    assert store.outbox_counts()["dropped"] == 1 and len(fake.sent_to(401)) == 1


def test_per_chat_pacing_of_several_alerts(fake: FakeTelegram, store: Store) -> None:
    store.subscribe(500, None)
    for i in range(3):
        save_seed(store, "003_dd839b69f8cc83e5.txt", "2026-01-04", f"https://gov.example/{i}.html", baseline=False)
        save_seed(store, "004_189630f876e85d0c.txt", "2023-02-15", f"https://gov.example/4-{i}.html", baseline=False)
    started = datetime.now(UTC)
    dispatcher = dispatch(fake, store, until_sent=2)
    assert dispatcher.sent_count >= 2
    interval = fake.min_interval(500)
    assert interval is not None and interval >= 0.9
    assert (datetime.now(UTC) - started).total_seconds() >= 1


def test_a_group_upgraded_to_a_supergroup_keeps_its_subscriptions_and_gets_its_alerts(
    fake: FakeTelegram, store: Store
) -> None:
    group, supergroup = -600, -1000000000600
    store.subscribe(group, GUJIAO)
    store.subscribe(group, None)
    store.subscribe(601, GUJIAO)
    fake.migrate_chat(group, supergroup)
    save_seed(store, "003_dd839b69f8cc83e5.txt", "2026-01-04", "https://gov.example/003.html", baseline=False)
    dispatcher = dispatch(fake, store, until_sent=2)
    assert dispatcher.sent_count == 2
    assert store.subscriptions(group) == [] and store.subscriptions(supergroup) == [None, GUJIAO]
    assert len(fake.sent_to(supergroup)) == 1 and fake.sent_to(group) == [] and len(fake.sent_to(601)) == 1
    assert "古交市" in fake.sent_to(supergroup)[0].plain
    assert {a.chat_id for a in store.due_alerts(datetime.now(UTC) + timedelta(days=1))} == set()
    # A later document goes straight to the new chat (it follows everything), and the old id is not tried again.
    fake.clear()
    save_seed(store, "004_189630f876e85d0c.txt", "2023-02-15", "https://gov.example/004.html", baseline=False)
    assert dispatch(fake, store, until_sent=1).sent_count >= 1
    assert len(fake.sent_to(supergroup)) == 1 and not [r for r in fake.requests_for("sendMessage") if r.status == 400]


def test_export_sends_the_regions_figures_as_a_csv_and_an_xlsx_file(fake: FakeTelegram, store: Store) -> None:
    import csv
    import io

    from openpyxl import load_workbook

    save_seed(store, "003_dd839b69f8cc83e5.txt", "2026-01-04", "https://gov.example/003.html", baseline=True)

    async def main() -> None:
        bot = TelegramBot(telegram(fake), Answers(store, admins=frozenset({7})))
        await bot.start()
        try:
            fake.push_message(100, "/export 古交")
            assert await fake.wait_for_async(1, timeout=15)
            fake.push_message(100, "/export 太原 xlsx")  # a city: its counties' figures too
            assert await fake.wait_for_async(2, timeout=15)
            fake.push_message(100, "/export 火星")
            assert await fake.wait_for_async(3, timeout=15)
        finally:
            await bot.stop()

    asyncio.run(main())
    as_csv, as_xlsx, unknown = fake.sent_to(100)
    assert as_csv.method == "sendDocument" and as_csv.document is not None
    name, data = as_csv.document
    assert name == f"govwatch-{GUJIAO}.csv" and data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["region", "region_code", "indicator"]
    assert any(r[2] == "gdp" and r[1] == GUJIAO for r in rows[1:])
    assert "古交市的全部数据" in (as_csv.plain or "")
    assert as_xlsx.document is not None and as_xlsx.document[0] == "govwatch-140100.xlsx"
    book = load_workbook(io.BytesIO(as_xlsx.document[1]))
    assert "地区生产总值" in book.sheetnames and "含下辖地区" in (as_xlsx.plain or "")
    sheet = book["地区生产总值"]
    assert [c.value for c in next(sheet.iter_rows(max_row=1))][:3] == ["region", "region_code", "indicator"]
    assert unknown.method == "sendMessage" and "火星" in (unknown.plain or "")
