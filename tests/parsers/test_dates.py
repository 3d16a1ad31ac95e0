"""parse_date / find_dates: the date spellings of Chinese pages and the traps around them."""

from __future__ import annotations

import datetime as dt

import pytest

from parsers.dates import find_dates, parse_date

D = dt.date

PARSE_CASES: list[tuple[str, int | None, dt.date | None]] = [
    # full dates
    ("2025-01-20", None, D(2025, 1, 20)),
    ("2025/1/20", None, D(2025, 1, 20)),
    ("2025.01.20", None, D(2025, 1, 20)),
    ("2025 - 01 - 20", None, D(2025, 1, 20)),
    ("2025年1月20日", None, D(2025, 1, 20)),
    ("2025 年 01 月 20 日", None, D(2025, 1, 20)),
    ("2023年02月15日 15:28", None, D(2023, 2, 15)),
    ("2023年02月15日15:28", None, D(2023, 2, 15)),
    ("2023-08-13 08:57:24", None, D(2023, 8, 13)),
    ("发布时间：2023-02-15", None, D(2023, 2, 15)),
    ("２０２３年２月１５日", None, D(2023, 2, 15)),  # full-width digits
    ("２０２３－０２－１５", None, D(2023, 2, 15)),
    ("二〇二五年一月二十日", None, D(2025, 1, 20)),
    ("二○二四年十二月三十一日", None, D(2024, 12, 31)),  # U+25CB for zero
    ("二零二三年十月一日", None, D(2023, 10, 1)),
    ("20230215", None, D(2023, 2, 15)),
    ("2022-02-13 00:00:00:0", None, D(2022, 2, 13)),
    # ISO timestamps are read in Beijing time
    ("2023-02-14T20:00:00Z", None, D(2023, 2, 15)),
    ("2023-02-15T08:00:00+08:00", None, D(2023, 2, 15)),
    ("2023-02-15T23:30:00+08:00", None, D(2023, 2, 15)),
    # year-less forms take the default year, and only then
    ("[01-20]", 2025, D(2025, 1, 20)),
    ("(12-31)", 2024, D(2024, 12, 31)),
    ("2-26 15:28", 2025, D(2025, 2, 26)),
    ("01-20", 2025, D(2025, 1, 20)),
    ("1月20日", 2025, D(2025, 1, 20)),
    ("[01-20]", None, None),
    ("2-26 15:28", None, None),
    ("1月20日", None, None),
    # impossible dates and things that only look like dates
    ("2023-02-30", None, None),
    ("2023年13月1日", None, None),
    ("2023-00-10", None, None),
    ("0000-00-00", None, None),
    ("2918-01-01", None, None),
    ("20231345", None, None),
    ("[02-30]", 2025, None),
    ("1-11月", 2025, None),  # a period (January to November), not a date
    ("12.16亿元", 2025, None),
    ("增长3.8%", 2025, None),
    ("1.5", 2025, None),
    ("二〇二五年十三月一日", None, None),
    ("", None, None),
    ("无日期", None, None),
]


@pytest.mark.parametrize(("text", "default_year", "expected"), PARSE_CASES)
def test_parse_date(text: str, default_year: int | None, expected: dt.date | None) -> None:
    assert parse_date(text, default_year=default_year) == expected


def test_find_dates_gives_offsets_in_order() -> None:
    text = "发布时间：2023-02-15 来源 | 2月3日召开 [01-20] 1-11月 2-26 15:28"
    assert find_dates(text, default_year=2023) == [
        (5, D(2023, 2, 15)),
        (21, D(2023, 2, 3)),
        (28, D(2023, 1, 20)),
        (42, D(2023, 2, 26)),
    ]


def test_find_dates_without_a_year_only_reads_full_dates() -> None:
    text = "2月11日，记者从2022年2月13日召开的会议上获悉，自2022年2月10日起施行。"
    assert [d for _, d in find_dates(text)] == [D(2022, 2, 13), D(2022, 2, 10)]


def test_one_date_is_found_once() -> None:
    # the year-less reading inside a full date must not add a second date
    assert find_dates("2025年1月20日", default_year=2024) == [(0, D(2025, 1, 20))]
    assert find_dates("2004年12月11－12日") == [(0, D(2004, 12, 11))]


def test_numbers_are_not_dates() -> None:
    text = "索引号：11220000013544357T/2022-00426，增长3.8%，总额12.16亿元，1-11月累计。"
    assert find_dates(text, default_year=2022) == []
