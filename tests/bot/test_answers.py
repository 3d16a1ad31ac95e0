"""The bot's answers against a real SQLite store filled with parsed seed documents (and a few hostile ones)."""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bot.chat.answers import Answers
from bot.chat.format import (
    BASIS_CN,
    KIND_CN,
    Reply,
    fit_lines,
    fmt_figure,
    fmt_growth,
    fmt_period,
    fmt_value,
    indicator_name,
    telegram_length,
)
from parsers.document import parse_document
from storage import NewDocument, SourceState, Store
from tests.storage.builders import save

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
ADMIN = 7
HOSTILE_TITLE = "古交市2024年国民经济和社会发展统计公报&附件<script>alert(1)</script>的报告"
HOSTILE_TEXT = (
    "2024年，全市地区生产总值完成93.5亿元，同比增长2.1%；固定资产投资完成33.6亿元，增长5.2%。"
    "详见附件<script>alert(1)</script>&nbsp;说明。" * 3
)
JIAOCHENG_2025 = "2025年，全县地区生产总值完成110.2亿元，增长3.5%。城镇居民人均可支配收入30500元，增长3.2%。" * 3


def _save(store: Store, url: str, text: str, title: str | None = None, published: date | None = None) -> None:
    """Parse a text as the monitor would and store it with its figures."""
    parsed = parse_document(text, title=title, published=published)
    day = published or (date.fromisoformat(parsed.published) if parsed.published else None)
    doc = NewDocument(
        url, "测试源", title or parsed.title, day, parsed.kind, parsed.region, parsed.region_code, parsed.text
    )
    save(store, doc, parsed.figures)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The five seeds, a 古交 2024 bulletin with a hostile title, a 交城 2025 bulletin."""
    opened = Store.open(f"sqlite:///{tmp_path_factory.mktemp('answers') / 'govwatch.db'}")
    for i, path in enumerate(sorted(SEEDS.glob("0*.txt"))):
        _save(opened, f"https://www.example.gov.cn/seed/{i}.html", path.read_text(encoding="utf-8"))
    _save(opened, 'https://tjj.example.gov.cn/a?id=1&x="2"', HOSTILE_TEXT, HOSTILE_TITLE, date(2025, 3, 20))
    _save(opened, "https://jc.example.gov.cn/2025.html", JIAOCHENG_2025, "交城县2025年统计公报", date(2026, 3, 10))
    opened.save_source(
        SourceState(
            "古交市人民政府<官网>",
            "https://www.sxgj.gov.cn/",
            "list",
            "古交市",
            last_status="blocked",
            consecutive_failures=4,
            last_error="HTTP 412 <html>&$_ts",
            blocked=True,
        )
    )
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def answers(store: Store) -> Answers:
    """Answers with one admin."""
    return Answers(store, admins=frozenset({ADMIN}))


# --- a checker for Telegram HTML ----------------------------------------------------------------------------

ALLOWED_TAGS = {"b", "i", "u", "s", "a", "code", "pre", "blockquote"}
TOKEN = re.compile(r"<(/?)([a-z-]+)((?:\s+[a-z]+=\"[^\"<>]*\")*)\s*>|([<>])|(&[^;\s]*;?)")
ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);")


def check_html(html: str) -> None:
    """Only Telegram's tags, balanced and not interleaved; no stray `<`, `>`; every `&` a well-formed entity."""
    stack: list[str] = []
    for m in TOKEN.finditer(html):
        closing, tag, attrs, stray, entity = m.groups()
        assert stray is None, f"stray {stray!r} at {m.start()} in {html!r}"
        if entity is not None:
            assert ENTITY.fullmatch(entity), f"bad entity {entity!r} in {html!r}"
            continue
        assert tag in ALLOWED_TAGS, f"tag {tag!r} not allowed in {html!r}"
        if closing:
            assert stack and stack.pop() == tag, f"unbalanced </{tag}> in {html!r}"
            continue
        assert (tag == "a") == bool(attrs.strip()), f"attributes on <{tag}> in {html!r}"
        for value in re.findall(r'"([^"]*)"', attrs):
            assert all(ENTITY.match(value, i) for i in range(len(value)) if value[i] == "&"), value
        stack.append(tag)
    assert not stack, f"unclosed {stack} in {html!r}"


def check_reply(reply: Reply) -> None:
    """Valid HTML within Telegram's limits, buttons' data within 64 bytes."""
    check_html(reply.html)
    assert telegram_length(reply.html) <= (1024 if reply.photo else 4096)
    for row in reply.buttons:
        for button in row:
            assert (button.url is None) != (button.callback_data is None)
            assert button.callback_data is None or 1 <= len(button.callback_data.encode()) <= 64


