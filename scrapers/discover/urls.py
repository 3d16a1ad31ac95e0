"""URLs of discovered items: resolving, canonical form (no tracking noise), which links are worth following."""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from scrapers.extract.htmltree import Node

# Query parameters that say how a visitor arrived, not what the page is: two links to one report that
# differ only in these are one report. Compared case-insensitively.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        "spm", "from", "share", "share_from", "sharefrom", "share_source", "share_medium", "share_token",
        "shareuid", "isappinstalled", "scene", "clicktime", "enterid", "fbclid", "gclid", "yclid",
        "mc_cid", "mc_eid", "vd_source", "wfr", "tt_from", "tt_medium", "ivk_sa",
    }
)  # fmt: skip
TRACKING_PREFIXES: tuple[str, ...] = ("utm_",)
# Java CMSes (most gov sites) append the servlet session to the path when cookies are off.
SESSION_PATH_PARAM = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)
DEFAULT_PORTS: dict[str, str] = {"http": "80", "https": "443"}
_HOST_PORT = re.compile(r"(\[[^\]]*\]|[^:]*)(?::(\d*))?")

# hrefs that lead nowhere worth fetching.
DEAD_HREF_PREFIXES: tuple[str, ...] = ("javascript:", "mailto:", "tel:", "sms:", "about:", "data:", "#")
FOLLOWED_SCHEMES = frozenset({"http", "https"})
# Paths of a site's home page: a report is never one, and list pages link other sites' homes (友情链接).
HOME_PATHS = frozenset({"", "/", "/index.html", "/index.htm", "/index.shtml", "/index.jsp", "/index.php",
                        "/default.htm", "/default.html", "/default.aspx", "/index.aspx"})  # fmt: skip


def _is_tracking(pair: str) -> bool:
    key = unquote(pair.split("=", 1)[0]).strip().lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def _netloc(scheme: str, netloc: str) -> str:
    userinfo, at, hostport = netloc.rpartition("@")
    match = _HOST_PORT.fullmatch(hostport)
    if match is None:
        return netloc.lower() if not at else f"{userinfo}@{hostport.lower()}"
    host, port = match.group(1).lower(), match.group(2)
    # An empty port (`host:`) and the scheme's default one say nothing.
    keep = f":{port}" if port and DEFAULT_PORTS.get(scheme) != port else ""
    return f"{userinfo}{at}{host}{keep}"


def canonical_url(url: str, base: str | None = None) -> str:
    """Absolute URL without fragment, tracking parameters, session path or default port; scheme/host lower-cased."""
    url = url.strip()
    if base:
        url = urljoin(base.strip(), url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in FOLLOWED_SCHEMES:
        return urlunsplit((scheme, parts.netloc, parts.path, parts.query, ""))
    path = SESSION_PATH_PARAM.sub("", parts.path) or "/"
    # The query is filtered as raw text, so the kept parameters keep their exact encoding.
    query = "&".join(p for p in parts.query.split("&") if p and not _is_tracking(p))
    return urlunsplit((scheme, _netloc(scheme, parts.netloc), path, query, ""))


def document_base(root: Node, url: str) -> str:
    """The URL relative links resolve against: the page's URL, or its `<base href>` resolved against it."""
    for node in root.iter("base"):
        href: str = (node.get("href") or "").strip()
        if href:
            return urljoin(url, href)
    return url


def followable(href: str | None, base: str) -> str | None:
    """The canonical absolute URL of a link worth fetching (http(s), not a site's home page), or None."""
    href = (href or "").strip()
    if not href or href.lower().startswith(DEAD_HREF_PREFIXES):
        return None
    url = canonical_url(href, base)
    parts = urlsplit(url)
    if parts.scheme not in FOLLOWED_SCHEMES or not parts.netloc:
        return None
    if parts.path in HOME_PATHS and not parts.query:
        return None
    return url
