"""Discovery: the four recorded site templates exactly, list heuristics, feeds, selectors, stubs, real pages."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from scrapers.discover.entries import title_like
from scrapers.discover.feeds import discover_feed
from scrapers.discover.items import Item, Selectors
from scrapers.discover.lists import discover_list
from scrapers.discover.pages import attachment_link, discover_page
from scrapers.discover.urls import canonical_url
from scrapers.errors import ScrapeError
from scrapers.extract.decode import decode_bytes
from scrapers.extract.htmlpage import extract_html
from scrapers.extract.htmltree import parse_html
from tests.support.sites import FIXTURE_ORIGIN, SITE_NAMES, Listing, Site, build_site

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages" / "html"
LOCAL_ORIGIN = "http://127.0.0.1:8765"
D = dt.date


def served_text(site: Site, url: str) -> str:
    """The page at url decoded as a fetcher would: HTTP charset (if any), then the bytes themselves."""
    data, content_type = site.get(url)
    charset = content_type.partition("charset=")[2] or None
    return decode_bytes(data, charset).text


def discover(site: Site, listing: Listing) -> list[Item] | ScrapeError:
    if listing.kind == "rss":
        return discover_feed(site.get(listing.url)[0], listing.url)
    return discover_list(served_text(site, listing.url), listing.url, listing.today)


def items_of(result: list[Item] | ScrapeError) -> list[Item]:
    assert not isinstance(result, ScrapeError), result
    return result


# ---------------------------------------------------------------------------------------------------
# The four fixture sites: exact URLs, titles and dates, served at the placeholder and at a real origin


@pytest.mark.parametrize("origin", [FIXTURE_ORIGIN, LOCAL_ORIGIN])
@pytest.mark.parametrize("name", SITE_NAMES)
def test_fixture_site_discovery_is_exact(name: str, origin: str) -> None:
    site = build_site(name, origin)
    assert site.listings
    for listing in site.listings:
        found = items_of(discover(site, listing))
        expected = [Item(e.url, e.title, e.published) for e in listing.items]
        assert found == expected
        assert all(item.url.startswith(origin + f"/{name}/") for item in found)


def test_county_cms_is_gbk_declared_gb2312_without_http_charset() -> None:
    site = build_site("county-cms")
    data, content_type = site.get(site.listings[0].url)
    assert content_type == "text/html"
    assert b"charset=gb2312" in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert "当前位置：" in data.decode("gbk")


def test_county_cms_pinned_item_goes_by_date_and_furniture_stays_out() -> None:
    site = build_site("county-cms")
    listing = site.listings[0]
    html = served_text(site, listing.url)
    # the pinned item opens the page but is the oldest
    assert html.index("[置顶]") < html.index("2026年山西省政府工作报告")
    found = items_of(discover(site, listing))
    assert [i.published for i in found] == [D(2026, 2, 9), D(2026, 1, 4), D(2024, 2, 24)]
    titles = {i.title for i in found}
    urls = {i.url for i in found}
    for furniture in (
        "政府信息公开年度报告",
        "重点领域信息公开",
        "高新区发布第五期4款特色产品",
        "山西省人民政府",
        "下一页",
        "尾页",
    ):
        assert furniture not in titles
    assert not any("index_" in u or "xwzx" in u or "gov.cn" in u or "news-portal" in u for u in urls)
    # the truncated link text gives way to the full title in title=""
    assert "关于古交市2025年国民经济和社会发展计划执行情况与2026年国民经济和社会发展计划(草案)的报告" in titles


def test_tw_mirror_reads_yearless_dates_and_skips_the_ranking_box() -> None:
    site = build_site("tw-mirror")
    listing = site.listings[0]
    html = served_text(site, listing.url)
    assert "2-26 15:28" in html and "[02-15]" in html and "熱點排行" in html
    found = items_of(discover(site, listing))
    assert [i.published for i in found] == [D(2024, 2, 26), D(2024, 2, 15), D(2023, 2, 15)]
    assert not any("陽泉" in i.title or "晉城" in i.title for i in found)


def test_news_portal_feed_dates_are_beijing_dates() -> None:
    site = build_site("news-portal")
    feed = site.get(site.listings[0].url)[0]
    assert b"Thu, 01 Feb 2024 07:45:10 +0800" in feed  # 2024-01-31 23:45 in UTC
    found = items_of(discover(site, site.listings[0]))
    assert found[0].published == D(2024, 2, 1)


def test_fixture_article_pages_are_served_and_not_lists() -> None:
    for name in SITE_NAMES:
        site = build_site(name)
        for url in site.articles:
            html = served_text(site, url)
            page = discover_page(html, url)
            assert len(page) == 1 and page[0].url == url and page[0].published is not None


# ---------------------------------------------------------------------------------------------------
# List heuristics on small pages

LIST_URL = "http://www.sxgujiao.gov.cn/zwgk/jhbg/index.html"
TITLES = (
    "关于古交市2025年国民经济和社会发展计划执行情况的报告",
    "古交市2025年政府工作报告全文发布",
    "古交市召开2025年第一季度经济运行分析会",
    "古交市2024年国民经济和社会发展统计公报",
)


def page(body: str, head: str = "") -> str:
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


def li_list(dates: list[str], cls: str = "list") -> str:
    rows = "".join(
        f'<li><a href="./t{n}.html">{TITLES[n % len(TITLES)]}（{n}）</a><span>{d}</span></li>'
        for n, d in enumerate(dates)
    )
    return f'<ul class="{cls}">{rows}</ul>'


NAV = (
    '<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/zwfw/">政务服务</a>'
    '<a href="/zfxxgknb/">政府信息公开年度报告</a><a href="/zdly/">重点领域信息公开</a></div>'
)


def urls(result: list[Item] | ScrapeError) -> list[str]:
    return [i.url.rsplit("/", 1)[1] for i in items_of(result)]


@pytest.mark.parametrize(
    ("printed", "today", "expected"),
    [
        ("2025-01-20", D(2026, 1, 5), D(2025, 1, 20)),
        ("2025/1/20", D(2026, 1, 5), D(2025, 1, 20)),
        ("2025.01.20", D(2026, 1, 5), D(2025, 1, 20)),
        ("2025年1月20日", D(2026, 1, 5), D(2025, 1, 20)),
        ("2025-01-20 08:30:00", D(2026, 1, 5), D(2025, 1, 20)),
        ("(2020-08-16 22:26:38)", D(2020, 8, 17), D(2020, 8, 16)),
        ("发布时间：2025-01-20", D(2026, 1, 5), D(2025, 1, 20)),
        ("[01-20]", D(2025, 3, 1), D(2025, 1, 20)),
        ("(01-20)", D(2025, 3, 1), D(2025, 1, 20)),
        ("（01-20）", D(2025, 3, 1), D(2025, 1, 20)),
        ("01-20", D(2025, 3, 1), D(2025, 1, 20)),
        ("1月20日", D(2025, 3, 1), D(2025, 1, 20)),
        ("2-26 15:28", D(2025, 3, 1), D(2025, 2, 26)),
        # a year-less date that would lie in the future is last year's
        ("12-30", D(2026, 1, 5), D(2025, 12, 30)),
        ("[12-30]", D(2026, 1, 5), D(2025, 12, 30)),
        ("12-31 23:59", D(2026, 1, 5), D(2025, 12, 31)),
        # …but not one day ahead: the site's clock runs at UTC+8
        ("01-06", D(2026, 1, 5), D(2026, 1, 6)),
        ("２０２５－０１－２０", D(2026, 1, 5), D(2025, 1, 20)),
    ],
)
def test_list_dates_in_every_usual_form(printed: str, today: dt.date, expected: dt.date) -> None:
    found = items_of(discover_list(page(li_list([printed] * 3)), LIST_URL, today))
    assert len(found) == 3
    assert {i.published for i in found} == {expected}


def test_items_are_sorted_newest_first_undated_last_and_deduplicated() -> None:
    body = (
        '<ul class="list">'
        f'<li><a href="./t9.html">【置顶】{TITLES[0]}</a></li>'
        f'<li><a href="./t1.html?utm_source=wx">{TITLES[1]}</a><span>2025-03-01</span></li>'
        f'<li><a href="./t2.html">{TITLES[2]}</a><span>2025-04-01</span></li>'
        f'<li><a href="./t1.html#top">{TITLES[3]}</a><span>2025-03-01</span></li>'
        f'<li><a href="./t3.html">{TITLES[3]}</a><span>2024-12-01</span></li>'
        "</ul>"
    )
    found = items_of(discover_list(page(body), LIST_URL, D(2025, 5, 1)))
    assert [(i.url.rsplit("/", 1)[1], i.published) for i in found] == [
        ("t2.html", D(2025, 4, 1)),
        ("t1.html", D(2025, 3, 1)),
        ("t3.html", D(2024, 12, 1)),
        ("t9.html", None),
    ]
    assert found[1].title == TITLES[1]  # the first title of a URL stays
    assert found[3].title == TITLES[0]  # the 置顶 marker is not part of the title


def test_a_denser_hot_box_loses_to_the_list_by_class_and_by_heading() -> None:
    hot_by_class = (
        '<div class="hot-news"><h3>本周</h3>' + li_list(["2025-04-0" + str(n) for n in range(1, 8)], "x") + "</div>"
    )
    hot_by_heading = (
        '<div class="box"><div class="tit">热点新闻</div><div class="bd">'
        + li_list(["2025-04-10"] * 6, "y")
        + "</div></div>"
    )
    ranking = '<div class="side2"><h4>阅读排行</h4>' + li_list(["[04-11]"] * 5, "z") + "</div>"
    main = '<div class="main"><h2>计划报告</h2>' + li_list(["2025-03-0" + str(n) for n in range(1, 4)]) + "</div>"
    found = items_of(discover_list(page(NAV + hot_by_class + main + hot_by_heading + ranking), LIST_URL, D(2025, 5, 1)))
    assert [i.published for i in found] == [D(2025, 3, 3), D(2025, 3, 2), D(2025, 3, 1)]


@pytest.mark.parametrize("box", ["footer", "nav", "header", "aside"])
def test_dated_links_in_page_furniture_are_not_a_list(box: str) -> None:
    html = page(f'<{box}>{li_list(["2025-01-20"] * 4, "links")}</{box}><div class="main"><p>暂无信息</p></div>')
    assert discover_list(html, LIST_URL, D(2025, 5, 1)) == []


def test_pagination_and_short_menu_links_never_become_items() -> None:
    pager = (
        '<div class="page">共3页 <a href="./index.html">首页</a> <a href="javascript:;">上一页</a> <a href="./index_1.html">2</a>'
        '<a href="./index_2.html">3</a> <a href="./index_1.html">下一页</a> <a href="./index_2.html">尾页</a></div>'
    )
    found = urls(discover_list(page(NAV + li_list(["2025-01-20", "2025-01-19"]) + pager), LIST_URL, D(2025, 5, 1)))
    assert found == ["t0.html", "t1.html"]


def test_a_page_wrapped_in_an_aspnet_form() -> None:
    html = page(
        f'<form method="post" action="./list.aspx" id="form1">{NAV}{li_list(["2025-01-20", "2025-01-19"])}</form>'
    )
    assert urls(discover_list(html, LIST_URL, D(2025, 5, 1))) == ["t0.html", "t1.html"]


def test_two_columns_of_one_list_are_merged() -> None:
    body = (
        '<div class="list">'
        f'<ul class="left"><li><a href="./a1.html">{TITLES[0]}</a><span>2025-01-20</span></li>'
        f'<li><a href="./a2.html">{TITLES[1]}</a><span>2025-01-18</span></li></ul>'
        f'<ul class="right"><li><a href="./b1.html">{TITLES[2]}</a><span>2025-01-19</span></li>'
        f'<li><a href="./b2.html">{TITLES[3]}</a><span>2025-01-17</span></li></ul>'
        "</div>"
    )
    assert urls(discover_list(page(NAV + body), LIST_URL, D(2025, 5, 1))) == [
        "a1.html",
        "b1.html",
        "a2.html",
        "b2.html",
    ]


def test_table_rows_with_a_date_cell() -> None:
    rows = "".join(
        f'<tr><td class="title"><a href="./r{n}.html">{TITLES[n]}</a></td><td class="date">2025-10-2{n}</td></tr>'
        for n in range(3)
    )
    body = f'<table class="list-table"><tr><th>标题</th><th>发布日期</th></tr>{rows}</table>'
    assert urls(discover_list(page(NAV + body), LIST_URL, D(2025, 11, 1))) == ["r2.html", "r1.html", "r0.html"]


def test_date_printed_inside_the_link_is_not_part_of_the_title() -> None:
    body = "".join(
        f'<a class="item" href="./c{n}.html"><span class="t">{TITLES[n]}</span><span class="d">2025-0{n + 1}-15</span></a>'
        for n in range(3)
    )
    found = items_of(discover_list(page(f'<div class="news">{body}</div>'), LIST_URL, D(2025, 5, 1)))
    assert [(i.title, i.published) for i in found] == [
        (TITLES[2], D(2025, 3, 15)),
        (TITLES[1], D(2025, 2, 15)),
        (TITLES[0], D(2025, 1, 15)),
    ]


def test_links_dead_ends_home_pages_out_attachments_in() -> None:
    body = (
        '<ul class="list">'
        f'<li><a href="javascript:void(0)">{TITLES[0]}</a><span>2025-01-20</span></li>'
        f'<li><a href="mailto:gjszfb@163.com">{TITLES[1]}</a><span>2025-01-20</span></li>'
        f'<li><a href="#">{TITLES[2]}</a><span>2025-01-20</span></li>'
        '<li><a href="http://www.taiyuan.gov.cn/">太原市人民政府门户网站首页</a><span>2025-01-20</span></li>'
        '<li><a href="./P020250119.pdf">2024年古交市国民经济和社会发展统计公报</a><span>2025-01-19</span></li>'
        '<li><a href="./P020250118.doc">古交市2025年政府工作报告（全文）</a><span>2025-01-18</span></li>'
        '<li><a href="./P020250117.docx">古交市2025年计划执行情况报告（全文）</a><span>2025-01-17</span></li>'
        "</ul>"
    )
    found = urls(discover_list(page(body), LIST_URL, D(2025, 5, 1)))
    assert found == ["P020250119.pdf", "P020250118.doc", "P020250117.docx"]


def test_base_href_resolves_the_links() -> None:
    html = page(li_list(["2025-01-20", "2025-01-19"]), head='<base href="http://cms.sxgujiao.gov.cn/zwgk/jhbg/">')
    found = items_of(discover_list(html, LIST_URL, D(2025, 5, 1)))
    assert [i.url for i in found] == [
        "http://cms.sxgujiao.gov.cn/zwgk/jhbg/t0.html",
        "http://cms.sxgujiao.gov.cn/zwgk/jhbg/t1.html",
    ]


def test_an_empty_list_page_is_an_empty_list() -> None:
    hot = '<div class="hot-news"><div class="title">热点新闻</div>' + li_list(["2025-01-20"] * 5, "hot") + "</div>"
    html = page(
        NAV
        + '<div class="position">当前位置：首页 > 政务公开 > 计划报告</div><div class="list"><p>暂无信息</p></div>'
        + hot
    )
    assert discover_list(html, LIST_URL, D(2025, 5, 1)) == []
    assert discover_list("", LIST_URL, D(2025, 5, 1)) == []
    assert discover_list("<html></html>", LIST_URL, D(2025, 5, 1)) == []


def test_broken_markup_still_gives_the_list() -> None:
    broken = (
        "<html><head><title>计划报告</title><body><div class=nav><a href=/>首页</a></td></div>"
        '<div class="list"><ul>'
        f'<li><a href="./t0.html">{TITLES[0]}</a><span>2025-01-20</span></font>'
        f'<li><a href="./t1.html">{TITLES[1]}</a><span>2025-01-19</span>'
        f"<li><a href=./t2.html>{TITLES[2]}</a><span>2025-01-18</span></div>"
        "<table><tr><td>共1页<tr><td><p>&copy 古交市人民政府"
    )
    found = items_of(discover_list(broken, LIST_URL, D(2025, 5, 1)))
    assert [(i.url.rsplit("/", 1)[1], i.published) for i in found] == [
        ("t0.html", D(2025, 1, 20)),
        ("t1.html", D(2025, 1, 19)),
        ("t2.html", D(2025, 1, 18)),
    ]


def test_without_dates_the_densest_list_of_long_titles_wins() -> None:
    long_menu = (
        '<ul class="sub">' + "".join(f'<li><a href="/m{n}/">政府信息公开指南{n}</a></li>' for n in range(8)) + "</ul>"
    )
    articles = "".join(f'<li><a href="./n{n}.html">{TITLES[n]}</a></li>' for n in range(4))
    html = page(NAV + long_menu + f'<div class="main"><ul class="news">{articles}</ul></div>')
    found = items_of(discover_list(html, LIST_URL, D(2025, 5, 1)))
    assert [i.url.rsplit("/", 1)[1] for i in found] == ["n0.html", "n1.html", "n2.html", "n3.html"]
    assert all(i.published is None for i in found)


def test_a_feed_given_where_html_was_promised() -> None:
    site = build_site("news-portal")
    rss = site.get(site.listings[0].url)[0].decode("utf-8")
    assert discover_list(rss, LIST_URL, D(2025, 5, 1)) == ScrapeError("not an HTML list: got a feed")
    assert discover_list(ATOM.decode("utf-8"), LIST_URL, D(2025, 5, 1)) == ScrapeError("not an HTML list: got a feed")


# ---------------------------------------------------------------------------------------------------
# Feeds

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<!-- generated by the bureau's CMS -->
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>古交市统计局 统计数据</title>
  <id>tag:tjj.sxgujiao.gov.cn,2026:tjsj</id>
  <updated>2026-03-20T09:30:00+08:00</updated>
  <link rel="self" href="http://tjj.sxgujiao.gov.cn/tjsj/atom.xml"/>
  <entry>
    <title>2025年1-9月古交市主要经济指标</title>
    <id>tag:tjj.sxgujiao.gov.cn,2025:2871</id>
    <link rel="alternate" href="http://tjj.sxgujiao.gov.cn/tjsj/202510/t20251025_2871.html?utm_source=rss#main"/>
    <updated>2025-10-24T17:05:00Z</updated>
  </entry>
  <entry>
    <title type="html">2025年古交市国民经济和社会发展统计公报</title>
    <id>tag:tjj.sxgujiao.gov.cn,2026:3104</id>
    <link href="202603/t20260320_3104.html"/>
    <published>2026-03-20T09:30:00+08:00</published>
    <updated>2026-03-21T10:00:00+08:00</updated>
  </entry>
  <entry>
    <title>没有链接的条目</title>
    <id>tag:tjj.sxgujiao.gov.cn,2026:0</id>
    <updated>2026-03-22T10:00:00+08:00</updated>
  </entry>
</feed>
""".encode()


