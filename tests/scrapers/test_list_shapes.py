"""Discovery on list shapes met on real sites (issue 7 §3): each page's main list, in page order, and nothing else."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scrapers.discover.lists import discover_list
from scrapers.http import waf

LISTS = Path(__file__).resolve().parent.parent / "fixtures" / "lists"
BASE = "http://www.example.gov.cn/col/"
TODAY = dt.date(2025, 11, 20)

EXPECTED: dict[str, list[tuple[str, str, str]]] = {
    "column_one_report.html": [("2025-01-10", "2025年古交市人民政府工作报告", "/col/202501/t20250110_1234567.shtml")],
    "column_two_reports.html": [
        ("2025-04-08", "交城县2024年国民经济和社会发展统计公报", "/xxgk/tjgb/202504/t20250408_88001.html"),
        ("2024-04-12", "交城县2023年国民经济和社会发展统计公报", "/xxgk/tjgb/202404/t20240412_77002.html"),
    ],
    "table_stray_close.html": [
        ("2025-11-20", "2025年1-10月吕梁市主要经济指标", "/tjsj/zyzb/202511/t20251120_9001.html"),
        ("2025-10-22", "2025年1-9月吕梁市主要经济指标", "/tjsj/zyzb/202510/t20251022_9000.html"),
        ("2025-09-19", "2025年1-8月吕梁市主要经济指标", "/tjsj/zyzb/202509/t20250919_8999.html"),
        ("2025-08-21", "2025年1-7月吕梁市主要经济指标", "/tjsj/zyzb/202508/t20250821_8998.html"),
        ("2025-07-24", "2025年上半年吕梁市主要经济指标", "/tjsj/zyzb/202507/t20250724_8997.html"),
    ],
    "body_scrollheader.html": [
        ("2025-11-18", "关于开展2025年统计执法检查的通知", "/tzgg/202511/t20251118_501.shtml"),
        ("2025-11-05", "太原市第五次全国经济普查公报（第一号）", "/tzgg/202511/t20251105_500.shtml"),
        ("2025-10-27", "关于做好2025年统计年报工作的通知", "/tzgg/202510/t20251027_499.shtml"),
        ("2025-10-10", "2025年前三季度太原市经济运行情况新闻发布会", "/tzgg/202510/t20251010_498.shtml"),
    ],
    "portal_relative_dates.html": [
        ("2025-11-20", "前10月山西规上工业增加值同比增长4.1%", "/content/2025-11/20/content_1001.htm"),
        ("2025-11-19", "太原市前三季度社会消费品零售总额增长5.2%", "/content/2025-11/19/content_1000.htm"),
        ("2025-11-18", "吕梁：煤层气产业链项目集中开工", "/content/2025-11/18/content_0999.htm"),
        ("2025-11-17", "古交市上半年地区生产总值同比增长3.6%", "/content/2025-11/17/content_0998.htm"),
        ("2025-11-14", "交城县固定资产投资增速全市领先", "/content/2025-11/14/content_0997.htm"),
    ],
    "short_titles.html": [
        ("2025-11-21", "公 示", "/tzgg/202511/t20251121_3005.html"),
        ("2025-11-19", "关于娄烦县2025年度第二批项目资金分配情况的公示", "/tzgg/202511/t20251119_3004.html"),
        ("2025-11-17", "通知", "/tzgg/202511/t20251117_3003.html"),
        ("2025-11-12", "娄烦县2025年1-10月主要经济指标", "/tzgg/202511/t20251112_3002.html"),
        ("2025-11-03", "GDP Q3 2025", "/tzgg/202511/t20251103_3001.html"),
        ("2025-10-28", "关于开展第五次全国经济普查数据发布的公告", "/tzgg/202510/t20251028_3000.html"),
    ],
    "cards_only.html": [
        ("2025-10-25", "2025 Q3: GDP +4.2%", "/sjfb/202510/t20251025_2003.html"),
        ("2025-07-26", "2025 H1: GDP +3.8%", "/sjfb/202507/t20250726_2002.html"),
        ("2025-04-24", "2025 Q1: GDP +3.1%", "/sjfb/202504/t20250424_2001.html"),
    ],
    "html5_list.html": [
        ("2025-11-15", "2025年10月晋中市主要经济指标", "/sjfb/2025/11/15/3301.html"),
        ("2025-10-16", "2025年9月晋中市主要经济指标", "/sjfb/2025/10/16/3300.html"),
        ("2025-09-15", "2025年8月晋中市主要经济指标", "/sjfb/2025/09/15/3299.html"),
    ],
    "big_scripts.html": [
        ("2025-11-20", "汾阳市2025年1-10月国民经济主要指标", "/zwgk/tjxx/202511/t20251120_501.html"),
        ("2025-10-21", "汾阳市2025年前三季度国民经济运行情况", "/zwgk/tjxx/202510/t20251021_500.html"),
        ("2025-09-18", "汾阳市2025年1-8月国民经济主要指标", "/zwgk/tjxx/202509/t20250918_499.html"),
    ],
    "https_redirect.html": [
        ("2025-01-13", "孝义市2024年计划执行情况报告", "/zwgk/jhzx/202501/t20250113_71.html"),
        ("2024-01-15", "孝义市2023年计划执行情况报告", "/zwgk/jhzx/202401/t20240115_70.html"),
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_main_list_wins(name: str) -> None:
    items = discover_list((LISTS / name).read_text(encoding="utf-8"), BASE, TODAY)
    assert not isinstance(items, Exception), items
    got = [(str(i.published), i.title, "/" + i.url.split("/", 3)[3]) for i in items]
    assert got == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_list_page_is_taken_for_a_wall(name: str) -> None:
    assert waf.classify(200, (LISTS / name).read_bytes()) is None


def test_the_big_page_really_opens_its_body_late() -> None:
    data = (LISTS / "big_scripts.html").read_bytes()
    assert data.index(b"<body") > 100 * 1024


@pytest.mark.parametrize(
    "shell",
    [
        b'<html><head><script>document.cookie="acw_sc__v2=1";location.reload()</script></head><body></body></html>',
        b"<html><body><script>window.location.href='/index.html?'+Math.random()</script></body></html>",
    ],
)
def test_real_shells_are_still_refused(shell: bytes) -> None:
    assert waf.classify(200, shell) is not None
