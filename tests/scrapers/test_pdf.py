"""pdf_to_text: Chinese text comes back with broken lines rejoined; bad input is an ScrapeError."""

from __future__ import annotations

import pytest

from scrapers.errors import ScrapeError
from scrapers.extract.pdf import pdf_to_text
from tests.scrapers.pdfs import build_pdf

PAGE_ONE = [
    "一、总体情况",
    "全市经济运行总体平稳，全年实现地区生产总值比上年增",
    "长3.8%，其中第二产业增加值12.",
    "16亿元，第三产业增加值较快增长，城乡居民收入稳步",
    "提高，民生保障有力有效。",
    "二、工业",
    "规模以上工业增加值增长5.2%，其中煤炭工业增加值增长",
]
PAGE_TWO = [
    "4.1%，非煤工业增长较快。",
    "三、投资",
    "固定资产投资比上年增长8.1%。",
]


@pytest.fixture(scope="module")
def report_pdf() -> bytes:
    return build_pdf([PAGE_ONE, PAGE_TWO], running_head="古交市2024年国民经济和社会发展统计公报")


def test_sentences_and_numbers_broken_across_lines_are_rejoined(report_pdf: bytes) -> None:
    text = pdf_to_text(report_pdf)
    assert isinstance(text, str)
    assert "全年实现地区生产总值比上年增长3.8%，其中第二产业增加值12.16亿元，" in text
    assert "城乡居民收入稳步提高，民生保障有力有效。" in text
    # across the page break, past the page number and the running head
    assert "其中煤炭工业增加值增长4.1%，非煤工业增长较快。" in text


def test_headings_stay_on_their_own_lines(report_pdf: bytes) -> None:
    text = pdf_to_text(report_pdf)
    assert isinstance(text, str)
    lines = text.splitlines()
    for heading in ("一、总体情况", "二、工业", "三、投资"):
        assert heading in lines


def test_page_furniture_is_gone(report_pdf: bytes) -> None:
    text = pdf_to_text(report_pdf)
    assert isinstance(text, str)
    assert "- 1 -" not in text and "- 2 -" not in text
    assert "\x0c" not in text


def test_max_pages(report_pdf: bytes) -> None:
    text = pdf_to_text(report_pdf, max_pages=1)
    assert isinstance(text, str)
    assert "三、投资" not in text


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n" + b"garbage " * 200,
        b"<html><body>not a pdf</body></html>",
        b"",
        b"%PDF-1.7\n%%EOF",
        bytes(range(256)) * 10,
    ],
)
def test_not_a_pdf_is_an_error_value(data: bytes) -> None:
    result = pdf_to_text(data)
    assert isinstance(result, ScrapeError)
    assert result.message and "\n" not in result.message


def test_a_truncated_pdf_never_raises(report_pdf: bytes) -> None:
    for cut in (50, len(report_pdf) // 3, len(report_pdf) // 2, len(report_pdf) - 30):
        assert isinstance(pdf_to_text(report_pdf[:cut]), str | ScrapeError)


def test_a_pdf_without_text_is_an_error_value() -> None:
    result = pdf_to_text(build_pdf([[]]).replace(b"- 1 -", b"     "))
    assert isinstance(result, ScrapeError)