def test_atom_feed() -> None:
    found = discover_feed(ATOM, "http://tjj.sxgujiao.gov.cn/tjsj/atom.xml")
    assert found == [
        Item(
            "http://tjj.sxgujiao.gov.cn/tjsj/202603/t20260320_3104.html",
            "2025年古交市国民经济和社会发展统计公报",
            D(2026, 3, 20),
        ),
        # 17:05 UTC on the 24th is the 25th in Beijing
        Item(
            "http://tjj.sxgujiao.gov.cn/tjsj/202510/t20251025_2871.html",
            "2025年1-9月古交市主要经济指标",
            D(2025, 10, 25),
        ),
    ]


def test_rss_in_gb2312_with_dc_dates_and_relative_links() -> None:
    rss = """<?xml version="1.0" encoding="gb2312"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>古交市人民政府</title><link>http://www.sxgujiao.gov.cn/</link><description>计划报告</description>
<item><title>关于古交市2025年国民经济和社会发展计划执行情况的报告</title><link>/zwgk/jhbg/202601/t20260104_1198765.html</link><dc:date>2026-01-04T10:32:00+08:00</dc:date></item>
<item><title>重新三看“古交” 抢抓历史机遇</title><link>http://www.sxgujiao.gov.cn/zwgk/jhbg/202402/t20240224_1087412.html?spm=1.2</link><pubDate>23 Feb 2024 16:15:00 GMT</pubDate></item>
<item><title>无日期的条目也要保留</title><link>http://www.sxgujiao.gov.cn/zwgk/jhbg/t1.html</link></item>
</channel></rss>
""".encode("gb18030")
    found = discover_feed(rss, "http://www.sxgujiao.gov.cn/zwgk/jhbg/rss.xml")
    # relative links resolve against the feed's URL; 16:15 GMT on 02-23 is 02-24 in Beijing
    assert found == [
        Item(
            "http://www.sxgujiao.gov.cn/zwgk/jhbg/202601/t20260104_1198765.html",
            "关于古交市2025年国民经济和社会发展计划执行情况的报告",
            D(2026, 1, 4),
        ),
        Item(
            "http://www.sxgujiao.gov.cn/zwgk/jhbg/202402/t20240224_1087412.html",
            "重新三看“古交” 抢抓历史机遇",
            D(2024, 2, 24),
        ),
        Item("http://www.sxgujiao.gov.cn/zwgk/jhbg/t1.html", "无日期的条目也要保留", None),
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "gbk", "big5"])
def test_feed_encodings_follow_the_xml_declaration(encoding: str) -> None:
    rss = (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>古交</title>'
        "<item><title>古交市2023年聚焦八个方面工作</title><link>http://www.sxgujiao.gov.cn/t1.html</link>"
        "<pubDate>Wed, 15 Feb 2023 15:28:00 +0800</pubDate></item></channel></rss>"
    )
    title = "古交市2023年聚焦八个方面工作" if encoding != "big5" else "古交市2023年聚焦八個方面工作"
    data = rss.replace("古交市2023年聚焦八个方面工作", title).encode(encoding)
    assert discover_feed(data, "http://www.sxgujiao.gov.cn/rss.xml") == [
        Item("http://www.sxgujiao.gov.cn/t1.html", title, D(2023, 2, 15))
    ]


