"""extract_document: one entry point for HTML, PDF, DOCX and text bytes; bad input is an ScrapeError."""

from __future__ import annotations

import datetime as dt
import io
import random
import time
import zipfile

import pytest

from scrapers.extract.content import MAX_TEXT_BYTES, ExtractedDocument, ScrapeError, extract_document
from tests.scrapers.corpus import page_bytes
from tests.scrapers.pdfs import build_pdf

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx(body: str, title: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f"<w:document {W}><w:body>{body}</w:body></w:document>")
        if title:
            dc = 'xmlns:dc="http://purl.org/dc/elements/1.1/"'
            core = f'<cp:coreProperties xmlns:cp="cp" {dc}><dc:title>{title}</dc:title></cp:coreProperties>'
            archive.writestr("docProps/core.xml", core)
    return buf.getvalue()


def para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def cell(text: str) -> str:
    return f"<w:tc>{para(text)}</w:tc>"


def test_html_bytes() -> None:
    result = extract_document(
        page_bytes("ia-f70d9c97_cnr-gb2312"),
        url="http://china.cnr.cn/news/20220213/t20220213_525740050.shtml",
    )
    assert isinstance(result, ExtractedDocument)
    assert (result.kind, result.encoding) == ("html", "gb18030")
    assert result.published == dt.date(2022, 2, 13)
    assert "军队装备试验鉴定规定" in result.text


def test_html_bytes_with_a_lying_http_charset() -> None:
    html = "<html><head><meta charset='gbk'><title>报告</title></head><body><p>" + "古交市经济运行平稳。" * 30
    result = extract_document(html.encode("gbk"), http_charset="utf-8")
    assert isinstance(result, ExtractedDocument)
    assert result.encoding == "gb18030"
    assert "古交市经济运行平稳。" in result.text


def test_pdf_bytes() -> None:
    data = build_pdf([["全市地区生产总值比上年增", "长3.8%。"]])
    result = extract_document(
        data, url="http://www.gujiao.gov.cn/files/202302/t20230215_1.pdf", content_type="text/html"
    )
    assert isinstance(result, ExtractedDocument)
    assert result.kind == "pdf"
    assert "全市地区生产总值比上年增长3.8%。" in result.text
    assert result.published == dt.date(2023, 2, 15)


def test_docx_bytes() -> None:
    body = para("2024年统计公报") + para("全年地区生产总值增长5.2%。")
    rows = f"<w:tr>{cell('指标')}{cell('数值')}</w:tr><w:tr>{cell('地区生产总值')}{cell('180.5')}</w:tr>"
    body += f"<w:tbl>{rows}</w:tbl>"
    result = extract_document(docx(body, title="古交市2024年统计公报"))
    assert isinstance(result, ExtractedDocument)
    assert result.kind == "docx"
    assert result.title == "古交市2024年统计公报"
    assert result.text.splitlines() == [
        "2024年统计公报",
        "全年地区生产总值增长5.2%。",
        "指标\t数值",
        "地区生产总值\t180.5",
    ]
    assert result.tables == [[["指标", "数值"], ["地区生产总值", "180.5"]]]


def test_broken_docx_is_an_error_value() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("word/document.xml", "<w:document><w:body><w:p>")
    result = extract_document(buf.getvalue())
    assert isinstance(result, ScrapeError)


def test_text_bytes() -> None:
    result = extract_document("古交市2024年统计公报\r\n全年地区生产总值增长5.2%。".encode("gbk"))
    assert isinstance(result, ExtractedDocument)
    assert (result.kind, result.encoding) == ("text", "gb18030")
    assert result.text == "古交市2024年统计公报\n全年地区生产总值增长5.2%。"


def test_markup_less_html_by_content_type() -> None:
    result = extract_document("正文：全年地区生产总值增长5.2%。".encode(), content_type="text/html; charset=utf-8")
    assert isinstance(result, ExtractedDocument)
    assert result.kind == "html"


@pytest.mark.parametrize("data", [b"", b"   \r\n\t  "])
def test_empty_input(data: bytes) -> None:
    result = extract_document(data)
    assert result == ScrapeError("empty document: no content")


def test_random_binary_input() -> None:
    result = extract_document(random.Random(7).randbytes(100_000), content_type="text/html")
    assert isinstance(result, ScrapeError)
    assert "binary" in result.message


def test_a_50_mb_text_is_capped_and_fast() -> None:
    line = "全年地区生产总值增长5.2%，规模以上工业增加值增长6.1%。\n".encode()
    data = line * (50 * 1024 * 1024 // len(line))
    started = time.perf_counter()
    result = extract_document(data)
    elapsed = time.perf_counter() - started
    assert isinstance(result, ExtractedDocument)
    assert result.kind == "text"
    assert 0 < len(result.text.encode()) <= MAX_TEXT_BYTES
    assert result.text.endswith("增长6.1%。")  # cut at a line end, not inside a character
    assert elapsed < 10


def test_a_big_html_page_finishes() -> None:
    paragraph = "<p>" + "古交市经济运行平稳，各项指标增长较快。" * 20 + "</p>"
    data = ("<html><head><title>大页面</title></head><body>" + paragraph * 5000 + "</body></html>").encode()
    started = time.perf_counter()
    result = extract_document(data)
    assert isinstance(result, ExtractedDocument)
    assert time.perf_counter() - started < 60
