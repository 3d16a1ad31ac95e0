"""Pagination of list pages: where the next (older) page of a column is, and how many pages it has.

The kinds Chinese CMSs use, tried in this order (the first that answers wins):
- TRS's `createPageHTML(total, current, "index", "html")` script, which draws the pager in JavaScript and
  leaves no anchor: page k (from 0) is `index.html`, then `index_1.html`, `index_2.html` …;
- a `下一页` / `下页` / `next` / `›` / `»` link, or `<a rel="next">`;
- a `?page=N` / `&pageIndex=N` query parameter (any of PAGE_PARAMS) in the page's links;
- an `_N.html` suffix (`list.html` → `list_2.html`).
Where the kind has a formula (all but a bare next link), any page's URL can be computed: a page missing
in the middle is skipped, not the end of the walk. Pure: text in, URLs out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from scrapers.discover.urls import document_base
from scrapers.extract.htmltree import Node, parse_html

__all__ = ["PAGE_PARAMS", "Pager", "PagerKind", "current_page", "find_pager"]

PagerKind = Literal["trs", "next-link", "query", "suffix"]

# `createPageHTML(12, 0, "index", "html")`, and the variant with a target element first
# (`createPageHTML('page_div', 12, 0, 'index', 'html', 240)`).
_TRS_RE = re.compile(
    r"createPageHTML\(\s*(?:['\"][\w-]*['\"]\s*,\s*)?(\d{1,5})\s*,\s*(\d{1,5})\s*,\s*['\"]([\w-]+)['\"]\s*,"
    r"\s*['\"](\w{2,5})['\"]"
)
# The words and signs of a link to the next page (compared with the link's whole text, spaces removed).
NEXT_WORDS: frozenset[str] = frozenset({"下一页", "下页", "下一頁", "next", "nextpage", "›", "»", ">", ">>", "后页"})
# The words of a link to the last page, whose number gives the page count where nothing else does.
LAST_WORDS: frozenset[str] = frozenset({"尾页", "末页", "最后一页", "last", "»|", ">|"})
# Query parameters that number a list's pages.
PAGE_PARAMS: tuple[str, ...] = ("page", "pageIndex", "pageNo", "pageNum", "pageindex", "pageno", "pn", "p", "curpage")
_SUFFIX_RE = re.compile(r"^(?P<stem>.*?)(?:_(?P<n>\d{1,5}))?\.(?P<ext>s?html?)$")
_TOTAL_RE = re.compile(r"共\s*(\d{1,5})\s*页")


@dataclass(frozen=True, slots=True)
class Pager:
    """A list page's pagination: the next page's URL (None on the last page) and the page count when known.

    ``template`` computes page k's URL (k from 1) for the kinds that have a formula; None for a bare link.
    """

    kind: PagerKind
    next_url: str | None
    total: int | None = None
    template: tuple[str, str, int] | None = None  # (prefix, suffix, offset): URL = prefix + str(k - offset) + suffix

    def url_for(self, page: int) -> str | None:
        """The URL of page ``page`` (1 = the first), where the kind has a formula."""
        if self.template is None or page < 1 or (self.total is not None and page > self.total):
            return None
        prefix, suffix, offset = self.template
        if page - offset <= 0:
            return None  # the first page has its own URL (index.html), given by the source
        return f"{prefix}{page - offset}{suffix}"


def find_pager(html: str, url: str) -> Pager | None:
    """The pager of a list page fetched from ``url``, or None when it has none."""
    root = parse_html(html)
    base = url if root is None else document_base(root, url)
    return _trs(html, base) or (None if root is None else _from_links(root, base, url))


def current_page(pager: Pager, url: str) -> int:
    """Which page (1 = the first) ``url`` is, by the pager's formula; 1 when the URL carries no number."""
    if pager.template is None:
        return 1
    prefix, suffix, offset = pager.template
    if url.startswith(prefix) and url.endswith(suffix) and url[len(prefix) : len(url) - len(suffix)].isdigit():
        return int(url[len(prefix) : len(url) - len(suffix)]) + offset
    return 1


def _trs(html: str, base: str) -> Pager | None:
    m = _TRS_RE.search(html)
    if m is None:
        return None
    total, current, stem, ext = int(m[1]), int(m[2]), m[3], m[4]
    folder = urljoin(base, "./")
    template = (f"{folder}{stem}_", f".{ext}", 1)  # page k is stem_{k-1}; page 1 is stem.ext
    nxt = current + 1
    next_url = f"{folder}{stem}_{nxt}.{ext}" if nxt < total else None
    return Pager("trs", next_url, total, template)


