"""A real HTTP server on a loopback address for tests: canned replies, handlers, faults and a request log.

    with serve({"/": text("<p>hi</p>"), "/down": Reply(500)}) as server:
        url = server.url("/")                     # http://127.0.0.1:PORT/
        server.route("/later", sequence(Reply(503), text("ok")))
        ...
        assert [r.path for r in server.requests] == ["/", "/down"]

A route is a Reply (sent as is) or a callable RecordedRequest -> Reply. Unknown paths get 404.
Helpers build the usual faults: slow headers, trickling bodies, huge streamed bodies, gzip bombs,
redirects, WAF challenges, conditional GET, and a URL at a closed port.
"""

from __future__ import annotations

import functools
import gzip
import json
import socket
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

CHUNK = 64 * 1024


@dataclass(frozen=True)
class Reply:
    """A canned response."""

    status: int = 200
    headers: Sequence[tuple[str, str]] = ()
    # bytes are sent with a Content-Length; a callable gives a fresh iterator of chunks per request (streamed).
    body: bytes | Callable[[], Iterable[bytes]] = b""
    delay: float = 0.0  # seconds before the status line: slow headers
    chunk_delay: float = 0.0  # seconds before each streamed chunk: trickling
    length: int | None = None  # Content-Length of a streamed body; None: the body ends when the connection closes


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it."""

    method: str
    path: str  # without the query
    query: str
    headers: Mapping[str, str]  # names lower-cased
    body: bytes
    time: float  # time.monotonic() on arrival, comparable with the test's own clock
    host: str  # the address the server is bound to


Handler = Callable[[RecordedRequest], Reply]
Route = Reply | Handler


class LocalHTTPServer:
    """A ThreadingHTTPServer on host:port (port 0: an ephemeral one) run in a background thread."""

    def __init__(self, routes: Mapping[str, Route] | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.routes: dict[str, Route] = dict(routes or {})
        self.stopping = threading.Event()
        self.errors: list[BaseException] = []  # exceptions raised by handlers (answered with 500)
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._in_flight = 0
        self._peak = 0
        self._httpd = _Server((host, port), _RequestHandler)
        self._httpd.owner = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def port(self) -> int:
        """The bound port."""
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """http://host:port without a trailing slash."""
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        """The absolute URL of path on this server."""
        return self.base_url + path

    def route(self, path: str, route: Route) -> str:
        """Register (or replace) a route; returns its URL."""
        self.routes[path] = route
        return self.url(path)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request so far, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        """The requests for one path (query ignored)."""
        return [r for r in self.requests if r.path == path]

    @property
    def peak_in_flight(self) -> int:
        """The most requests being answered at the same time so far."""
        with self._lock:
            return self._peak

    def clear(self) -> None:
        """Forget the request log and the peak."""
        with self._lock:
            self._requests.clear()
            self._peak = self._in_flight

    def start(self) -> LocalHTTPServer:
        """Start serving in a daemon thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; sleeping and trickling handlers give up at once."""
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LocalHTTPServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _begin(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)
            self._in_flight += 1
            self._peak = max(self._peak, self._in_flight)

    def _end(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _reply_for(self, request: RecordedRequest) -> Reply:
        route = self.routes.get(request.path + ("?" + request.query if request.query else ""))
        route = route if route is not None else self.routes.get(request.path)
        if route is None:
            return text("not found", status=404, content_type="text/plain")
        if isinstance(route, Reply):
            return route
        try:
            return route(request)
        except Exception as exc:  # recorded for the test to see, answered as a server would
            self.errors.append(exc)
            return text("handler failed", status=500, content_type="text/plain")


@contextmanager
def serve(routes: Mapping[str, Route] | None = None, host: str = "127.0.0.1") -> Iterator[LocalHTTPServer]:
    """Run a LocalHTTPServer for the duration of a with block."""
    server = LocalHTTPServer(routes, host)
    with server:
        yield server


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a handler stuck trickling must not hold up the test
    owner: LocalHTTPServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)  # a client hanging up is what tests do; the rest shows


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 10  # idle keep-alive connections are dropped after this
    server: _Server

    def do_GET(self) -> None:
        self._serve()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep pytest's output clean

    def _serve(self) -> None:
        owner = self.server.owner
        length = int(self.headers.get("Content-Length") or 0)
        split = urlsplit(self.path)
        request = RecordedRequest(
            method=self.command,
            path=split.path,
            query=split.query,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
            time=time.monotonic(),
            host=owner.host,
        )
        owner._begin(request)
        try:
            self._send(owner._reply_for(request), owner.stopping)
        except (ConnectionError, TimeoutError):
            self.close_connection = True  # the client went away: that is what several tests do
        finally:
            owner._end()

    def _send(self, reply: Reply, stopping: threading.Event) -> None:
        if reply.delay and stopping.wait(reply.delay):
            self.close_connection = True
            return
        self.send_response(reply.status)
        names = {name.lower() for name, _ in reply.headers}
        for name, value in reply.headers:
            self.send_header(name, value)
        if isinstance(reply.body, bytes):
            if "content-length" not in names:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(reply.body)
            return
        if reply.length is not None and "content-length" not in names:
            self.send_header("Content-Length", str(reply.length))
        elif reply.length is None and "content-length" not in names:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command == "HEAD":
            return
        for chunk in reply.body():
            if reply.chunk_delay and stopping.wait(reply.chunk_delay):
                self.close_connection = True
                return
            self.wfile.write(chunk)


# --- replies -------------------------------------------------------------------------------------------


