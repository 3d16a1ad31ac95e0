"""The four recorded site templates under tests/fixtures/sites, as a web server serves them, with what
discovery must find on each list page and feed.

Every site lives under its own path prefix (`/county-cms/…`), so one local server can serve all four.
Pages link relatively; where a page must name its own site absolutely (an RSS `<link>`, a cross-site
link) it writes FIXTURE_ORIGIN, which `build_site(name, origin)` replaces with the server's origin.
The statistics bulletin PDF is not on disk: it is built here with reportlab's CID font.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Literal
from urllib.parse import urlsplit

from tests.scrapers.pdfs import build_pdf

SITES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "sites"
FIXTURE_ORIGIN = "http://fixture.govwatch.test"
SITE_NAMES: tuple[str, ...] = ("county-cms", "stats-bureau", "news-portal", "tw-mirror")

# The Content-Type each site's server sends for a kind of file. The county CMS sends no charset: the
# GBK bytes must be decoded by their <meta charset="gb2312">, as on the real sites.
CONTENT_TYPES: dict[str, dict[str, str]] = {
    "county-cms": {".html": "text/html"},
    "stats-bureau": {".html": "text/html; charset=utf-8", ".pdf": "application/pdf"},
    "news-portal": {".htm": "text/html; charset=utf-8", ".xml": "application/rss+xml; charset=utf-8"},
    "tw-mirror": {".shtml": "text/html; charset=utf-8"},
}

BULLETIN_PATH = "/stats-bureau/tjsj/202603/P020260320_tjgb2025.pdf"
BULLETIN_TITLE = "2025年古交市国民经济和社会发展统计公报"
# Composed for the fixture (the 2025 bulletin is not in the corpus): the figures sit close to seed 003's
# 2025 estimates, set one short line after another with words and numbers broken across lines as
# PDF text comes out. The issuer and date close the text, as in many bulletins (set under the title,
# the extractor runs them into the title line).
BULLETIN_LINES: tuple[str, ...] = (
    BULLETIN_TITLE,
    "一、综合",
    "初步核算，全年全市地区生产总值95.32亿元，按不变价",
    "格计算，比上年增长1.2%。其中，第一产业增加值3.71亿",
    "元，增长1.0%；第二产业增加值51.42亿元，增长1.9%；",
    "第三产业增加值40.19亿元，增长0.3%。",
    "二、工业",
    "全年规模以上工业增加值33.51亿元，比上年增长3.9%。",
    "全年原煤产量832.6万吨，比上年增长0.4%。",
    "三、固定资产投资",
    "全年固定资产投资比上年下降40.8%。",
    "四、国内贸易",
    "全年社会消费品零售总额37.26亿元，比上年增长1.2%。",
    "五、财政",
    "全年一般公共预算收入16.92亿元，比上年下降18.7%。",
    "六、人民生活",
    "全年城镇常住居民人均可支配收入45120元，比上年增长",
    "4.0%；农村常住居民人均可支配收入24910元，增长4.9%。",
    "注：本公报数据为初步统计数，地区生产总值增速按不变价",
    "格计算。",
    "古交市统计局",
    "2026年3月20日",
)


@dataclass(frozen=True)
class ExpectedItem:
    """One item discovery must return: absolute canonical URL, title, date."""

    url: str
    title: str
    published: dt.date | None


@dataclass(frozen=True)
class Listing:
    """A list page or feed of a site, the day discovery runs on, and the items it must yield in order."""

    url: str
    path: str
    kind: Literal["list", "rss"]
    today: dt.date
    items: tuple[ExpectedItem, ...]


@dataclass(frozen=True)
class Site:
    """One fixture site: served files by URL path, its listings, its article pages and stub pages."""

    name: str
    origin: str
    files: MappingProxyType[str, tuple[bytes, str]]
    listings: tuple[Listing, ...]
    articles: tuple[str, ...]  # URLs of ordinary article pages (their body is the report itself)
    stubs: MappingProxyType[str, str]  # stub page URL → URL of the attachment it points at

    def url(self, path: str) -> str:
        """The absolute URL of a served path."""
        return self.origin + path

    def get(self, url_or_path: str) -> tuple[bytes, str]:
        """The (bytes, content type) served at a URL or path; KeyError when nothing is there."""
        return self.files[urlsplit(url_or_path).path or "/"]


# What each site's list pages and feeds hold, as (path, kind, today, ((item path, title, date), …)), the
# items in the order discovery returns them (newest first). Dates are ISO strings.
_LISTINGS: dict[str, tuple[tuple[str, Literal["list", "rss"], str, tuple[tuple[str, str, str], ...]], ...]] = {
    "county-cms": (
        ("/county-cms/zwgk/jhbg/index.html", "list", "2026-02-10", (
            ("/county-cms/zwgk/jhbg/202602/t20260209_1203391.html", "2026年山西省政府工作报告", "2026-02-09"),
            ("/county-cms/zwgk/jhbg/202601/t20260104_1198765.html",
             "关于古交市2025年国民经济和社会发展计划执行情况与2026年国民经济和社会发展计划(草案)的报告", "2026-01-04"),
            # pinned at the top of the page (置顶), oldest by date
            ("/county-cms/zwgk/jhbg/202402/t20240224_1087412.html", "重新三看“古交” 抢抓历史机遇", "2024-02-24"),
        )),
    ),
    "stats-bureau": (
        ("/stats-bureau/tjsj/index.html", "list", "2026-03-31", (
            ("/stats-bureau/tjsj/202603/t20260320_3104.html", BULLETIN_TITLE, "2026-03-20"),
            (BULLETIN_PATH, f"{BULLETIN_TITLE}（PDF版）", "2026-03-20"),
            ("/stats-bureau/tjsj/202510/t20251025_2871.html", "2025年1-9月古交市主要经济指标", "2025-10-25"),
        )),
    ),
    "news-portal": (
        ("/news-portal/rss.xml", "rss", "2024-02-02", (
            ("/news-portal/lvliang/2024-02/01/content_30951736.htm",
             "风劲帆满海天阔——交城县九个关键词“解码”高质量发展", "2024-02-01"),
            ("/news-portal/taiyuan/2023-08/13/content_30381857.htm",
             "【新时代 新征程 新伟业】奋进之姿 转型之变——古交市勇蹚绿色低碳转型发展新路", "2023-08-13"),
        )),
    ),
    "tw-mirror": (
        ("/tw-mirror/gn/index.shtml", "list", "2024-03-01", (
            ("/tw-mirror/gn/2024/02-26/10170345.shtml", "重新三看“古交” 搶抓歷史機遇", "2024-02-26"),
            ("/tw-mirror/gn/2024/02-15/10163318.shtml", "風勁帆滿海天闊——交城縣九個關鍵詞“解碼”高質量發展", "2024-02-15"),
            ("/tw-mirror/gn/2023/02-15/9954631.shtml", "山西古交2023年聚焦八個(gè)方面工作", "2023-02-15"),
        )),
    ),
}  # fmt: skip

_ARTICLES: dict[str, tuple[str, ...]] = {
    "county-cms": (
        "/county-cms/zwgk/jhbg/202601/t20260104_1198765.html",
        "/county-cms/zwgk/jhbg/202402/t20240224_1087412.html",
        "/county-cms/zwgk/jhbg/202602/t20260209_1203391.html",
    ),
    "stats-bureau": ("/stats-bureau/tjsj/202510/t20251025_2871.html",),
    "news-portal": (
        "/news-portal/taiyuan/2023-08/13/content_30381857.htm",
        "/news-portal/lvliang/2024-02/01/content_30951736.htm",
    ),
    "tw-mirror": (
        "/tw-mirror/gn/2024/02-26/10170345.shtml",
        "/tw-mirror/gn/2024/02-15/10163318.shtml",
        "/tw-mirror/gn/2023/02-15/9954631.shtml",
    ),
}
_STUBS: dict[str, dict[str, str]] = {
    "stats-bureau": {"/stats-bureau/tjsj/202603/t20260320_3104.html": BULLETIN_PATH},
}


@cache
def bulletin_pdf() -> bytes:
    """The 2025 statistics bulletin the stats-bureau stub page points at, as a one-page PDF."""
    return build_pdf([list(BULLETIN_LINES)])


def _served_files(name: str, origin: str) -> dict[str, tuple[bytes, str]]:
    types = CONTENT_TYPES[name]
    files: dict[str, tuple[bytes, str]] = {}
    for path in sorted((SITES_DIR / name).rglob("*")):
        if path.is_file() and path.suffix in types:
            data = path.read_bytes().replace(FIXTURE_ORIGIN.encode("ascii"), origin.encode("ascii"))
            files[f"/{name}/{path.relative_to(SITES_DIR / name).as_posix()}"] = (data, types[path.suffix])
    if name == "stats-bureau":
        files[BULLETIN_PATH] = (bulletin_pdf(), types[".pdf"])
    return files


def build_site(name: str, origin: str = FIXTURE_ORIGIN) -> Site:
    """One fixture site as served at origin (`http://127.0.0.1:PORT`), with its expected discoveries."""
    origin = origin.rstrip("/")
    listings = tuple(
        Listing(
            url=origin + path,
            path=path,
            kind=kind,
            today=dt.date.fromisoformat(today),
            items=tuple(ExpectedItem(origin + p, t, dt.date.fromisoformat(d)) for p, t, d in items),
        )
        for path, kind, today, items in _LISTINGS[name]
    )
    return Site(
        name=name,
        origin=origin,
        files=MappingProxyType(_served_files(name, origin)),
        listings=listings,
        articles=tuple(origin + p for p in _ARTICLES[name]),
        stubs=MappingProxyType({origin + page: origin + pdf for page, pdf in _STUBS.get(name, {}).items()}),
    )


def build_sites(origin: str = FIXTURE_ORIGIN) -> dict[str, Site]:
    """All four fixture sites, by name, as served at origin."""
    return {name: build_site(name, origin) for name in SITE_NAMES}
