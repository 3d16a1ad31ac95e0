"""rejoin_lines: lines broken by the page width are rejoined; paragraphs, headings, lists are kept."""

from __future__ import annotations

import pytest

from parsers.linebreaks import rejoin_lines, squeeze_cjk_spaces

REJOIN_CASES: list[tuple[str, str, str]] = [
    ("word broken", "全年地区生产总值比上年增\n长3.8%。", "全年地区生产总值比上年增长3.8%。"),
    ("number broken", "其中第二产业增加值12.\n16亿元。", "其中第二产业增加值12.16亿元。"),
    (
        "comma goes on",
        "规模以上工业增加值增长5.2%，\n固定资产投资下降3.4%。",
        "规模以上工业增加值增长5.2%，固定资产投资下降3.4%。",
    ),
    ("full stop ends", "经济平稳。\n工业增长。", "经济平稳。\n工业增长。"),
    ("semicolon ends", "工业增长5%；\n投资增长3%；", "工业增长5%；\n投资增长3%；"),
    ("colon ends", "主要指标如下：\n地区生产总值增长5%。", "主要指标如下：\n地区生产总值增长5%。"),
    ("closing quote ends", "他说：“要稳中求进。”\n会议强调", "他说：“要稳中求进。”\n会议强调"),
    ("closing bracket ends", "增长5%（按可比价格计算）\n其中", "增长5%（按可比价格计算）\n其中"),
    ("heading stays", "一、总体情况\n全市经济运行稳中有进。", "一、总体情况\n全市经济运行稳中有进。"),
    (
        "sub-heading stays",
        "（一）工业生产\n规模以上工业增加值增长5%。",
        "（一）工业生产\n规模以上工业增加值增长5%。",
    ),
    ("chapter stays", "第一章 总则\n第一条 为了规范管理", "第一章 总则\n第一条 为了规范管理"),
    (
        "list item not glued to the line before",
        "主要任务有\n1. 稳增长\n2. 促改革",
        "主要任务有\n1. 稳增长\n2. 促改革",
    ),
    ("numbered item", "目标是\n（1）增长5%左右", "目标是\n（1）增长5%左右"),
    ("circled number", "重点工作\n①稳就业", "重点工作\n①稳就业"),
    ("bullet", "要点\n• 稳增长", "要点\n• 稳增长"),
    ("decimal is not a list", "增加值为1\n2.5亿元。", "增加值为12.5亿元。"),
    ("paragraph break kept", "经济增长较快，\n\n工业平稳。", "经济增长较快，\n\n工业平稳。"),
    ("many blank lines fold", "甲。\n\n\n\n乙。", "甲。\n\n乙。"),
    ("decorated page number dropped", "投资增\n- 2 -\n长5%。", "投资增长5%。"),
    ("第N页 dropped", "投资增\n第 3 页 共 10 页\n长5%。", "投资增长5%。"),
    ("English words get a space", "The economy grew\nby 5 percent.", "The economy grew by 5 percent."),
    ("English sentence ends", "It grew.\nThen it fell.", "It grew.\nThen it fell."),
    ("CRLF", "比上年增\r\n长3.8%。", "比上年增长3.8%。"),
    ("spaces trimmed", "  比上年增  \n  长3.8%。  ", "比上年增长3.8%。"),
    ("empty", "", ""),
]


@pytest.mark.parametrize(("case", "text", "expected"), REJOIN_CASES, ids=[c[0] for c in REJOIN_CASES])
def test_rejoin_lines(case: str, text: str, expected: str) -> None:
    assert rejoin_lines(text) == expected


BODIES = [
    "全市经济运行总体平稳，主要指标增长较快，全年实现地区生产总值一百八十亿元，比上年增\n长5.2%，增速高于全省平均水平。",
    "工业生产稳步回升，规模以上工业增加值比上年增长6.1%，其中煤炭工业增加值增长四点二个百分\n点，非煤工业增长较快。",
    "固定资产投资保持增长，全年完成投资额为三十五点六亿元，比上年增长百分之八点一，其中工业\n投资增长百分之十二。",
    "社会消费品零售总额达到四十二亿元，比上年增长百分之六，城乡居民收入稳步提高，民生保障有\n力有效。",
]


def test_pages_lose_running_heads_and_page_numbers() -> None:
    pages = [f"古交市2024年国民经济和社会发展统计公报\n{body}\n- {n} -" for n, body in enumerate(BODIES, 1)]
    text = rejoin_lines("\x0c".join(pages))
    assert "统计公报" not in text
    assert "- 2 -" not in text
    assert "比上年增长5.2%" in text
    assert "增长四点二个百分点" in text
    assert text.count("\n") == len(BODIES) - 1  # one line per paragraph, no page leftovers


def test_a_sentence_runs_on_across_a_page_break() -> None:
    first = "全市经济运行总体平稳，主要指标增长较快，全年实现地区生产总值一百八十亿元，比上年增"
    text = rejoin_lines(f"{first}\n3\n\x0c4\n长5.2%，增速高于全省平均水平。")
    assert text == first + "长5.2%，增速高于全省平均水平。"


def test_bare_numbers_inside_a_page_are_table_cells_not_page_numbers() -> None:
    table = "指标\n单位\n数值\n地区生产总值\n亿元\n180\n增长\n%\n5"
    body = "\n".join(b.replace("\n", "") for b in BODIES)
    text = rejoin_lines(f"{body}\n{table}\n{body}\n7\x0c{body}")
    assert f"\n{table}\n" in text  # cells stay one per line: short lines among full ones
    assert "\n7\n" not in text  # while the 7 at the foot of the page was its number


def test_short_lines_are_not_glued_when_lines_are_known_to_be_longer() -> None:
    text = "\n".join(
        [
            "2024年古交市政府工作报告",
            "过去一年，面对复杂严峻的外部环境，全市上下坚持稳中求进工作总基调，经济运行持续回升向",
            "好，地区生产总值完成一百八十亿元，比上年增长百分之五点二，规模以上工业增加值增长百分之六",
            "点一，固定资产投资增长百分之八，社会消费品零售总额增长百分之六，城乡居民收入稳步增长。",
            "古交市人民政府",
            "主要工作",
        ]
    )
    lines = rejoin_lines(text).split("\n")
    assert lines[0] == "2024年古交市政府工作报告"
    assert lines[1].endswith("城乡居民收入稳步增长。")
    assert lines[2:] == ["古交市人民政府", "主要工作"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("经 济 运 行", "经济运行"),
        ("增长 5.2% ，", "增长 5.2%，"),
        ("GDP 增长", "GDP 增长"),
        ("第 一 章", "第一章"),
    ],
)
def test_squeeze_cjk_spaces(text: str, expected: str) -> None:
    assert squeeze_cjk_spaces(text) == expected
