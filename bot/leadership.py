"""Which `govwatch run` reads Telegram's updates: the leader, chosen by a lock in the database.

Every process sends (replies and alerts: the outbox's leases keep each alert to one sender), but only one may read
updates — Telegram answers a second reader with 409 Conflict, and two readers would answer every command twice.
The others stand by and try for the lead every `LEAD_CHECK` seconds, so one takes over well within 30 s of the
leader's death; a leader that loses its lock (the database restarted) stops reading at its next check.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from storage.coordination import LeaderLock

if TYPE_CHECKING:
    from bot.telegram import TelegramBot

log = logging.getLogger("govwatch.telegram")

LEAD_CHECK = 10.0  # seconds between looks at the lead (a stand-by takes over within this and a check)
TELEGRAM_RETRY = 60.0  # seconds before trying Telegram again when it cannot be reached


async def lead_telegram(
    bot: TelegramBot, lock: LeaderLock, stop: asyncio.Event, check: float = LEAD_CHECK, retry: float = TELEGRAM_RETRY
) -> None:
    """Send from the start; read updates while this process leads; until `stop`."""
    if not await _start_sending(bot, stop, retry):
        return
    leading = False
    try:
        while not stop.is_set():
            holds = await asyncio.to_thread(lock.try_acquire if not leading else lock.still_held)
            if holds and not leading:
                leading = await _start_updates(bot)
                if not leading:  # Telegram out of reach: give the lead up and try again later
                    await asyncio.to_thread(lock.release)
                    await _wait(stop, retry)
                    continue
                log.info("telegram: this process leads and reads the updates")
            elif leading and not holds:
                log.warning("telegram: the lead was lost (database connection gone); standing by")
                await bot.stop_updates()
                leading = False
            await _wait(stop, check)
    finally:
        if leading:
            await bot.stop_updates()
        await asyncio.to_thread(lock.release)


async def _start_sending(bot: TelegramBot, stop: asyncio.Event, retry: float) -> bool:
    # Telegram may be out of reach (blocked networks, no network): keep the monitor running and retry.
    while not stop.is_set():
        try:
            await bot.start_sending()
            return True
        except Exception as exc:
            log.warning("telegram: cannot start (%s); retrying in %.0fs", exc, retry)
            await _wait(stop, retry)
    return False


async def _start_updates(bot: TelegramBot) -> bool:
    try:
        await bot.start_updates()
        return True
    except Exception as exc:
        log.warning("telegram: cannot read updates (%s)", exc)
        await bot.stop_updates()
        return False


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