def ask(answers: Answers, text: str, chat_id: int = 1, user_id: int | None = None) -> list[Reply]:
    """The replies to a message, each checked."""
    replies = answers.answer(text, chat_id, user_id)
    for reply in replies:
        check_reply(reply)
    return replies


def plain(answers: Answers, text: str, chat_id: int = 1, user_id: int | None = None) -> str:
    """The replies as one plain text."""
    return "\n\n".join(r.plain_text() for r in ask(answers, text, chat_id, user_id))


def test_the_checker_rejects_broken_html() -> None:
    for bad in ("<b>x", "a < b", "x & y", "<script>x</script>", "<b><i>x</b></i>", "&nbsp;"):
        with pytest.raises(AssertionError):
            check_html(bad)
    check_html('<b>x</b> &lt;&amp;&gt; <a href="https://a/?b=1&amp;c=&quot;2&quot;">原文</a>')


# --- commands: text → what must and must not appear -----------------------------------------------------------

CASES: list[tuple[str, list[str], list[str]]] = [
    (
        "/gdp 古交",
        [
            "古交市 · 地区生产总值",
            "2025年（预计）：95亿元，同比增长1%",
            "原文 (https://www.example.gov.cn/seed/3.html)",
            "2026-01-04",
            "历年",
            "2024年：93.5亿元，同比增长2.1%（实际）",
            "最新目标：2026年 增长5%左右",
        ],
        ["None", "nan"],
    ),
    (
        "/gdp@govwatch_bot 古交 2024",
        ["古交市 · 地区生产总值 · 2024年", "2024年（实际）：93.5亿元，同比增长2.1%", "2025-03-20"],
        ["2025年（预计）"],
    ),
    ("/gdp 古交市 2025", ["2025年（预计）：95亿元"], ["2024年（实际）"]),
    ("/gdp 140181", ["古交市 · 地区生产总值"], []),
    (
        "/gdp 交城县",
        [
            "交城县 · 地区生产总值",
            "2025年（实际）：110.2亿元，同比增长3.5%",
            "2023年：106.62亿元，同比增长2.6%（实际）",
        ],
        [],
    ),
    (
        "/gdp 古交 2019",
        ["暂无古交市的2019年地区生产总值数据", "已有年份：2026、2025、2024", "/latest 古交市", "/sources"],
        [],
    ),
    ("/gdp 吕梁", ["暂无吕梁市的地区生产总值数据", "/latest 吕梁市"], []),
    (
        "/data 古交",
        [
            "古交市 · 2025年主要指标",
            "城镇居民人均可支配收入：45,033元，同比增长3.9%（预计）",
            "粮食总产量：1.61万吨以上（实际）",
            "城镇新增就业：3,578人（实际）",
            "第三产业增加值：40亿元，同比持平（预计）",
            "固定资产投资：19.7亿元，同比下降41.5%（预计）",
            "出处：",
        ],
        ["（目标）"],
    ),
    (
        "/data 古交 2023",
        ["古交市 · 2023年主要指标", "固定资产投资（2023年1-6月）：12.16亿元，同比增长11.4%（实际）"],
        [],
    ),
    ("/data 交城 2023", ["交城县 · 2023年主要指标", "农村居民人均可支配收入：15,149元，同比增长8%（实际）"], []),
    ("/data 吕梁", ["暂无吕梁市的主要指标数据"], []),
    (
        "/targets 古交",
        ["古交市 · 2026年预期目标", "一般公共预算收入：增长20%左右", "规模以上工业增加值：增长6%左右"],
        ["同比"],
    ),
    ("/targets 交城", ["暂无交城县的预期目标数据"], []),
    (
        "/compare 古交 交城",
        ["地区生产总值对比 · 2025年", "古交市：95亿元，同比增长1%（预计）", "交城县：110.2亿元，同比增长3.5%（实际）"],
        ["各地最新"],
    ),
    ("/compare 古交 交城 固投", ["固定资产投资对比", "古交市：2025年 19.7亿元", "交城县：2023年 49.81亿元"], []),
    ("/compare 古交 吕梁", ["古交市：2025年 95亿元", "吕梁市：暂无数据"], []),
    (
        "/latest",
        [
            "最新文件 · 全部地区",
            "交城县2025年统计公报",
            "统计公报 · 交城县 · 2026-03-10 · 2项数据",
            "计划执行情况报告 · 古交市 · 2026-01-04 · 19项数据",
        ],
        [],
    ),
    ("/latest 交城", ["最新文件 · 交城县", "交城县2025年统计公报"], ["古交市"]),
    ("/latest 吕梁", ["还没有收录吕梁市的文件"], []),
    ("/search 煤层气", ["搜索“煤层气”", "条结果", "煤层气增产技术"], []),
    ("/search 火星基地", ["没有找到包含“火星基地”的报告"], []),
    (
        "/sources",
        ["数据源", "古交市人民政府<官网>", "被拦截", "连续失败：4次", "被网站拦截", "最近错误：HTTP 412 <html>&$_ts"],
        [],
    ),
    (
        "/help",
        [
            "/gdp <地区> [年份]",
            "例：/gdp 古交",
            "/compare <地区> <地区> [指标]",
            "/search <词>",
            "/subscribe <地区|全部>",
            "/sources",
            "/status",
            "古交GDP",
        ],
        [],
    ),
    ("/start", ["你好", "/help"], ["已订阅"]),
    ("/frobnicate 古交", ["没有这个命令：/frobnicate", "/help"], []),
    ("今天天气怎么样", ["没太看懂", "/help"], []),
    ("交城 固定资产投资", ["交城县 · 固定资产投资", "2023年（实际）：49.81亿元，同比增长24.8%"], ["地区生产总值"]),
    ("太原的社会消费品零售总额", ["暂无太原市的社会消费品零售总额数据"], []),
    ("古交 2024 gdp", ["古交市 · 地区生产总值 · 2024年", "93.5亿元"], []),
    (
        "古交固投",
        ["古交市 · 固定资产投资", "2025年（预计）：19.7亿元，同比下降41.5%", "最新目标：2026年 增长6%左右"],
        [],
    ),
    ("古交社零", ["古交市 · 社会消费品零售总额", "37.1亿元"], []),
    ("古交财政收入", ["古交市 · 一般公共预算收入", "16.8亿元，同比下降19.2%"], []),
    ("古交工业增加值", ["古交市 · 规模以上工业增加值", "33.23亿元"], []),
    ("古交收入", ["城镇居民人均可支配收入", "农村居民人均可支配收入", "24,850元"], []),
    ("古交和交城对比", ["地区生产总值对比 · 2025年"], []),
    ("古交2026年目标", ["古交市 · 2026年预期目标"], []),
    ("古交最新", ["最新文件 · 古交市"], []),
]


