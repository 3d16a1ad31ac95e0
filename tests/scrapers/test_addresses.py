"""The fetcher never connects to a non-public address unless `[fetch] allow_private` allows it: not through a
link (an address literal), a redirect, or a DNS answer; loopback, private, link-local and reserved ranges alike."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterator
from dataclasses import replace

import pytest

from scrapers.http.addresses import is_public, refusal
from scrapers.http.fetch import Fetcher, FetchResult
from tests.scrapers.test_fetch import FAST
from tests.support.httpserver import LocalHTTPServer, redirect, serve, text

GUARDED = replace(FAST, allow_private=False, retries=0)


def fetch(url: str, allow_private: bool = False) -> FetchResult:
    async def main() -> FetchResult:
        async with Fetcher(replace(GUARDED, allow_private=allow_private)) as fetcher:
            return await fetcher.fetch(url, conditional=False)

    return asyncio.run(main())


@pytest.fixture
def server() -> Iterator[LocalHTTPServer]:
    with serve({"/secret": text("<p>internal admin page</p>")}) as srv:
        yield srv


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1",
     "fe80::1", "fc00::1", "::ffff:10.0.0.1", "224.0.0.1", "240.0.0.1"],
)  # fmt: skip
def test_non_public_ranges_are_refused(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))
    host = f"[{address}]" if ":" in address else address
    result = fetch(f"http://{host}/latest/meta-data/")
    assert result.status == "error" and result.attempts == 0
    assert result.error is not None and "not a public address" in result.error


@pytest.mark.parametrize("address", ["1.1.1.1", "202.96.134.133", "2400:3200::1"])
def test_public_addresses_pass_the_check(address: str) -> None:
    import httpx

    assert is_public(ipaddress.ip_address(address))
    host = f"[{address}]" if ":" in address else address
    assert refusal(httpx.URL(f"http://{host}/"), allow_private=False) is None


def test_a_link_to_a_loopback_page_is_refused_and_the_server_never_asked(server: LocalHTTPServer) -> None:
    result = fetch(server.url("/secret"))
    assert result.status == "error" and "not a public address" in (result.error or "")
    assert server.requests == []
    assert fetch(server.url("/secret"), allow_private=True).status == "ok"  # local setups and tests


def test_localhost_by_name_is_refused(server: LocalHTTPServer) -> None:
    result = fetch(server.url("/secret").replace("127.0.0.1", "localhost"))
    assert result.status == "error" and "this machine" in (result.error or "") and server.requests == []


def test_a_dns_answer_pointing_inside_is_refused_at_connect(
    server: LocalHTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A public-looking name that resolves to 127.0.0.1 (DNS rebinding): refused on the address connected to."""
    port = server.base_url.rsplit(":", 1)[1].rstrip("/")
    real = socket.getaddrinfo

    def lying_dns(host: str, *args: object, **kwargs: object) -> object:
        if host == "stats.example.gov.cn":
            return real("127.0.0.1", *args, **kwargs)  # type: ignore[arg-type]
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", lying_dns)
    result = fetch(f"http://stats.example.gov.cn:{port}/secret")
    assert result.status == "error" and "resolves to 127.0.0.1" in (result.error or ""), result.error
    assert server.requests == []


@pytest.mark.parametrize(
    "target", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.7/admin", "http://[::1]/", "file:///etc/passwd"]
)
def test_a_redirect_inwards_is_refused_at_its_hop(monkeypatch: pytest.MonkeyPatch, target: str) -> None:
    """A public site (here a name the test's DNS gives, served by a plain transport) redirecting to an inside
    address: the hop is refused before it is followed."""
    import httpx

    real = socket.getaddrinfo

    def dns(host: str | bytes, *args: object, **kwargs: object) -> object:
        name = host.decode() if isinstance(host, bytes) else host  # anyio passes the IDNA-encoded bytes
        return real("127.0.0.1" if name == "www.example.gov.cn" else host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", dns)
    with serve({"/go": redirect(target)}) as outside:
        port = outside.base_url.rsplit(":", 1)[1].rstrip("/")

        async def main() -> FetchResult:
            async with Fetcher(GUARDED, transport=httpx.AsyncHTTPTransport()) as fetcher:
                return await fetcher.fetch(f"http://www.example.gov.cn:{port}/go", conditional=False)

        result = asyncio.run(main())
        assert [r.path for r in outside.requests] == ["/go"]
    assert result.status == "error" and (result.error or "").startswith("redirect refused"), result.error
