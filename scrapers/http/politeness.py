"""Per-host politeness: at most N requests in flight to a host and a minimum gap between their starts."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol

log = logging.getLogger("govwatch.fetch")

# Hosts remembered at most; idle ones are forgotten beyond this.
MAX_HOSTS = 1024
# The gap between starts varies by up to this share, so polls of many sources do not march in step.
DELAY_JITTER = 0.1


class _HostGate:
    __slots__ = ("next_start", "semaphore", "users")

    def __init__(self, concurrency: int) -> None:
        self.semaphore = asyncio.Semaphore(concurrency)
        self.next_start = 0.0
        self.users = 0


class HostClock(Protocol):
    """Request starts per host shared between processes (the store implements it)."""

    def claim_host_start(self, host: str, gap: float) -> float:
        """Reserve the next start at host; return the seconds to wait before it."""
        ...


class Politeness:
    """Per-host limits: at most N requests in flight and a minimum gap between request starts.

    With a shared ``clock`` the gap holds across processes too: each start is also claimed there, and the
    later of the two turns is taken.
    """

    def __init__(self, concurrency: int, delay: float, clock: HostClock | None = None) -> None:
        self._concurrency = max(1, concurrency)
        self._delay = max(0.0, delay)
        self._gates: dict[str, _HostGate] = {}
        self._clock = clock if self._delay > 0 else None

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Wait for a turn at host, then hold one of its slots for the duration of the block."""
        gate = self._gate(host)
        gate.users += 1
        try:
            async with gate.semaphore:
                now = time.monotonic()
                start = max(now, gate.next_start)
                gap = self._delay * (1 + random.uniform(0, DELAY_JITTER))
                # Reserved before sleeping: no await between the read and the write, so starts never collide.
                gate.next_start = start + gap
                wait = start - now
                if self._clock is not None:
                    wait = max(wait, await self._shared_wait(host, gap))
                if wait > 0:
                    await asyncio.sleep(wait)
                yield
        finally:
            gate.users -= 1

    async def _shared_wait(self, host: str, gap: float) -> float:
        assert self._clock is not None
        try:
            return await asyncio.to_thread(self._clock.claim_host_start, host, gap)
        except Exception as exc:  # a database hiccup must not stop fetching: this process's own gap still holds
            log.warning("host %s: shared politeness unavailable (%s)", host, type(exc).__name__)
            return 0.0

    def defer(self, host: str, seconds: float) -> None:
        """Hold back every request to host for seconds (a Retry-After)."""
        gate = self._gate(host)
        gate.next_start = max(gate.next_start, time.monotonic() + seconds)

    def _gate(self, host: str) -> _HostGate:
        gate = self._gates.get(host)
        if gate is None:
            if len(self._gates) >= MAX_HOSTS:
                self._prune()
            gate = self._gates[host] = _HostGate(self._concurrency)
        return gate

    def _prune(self) -> None:
        now = time.monotonic()
        for host, gate in list(self._gates.items()):
            if gate.users == 0 and gate.next_start <= now:
                del self._gates[host]