@pytest.mark.parametrize(("text", "present", "absent"), CASES, ids=[c[0] for c in CASES])
def test_command(answers: Answers, text: str, present: list[str], absent: list[str]) -> None:
    out = plain(answers, text)
    for snippet in present:
        assert snippet in out, f"{snippet!r} missing from:\n{out}"
    for snippet in absent:
        assert snippet not in out, f"{snippet!r} present in:\n{out}"


@pytest.mark.parametrize(
    "text", ["古交GDP", "古交gdp", "古交 GDP", "古交市的地区生产总值", "/gdp@GovWatch_Bot 古交", "/GDP 古交"]
)
def test_free_text_is_the_command(answers: Answers, text: str) -> None:
    assert ask(answers, text) == ask(answers, "/gdp 古交")


def test_gdp_reply_links_the_report_and_offers_a_chart(answers: Answers) -> None:
    reply = ask(answers, "/gdp 古交")[0]
    assert '<a href="https://www.example.gov.cn/seed/3.html">原文</a>' in reply.html
    data = [b.callback_data for row in reply.buttons for b in row]
    assert data == ["chart:140181:gdp", "sub:140181"]
    assert answers.answer_callback("chart:140181:gdp", 1)[0].photo is not None


def test_a_command_for_another_bot_is_left_alone(answers: Answers) -> None:
    assert answers.answer("/gdp@other_bot 古交", 1) == []


# --- regions: unknown, ambiguous, missing ---------------------------------------------------------------------


def test_unknown_region_suggests_as_text_and_buttons(answers: Answers) -> None:
    reply = ask(answers, "/gdp 古交x 2024")[0]
    assert "没有找到地区“古交x”" in reply.plain_text()
    assert "古交市" in reply.plain_text()
    first = reply.buttons[0][0]
    assert (first.text, first.callback_data) == ("古交市", "gdp:140181:2024")
    assert answers.answer_callback(first.callback_data or "", 1) == answers.answer("/gdp 古交 2024", 1)


def test_unknown_region_without_candidates_explains_the_forms(answers: Answers) -> None:
    reply = ask(answers, "/data 乌托邦")[0]
    assert "没有找到地区“乌托邦”" in reply.plain_text()
    assert "古交、古交市、交城县" in reply.plain_text()
    assert reply.buttons == ()


