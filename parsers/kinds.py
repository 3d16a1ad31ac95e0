"""The kind of a document — work report, plan report, bulletin, indicator table or news — from its title and opening."""

from __future__ import annotations

from parsers.model import DocKind

# (kind, words in the title that make it so). The first kind whose words match wins.
TITLE_KINDS: tuple[tuple[DocKind, tuple[str, ...]], ...] = (
    ("bulletin", ("统计公报",)),
    ("plan_report", ("计划执行情况", "计划草案", "计划(草案)", "计划（草案）", "社会发展计划的报告")),
    ("work_report", ("政府工作报告", "人民政府工作报告")),
    ("indicator_table", ("主要经济指标", "主要统计指标", "经济指标", "统计月报", "统计快报", "主要指标完成情况")),
)
# Titles about a report rather than the report itself.
NEWS_TITLE_WORDS: tuple[str, ...] = (
    "解读",
    "读懂",
    "图解",
    "一图",
    "聚焦",
    "热议",
    "代表",
    "委员",
    "关键词",
    "看点",
    "亮点",
    "新闻",
    "速览",
    "划重点",
)
# Openings of a report read to a congress: `各位代表：` … `现将…报告如下`.
REPORT_OPENINGS: tuple[str, ...] = ("各位代表", "报告如下", "请予审议", "请予审查")
PLAN_WORDS: tuple[str, ...] = ("计划执行情况", "国民经济和社会发展计划")
BULLETIN_OPENINGS: tuple[str, ...] = ("统计公报", "国民经济和社会发展统计公报")


def document_kind(title: str | None, text: str, table_rows: int = 0) -> DocKind:
    """The kind of a document from its title, else from how its text opens."""
    t = title or ""
    if t and not any(w in t for w in NEWS_TITLE_WORDS):
        for kind, words in TITLE_KINDS:
            if any(w in t for w in words):
                return kind
    head = text[:1500]
    if sum(w in head for w in REPORT_OPENINGS) >= 2 and not t:
        return "plan_report" if any(w in head for w in PLAN_WORDS) else "work_report"
    if any(w in text[:300] for w in BULLETIN_OPENINGS) and not t:
        return "bulletin"
    lines = max(1, text.count("\n") + 1)
    if table_rows >= 5 and table_rows * 3 >= lines:
        return "indicator_table"
    return "news"
