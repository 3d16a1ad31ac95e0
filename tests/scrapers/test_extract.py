"""sniff_kind and extract_html on small built pages: CMS block, furniture, title, date, tables, links."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from scrapers.extract.content import sniff_kind
from scrapers.extract.htmlpage import extract_html

BODY = "2024年全市地区生产总值完成180.5亿元，比上年增长5.2%。规模以上工业增加值增长6.1%，固定资产投资增长3.4%。"
MENU = "".join(f'<li><a href="/col{i}/">栏目导航{i}</a></li>' for i in range(40))


def gov_page(
    body: str = BODY, head: str = "", before_title: str = "", extra: str = "", title: str = "全市经济运行情况"
) -> str:
    """A gov-CMS-like page: long menu, breadcrumbs, TRS_Editor body, share/print furniture, footer."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_古交市人民政府</title>{head}</head>
<body><div class="nav"><ul>{MENU}</ul></div>
<div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 统计信息</div>
{before_title}<h1>{title}</h1><div class="info">发布时间：2024-02-15 10:30 来源：古交市统计局</div>
<div class="TRS_Editor"><p>{body}</p><p>{body}</p>{extra}</div>
<div class="share">分享到：微信 微博</div><div>【打印本页】【关闭窗口】</div>
<div class="pager">上一篇：关于某事的通知</div><div class="pager">下一篇：关于另一事的通知</div>
<div class="footer">版权所有：古交市人民政府 晋ICP备12345678号</div></body></html>"""


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "pdf"),
        (b"\n\n%PDF-1.4 junk before the header is allowed", "pdf"),
        (gov_page().encode("utf-8"), "html"),
        (b"<div>fragment</div>", "html"),
        ("<HTML><BODY>报告</BODY></HTML>".encode("gbk"), "html"),
        ("\ufeff<html></html>".encode("utf-16"), "html"),
        ("2024年古交市国民经济和社会发展统计公报\n全年地区生产总值增长5%。".encode("gbk"), "text"),
        ("纯文本".encode("utf-16"), "text"),
        (docx_bytes(), "docx"),
        (b"PK\x03\x04" + bytes(100), "binary"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "binary"),  # legacy .doc
        (bytes(range(1, 32)) * 50, "binary"),
    ],
)
def test_sniff_kind(data: bytes, kind: str) -> None:
    assert sniff_kind(data) == kind


def test_cms_block_text_without_menu_or_furniture() -> None:
    page = extract_html(gov_page(), url="http://www.gujiao.gov.cn/tjxx/202402/t20240215_1.html")
    assert BODY in page.text
    for furniture in (
        "栏目导航",
        "当前位置",
        "分享到",
        "打印本页",
        "关闭窗口",
        "上一篇",
        "下一篇",
        "ICP",
        "版权所有",
    ):
        assert furniture not in page.text
    assert page.title == "全市经济运行情况"
    assert page.published == dt.date(2024, 2, 15)


def test_tables_as_rows_and_as_tab_separated_lines() -> None:
    table = (
        "<table><tr><th>指标</th><th>单位</th><th>数值</th><th>增长(%)</th></tr>"
        "<tr><td>地区生产总值</td><td>亿元</td><td>180.5</td><td>5.2</td></tr>"
        "<tr><td>规模以上工业增加值</td><td>亿元</td><td>&nbsp;</td><td>6.1</td></tr></table>"
    )
    page = extract_html(gov_page(extra=table))
    assert page.tables == [
        [
            ["指标", "单位", "数值", "增长(%)"],
            ["地区生产总值", "亿元", "180.5", "5.2"],
            ["规模以上工业增加值", "亿元", "", "6.1"],
        ]
    ]
    assert "地区生产总值\t亿元\t180.5\t5.2" in page.text.splitlines()


def test_layout_tables_are_not_data_and_their_text_is_kept() -> None:
    lead = "这是正文的第一段，没有包在段落标签里。" * 12
    html = (
        "<html><head><title>标题</title></head><body><table><tr><td>"
        f"{MENU}</td></tr><tr><td class='Content'>{lead}<p>{BODY}</p><p>{BODY}</p></td></tr>"
        "</table></body></html>"
    )
    page = extract_html(html)
    assert page.tables == []
    assert lead in page.text.replace("\n", "")  # loose text before the first <p> survives
    assert BODY in page.text


def test_attachments_absolute_deduplicated_and_not_from_menus() -> None:
    links = (
        '<p>附件：<a href="/files/2024tjgb.pdf">2024年统计公报.pdf</a> '
        '<a href="./data.xlsx">数据表</a> <a href="../doc/notice.DOC?v=2">通知</a> '
        '<a href="download.jsp?id=7">附件2：主要指标.xls</a> <a href="/files/2024tjgb.pdf">再次</a> '
        '<a href="javascript:void(0)">打印.pdf</a> <a href="/page.html">正文</a></p>'
    )
    nav = '<div class="nav"><a href="/guide.pdf">办事指南.pdf</a></div>'
    page = extract_html(gov_page(extra=links, before_title=nav), url="http://www.gujiao.gov.cn/tjxx/202402/t1.html")
    assert page.attachments == [
        "http://www.gujiao.gov.cn/files/2024tjgb.pdf",
        "http://www.gujiao.gov.cn/tjxx/202402/data.xlsx",
        "http://www.gujiao.gov.cn/tjxx/doc/notice.DOC?v=2",
        "http://www.gujiao.gov.cn/tjxx/202402/download.jsp?id=7",
    ]


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<meta name="ArticleTitle" content="2024年统计公报">', "2024年统计公报"),
        ('<meta property="og:title" content="古交市人民政府">', "全市经济运行情况"),  # og:title is the site
        ('<meta property="og:title" content="全市经济运行情况 - 古交市人民政府">', "全市经济运行情况"),
        ("", "全市经济运行情况"),
    ],
)
def test_title_cross_checked(head: str, expected: str) -> None:
    assert extract_html(gov_page(head=head)).title == expected


@pytest.mark.parametrize(
    ("head", "text", "url", "expected"),
    [
        # government meta beats the text
        ('<meta name="PubDate" content="2024-02-14 09:00">', "", None, dt.date(2024, 2, 14)),
        ('<meta name="firstpublishedtime" content="2024-02-13-15:28:05">', "", None, dt.date(2024, 2, 13)),
        (
            '<meta property="article:published_time" content="2024-02-12T20:00:00Z">',
            "",
            None,
            dt.date(2024, 2, 13),
        ),
        # a document's own date (成文日期) beats the posting time
        (
            '<meta name="PubDate" content="2024-02-14">',
            "<p>成文日期：2024年02月10日</p>",
            None,
            dt.date(2024, 2, 10),
        ),
    ],
)
def test_date_priority(head: str, text: str, url: str | None, expected: dt.date) -> None:
    assert extract_html(gov_page(head=head, before_title=text), url=url).published == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://www.gujiao.gov.cn/zwgk/202302/t20230215_123.html", dt.date(2023, 2, 15)),
        ("http://www.xinhuanet.com/local/2023-02/15/c_1125597921.htm", dt.date(2023, 2, 15)),
        ("http://news.example.cn/202302/15/content_1.html", dt.date(2023, 2, 15)),
        ("http://news.example.cn/2023/0215/c1.html", dt.date(2023, 2, 15)),
        ("http://news.example.cn/a/20230215/n1.shtml", dt.date(2023, 2, 15)),
        ("http://news.example.cn/a/20231345/n1.shtml", None),
    ],
)
def test_date_from_the_url_when_the_page_has_none(url: str, expected: dt.date | None) -> None:
    html = f"<html><head><title>标题</title></head><body><div><p>{BODY}</p><p>{BODY}</p></div></body></html>"
    assert extract_html(html.replace("2024年", "今年"), url=url).published == expected


def test_a_chinese_date_is_never_read_as_new_year() -> None:
    # htmldate with dateparser turns 2023年02月15日 into 2023-01-01; the text reader gets it right.
    body = f"<h1>通知</h1><p>2023年02月15日</p><p>{BODY}</p>"
    html = f"<html><head><title>通知</title></head><body>{body}</body></html>"
    assert extract_html(html).published == dt.date(2023, 2, 15)


def test_future_dates_are_not_publication_dates() -> None:
    html = gov_page().replace("2024-02-15 10:30", "2999-01-01")
    assert extract_html(html).published != dt.date(2999, 1, 1)


@pytest.mark.parametrize("html", ["", "   ", "<html></html>", "no markup at all", "<<<>>>", "\x00\x01"])
def test_degenerate_input_gives_an_empty_page(html: str) -> None:
    page = extract_html(html)
    assert isinstance(page.text, str)
    assert page.tables == []
