"""Recognise anti-bot challenge pages (瑞数, 网站卫士, Aliyun WAF, JS shells) so they never pass as content."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Signature:
    """A trace one kind of wall leaves in a body or a Set-Cookie header."""

    waf: str  # who built the wall, for the log line and the admin
    needle: str  # matched case-sensitively in the body (as UTF-8 and as GB18030) and in Set-Cookie


# The walls seen on Chinese government sites. A row is data: add one when a new wall turns up.
SIGNATURES: tuple[Signature, ...] = (
    Signature("瑞数", "$_ts"),
    Signature("网站卫士", "wzws_sessionid"),
    Signature("网站卫士", "wzws_cid"),
    Signature("网站卫士", "WZWS"),
    Signature("网站卫士", "请开启JavaScript"),
    Signature("Aliyun WAF", "acw_sc__v2"),
    Signature("加速乐", "__jsl_clearance"),
)
# 瑞数 answers the first visit with 412 and Aliyun with 405, each with a script that computes a cookie.
CHALLENGE_STATUSES: frozenset[int] = frozenset({412, 405})

# Only this much of a body is examined: challenge pages are small, and a 20 MB PDF needs no scan.
SCAN_BYTES = 256 * 1024
# Outside a 412/405, a signature or a navigating script counts only on a page with almost no visible text
# (~200 Chinese characters: 600 bytes of UTF-8, 400 of GBK): "请开启JavaScript" also sits in the <noscript>
# of ordinary articles, and the pages of a site behind 瑞数 carry its script next to their content.
SHELL_VISIBLE_BYTES = 600

# A page with this many links in its body is a page, whatever its scripts do: challenge pages link nowhere.
MIN_CONTENT_LINKS = 2
# The body is looked for this far into the page (saved pages carry hundreds of KB of scripts before it).
BODY_SEARCH_BYTES = 4 * 1024 * 1024

_INVISIBLE = re.compile(rb"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->|<[^>]*>|&[#\w]+;", re.I | re.S)
_SCRIPT_OPEN = re.compile(rb"<script\b", re.I)
_BODY_OPEN = re.compile(rb"<body\b", re.I)
_LINK = re.compile(rb"<a\s[^>]*href\s*=", re.I)
_NAVIGATES = re.compile(
    rb"location(?:\.href)?\s*=[^=]|location\.(?:replace|assign|reload)\s*\(|document\.cookie\s*=[^=]", re.I
)
# `if (location.protocol == "http:") location.href = "https:" + …`: an upgrade to https, not a wall.
_HTTPS_UPGRADE = re.compile(rb"location\.protocol[^;{}]{0,40}http:", re.I)


def visible_bytes(body: bytes) -> int:
    """Count the bytes of text a browser would show: tags, scripts, styles, comments and spaces removed."""
    return len(re.sub(rb"\s+", b"", _INVISIBLE.sub(b"", body)))


def _needles(signature: Signature) -> Iterable[bytes]:
    yield signature.needle.encode("utf-8")
    gb = signature.needle.encode("gb18030")
    if gb != signature.needle.encode("utf-8"):
        yield gb


def _matching_signature(body: bytes, set_cookie: str) -> Signature | None:
    for signature in SIGNATURES:
        if signature.needle in set_cookie or any(needle in body for needle in _needles(signature)):
            return signature
    return None


def _page_body(body: bytes) -> bytes:
    """The part of a page a reader sees: from `<body>` on (a saved page may carry 300 KB of scripts before it)."""
    found = _BODY_OPEN.search(body, 0, BODY_SEARCH_BYTES)
    start = found.start() if found else 0
    return body[start : start + SCAN_BYTES]


def has_content(body: bytes) -> bool:
    """The page shows something: a paragraph's worth of visible text, or links to go to."""
    shown = _page_body(body)
    return visible_bytes(shown) > SHELL_VISIBLE_BYTES or len(_LINK.findall(shown)) >= MIN_CONTENT_LINKS


def _navigates(head: bytes) -> bool:
    """A script sends the browser elsewhere (or sets a cookie to come back with), other than to https."""
    return _NAVIGATES.search(head) is not None and _HTTPS_UPGRADE.search(head) is None


def classify(status: int, body: bytes, set_cookie: str = "") -> str | None:
    """Return why a response is a challenge page (e.g. "瑞数 challenge (HTTP 412)"), or None for content.

    The body is read before deciding: outside a 412/405, a page with content is content, whatever scripts it
    carries (site search, analytics, an http→https upgrade).
    """
    head = body[:SCAN_BYTES]
    has_script = _SCRIPT_OPEN.search(head) is not None
    # A wall's cookie without a script in the body is a site behind it serving content (or a 304).
    signature = _matching_signature(head, set_cookie if has_script else "")
    if status in CHALLENGE_STATUSES and (has_script or signature is not None):
        who = signature.waf if signature is not None else "JavaScript"
        return f"{who} challenge (HTTP {status})"
    if signature is None and not has_script:
        return None
    if has_content(body):
        return None
    if signature is not None:
        return f"{signature.waf} challenge (HTTP {status})"
    if has_script and _navigates(head):
        return f"JavaScript shell (HTTP {status})"
    return None