def test_compare_suggestions_keep_the_other_region(answers: Answers) -> None:
    reply = ask(answers, "/compare 古交 交城x 固投")[0]
    data = [b.callback_data for row in reply.buttons for b in row]
    assert "compare:140181:141122:fai" in data


def test_ambiguous_region_lists_the_candidates(answers: Answers) -> None:
    reply = ask(answers, "/gdp 城区")[0]
    text = reply.plain_text()
    assert "“城区”可能指" in text
    assert "阳泉市城区" in text and "晋城市城区" in text and "汕尾市城区" in text
    assert {b.callback_data for row in reply.buttons for b in row} == {"gdp:140302", "gdp:140502", "gdp:441502"}


def test_unknown_region_suggests_the_nearest_names_across_china(answers: Answers) -> None:
    reply = ask(answers, "/gdp 海定区")[0]
    assert "没有找到地区“海定区”" in reply.plain_text()
    data = [b.callback_data for row in reply.buttons for b in row]
    assert data[0] == "gdp:110108"  # 海淀区, Beijing


@pytest.mark.parametrize(
    ("text", "usage"),
    [
        ("/gdp", "用法：/gdp <地区> [年份]"),
        ("/data", "用法：/data <地区> [年份]"),
        ("/compare 古交", "用法：/compare <地区> <地区> [指标]"),
        ("/targets", "用法：/targets <地区> [年份]"),
        ("/chart", "用法：/chart <地区> [指标]"),
        ("/search", "用法：/search <词>"),
        ("/subscribe", "用法：/subscribe <地区|全部>"),
        ("/unsubscribe", "用法：/unsubscribe <地区|全部>"),
        ("固投", "用法：/gdp <地区> [年份]"),
    ],
)
def test_missing_argument_gets_the_usage_with_an_example(answers: Answers, text: str, usage: str) -> None:
    out = plain(answers, text)
    assert usage in out
    assert "例如：/" in out


# --- escaping --------------------------------------------------------------------------------------------------


def test_hostile_stored_title_is_escaped_everywhere(answers: Answers) -> None:
    for text in ("/gdp 古交 2024", "/latest 古交", "/search 附件", "/data 古交 2024", "/gdp 古交"):
        for reply in ask(answers, text):
            assert "<script>" not in reply.html
    latest = ask(answers, "/latest 古交")[0]
    assert "&amp;附件&lt;script&gt;alert(1)&lt;/script&gt;" in latest.html
    assert HOSTILE_TITLE in latest.plain_text()
    assert 'href="https://tjj.example.gov.cn/a?id=1&amp;x=&quot;2&quot;"' in latest.html


def test_search_snippet_is_escaped_and_marks_the_match(answers: Answers) -> None:
    reply = ask(answers, "/search <script>")[0]
    assert "<b>&lt;script&gt;</b>" in reply.html
    assert "alert(1)" in reply.plain_text()


@pytest.mark.parametrize(
    "text", ["/gdp <b>&amp;</b>", "/gdp <script>&", "/frob<x>", "/search <i>无此词&", "/compare 古交 <a href=x>"]
)
def test_user_input_is_escaped(answers: Answers, text: str) -> None:
    for reply in ask(answers, text):
        assert "<script>" not in reply.html and "<x>" not in reply.html and "<a href=x>" not in reply.html


def test_echoed_input_is_capped(answers: Answers) -> None:
    long = "古" + "火" * 300
    out = plain(answers, f"/gdp {long}")
    assert "火" * 48 + "…" in out
    assert "火" * 60 not in out


# --- subscriptions, deep links, admins ------------------------------------------------------------------------


def test_subscribe_unsubscribe_and_list(answers: Answers, store: Store) -> None:
    chat = 1001
    assert "已订阅古交市" in plain(answers, "/subscribe 古交", chat)
    assert "已经订阅了古交市" in plain(answers, "/subscribe 古交市", chat)
    assert "已订阅太原市（含下辖地区）" in plain(answers, "/subscribe 太原", chat)
    assert "已订阅全部地区" in plain(answers, "/subscribe 全部", chat)
    assert store.subscriptions(chat) == [None, "140100", "140181"]
    listing = ask(answers, "/subscriptions", chat)[0]
    assert re.findall(r"• (\S+)", listing.plain_text()) == ["全部地区", "太原市", "古交市"]
    assert [row[0].callback_data for row in listing.buttons] == ["unsub:all", "unsub:140100", "unsub:140181"]
    assert "已取消订阅全部地区" in answers.answer_callback("unsub:all", chat)[0].plain_text()
    assert "已取消订阅古交市" in plain(answers, "取消订阅古交", chat)
    assert "没有订阅古交市" in plain(answers, "/unsubscribe 古交", chat)
    assert store.subscriptions(chat) == ["140100"]


