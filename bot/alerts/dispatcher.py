"""The outbox dispatcher: sends due alerts oldest first within Telegram's limits, marks each sent on confirmation."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal, Protocol

from sqlalchemy.exc import SQLAlchemyError

from storage.records import OutboxRow
from storage.store import Store

log = logging.getLogger("govwatch.dispatch")

# Seconds between looks for alerts whose sender died mid-send (their lease passed).
RECOVERY_EVERY = 15.0
# Seconds before trying the database again after it failed.
DB_RETRY = 5.0
# Waits between tries to mark a confirmed alert sent (about 30 s in all: well within its lease).
MARK_RETRIES = (0.2, 0.5, 1.0, 2.0, 4.0, 8.0, 12.0)


def _first_line(exc: BaseException) -> str:
    lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__

FailureKind = Literal["retry_after", "transient", "permanent", "rejected", "migrated"]


class SendFailure(Exception):
    """A send Telegram did not confirm: wait and retry, retry later, drop the chat, drop the message, or follow
    the chat to its new id (a group upgraded to a supergroup)."""

    def __init__(
        self, kind: FailureKind, message: str, retry_after: float = 0.0, new_chat_id: int | None = None
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.retry_after = retry_after
        self.new_chat_id = new_chat_id


class AlertEvents(Protocol):
    """Who counts sends (the Prometheus metrics of `govwatch run`)."""

    def alert_sent(self) -> None: ...

    def alert_failed(self, reason: str) -> None: ...


class Sender(Protocol):
    """Delivers one alert to one chat and returns the ids of the messages Telegram confirmed."""

    async def send_alert(self, row: OutboxRow) -> Sequence[int]: ...


@dataclass(frozen=True, slots=True)
class Limits:
    """Telegram's limits: ≈30 messages/s overall, 1/s per private chat, 20/min per group."""

    overall_per_second: float = 30.0
    private_interval: float = 1.0
    group_interval: float = 3.0
    batch: int = 100
    in_flight: int = 8  # sends awaiting Telegram's answer at once (to different chats)
    idle_poll: float = 2.0
    retry_base: float = 5.0
    retry_cap: float = 3600.0


