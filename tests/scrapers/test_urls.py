"""canonical_url and the link rules of discovery: one report, one URL, whatever the link's spelling."""

from __future__ import annotations

import pytest

from scrapers.discover.urls import canonical_url, document_base, followable
from scrapers.extract.htmltree import parse_html

BASE = "http://www.sxgujiao.gov.cn/zwgk/jhbg/index.html"

CANONICAL_CASES: list[tuple[str, str | None, str]] = [
    # fragments go
    ("http://www.sxgujiao.gov.cn/a/t1.html#content", None, "http://www.sxgujiao.gov.cn/a/t1.html"),
    ("http://www.sxgujiao.gov.cn/a/t1.html#", None, "http://www.sxgujiao.gov.cn/a/t1.html"),
    # tracking parameters go, the others stay in their order and spelling
    ("https://news.163.com/a.html?utm_source=wx&utm_medium=share&id=7", None, "https://news.163.com/a.html?id=7"),
    ("https://news.163.com/a.html?spm=a2c4g.11186623&id=7&from=timeline", None, "https://news.163.com/a.html?id=7"),
    ("https://m.example.cn/a.html?share=1&isappinstalled=0", None, "https://m.example.cn/a.html"),
    (
        "https://m.example.cn/a.html?UTM_Campaign=x&q=%E5%8F%A4%E4%BA%A4",
        None,
        "https://m.example.cn/a.html?q=%E5%8F%A4%E4%BA%A4",
    ),
    ("https://m.example.cn/a.html?b=2&a=1", None, "https://m.example.cn/a.html?b=2&a=1"),
    ("https://m.example.cn/a.html?fromid=3", None, "https://m.example.cn/a.html?fromid=3"),
    # scheme and host lower-cased, the path kept as it is
    ("HTTP://WWW.SXGuJiao.GOV.CN/ZWGK/T1.html", None, "http://www.sxgujiao.gov.cn/ZWGK/T1.html"),
    # default ports go, other ports stay
    ("http://www.sxgujiao.gov.cn:80/a.html", None, "http://www.sxgujiao.gov.cn/a.html"),
    ("https://www.sxgujiao.gov.cn:443/a.html", None, "https://www.sxgujiao.gov.cn/a.html"),
    ("http://www.sxgujiao.gov.cn:8080/a.html", None, "http://www.sxgujiao.gov.cn:8080/a.html"),
    ("https://www.sxgujiao.gov.cn:80/a.html", None, "https://www.sxgujiao.gov.cn:80/a.html"),
    ("http://127.0.0.1:8765/county-cms/", None, "http://127.0.0.1:8765/county-cms/"),
    # an empty path is the root; a servlet session in the path goes
    ("http://www.sxgujiao.gov.cn", None, "http://www.sxgujiao.gov.cn/"),
    ("http://tjj.gov.cn/web/a.jsp;jsessionid=0A1B2C?id=3", None, "http://tjj.gov.cn/web/a.jsp?id=3"),
    # relative links resolve against the base
    ("./202601/t20260104_1198765.html", BASE, "http://www.sxgujiao.gov.cn/zwgk/jhbg/202601/t20260104_1198765.html"),
    ("202601/t1.html", BASE, "http://www.sxgujiao.gov.cn/zwgk/jhbg/202601/t1.html"),
    ("../zcwj/index.html", BASE, "http://www.sxgujiao.gov.cn/zwgk/zcwj/index.html"),
    ("/xwzx/t2.html?spm=1#top", BASE, "http://www.sxgujiao.gov.cn/xwzx/t2.html"),
    ("//tjj.shanxi.gov.cn/tjsj/", BASE, "http://tjj.shanxi.gov.cn/tjsj/"),
    ("  ./t3.html\n", BASE, "http://www.sxgujiao.gov.cn/zwgk/jhbg/t3.html"),
    ("?page=2", BASE, "http://www.sxgujiao.gov.cn/zwgk/jhbg/index.html?page=2"),
    ("https://other.cn/x.pdf", BASE, "https://other.cn/x.pdf"),
]


@pytest.mark.parametrize(("url", "base", "expected"), CANONICAL_CASES)
def test_canonical_url(url: str, base: str | None, expected: str) -> None:
    assert canonical_url(url, base) == expected


def test_canonical_url_is_idempotent() -> None:
    for url, base, _ in CANONICAL_CASES:
        once = canonical_url(url, base)
        assert canonical_url(once) == once


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            '<html><head><base href="http://cdn.sxgujiao.gov.cn/zwgk/"></head><body></body></html>',
            "http://cdn.sxgujiao.gov.cn/zwgk/",
        ),
        ('<html><head><base href="../tjxx/"></head><body></body></html>', "http://www.sxgujiao.gov.cn/zwgk/tjxx/"),
        ('<html><head><base target="_blank"></head><body></body></html>', BASE),
        ("<html><head></head><body><p>无</p></body></html>", BASE),
    ],
)
def test_document_base_reads_base_href(html: str, expected: str) -> None:
    root = parse_html(html)
    assert root is not None
    assert document_base(root, BASE) == expected


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("./202601/t1.html", "http://www.sxgujiao.gov.cn/zwgk/jhbg/202601/t1.html"),
        ("./P020260320.pdf", "http://www.sxgujiao.gov.cn/zwgk/jhbg/P020260320.pdf"),
        ("javascript:void(0);", None),
        ("JavaScript:window.print()", None),
        ("mailto:gjszfb@163.com", None),
        ("tel:0351-5122000", None),
        ("#", None),
        ("#top", None),
        ("", None),
        (None, None),
        ("ftp://ftp.sxgujiao.gov.cn/a.doc", None),
        # home pages: a friend link to another site, or this site's own 首页
        ("http://www.gov.cn/", None),
        ("http://www.shanxi.gov.cn", None),
        ("http://fgw.shanxi.gov.cn/index.html", None),
        ("../../index.html", None),
        # a page on another site is followed
        ("http://www.shanxi.gov.cn/zfxxgk/t1.html", "http://www.shanxi.gov.cn/zfxxgk/t1.html"),
    ],
)
def test_followable(href: str | None, expected: str | None) -> None:
    assert followable(href, BASE) == expected