def test_an_empty_feed_is_an_empty_list() -> None:
    rss = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>http://a.cn/</link></channel></rss>'
    assert discover_feed(rss, "http://a.cn/rss.xml") == []


def test_html_given_where_a_feed_was_promised() -> None:
    site = build_site("county-cms")
    data = site.get(site.listings[0].url)[0]
    assert discover_feed(data, site.listings[0].url) == ScrapeError("not a feed: got an HTML page")
    article = build_site("news-portal").articles[0]
    assert discover_feed(build_site("news-portal").get(article)[0], article) == ScrapeError(
        "not a feed: got an HTML page"
    )


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"   ",
        b"http://www.sxgujiao.gov.cn/rss.xml",
        b"/etc/passwd",
        b"<data><row>1</row></data>",
        b"\x89PNG\r\n\x1a\n",
    ],
)
def test_what_is_not_a_feed_is_an_error(content: bytes) -> None:
    found = discover_feed(content, "http://www.sxgujiao.gov.cn/rss.xml")
    assert isinstance(found, ScrapeError) and found.message.startswith("not a feed")


# ---------------------------------------------------------------------------------------------------
# Selectors override the heuristics


def test_selectors_override_the_heuristics() -> None:
    site = build_site("county-cms")
    listing = site.listings[0]
    html = served_text(site, listing.url)
    # the hot box, which the heuristics leave out, when a source asks for it
    hot = items_of(discover_list(html, listing.url, listing.today, Selectors(item="div.hot-news li")))
    assert [i.published for i in hot] == [D(2026, 2, 9), D(2026, 1, 15), D(2026, 1, 12), D(2024, 2, 1), D(2023, 8, 13)]
    assert hot[-1].url == FIXTURE_ORIGIN + "/news-portal/taiyuan/2023-08/13/content_30381857.htm"
    # the main list through selectors gives what the heuristics give
    main = discover_list(html, listing.url, listing.today, Selectors(item="ul.list > li", link="a", date="span.date"))
    assert main == discover_list(html, listing.url, listing.today)