class Pacer:
    """Spaces sends: a global minimum gap, and a per-chat gap (longer for groups, whose ids are negative)."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self.next_global = 0.0
        self.next_chat: dict[int, float] = {}
        self.paused_until = 0.0

    def wait_for(self, chat_id: int) -> float:
        """Seconds until a message may go to this chat."""
        now = self.clock()
        return max(0.0, self.next_global - now, self.chat_wait(chat_id), self.paused_until - now)

    def chat_wait(self, chat_id: int) -> float:
        """Seconds until this chat may get its next message (0 when it may now)."""
        return max(0.0, self.next_chat.get(chat_id, 0.0) - self.clock())

    def global_wait(self) -> float:
        """Seconds until the bot may send anything."""
        now = self.clock()
        return max(0.0, self.next_global - now, self.paused_until - now)

    def sent(self, chat_id: int) -> None:
        """Record a send starting now."""
        now = self.clock()
        self.next_global = now + 1.0 / self.limits.overall_per_second
        gap = self.limits.group_interval if chat_id < 0 else self.limits.private_interval
        self.next_chat[chat_id] = now + gap
        if len(self.next_chat) > 50_000:  # forget chats whose gap is long past
            self.next_chat = {c: t for c, t in self.next_chat.items() if t > now}

    def pause(self, seconds: float) -> None:
        """Hold every send for a while (Telegram's 429 retry_after applies to the bot)."""
        self.paused_until = max(self.paused_until, self.clock() + seconds)


class Dispatcher:
    """Drains the outbox into a sender; a crash loses nothing (a row is marked sent only on confirmation)."""

    def __init__(
        self,
        store: Store,
        sender: Sender,
        limits: Limits = Limits(),
        *,
        sole: bool = False,
        events: AlertEvents | None = None,
    ) -> None:
        """`sole`: no other process sends from this outbox (SQLite), so what a crash left sending is resent at once;
        otherwise an alert is recovered once its sender's lease has passed."""
        self.store = store
        self.sole = sole
        self.events = events
        self.sender = sender
        self.limits = limits
        self.pacer = Pacer(limits)
        self.wake = asyncio.Event()
        self.sent_count = 0
        self.deferred = 0

    async def run(self, stop: asyncio.Event) -> None:
        """Send until stop is set; rows left `sending` by a crash are sent again first, and rows of a process
        that died mid-send once their lease passed."""
        recovered_at: float | None = None
        while not stop.is_set():
            try:
                if recovered_at is None or time.monotonic() - recovered_at >= RECOVERY_EVERY:
                    await self._recover(every=self.sole and recovered_at is None)
                    recovered_at = time.monotonic()
                sent = await self.drain(stop)
            except SQLAlchemyError as exc:
                # The database restarted or a connection was cut: nothing is lost (rows stay pending or leased),
                # so wait and go on; the pool reconnects.
                log.warning("outbox: database unavailable (%s); retrying in %.0fs", _first_line(exc), DB_RETRY)
                await self._pause(stop, DB_RETRY)
                continue
            if self.deferred:
                await asyncio.sleep(min(0.2, self.limits.private_interval))
            elif sent == 0:
                await self._idle(stop)

    async def _recover(self, *, every: bool) -> None:
        recovered = await asyncio.to_thread(self.store.recover_sending, None, every=every)
        if recovered:
            log.info("outbox: %d alerts interrupted by a restart will be sent again", recovered)

    async def _pause(self, stop: asyncio.Event, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), seconds)

    async def _idle(self, stop: asyncio.Event) -> None:
        self.wake.clear()
        waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self.wake.wait())]
        await asyncio.wait(waiters, timeout=self.limits.idle_poll, return_when=asyncio.FIRST_COMPLETED)
        for w in waiters:
            w.cancel()

    async def drain(self, stop: asyncio.Event | None = None) -> int:
        """Send every alert due now whose chat may have one; returns how many were confirmed.

        Sends start paced (globally and per chat) and several are in flight at once, to different chats:
        waiting for Telegram's answer one by one would stay well under its rate.
        """
        rows = await asyncio.to_thread(self.store.due_alerts, datetime.now(UTC), self.limits.batch)
        self.deferred = 0
        slots = asyncio.Semaphore(self.limits.in_flight)
        tasks: list[asyncio.Task[int]] = []
        for row in rows:
            if stop is not None and stop.is_set():
                break
            if self.pacer.chat_wait(row.chat_id) > 0:
                self.deferred += 1  # this chat had one a moment ago: its row waits for the next round
                continue
            await asyncio.sleep(self.pacer.global_wait())
            await slots.acquire()
            self.pacer.sent(row.chat_id)
            tasks.append(asyncio.create_task(self._deliver(row, slots)))
        return sum(await asyncio.gather(*tasks))

    async def _deliver(self, row: OutboxRow, slots: asyncio.Semaphore) -> int:
        try:
            if not await asyncio.to_thread(self.store.mark_sending, row.id):
                return 0  # another dispatcher has it
            try:
                ids = await self.sender.send_alert(row)
            except SendFailure as failure:
                await asyncio.to_thread(self._failed, row, failure)
                return 0
            except Exception as exc:  # an unexpected fault must not lose the row
                log.exception("alert %d to chat %d: unexpected error", row.id, row.chat_id)
                await asyncio.to_thread(self._failed, row, SendFailure("transient", f"{type(exc).__name__}: {exc}"))
                return 0
            await self._confirm(row, list(ids))
            self.sent_count += 1
            if self.events is not None:
                self.events.alert_sent()
            log.info("alert %d sent to chat %d (document %d)", row.id, row.chat_id, row.document_id)
            return 1
        finally:
            slots.release()

    async def _confirm(self, row: OutboxRow, ids: list[int]) -> None:
        """Mark the alert sent as soon as Telegram confirmed it; a database that fails then is tried again within
        the row's lease, since a row left `sending` is sent once more when its lease passes."""
        for wait in (*MARK_RETRIES, None):
            try:
                await asyncio.to_thread(self.store.mark_sent, row.id, ids)
                return
            except SQLAlchemyError as exc:
                if wait is None:
                    log.error("alert %d sent but not marked (%s): it may be sent again", row.id, _first_line(exc))
                    return
                await asyncio.sleep(wait)

    def _failed(self, row: OutboxRow, failure: SendFailure) -> None:
        if self.events is not None:
            self.events.alert_failed(failure.kind)
        now = datetime.now(UTC)
        reason = str(failure)[:300]
        if failure.kind == "retry_after":
            self.pacer.pause(failure.retry_after)
            self.store.mark_retry(row.id, now + timedelta(seconds=failure.retry_after), reason)
            log.warning("alert %d: Telegram asks to wait %.0fs", row.id, failure.retry_after)
        elif failure.kind == "transient":
            wait = min(self.limits.retry_cap, self.limits.retry_base * 2 ** min(row.attempts, 10))
            self.store.mark_retry(row.id, now + timedelta(seconds=wait * random.uniform(0.5, 1.0)), reason)
            log.warning("alert %d to chat %d: %s; retrying later", row.id, row.chat_id, reason)
        elif failure.kind == "migrated" and failure.new_chat_id is not None:
            new_id = failure.new_chat_id
            moved = self.store.migrate_chat(row.chat_id, new_id)
            log.warning("chat %d became chat %d: subscriptions and %d alerts moved there", row.chat_id, new_id, moved)
            self.wake.set()  # the moved alerts are due at once
        elif failure.kind in ("permanent", "migrated"):
            dropped = self.store.drop_chat(row.chat_id, reason)
            log.warning(
                "chat %d refuses the bot (%s): subscriptions and %d alerts dropped", row.chat_id, reason, dropped
            )
        else:
            self.store.mark_dropped(row.id, reason)
            log.error("alert %d to chat %d rejected by Telegram: %s", row.id, row.chat_id, reason)
