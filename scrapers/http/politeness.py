"""Per-host politeness: at most N requests in flight to a host and a minimum gap between their starts."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

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


class Politeness:
    """Per-host limits: at most N requests in flight and a minimum gap between request starts."""

    def __init__(self, concurrency: int, delay: float) -> None:
        self._concurrency = max(1, concurrency)
        self._delay = max(0.0, delay)
        self._gates: dict[str, _HostGate] = {}

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Wait for a turn at host, then hold one of its slots for the duration of the block."""
        gate = self._gate(host)
        gate.users += 1
        try:
            async with gate.semaphore:
                now = time.monotonic()
                start = max(now, gate.next_start)
                # Reserved before sleeping: no await between the read and the write, so starts never collide.
                gate.next_start = start + self._delay * (1 + random.uniform(0, DELAY_JITTER))
                if start > now:
                    await asyncio.sleep(start - now)
                yield
        finally:
            gate.users -= 1

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