def test_no_subscriptions_says_how(answers: Answers) -> None:
    assert "/subscribe 古交" in plain(answers, "/subscriptions", 1002)


def test_start_deep_link_subscribes(answers: Answers, store: Store) -> None:
    replies = ask(answers, "/start sub_140181", 1003)
    assert len(replies) == 2
    assert "已订阅古交市" in replies[1].plain_text()
    assert store.subscriptions(1003) == ["140181"]


def test_start_with_a_bad_payload_is_only_the_welcome(answers: Answers, store: Store) -> None:
    assert len(ask(answers, "/start nonsense", 1004)) == 1
    assert store.subscriptions(1004) == []


def test_status_is_for_admins_only(answers: Answers) -> None:
    refused = plain(answers, "/status", 5, user_id=ADMIN + 1)
    assert "仅供管理员" in refused and "文档" not in refused
    assert "仅供管理员" in plain(answers, "/status", 5, user_id=None)
    shown = plain(answers, "/status", 5, user_id=ADMIN)
    assert "运行状态" in shown and "文档：7" in shown and "待发送：0" in shown


# --- charts ------------------------------------------------------------------------------------------------------


def test_chart_is_a_png_without_missing_glyphs(answers: Answers, caplog: pytest.LogCaptureFixture) -> None:
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.DEBUG, "matplotlib"):
        warnings.simplefilter("always")
        replies = ask(answers, "/chart 古交")
    reply = replies[0]
    assert reply.photo is not None and reply.photo.startswith(b"\x89PNG")
    assert "古交市 地区生产总值" in reply.plain_text() and "2024年—2025年" in reply.plain_text()
    assert not [w for w in caught if "Glyph" in str(w.message) or "font" in str(w.message).lower()]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_chart_without_data_is_text(answers: Answers) -> None:
    reply = ask(answers, "/chart 吕梁")[0]
    assert reply.photo is None and "暂无吕梁市的地区生产总值数据" in reply.plain_text()


# --- limits and formatting ---------------------------------------------------------------------------------------


def test_long_lists_are_cut_to_fit(tmp_path: Path) -> None:
    many = Store.open(f"sqlite:///{tmp_path / 'many.db'}")
    try:
        for i in range(300):
            many.upsert_source(f"数据源{i:03d}&<很长的名字>", f"https://s{i}.example.gov.cn/", "list", None)
        reply = ask(Answers(many), "/sources")[0]
        assert "…（另有" in reply.plain_text()
    finally:
        many.close()


def test_fit_lines_keeps_the_tail() -> None:
    text = fit_lines([f"行{i}" * 50 for i in range(200)], tail=["出处：结尾"])
    assert telegram_length(text) <= 4000 and text.endswith("出处：结尾")


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (95.0, "亿元", "95亿元"),
        (45033.0, "元", "45,033元"),
        (1.6075, "万吨", "1.61万吨"),
        (3578.0, "人", "3,578人"),
        (None, "亿元", ""),
    ],
)
def test_fmt_value(value: float | None, unit: str, expected: str) -> None:
    assert fmt_value(value, unit) == expected


@pytest.mark.parametrize(
    ("yoy", "expected"), [(1.0, "增长1%"), (-41.5, "下降41.5%"), (0.0, "持平"), (3.79, "增长3.79%"), (None, "")]
)
def test_fmt_growth(yoy: float | None, expected: str) -> None:
    assert fmt_growth(yoy) == expected


def test_figure_and_period_wording() -> None:
    assert fmt_figure(None, "亿元", 5.0, "左右", "target") == "增长5%左右"
    assert fmt_figure(None, "亿元", 4.5, "区间4.5-5", "target") == "增长4.5%—5%"
    assert fmt_figure(95.0, "亿元", 1.0, None, "estimate") == "95亿元，同比增长1%"
    assert fmt_figure(1.6075, "万吨", None, "以上", "actual") == "1.61万吨以上"
    assert (fmt_period("2025"), fmt_period("2025-09"), fmt_period("2025-01")) == ("2025年", "2025年1-9月", "2025年1月")
    assert BASIS_CN == {"actual": "实际", "estimate": "预计", "target": "目标"}
    assert KIND_CN["plan_report"] == "计划执行情况报告" and indicator_name("gdp") == "地区生产总值"


def test_plain_text_shows_links_and_buttons() -> None:
    reply = Reply('<b>甲&amp;乙</b> <a href="https://x/?a=1&amp;b=2">原文</a>', buttons=())
    assert reply.plain_text() == "甲&乙 原文 (https://x/?a=1&b=2)"
