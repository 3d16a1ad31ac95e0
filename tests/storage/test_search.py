"""Document search: a literal, case-insensitive substring of the title or text, reposts left out, newest first."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import inspect

from storage import Store
from storage.search import like_pattern
from tests.storage.builders import GUJIAO, JIAOCHENG, REPORT_BODY, document, figure


def save(
    store: Store,
    url: str,
    title: str,
    text: str,
    published: date | None = date(2026, 3, 20),
    region: tuple[str, str] = GUJIAO,
    kind: str = "bulletin",
) -> int:
    """Save one document without figures and return its id."""
    doc = document(url, title=title, text=text, published=published, region=region, kind=kind)
    return store.save_document(doc, []).document_id


@pytest.fixture
def library(store: Store) -> dict[str, int]:
    """Four reports and a repost: two 统计公报 (古交市, 交城县), a 古交 news item, a work report."""
    ids = {
        "gujiao": save(
            store, "https://a.gov.cn/1.html", "古交市2025年国民经济和社会发展统计公报", "古交。" + REPORT_BODY
        ),
        "jiaocheng": save(
            store,
            "https://jc.gov.cn/2.html",
            "交城县2025年国民经济和社会发展统计公报",
            "交城。" + REPORT_BODY,
            published=date(2026, 3, 25),
            region=JIAOCHENG,
        ),
        "news": save(
            store,
            "https://news.example.com/3.html",
            "煤炭产业转型",
            "古交市煤炭产业转型升级。",
            published=date(2025, 12, 1),
            kind="news",
        ),
        "report": save(
            store,
            "https://a.gov.cn/4.html",
            "政府工作报告",
            "2026年GDP目标增长5%左右。",
            published=None,
            kind="work_report",
        ),
    }
    repost = store.save_document(
        document("https://mirror.example.com/1.html", title="转载：统计公报", text="古交。" + REPORT_BODY), []
    )
    assert repost.duplicate_of == ids["gujiao"]
    return ids


def found(store: Store, query: str, limit: int = 10) -> list[int]:
    return [d.id for d in store.search_documents(query, limit)]


def test_chinese_substrings_of_titles_and_texts(store: Store, library: dict[str, int]) -> None:
    assert found(store, "统计公报") == [library["jiaocheng"], library["gujiao"]]  # newest first, repost left out
    assert found(store, "古交") == [library["gujiao"], library["news"]]  # title or text
    assert found(store, "煤炭产业") == [library["news"]]
    assert found(store, "地区生产总值完成95亿元") == [library["jiaocheng"], library["gujiao"]]  # deep in the text
    assert found(store, "太原") == []


def test_undated_documents_come_last(store: Store, library: dict[str, int]) -> None:
    assert found(store, "。") == [library["jiaocheng"], library["gujiao"], library["news"], library["report"]]


def test_latin_text_is_matched_without_regard_to_case(store: Store, library: dict[str, int]) -> None:
    assert found(store, "gdp") == [library["report"]]
    assert found(store, "GdP目标") == [library["report"]]


def test_the_result_carries_the_document(store: Store, library: dict[str, int]) -> None:
    (hit,) = store.search_documents("煤炭")
    assert (hit.id, hit.kind, hit.published, hit.duplicate_of) == (library["news"], "news", date(2025, 12, 1), None)


def test_limit(store: Store, library: dict[str, int]) -> None:
    assert found(store, "统计公报", limit=1) == [library["jiaocheng"]]
    assert found(store, "统计公报", limit=0) == []
    assert found(store, "统计公报", limit=-5) == []


@pytest.mark.parametrize("blank", ["", " ", "\u3000\t\n"])
def test_a_blank_query_finds_nothing(store: Store, library: dict[str, int], blank: str) -> None:
    assert store.search_documents(blank) == []


def test_surrounding_space_is_ignored(store: Store, library: dict[str, int]) -> None:
    assert found(store, "  煤炭 ") == [library["news"]]


def test_like_wildcards_in_the_query_are_literal(store: Store) -> None:
    percent = save(store, "https://a.gov.cn/p.html", "完成率100%", "通报。")
    thousand = save(store, "https://a.gov.cn/t.html", "增长1000亿", "通报！")
    under = save(store, "https://a.gov.cn/u.html", "变量a_b", "说明。")
    other = save(store, "https://a.gov.cn/o.html", "变量axb", "说明！")
    backslash = save(store, "https://a.gov.cn/b.html", "路径C:\\data", "附件。")
    plain = save(store, "https://a.gov.cn/c.html", "路径C:data", "附件！")
    assert found(store, "100%") == [percent]  # not also 1000
    assert sorted(found(store, "100")) == sorted([percent, thousand])
    assert found(store, "a_b") == [under]  # not also axb
    assert found(store, "_") == [under]
    assert found(store, "%") == [percent]
    assert found(store, "C:\\data") == [backslash]
    assert found(store, "\\") == [backslash]
    assert sorted(found(store, "C:")) == sorted([backslash, plain])
    assert other not in found(store, "a_b")


def test_the_query_is_cut_to_100_characters(store: Store) -> None:
    hundred = "古交" * 50
    hit = save(store, "https://a.gov.cn/long.html", "长查询", hundred + "。")
    assert found(store, hundred + "不在文中" * 50) == [hit]  # only the first 100 characters are looked for
    assert like_pattern("x" * 500) == "%" + "x" * 100 + "%"


def test_hostile_queries_are_just_text(store: Store, library: dict[str, int]) -> None:
    for hostile in ("'; DROP TABLE documents; --", "%' OR '1'='1", "\x00古交", ":name ? %s %(x)s", "\ud800"):
        store.search_documents(hostile)
    assert found(store, "\x00煤炭") == [library["news"]]  # NUL is dropped, as in what is stored
    assert "documents" in inspect(store.engine).get_table_names()
    assert len(found(store, "统计公报")) == 2


def test_figures_do_not_matter_to_search(store: Store) -> None:
    with_figures = store.save_document(document("https://a.gov.cn/f.html", title="统计公报"), [figure()]).document_id
    assert found(store, "统计公报") == [with_figures]


def test_like_pattern_escapes_the_escape_character_first() -> None:
    assert like_pattern("a\\%_b") == "%a\\\\\\%\\_b%"
    assert like_pattern("   ") is None
