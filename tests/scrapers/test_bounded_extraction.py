"""Hostile pages and files never stall or crash extraction: a tag with 10^5 attributes, nesting past any real
document's depth (an error value, never a RecursionError), a table of 8,000 rows."""

from __future__ import annotations

import io
import zipfile

from scrapers.errors import ScrapeError
from scrapers.extract.content import ExtractedDocument, extract_document
from scrapers.extract.docx import MAX_XML_DEPTH, docx_to_text
from scrapers.extract.htmltree import MAX_ATTRIBUTES, bound_markup, parse_html

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(body: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f"<w:document {W}><w:body>{body}</w:body></w:document>")
    return buffer.getvalue()


def test_a_tag_with_a_hundred_thousand_attributes_is_cut_before_parsing() -> None:
    attributes = " ".join(f'a{i}="{i}"' for i in range(100_000))
    html = f"<html><body><div {attributes}><p>2025年全市地区生产总值100亿元，同比增长5%。</p></div></body></html>"
    root = parse_html(html)
    assert root is not None
    (div,) = root.iter("div")
    assert len(div.attrib) == MAX_ATTRIBUTES
    assert "地区生产总值100亿元" in root.text_content()
    extracted = extract_document(html.encode())
    assert isinstance(extracted, ExtractedDocument) and "100亿元" in extracted.text


def test_ordinary_tags_pass_unchanged() -> None:
    page = '<a href="/x" title="报告" class="t">报告</a>' * 500
    assert bound_markup(page) == page


def test_deeply_nested_docx_is_an_error_value_not_a_recursion_error() -> None:
    deep = "<w:sdt><w:sdtContent>" * 5_000 + "<w:p><w:r><w:t>x</w:t></w:r></w:p>" + "</w:sdtContent></w:sdt>" * 5_000
    result = docx_to_text(_docx(deep))
    assert isinstance(result, ScrapeError) and str(MAX_XML_DEPTH) in result.message
    shallow = docx_to_text(_docx("<w:sdt><w:sdtContent><w:p><w:r><w:t>2025年</w:t></w:r></w:p></w:sdtContent></w:sdt>"))
    assert not isinstance(shallow, ScrapeError) and shallow.text == "2025年"


def test_deeply_nested_html_is_read() -> None:
    html = "<html><body>" + "<div>" * 100_000 + "2025年地区生产总值100亿元。" + "</div>" * 100_000 + "</body></html>"
    result = extract_document(html.encode())
    assert isinstance(result, ExtractedDocument | ScrapeError)


def test_a_table_of_eight_thousand_rows_is_read_whole() -> None:
    rows = "".join(f"<tr><td>指标{i}</td><td>亿元</td><td>{i}</td><td>5.1</td></tr>" for i in range(8_000))
    result = extract_document(f"<html><body><table>{rows}</table></body></html>".encode())
    assert isinstance(result, ExtractedDocument)
    assert "指标7999" in result.text
