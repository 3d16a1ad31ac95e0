"""The fetcher connects only to public addresses: never to loopback, private, link-local (169.254.169.254, a cloud's
metadata service), shared, reserved or multicast ranges, unless `[fetch] allow_private` says so.

A scraped page decides which URLs are fetched, so a link, a redirect or a DNS answer could point the fetcher at the
machine's own services. Two checks: a URL whose host is an address literal is refused before anything is sent
(`refusal`), and the connection itself goes through `GuardedBackend`, which resolves the name, refuses when any
answer is not public, and connects to the address it checked — so a DNS answer that changes between a check and
the connection (rebinding) cannot slip through. Behind a proxy the proxy resolves names: only literals are checked.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable

import httpcore
import httpx

__all__ = ["GuardedBackend", "NonPublicAddress", "guarded_transport", "is_public", "refusal"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
SCHEMES = ("http", "https")


class NonPublicAddress(httpcore.ConnectError):
    """A connection refused because the host is, or resolves to, a non-public address."""


def is_public(ip: IPAddress) -> bool:
    """Whether an address is on the public internet (an IPv4-mapped IPv6 address judged as its IPv4)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def refusal(url: httpx.URL, allow_private: bool) -> str | None:
    """Why a URL is never fetched (its scheme, or a non-public address as its host), or None."""
    if url.scheme not in SCHEMES:
        return f"refused: only http and https are fetched, not {url.scheme or 'a URL without a scheme'}"
    host = url.host
    if allow_private:
        return None
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return f"refused: {host} is this machine (set [fetch] allow_private = true to allow it)"
    ip = _literal(host)
    if ip is not None and not is_public(ip):
        return f"refused: {ip} is not a public address (set [fetch] allow_private = true to allow it)"
    return None


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, connecting only to public addresses it resolved itself."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Resolve, check every answer, connect to the first."""
        addresses = await _resolve(host, port, timeout)
        barred = [ip for ip in addresses if not is_public(ip)]
        if barred:
            raise NonPublicAddress(f"refused: {host} resolves to {barred[0]}, not a public address")
        if not addresses:
            raise httpcore.ConnectError(f"name resolution failed: {host}")
        return await self._inner.connect_tcp(
            str(addresses[0]), port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None
    ) -> httpcore.AsyncNetworkStream:
        """Never: a Unix socket is this machine."""
        raise NonPublicAddress("refused: a Unix socket is not a public address")

    async def sleep(self, seconds: float) -> None:
        """As the inner backend sleeps."""
        await self._inner.sleep(seconds)


async def _resolve(host: str, port: int, timeout: float | None) -> list[IPAddress]:
    literal = _literal(host)
    if literal is not None:
        return [literal]
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(timeout):
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, TimeoutError) as exc:
        raise httpcore.ConnectError(f"name resolution failed: {host}: {exc}") from exc
    found: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        ip = ipaddress.ip_address(str(sockaddr[0]).partition("%")[0])
        if ip not in found:
            found.append(ip)
    return found


def guarded_transport(limits: httpx.Limits) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose connections go through GuardedBackend."""
    transport = httpx.AsyncHTTPTransport(limits=limits)
    # httpx does not take a network backend; its pool is rebuilt with one, as httpx itself builds it.
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=GuardedBackend(),
    )
    return transport