def test_selector_for_links_alone_reads_the_date_in_each_links_item() -> None:
    site = build_site("tw-mirror")
    listing = site.listings[0]
    found = discover_list(served_text(site, listing.url), listing.url, listing.today, Selectors(link="div.dd_bt a"))
    assert found == [Item(e.url, e.title, e.published) for e in listing.items]


def test_selector_rows_of_a_table() -> None:
    site = build_site("stats-bureau")
    listing = site.listings[0]
    found = discover_list(
        served_text(site, listing.url),
        listing.url,
        listing.today,
        Selectors(item="table.list-table tr", date="td.date"),
    )
    assert found == [Item(e.url, e.title, e.published) for e in listing.items]


def test_selectors_that_match_nothing_or_are_broken() -> None:
    html = page(li_list(["2025-01-20", "2025-01-19"]))
    assert discover_list(html, LIST_URL, D(2025, 5, 1), Selectors(item="div.nothing li")) == []
    broken = discover_list(html, LIST_URL, D(2025, 5, 1), Selectors(item="ul[class="))
    assert isinstance(broken, ScrapeError) and broken.message.startswith("bad selector")
    # empty selectors are no selectors
    assert urls(discover_list(html, LIST_URL, D(2025, 5, 1), Selectors())) == ["t0.html", "t1.html"]


