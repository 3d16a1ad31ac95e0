"""decode_bytes: declared charsets, BOMs, lying labels, detection, and that it never raises."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scrapers.extract.decode import declared_labels, decode_bytes, normalise_label
from tests.scrapers.corpus import page_bytes

REPORT = "2024年古交市地区生产总值完成180.5亿元，比上年增长5.2%。规模以上工业增加值增长6.1%，固定资产投资下降3.4%。"
GBK_ONLY = "朱镕基、王喆、李堃出席会议"  # 镕 喆 堃 are in GBK but not in GB2312


def page(body: str, charset: str | None) -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    return f"<html><head>{meta}<title>报告</title></head><body><p>{body}</p></body></html>"


def test_gbk_bytes_under_a_gbk_meta() -> None:
    result = decode_bytes(page(REPORT, "gbk").encode("gbk"))
    assert (result.encoding, result.source) == ("gb18030", "meta")
    assert REPORT in result.text


def test_gb18030_four_byte_characters() -> None:
    text = REPORT + "𠮷𡈽"  # outside the BMP: four-byte sequences in GB18030
    result = decode_bytes(page(text, "gb18030").encode("gb18030"))
    assert (result.encoding, result.source) == ("gb18030", "meta")
    assert text in result.text


@pytest.mark.parametrize("label", ["gb2312", "GB2312", "gbk", "x-gbk", "cp936", "gb_2312-80"])
def test_gbk_only_characters_under_gb_family_labels(label: str) -> None:
    data = page(GBK_ONLY, label).encode("gbk")
    result = decode_bytes(data)
    assert result.encoding == "gb18030"
    assert GBK_ONLY in result.text
    assert decode_bytes(data, http_charset=label).source == "http"


def test_meta_gb2312_but_utf8_bytes() -> None:
    result = decode_bytes(page(GBK_ONLY + REPORT, "gb2312").encode("utf-8"))
    assert result.encoding == "utf-8"
    assert GBK_ONLY + REPORT in result.text


@pytest.mark.parametrize(
    ("name", "snippet"),
    [
        ("rdb-qq_meta-gb2312-but-utf8", "DeepMind新电脑已可利用记忆自学"),
        ("gerapy-list-netease_rolling_news", "滚动新闻"),
    ],
)
def test_recorded_pages_labelled_gb2312_in_utf8(name: str, snippet: str) -> None:
    data = page_bytes(name)
    assert "gb2312" in [label.lower() for label in declared_labels(data)]
    result = decode_bytes(data)
    assert result.encoding == "utf-8"
    assert snippet in result.text
    assert "\ufffd" not in result.text


@pytest.mark.parametrize(
    ("name", "snippet"),
    [
        ("ia-b4c2eccd_163-ccer-economy-nometa", "CCER经济学人分析中国经济热度"),
        ("ia-6820ebe7_qianlong-auto-jv-nometa", "广汽回应现代合资内幕 全面合作项目即将展开"),
    ],
)
def test_recorded_gb_pages_without_meta_are_detected(name: str, snippet: str) -> None:
    data = page_bytes(name)
    assert declared_labels(data) == []
    result = decode_bytes(data)
    assert (result.encoding, result.source) == ("gb18030", "detected")
    assert snippet in result.text
    assert "\ufffd" not in result.text


def test_wayback_page_with_toolbar_markup_before_its_meta() -> None:
    data = page_bytes("traf-he-xinhuanet-25340717_gb2312-wayback")
    assert data.find(b"charset=gb2312") > 1000  # script charset="utf-8" attributes come first
    result = decode_bytes(data)
    assert (result.encoding, result.source) == ("gb18030", "meta")
    assert "话剧《约定无期限》河北各市巡演结束" in result.text


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_bom_beats_labels(bom: bytes, codec: str) -> None:
    data = bom + page(REPORT, "gbk").encode(codec)
    result = decode_bytes(data, http_charset="gbk")
    assert (result.encoding, result.source) == (codec, "bom")
    assert REPORT in result.text
    assert not result.text.startswith("\ufeff")


@pytest.mark.parametrize(
    ("http", "data", "encoding", "source"),
    [
        ("utf-8", page(REPORT, "gbk").encode("gbk"), "gb18030", "meta"),  # header lies, meta is right
        ("gbk", page(REPORT, None).encode("utf-8"), "utf-8", "detected"),  # header lies, no meta
        ("iso-8859-1", page(REPORT, "gb2312").encode("gbk"), "gb18030", "meta"),  # servers' default label
        ("no-such-charset", page(REPORT, "gbk").encode("gbk"), "gb18030", "meta"),
        ("GBK", page(REPORT, "utf-8").encode("gbk"), "gb18030", "http"),  # meta lies, header is right
    ],
)
def test_a_lying_http_charset_is_ignored(http: str, data: bytes, encoding: str, source: str) -> None:
    result = decode_bytes(data, http_charset=http)
    assert (result.encoding, result.source) == (encoding, source)
    assert REPORT in result.text


def test_gbk_without_any_label_is_detected() -> None:
    result = decode_bytes(page(REPORT * 3, None).encode("gbk"))
    assert (result.encoding, result.source) == ("gb18030", "detected")
    assert REPORT in result.text


def test_xml_declaration_counts_as_a_declaration() -> None:
    data = f'<?xml version="1.0" encoding="GBK"?><rss><item>{REPORT}</item></rss>'.encode("gbk")
    result = decode_bytes(data)
    assert (result.encoding, result.source) == ("gb18030", "meta")


def test_a_character_cut_off_at_the_end_does_not_make_the_label_a_liar() -> None:
    data = page(REPORT, "gbk").encode("gbk") + "增".encode("gbk")[:1]
    result = decode_bytes(data)
    assert (result.encoding, result.source) == ("gb18030", "meta")
    assert REPORT in result.text


def test_ascii_is_utf8() -> None:
    assert decode_bytes(b"<html>plain</html>") == decode_bytes(b"<html>plain</html>", None)
    assert decode_bytes(b"plain").encoding == "utf-8"


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("GB2312", "gb18030"),
        ("x-gbk", "gb18030"),
        ("utf8", "utf-8"),
        ("Big5", "big5hkscs"),
        ("nonsense", None),
    ],
)
def test_normalise_label(label: str, codec: str | None) -> None:
    assert normalise_label(label) == codec


@given(st.binary(max_size=2048), st.sampled_from([None, "utf-8", "gbk", "latin-1", "utf-16", "bogus", ""]))
def test_never_raises(data: bytes, charset: str | None) -> None:
    result = decode_bytes(data, http_charset=charset)
    assert isinstance(result.text, str)
    assert result.source in ("http", "bom", "meta", "detected", "fallback")
