"""The parser never raises on any string, returns a list, and gives the same answer twice."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from parsers.document import parse_document
from parsers.figures import extract_figures
from parsers.regions import Gazetteer

REPORTISH = st.sampled_from(
    [
        "地区生产总值",
        "增长",
        "下降",
        "分别",
        "预计",
        "目标",
        "左右",
        "以上",
        "亿元",
        "万元",
        "万斤",
        "元",
        "%",
        "％",
        "，",
        "。",
        "；",
        "\n",
        "\t",
        "|",
        "、",
        "和",
        "1-10月",
        "上半年",
        "2024年",
        "今年",
        "城乡居民人均可支配收入",
        "固定资产投资",
        "规上工业增加值",
        "第一产业",
        "总产量",
        "粮食",
        "原煤产量",
        "古交",
        "交城县",
        "太原市",
        "从",
        "到",
        "的",
        "年均",
        "十四五",
        "同期",
        "突破",
        "千亿",
        "(gè)",
        "億",
        "二〇二四年",
        "一百零六点六二亿元",
        "【报告摘登】",
    ]
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda x: f"{x:.6g}"),
    st.text(alphabet="0123456789.,", min_size=1, max_size=40),
)
REPORT_TEXT = st.lists(st.one_of(REPORTISH, NUMBERS, st.text(max_size=8)), max_size=200).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(max_size=2000), REPORT_TEXT), month=st.integers(min_value=1, max_value=12))
def test_parse_never_raises_and_is_deterministic(text: str, month: int) -> None:
    published = date(2024, month, 15)
    first = parse_document(text, published=published)
    second = parse_document(text, published=published)
    assert isinstance(first.figures, list)
    assert first == second
    for f in first.figures:
        assert f.basis in ("actual", "estimate", "target")
        assert f.value is not None or f.yoy is not None


@settings(max_examples=5, deadline=None)
@given(chunk=REPORT_TEXT)
def test_one_megabyte_inputs(chunk: str) -> None:
    text = (chunk + "。\n") * (1_000_000 // (len(chunk) + 2) + 1)
    figures = extract_figures(text[:1_000_000], date(2024, 2, 1), None, Gazetteer.default())
    assert isinstance(figures, list)


def test_huge_numbers_are_not_figures_of_infinite_size() -> None:
    text = "地区生产总值完成" + "9" * 400 + "亿元，增长" + "9" * 400 + "%。"
    doc = parse_document(text, published=date(2024, 2, 1))
    assert isinstance(doc.figures, list)
    for f in doc.figures:
        assert f.value is None or f.value < 1e16


# ----------------------------------------------------------------------------- hard-wrapped reposts

SENTENCE_PARTS = st.sampled_from(
    ["全年", "地区生产总值完成", "98.6亿元", "比上年增长", "6.2%", "社会消费品零售总额", "固定资产投资",
     "一般公共预算收入", "城镇新增就业", "1020人", "其中", "第一产业增加值", "按可比价格计算", "，", "、"]
)  # fmt: skip
SENTENCE = st.lists(SENTENCE_PARTS, min_size=2, max_size=12).map(lambda parts: "".join(parts) + "。")
# Paragraphs long enough to wrap at least twice: a wrap column is only seen where lines are cut at it.
PARAGRAPH = st.lists(SENTENCE, min_size=3, max_size=6).map("".join).filter(lambda p: len(p) >= 90)


def _hard_wrap(paragraph: str, width: int) -> list[str]:
    return [paragraph[i : i + width] for i in range(0, len(paragraph), width)]


@settings(max_examples=200, deadline=None)
@given(st.lists(PARAGRAPH, min_size=3, max_size=8), st.integers(min_value=24, max_value=40))
# Found by CI: a wrap falling just before a 。 leaves a line that opens with it.
@example(
    [
        "全年全年。全年全年全年地区生产总值完成地区生产总值完成地区生产总值完成98.6亿元。全年全年98.6亿元。"
        "全年全年全年全年全年全年全年98.6亿元98.6亿元全年地区生产总值完成。",
        "全年全年。全年全年。全年全年全年全年全年全年地区生产总值完成地区生产总值完成地区生产总值完成比上年增长。"
        "全年全年全年全年全年全年全年地区生产总值完成地区生产总值完成地区生产总值完成。",
        "全年全年。全年98.6亿元98.6亿元。全年地区生产总值完成98.6亿元。全年全年全年全年全年98.6亿元"
        "地区生产总值完成98.6亿元98.6亿元地区生产总值完成地区生产总值完成。",
    ],
    26,
)
def test_hard_wraps_are_rejoined_and_paragraph_ends_kept(paragraphs: list[str], width: int) -> None:
    from parsers.linebreaks import rejoin_hard_wraps

    wrapped = "\n".join(line for p in paragraphs for line in _hard_wrap(p, width))
    rejoined = rejoin_hard_wraps(wrapped)
    assert rejoined.replace("\n", "") == wrapped.replace("\n", "")  # only line breaks change
    lines = rejoined.split("\n")
    # No sentence stays cut (a wrap that falls right after a 。 may stay: the sentence is whole either way).
    for p in paragraphs:
        for sentence in p.split("。")[:-1]:
            assert any(sentence + "。" in line for line in lines), (sentence, rejoined)
    # A paragraph whose last line is clearly short ends its line: real paragraph ends are never joined.
    ends = [p for p in paragraphs[:-1] if len(_hard_wrap(p, width)[-1]) < 0.8 * width]
    for p in ends:
        assert any(line.endswith(_hard_wrap(p, width)[-1]) for line in lines), (p, rejoined)
