"""`govwatch run`: the monitor's scheduler, the alert dispatcher and the Telegram bot on one event loop."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Sequence

from bot.alerts import plain_alert
from bot.answers import Answers
from bot.dispatcher import Dispatcher, Limits
from bot.scheduler import run_until_stopped
from bot.settings import Settings
from bot.telegram_app import TelegramAlertSender, TelegramBot
from bot.wiring import Parts, open_parts
from scrapers.monitor import SourceSpec
from storage.records import OutboxRow
from storage.store import Store

log = logging.getLogger("govwatch.run")
CONSOLE_CHAT = 0  # console mode's own "chat": subscribed to everything, its alerts printed
TELEGRAM_RETRY = 60.0


class ConsoleAlertSender:
    """Console mode (no token): alerts print to stdout, through the same outbox as Telegram's."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def send_alert(self, row: OutboxRow) -> Sequence[int]:
        """Print the alert and confirm it."""
        text = await asyncio.to_thread(plain_alert, self.store, row.document_id)
        print(f"\n{text}\n", flush=True, file=sys.stdout)
        return [0]


async def _start_bot(bot: TelegramBot, stop: asyncio.Event) -> None:
    # Telegram may be out of reach (blocked networks, no network): keep the monitor running and retry.
    while not stop.is_set():
        try:
            await bot.start()
            return
        except Exception as exc:
            log.warning("telegram: cannot start (%s); retrying in %.0fs", exc, TELEGRAM_RETRY)
            try:
                await asyncio.wait_for(stop.wait(), TELEGRAM_RETRY)
            except TimeoutError:
                continue


async def serve(parts: Parts, specs: list[SourceSpec], stop: asyncio.Event | None = None) -> None:
    """Run everything until stopped (SIGINT/SIGTERM or `stop`)."""
    stop = stop or asyncio.Event()
    settings = parts.settings
    bot: TelegramBot | None = None
    if settings.telegram.token:
        bot = TelegramBot(settings.telegram, Answers(parts.store, admins=frozenset(settings.telegram.admins)))
        await asyncio.to_thread(parts.store.unsubscribe, CONSOLE_CHAT, None)
        sender: TelegramAlertSender | ConsoleAlertSender = TelegramAlertSender(bot, parts.store)
        bot_task = asyncio.create_task(_start_bot(bot, stop))
    else:
        log.info("no Telegram token: console mode, alerts print here")
        await asyncio.to_thread(parts.store.subscribe, CONSOLE_CHAT, None)
        sender = ConsoleAlertSender(parts.store)
    dispatcher = Dispatcher(parts.store, sender, Limits())
    dispatch_task = asyncio.create_task(dispatcher.run(stop))
    try:
        await run_until_stopped(parts, specs, stop)
    finally:
        stop.set()
        await dispatch_task
        if bot is not None:
            await bot_task
            await bot.stop()


def run(settings: Settings, specs: list[SourceSpec]) -> None:
    """`govwatch run` from the command line."""

    async def main() -> None:
        async with open_parts(settings) as parts:
            await serve(parts, specs)

    asyncio.run(main())