# ---------------------------------------------------------------------------------------------------
# kind="page" and stub pages


def test_discover_page_is_the_page_itself() -> None:
    site = build_site("county-cms")
    url = site.articles[0]
    assert discover_page(served_text(site, url), url + "#top") == [
        Item(
            url,
            "关于古交市2025年国民经济和社会发展计划执行情况与2026年国民经济和社会发展计划(草案)的报告",
            D(2026, 1, 4),
        )
    ]
    mirror = build_site("tw-mirror")
    url = mirror.articles[2]
    assert discover_page(served_text(mirror, url), url) == [
        Item(url, "山西古交2023年聚焦八個(gè)方面工作", D(2023, 2, 15))
    ]
    assert discover_page("", "http://a.cn/x.html?utm_source=x") == [
        Item("http://a.cn/x.html", "http://a.cn/x.html", None)
    ]


def test_attachment_link_on_the_stub_page() -> None:
    site = build_site("stats-bureau", LOCAL_ORIGIN)
    [(stub, pdf)] = site.stubs.items()
    html = served_text(site, stub)
    assert attachment_link(html, stub, extract_html(html, stub).text) == pdf
    assert attachment_link(html, stub, "") == pdf
    assert site.get(pdf)[0].startswith(b"%PDF-")


def test_attachment_link_is_none_on_normal_articles() -> None:
    for name in SITE_NAMES:
        site = build_site(name)
        for url in site.articles:
            html = served_text(site, url)
            assert attachment_link(html, url, extract_html(html, url).text) is None


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        (
            '<a href="/upload/P020250120.docx">古交市2025年政府工作报告.docx</a>',
            "http://www.sxgujiao.gov.cn/upload/P020250120.docx",
        ),
        ('<a href="./P020250120.wps">古交市2025年政府工作报告</a>', "http://www.sxgujiao.gov.cn/zwgk/P020250120.wps"),
        (
            '<a href="/download.jsp?id=3#x">古交市2025年政府工作报告.pdf</a>',
            "http://www.sxgujiao.gov.cn/download.jsp?id=3",
        ),
        ('<a href="./P020250120.xls">古交市2025年主要经济指标.xls</a>', None),
        ('<a href="./t2.html">古交市2025年政府工作报告</a>', None),
    ],
)
def test_attachment_link_kinds(link: str, expected: str | None) -> None:
    html = page(
        f'<div class="nav"><a href="/a.pdf">网站说明.pdf</a></div><div class="TRS_Editor"><p>附件：{link}</p></div>'
    )
    assert (
        attachment_link(html, "http://www.sxgujiao.gov.cn/zwgk/t1.html", "附件：古交市2025年政府工作报告") == expected
    )


