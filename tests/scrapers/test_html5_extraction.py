"""HTML5 pages without CMS class names (issue 7 §4): tables stay rows, paragraphs stay lines, figures are read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from parsers.document import parse_document
from scrapers.errors import ScrapeError
from scrapers.extract.content import extract_document

HTML5 = Path(__file__).resolve().parent.parent / "fixtures" / "html5"
URL = "http://www.example.gov.cn/sjfb/202511/t20251114_1.html"


def extract(name: str) -> tuple[str | None, dt.date | None, str]:
    page = extract_document((HTML5 / name).read_bytes(), url=URL)
    assert not isinstance(page, ScrapeError)
    return page.title, page.published, page.text


def test_a_statistics_table_as_the_page_body_keeps_its_rows() -> None:
    title, published, text = extract("stats_table_main_article.html")
    lines = text.splitlines()
    assert title == "2025年1-10月榆次区主要经济指标" and published == dt.date(2025, 11, 14)
    assert "指标名称\t单位\t1-10月\t同比增长(%)" in lines
    assert "社会消费品零售总额\t亿元\t168.42\t4.9" in lines
    assert "导航" not in text and "晋ICP备" not in text and "联系我们" not in text


def test_a_statistics_table_as_the_page_body_yields_its_figures() -> None:
    title, published, text = extract("stats_table_main_article.html")
    doc = parse_document(text, title=title, published=published)
    got = {
        (f.region, f.indicator, f.period, None if f.value is None else round(f.value, 4), f.yoy) for f in doc.figures
    }
    assert doc.kind == "indicator_table"
    assert got == {
        ("榆次区", "industry_va", "2025-10", None, 5.6),
        ("榆次区", "fai", "2025-10", None, -3.2),
        ("榆次区", "retail", "2025-10", 168.42, 4.9),
        ("榆次区", "budget_revenue", "2025-10", 21.563, 3.1),
    }


def test_sections_keep_paragraphs_as_lines_and_tables_as_rows() -> None:
    title, published, text = extract("report_main_article.html")
    lines = text.splitlines()
    assert published == dt.date(2025, 4, 2)
    assert "全年城镇新增就业11260人。" in lines
    assert "地方一般公共预算收入\t亿元\t30.12\t6.7" in lines
    doc = parse_document(text, title=title, published=published)
    assert doc.region_code == "510703"  # 涪城区, Sichuan: any division of China
    assert {f.indicator for f in doc.figures} >= {"gdp", "retail", "budget_revenue", "resident_income"}
