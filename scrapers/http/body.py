"""Reading a streamed HTTP body: Content-Encoding undone step by step, cut at a size cap (gzip bombs included)."""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Iterator

import httpx

# Decompressed bytes produced per step: a bomb is stopped at the cap before it can take memory.
INFLATE_STEP = 64 * 1024


class BodyError(Exception):
    """A body that cannot be decoded (the fetcher turns it into an error value)."""


class _Stage:
    """One zlib layer (gzip or deflate), undone INFLATE_STEP bytes at a time."""

    def __init__(self, wbits: int, fallback_wbits: int | None = None) -> None:
        self._inflater = zlib.decompressobj(wbits)
        self._fallback = fallback_wbits
        self._started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data:
            try:
                out = self._inflater.decompress(data, INFLATE_STEP)
            except zlib.error as exc:
                # "deflate" is meant to be zlib-wrapped, but some servers send raw deflate (as httpx allows).
                if self._fallback is None or self._started:
                    raise BodyError("bad content encoding") from exc
                self._inflater, self._fallback = zlib.decompressobj(self._fallback), None
                continue
            self._started = True
            data = self._inflater.unconsumed_tail
            if not out:
                break
            yield out

    def flush(self) -> bytes:
        return self._inflater.flush()


class _Inflater:
    """Undoes a Content-Encoding chain lazily, so the consumer can stop as soon as it has enough."""

    def __init__(self, content_encoding: str | None) -> None:
        self._stages: list[_Stage] = []
        codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
        for coding in reversed(codings):  # the last coding applied is undone first
            if coding in ("", "identity"):
                continue
            if coding in ("gzip", "x-gzip"):
                self._stages.append(_Stage(zlib.MAX_WBITS | 16))
            elif coding == "deflate":
                self._stages.append(_Stage(zlib.MAX_WBITS, -zlib.MAX_WBITS))
            else:
                raise BodyError(f"unsupported content encoding {coding}")

    def feed(self, data: bytes, first: int = 0) -> Iterator[bytes]:
        if first == len(self._stages):
            if data:
                yield data
            return
        for piece in self._stages[first].feed(data):
            yield from self.feed(piece, first + 1)

    def finish(self) -> Iterator[bytes]:
        for index, stage in enumerate(self._stages):
            yield from self.feed(stage.flush(), index + 1)


async def read_capped(response: httpx.Response, limit: int) -> tuple[bytes, bool]:
    """Read a streamed response's decoded body up to limit bytes; True when there was more."""
    consumed = response.is_stream_consumed
    inflater = _Inflater(None if consumed else response.headers.get("content-encoding"))
    pieces: list[bytes] = []
    size = 0

    def take(piece: bytes) -> bool:
        nonlocal size
        pieces.append(piece[: limit - size])
        size += len(pieces[-1])
        return len(piece) > len(pieces[-1])

    # A transport that built its response from bytes (httpx.MockTransport) has read and decoded it already.
    stream = _once(response.content) if consumed else response.aiter_raw()
    async for raw in stream:
        if any(take(piece) for piece in inflater.feed(raw)):
            return b"".join(pieces), True
    if any(take(piece) for piece in inflater.finish()):
        return b"".join(pieces), True
    return b"".join(pieces), False


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data