def test_attachment_beside_a_full_article_is_not_a_stub() -> None:
    body = "".join(f"<p>{TITLES[n % 4]}，全年地区生产总值预计完成95亿元，同比增长1%。</p>" for n in range(8))
    html = page(f'<div class="TRS_Editor">{body}<p>附件：<a href="./P1.pdf">附表.pdf</a></p></div>')
    url = "http://www.sxgujiao.gov.cn/zwgk/t1.html"
    assert attachment_link(html, url, extract_html(html, url).text) is None


# ---------------------------------------------------------------------------------------------------
# Real pages from the corpus (smoke tests)


def test_real_netease_rolling_news_list() -> None:
    data = (PAGES / "gerapy-list-netease_rolling_news.html").read_bytes()
    html = decode_bytes(data).text
    base = "https://news.163.com/latest/"
    started = time.perf_counter()
    found = items_of(discover_list(html, base, D(2020, 8, 17)))
    assert time.perf_counter() - started < 2.0
    assert 30 <= len(found) <= 60
    assert all(i.published == D(2020, 8, 16) for i in found)
    assert all(title_like(i.title) for i in found)
    root = parse_html(html)
    assert root is not None
    furniture = {
        canonical_url(a.get("href"), base)
        for xpath in ('//div[contains(@class,"NTES-nav")]', '//div[@class="nav_channel"]', '//div[@class="channel-end"]',
                      '//div[@class="foot"]', '//div[@class="bar_pages"]', '//ul[@class="cal_list"]')
        for box in root.xpath(xpath)
        for a in box.iter("a") if a.get("href")
    }  # fmt: skip
    assert len(furniture) > 20
    assert not furniture & {i.url for i in found}
    # the column tags beside each title ([社会], [国际]) are links too, never items
    assert not any(i.url.rstrip("/").endswith(("shehui", "world", "domestic")) for i in found)


@pytest.mark.parametrize("path", sorted(PAGES.glob("*.html")), ids=lambda p: p.stem)
def test_real_pages_give_sane_items(path: Path) -> None:
    html = decode_bytes(path.read_bytes()).text
    found = items_of(discover_list(html, "http://www.example.cn/a/b.html", D(2024, 1, 1)))
    urls_found = [i.url for i in found]
    assert len(set(urls_found)) == len(urls_found)
    assert all(canonical_url(u) == u and u.startswith(("http://", "https://")) for u in urls_found)
    assert all(title_like(i.title) for i in found)
    dates = [i.published for i in found]
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated, reverse=True) and dates[: len(dated)] == dated