def text(
    body: str | bytes,
    status: int = 200,
    content_type: str = "text/html; charset=utf-8",
    headers: Sequence[tuple[str, str]] = (),
    encoding: str = "utf-8",
) -> Reply:
    """A complete body (str is encoded with encoding) with a Content-Type."""
    data = body.encode(encoding) if isinstance(body, str) else body
    return Reply(status, [("Content-Type", content_type), *headers], data)


def json_reply(value: object, status: int = 200) -> Reply:
    """A JSON body."""
    return text(json.dumps(value, ensure_ascii=False), status, "application/json")


def gzipped(body: str | bytes, content_type: str = "text/html; charset=utf-8") -> Reply:
    """A body sent with Content-Encoding: gzip."""
    data = body.encode() if isinstance(body, str) else body
    return Reply(200, [("Content-Type", content_type), ("Content-Encoding", "gzip")], gzip.compress(data))


def deflated(body: str | bytes, raw: bool = False, content_type: str = "text/html; charset=utf-8") -> Reply:
    """A body sent with Content-Encoding: deflate (zlib-wrapped, or raw deflate as some servers do)."""
    data = body.encode() if isinstance(body, str) else body
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
    payload = compressor.compress(data) + compressor.flush()
    return Reply(200, [("Content-Type", content_type), ("Content-Encoding", "deflate")], payload)


def slow(reply: Reply, seconds: float) -> Reply:
    """reply, after sleeping seconds before the status line (slow headers)."""
    return replace(reply, delay=seconds)


def trickle(size: int, interval: float, content_type: str = "text/html") -> Reply:
    """A body of size bytes sent one byte every interval seconds (with an honest Content-Length)."""
    return Reply(
        200, [("Content-Type", content_type)], lambda: (b"x" for _ in range(size)), chunk_delay=interval, length=size
    )


def huge(size: int, content_type: str = "text/html; charset=utf-8", length: bool = True) -> Reply:
    """A body of size bytes streamed in 64 KB chunks of one shared block: never built in memory."""
    block = b"<p>" + b"x" * (CHUNK - 7) + b"</p>"

    def chunks() -> Iterator[bytes]:
        left = size
        while left > 0:
            yield block[:left]
            left -= len(block)

    return Reply(200, [("Content-Type", content_type)], chunks, length=size if length else None)


@functools.lru_cache(maxsize=4)
def _bomb(expanded: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    zeros = bytes(1024 * 1024)
    parts = [compressor.compress(zeros[: min(len(zeros), expanded - done)]) for done in range(0, expanded, len(zeros))]
    return b"".join(parts) + compressor.flush()


def gzip_bomb(expanded: int, content_type: str = "text/html; charset=utf-8") -> Reply:
    """A small gzip body (Content-Encoding: gzip) that expands to expanded bytes of zeros."""
    return Reply(200, [("Content-Type", content_type), ("Content-Encoding", "gzip")], _bomb(expanded))


def redirect(location: str, status: int = 302) -> Reply:
    """A redirect to location (a path redirecting to itself is a loop)."""
    return Reply(status, [("Location", location)])


def ruishu_challenge(status: int = 412) -> Reply:
    """A 瑞数-style challenge: 412 and a script that sets $_ts and computes a cookie."""
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        '<script type="text/javascript">$_ts=window["$_ts"];if(!$_ts)$_ts={};$_ts.nsd=61218;$_ts.cd="qqqq";</script>'
        '<script type="text/javascript" charset="utf-8" src="/abc/def.js" r="m"></script></head><body></body></html>'
    )
    return text(page, status=status)


def js_shell(status: int = 200) -> Reply:
    """An empty shell: no visible text, only a script that sets a cookie and reloads."""
    page = (
        "<html><head><script>var x='5f3c';document.cookie='token='+x+';path=/';"
        "location.href=location.pathname+location.search;</script></head><body></body></html>"
    )
    return text(page, status=status)


def sequence(*routes: Route) -> Handler:
    """A handler giving each route in turn, then the last one for ever (503, 503, 200 …)."""
    lock = threading.Lock()
    state = {"next": 0}

    def handler(request: RecordedRequest) -> Reply:
        with lock:
            index = min(state["next"], len(routes) - 1)
            state["next"] += 1
        route = routes[index]
        return route if isinstance(route, Reply) else route(request)

    return handler


def conditional(
    body: str | bytes,
    etag: str | None = None,
    last_modified: str | None = None,
    content_type: str = "text/html; charset=utf-8",
) -> Handler:
    """A resource with an ETag and/or Last-Modified that answers a matching conditional GET with 304."""
    validators = [(k, v) for k, v in (("ETag", etag), ("Last-Modified", last_modified)) if v is not None]

    def handler(request: RecordedRequest) -> Reply:
        if_none_match = request.headers.get("if-none-match")
        if if_none_match is not None:
            fresh = etag is not None and (if_none_match.strip() == "*" or etag in _etags(if_none_match))
        else:
            fresh = last_modified is not None and request.headers.get("if-modified-since") == last_modified
        if fresh:
            return Reply(304, validators)
        return text(body, content_type=content_type, headers=validators)

    return handler


def _etags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",")]


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now (for a server the test starts)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def closed_port_url(host: str = "127.0.0.1", path: str = "/") -> str:
    """A URL at a port nothing listens on (bound, then released): connecting is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port = sock.getsockname()[1]
    return f"http://{host}:{port}{path}"


def loopback_available(host: str) -> bool:
    """Whether this machine can bind host (all of 127/8 on Linux; only 127.0.0.1 on macOS by default)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind((host, 0))
    except OSError:
        return False
    return True
