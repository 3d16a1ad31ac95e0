"""Bad input never stalls the parser: inputs shaped to hit every loop's worst case parse in time linear in their
size. No timing assertion (machines are noisy): each input here took minutes to hours before, and finishes in
seconds now, so the suite's per-test timeout is what fails on a regression. `make bench` prints the rates."""

from __future__ import annotations

from parsers.document import parse_document

NAME = "地区生产总值"


def test_a_million_character_line_of_one_name_repeated() -> None:
    parsed = parse_document(NAME * 200_000)  # 1.2 million characters, no punctuation: one sentence
    assert parsed.figures == []


def test_a_hundred_thousand_lines_of_one_name() -> None:
    parsed = parse_document((NAME + "\n") * 100_000)
    assert parsed.figures == []


def test_a_list_of_sixty_thousand_names_before_fenbie() -> None:
    parsed = parse_document("、".join(["粮食产量"] * 60_000) + "分别增长5%。")
    assert len(parsed.figures) <= 1


def test_many_figures_in_one_sentence_are_all_read() -> None:
    text = "，".join(f"{2000 + i % 20}年地区生产总值{100 + i}亿元" for i in range(8_000)) + "。"
    parsed = parse_document("2025年统计公报\n" + text)
    assert len(parsed.figures) >= 20