def _link_text(a: Node) -> str:
    return "".join((a.text_content() or "").split()).lower()


def _from_links(root: Node, base: str, url: str) -> Pager | None:
    anchors = [(a, urljoin(base, (a.get("href") or "").strip())) for a in root.iter("a") if _usable(a.get("href"))]
    total = _total(root, anchors)
    formulas = [p for p in (_query_pager(anchors, url, total), _suffix_pager(anchors, url, total)) if p is not None]
    nxt = next(
        (href for a, href in anchors if _link_text(a) in NEXT_WORDS or "next" in (a.get("rel") or "").split()), None
    )
    if nxt is not None and nxt.split("#")[0] != url.split("#")[0]:
        agreeing = next((p for p in formulas if p.next_url == nxt), None)
        return agreeing or Pager("next-link", nxt, total)
    # No next link: a formula with a next page, else the last page of a formula (no next), else nothing.
    return next((p for p in formulas if p.next_url), formulas[0] if formulas else None)


def _usable(href: str | None) -> bool:
    href = (href or "").strip().lower()
    return bool(href) and not href.startswith(("javascript:", "#", "mailto:"))


def _total(root: Node, anchors: list[tuple[Node, str]]) -> int | None:
    """The page count a pager states (共12页), or the number of its last-page link."""
    text = " ".join(t for t in root.itertext() if "页" in t)
    m = _TOTAL_RE.search(text)
    if m is not None:
        return int(m[1])
    for a, href in anchors:
        if _link_text(a) in LAST_WORDS:
            number = _page_number(href)
            if number is not None:
                return number
    return None


def _page_number(href: str) -> int | None:
    query = dict(parse_qsl(urlsplit(href).query))
    for param in PAGE_PARAMS:
        if query.get(param, "").isdigit():
            return int(query[param])
    m = _SUFFIX_RE.match(urlsplit(href).path)
    return int(m["n"]) if m and m["n"] else None


def _query_pager(anchors: list[tuple[Node, str]], url: str, total: int | None) -> Pager | None:
    """`?page=N` links on the same path; numbering from 0 or 1, as the links show."""
    here = urlsplit(url)
    for _, href in anchors:
        parts = urlsplit(href)
        if parts.path != here.path or parts.netloc != here.netloc:
            continue
        query = parse_qsl(parts.query, keep_blank_values=True)
        param = next((k for k, v in query if k in PAGE_PARAMS and v.isdigit()), None)
        if param is None:
            continue
        kept = [(k, v) for k, v in query if k != param]
        prefix = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode([*kept, (param, "")]), ""))
        numbers = {_page_number(h) for _, h in anchors if h.startswith(prefix)}
        here_number = dict(parse_qsl(here.query)).get(param, "")
        offset = 1 if 0 in numbers or here_number == "0" else 0  # page 1 is `page=0` on some CMSs
        return _formula("query", (prefix, "", offset), anchors, url, total)
    return None


def _suffix_pager(anchors: list[tuple[Node, str]], url: str, total: int | None) -> Pager | None:
    """`list.html`, then `list_2.html` … (offset 0) or `list_1.html` … (offset 1, as TRS numbers them)."""
    here = urlsplit(url)
    m = _SUFFIX_RE.match(here.path.rsplit("/", 1)[-1] or "index.html")
    if m is None:
        return None
    folder = urljoin(url, "./")
    prefix, suffix = f"{folder}{m['stem']}_", f".{m['ext']}"
    numbers = {int(h[len(prefix) : -len(suffix)]) for _, h in anchors if _numbered(h, prefix, suffix)}
    if not numbers:
        return None
    own = int(m["n"]) if m["n"] else None
    # From the first page the second is _1 or _2; from later pages, a link to _1 shows the TRS numbering.
    offset = 1 if 1 in numbers or own == 1 else 0
    return _formula("suffix", (prefix, suffix, offset), anchors, url, total)


def _formula(
    kind: PagerKind, template: tuple[str, str, int], anchors: list[tuple[Node, str]], url: str, total: int | None
) -> Pager:
    """The pager of a formula: the next page is the current one plus one, where the page links or the count show it."""
    pager = Pager(kind, None, total, template)
    wanted = pager.url_for(current_page(pager, url) + 1)
    linked = {h for _, h in anchors}
    has_next = wanted is not None and (wanted in linked or (total or 0) > current_page(pager, url))
    return Pager(kind, wanted if has_next else None, total, template)


def _numbered(href: str, prefix: str, suffix: str) -> bool:
    return href.startswith(prefix) and href.endswith(suffix) and href[len(prefix) : -len(suffix)].isdigit()
