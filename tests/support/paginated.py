"""A county column spread over several list pages, served locally, with each pager kind Chinese CMSs use.

Page 1 lists the newest bulletins; each article is a 统计公报 for one year whose GDP sentence gives that year's
figure, so a backfill that reads every page stores one GDP figure per year. Pages are GBK (behind a gb2312
label, as on real county sites) or UTF-8.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from tests.support.httpserver import LocalHTTPServer, Reply

PagerStyle = Literal["next-link", "trs", "query", "suffix"]
PAGER_STYLES: tuple[PagerStyle, ...] = ("next-link", "trs", "query", "suffix")
FIRST_YEAR = 2025  # the newest bulletin's year


@dataclass
class Column:
    """The URLs of a served column: its first page, every list page's path, every article's path and year."""

    first_url: str
    list_paths: list[str]
    articles: dict[str, int] = field(default_factory=dict)  # path -> year

    def gdp(self, year: int) -> float:
        """The GDP the bulletin of `year` states."""
        return gdp_of(year)


def gdp_of(year: int) -> float:
    return round(100 + (year - 2010) * 3.5, 1)


def _page_path(style: PagerStyle, prefix: str, n: int) -> str:
    """The path (with query) of list page n (from 1)."""
    if style == "next-link":
        return f"{prefix}/" if n == 1 else f"{prefix}/older/p{n}.html"
    if style == "trs":
        return f"{prefix}/index.html" if n == 1 else f"{prefix}/index_{n - 1}.html"
    if style == "query":
        return f"{prefix}/list.jsp" if n == 1 else f"{prefix}/list.jsp?cat=7&page={n}"
    return f"{prefix}/news.html" if n == 1 else f"{prefix}/news_{n}.html"


def _pager_html(style: PagerStyle, prefix: str, n: int, pages: int, loop: bool) -> str:
    last = n == pages
    if style == "trs":
        return f'<div class="page"><script>createPageHTML({pages}, {n - 1}, "index", "html");</script></div>'
    target = 1 if (last and loop) else (None if last else n + 1)
    links = []
    if n > 1:
        links.append(f'<a href="{_page_path(style, prefix, 1)}">首页</a>')
        links.append(f'<a href="{_page_path(style, prefix, n - 1)}">上一页</a>')
    if style != "next-link":
        links += [f'<a href="{_page_path(style, prefix, k)}">{k}</a>' for k in range(1, pages + 1) if k != n]
    if target is not None:
        links.append(f'<a href="{_page_path(style, prefix, target)}">下一页</a>')
    return f'<div class="pagination">{"".join(links)} 共{pages}页</div>' if style != "next-link" else (
        f'<div class="pagination">{"".join(links)}</div>'
    )


def _list_page(title: str, rows: list[tuple[str, str, str]], pager: str, charset: str) -> str:
    items = "\n".join(f'<li><a href="{href}" title="{t}">{t}</a><span>{d}</span></li>' for href, t, d in rows)
    return (
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        f"<title>{title}</title></head><body>"
        '<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/tjxx/">统计信息</a></div>'
        f'<div class="list-box"><h2>{title}</h2><ul class="list">\n{items}\n</ul>{pager}</div>'
        '<div class="footer">古交市人民政府 主办</div></body></html>'
    )


def _article(year: int, charset: str) -> str:
    title = f"古交市{year}年国民经济和社会发展统计公报"
    body = (
        f"<p>初步核算，{year}年全市地区生产总值{gdp_of(year)}亿元，比上年增长{(year % 7) + 1}.0%。</p>"
        f"<p>全年社会消费品零售总额{round(30 + (year - 2010) * 0.8, 1)}亿元。</p>"
    )
    return (
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        f"<title>{title}</title></head><body><div class=\"TRS_Editor\"><h1>{title}</h1>"
        f"<p>发布时间：{year + 1}-03-20</p>{body}</div></body></html>"
    )


def serve_column(
    server: LocalHTTPServer,
    style: PagerStyle,
    *,
    encoding: str = "utf-8",
    pages: int = 4,
    per_page: int = 3,
    prefix: str | None = None,
    missing: frozenset[int] = frozenset(),
    loop: bool = False,
) -> Column:
    """Route a column of `pages` list pages on the server; list pages in `missing` answer 404."""
    prefix = prefix or f"/{style}-{encoding}"
    charset = "gb2312" if encoding == "gbk" else "utf-8"
    column = Column(server.url(_page_path(style, prefix, 1)), [])
    year = FIRST_YEAR
    for n in range(1, pages + 1):
        rows = []
        for _ in range(per_page):
            path = f"{prefix}/art/{year + 1}03/t{year + 1}0320_{year}.html"
            column.articles[path] = year
            server.route(path, Reply(200, [("Content-Type", "text/html")], _article(year, charset).encode(encoding)))
            rows.append((path, f"古交市{year}年国民经济和社会发展统计公报", f"{year + 1}-03-20"))
            year -= 1
        path = _page_path(style, prefix, n)
        column.list_paths.append(path)
        html = _list_page("统计公报", rows, _pager_html(style, prefix, n, pages, loop), charset)
        reply = Reply(404) if n in missing else Reply(200, [("Content-Type", "text/html")], html.encode(encoding))
        server.route(path, reply)
    return column
