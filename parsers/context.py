"""Where a figure stands in its document: the year, period and basis its section, paragraph and sentence give it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from parsers.model import Basis

# Section headings that set the basis of what follows them (data, not code).
TARGET_HEADING_WORDS: tuple[str, ...] = ("目标", "任务", "报告摘登", "工作安排", "重点工作", "预期", "计划安排")
REVIEW_HEADING_WORDS: tuple[str, ...] = (
    "成就",
    "回顾",
    "执行情况",
    "完成情况",
    "进展情况",
    "成效",
    "成绩",
    "回望",
    "回眸",
    "统计公报",
)
# Words in a sentence that make the figures after them targets or estimates.
TARGET_SENTENCE_WORDS: tuple[str, ...] = (
    "预期目标",
    "主要目标",
    "目标是",
    "目标为",
    "目标:",
    "目标：",
    "力争",
    "计划完成",
    "计划实现",
    "确保完成",
    "确保实现",
    "确保",
    "预期增长",
)
ESTIMATE_WORDS: tuple[str, ...] = ("预计",)
# A sentence about several years, or a future horizon, yields no annual figure.
MULTI_YEAR_WORDS: tuple[str, ...] = (
    "年均",
    "十三五",
    "十四五",
    "十五五",
    "十二五",
    "五年来",
    "过去五年",
    "五年间",
    "五年累计",
    "累计五年",
)
# Relative years: word → offset from the publication year. Not when followed by 同期/同比 (comparisons).
RELATIVE_YEARS: dict[str, int] = {"今年": 0, "本年": 0, "全年": 0, "去年": -1, "过去一年": -1, "一年来": -1, "明年": 1}

# Year-to-date periods: the words and the month they run through.
YTD_MONTHS: dict[str, int] = {
    "一季度": 3,
    "第一季度": 3,
    "上半年": 6,
    "前三季度": 9,
    "三季度末": 9,
    "前两个月": 2,
    "二季度": 6,
    "1季度": 3,
}
# Every year-to-date phrase holds one of these (checked below): where none is, YTD_RE need not run.
_YTD_HINTS = ("月", "季度", "半年")
assert all(any(h in w for h in _YTD_HINTS) for w in YTD_MONTHS), "a YTD word without a hint"
_YTD_WORDS = "|".join(sorted(map(re.escape, YTD_MONTHS), key=len, reverse=True))
YTD_RE = re.compile(
    rf"(?:(?P<y>20\d\d)年)?(?:(?P<w>{_YTD_WORDS})|1\s*[-—~至到–]\s*(?P<m>1[0-2]|[2-9])\s*月(?:份)?(?:累计)?|截至(?:20\d\d年)?(?P<m2>1[0-2]|[1-9])月(?:底|末))"
)
# A year that is a period; not a date (`2026年3月31日`), a range start, `以来`, or a plan's name.
YEAR_RE = re.compile(r"(?<![\d\-—~至到])(?P<y>(?:19|20)\d\d)\s*年(?!\s*[-—~至到]|以来|起|度?计划投资|\s*\d{1,2}\s*月)")
RELATIVE_RE = re.compile("(?P<w>" + "|".join(RELATIVE_YEARS) + ")(?!同期|同比|以来)")
# `提高到2025年的7.4万元`: the year of the level named after the indicator.
LEVEL_YEAR_RE = re.compile(r"(?:到|至)((?:19|20)\d\d)年的")
HORIZON_RE = re.compile(r"到(?:20\d\d)年|(?:20\d\d)\s*[-—~至到–]\s*(?:20\d\d)年")
# A year after these is a comparison base, an event date or inside a title, not the figure's year.
_NOT_A_PERIOD_BEFORE = ("比", "较", "与", "于", "从", "由", "至", "《", "到")

_SENTENCE_END = "。！？!?"
_HEADING_MAX = 40


@dataclass(frozen=True, slots=True)
class Scope:
    """What a heading or paragraph says about the figures under it."""

    year: int | None = None
    basis: Basis | None = None
    ytd_month: int | None = None


def is_heading(line: str) -> bool:
    """A short line that names a section rather than saying something."""
    s = line.strip()
    if not s or len(s) > _HEADING_MAX:
        return s.startswith("【") and len(s) <= 2 * _HEADING_MAX
    return s[-1] not in _SENTENCE_END + "；;，," and "%" not in s


def heading_scope(line: str, published: date | None) -> Scope | None:
    """The scope a heading sets, or None when it says nothing about year or basis."""
    year = first_year(line, published)
    ytd = YTD_RE.search(line)
    basis: Basis | None = None
    # Review words win: `重点工作进展情况` reports on the plan, it does not set it.
    if any(w in line for w in REVIEW_HEADING_WORDS):
        basis = "actual"
    elif any(w in line for w in TARGET_HEADING_WORDS):
        basis = "target"
    month = ytd_month(ytd) if ytd else None
    if year is None and basis is None and month is None:
        return None
    if ytd and ytd.group("y"):
        year = int(ytd.group("y"))
    return Scope(year, basis, month)


def paragraph_year(paragraph: str, published: date | None) -> int | None:
    """The year a paragraph opens with (`2022年，…`, `回望2023年，…`, `过去一年，…`), if any."""
    head = paragraph.lstrip()[:12]
    return first_year(head, published)


def first_year(text: str, published: date | None) -> int | None:
    """The first year named in text that is a period (not a comparison base or a date in a title)."""
    best: tuple[int, int] | None = None
    for m in YEAR_RE.finditer(text):
        if not _is_base(text, m.start()):
            best = (m.start(), int(m.group("y")))
            break
    if published is not None:
        for r in RELATIVE_RE.finditer(text):
            if r.group("w") == "全年":
                continue
            if best is None or r.start() < best[0]:
                best = (r.start(), published.year + RELATIVE_YEARS[r.group("w")])
            break
    return best[1] if best else None


def last_year_before(text: str, end: int, published: date | None) -> int | None:
    """The year named nearest before `end` in text, if any."""
    if published is not None:
        relative = [r for r in RELATIVE_RE.finditer(text, 0, end) if r.group("w") != "全年"]
        if relative:  # a relative year (今年, 去年) outranks a written one
            return published.year + RELATIVE_YEARS[relative[-1].group("w")]
    # The nearest year that is not a comparison base: looked for from the end, in a near window first (a
    # figure-dense sentence names dozens, and only the last one that counts matters).
    for low in _windows(end):
        for m in reversed(list(YEAR_RE.finditer(text, low, end))):
            if not _is_base(text, m.start()):
                return int(m.group("y"))
    return None


NEAR = 120  # characters before a position searched first for the nearest period word


def _windows(end: int) -> tuple[int, ...]:
    """Where to start looking back from `end`: near it first, then from the text's start."""
    return (end - NEAR, 0) if end > NEAR else (0,)


TITLE_REACH = 200  # characters looked back for an open 《 around a year


def _is_base(text: str, start: int) -> bool:
    before = text[max(0, start - 2) : start]
    if any(before.endswith(w) for w in _NOT_A_PERIOD_BEFORE):
        return True
    # Inside a title such as 《…(2021-2035年)》 (titles are short: the look back is bounded).
    low = max(0, start - TITLE_REACH)
    return text.rfind("《", low, start) > text.rfind("》", low, start)


def ytd_month(m: re.Match[str]) -> int:
    """The month a year-to-date match of YTD_RE runs through (`前三季度` → 9, `1-10月` → 10)."""
    if m.group("w"):
        return YTD_MONTHS[m.group("w")]
    return int(m.group("m") or m.group("m2"))


def period_label(year: int, month: int | None) -> str:
    """The contract's period: `2025` for a whole year, `2025-09` through September; `1-12月` is the whole year."""
    return f"{year}-{month:02d}" if month and month < 12 else str(year)


def ytd_before(text: str, end: int) -> tuple[int | None, int] | None:
    """The year-to-date period named nearest before `end` as (year or None, month), if any."""
    for low in _windows(end):
        window = text[low:end]
        if not any(hint in window for hint in _YTD_HINTS):
            continue  # every year-to-date phrase holds one of these: the regex need not run
        matches = list(YTD_RE.finditer(text, low, end))
        if matches:
            m = matches[-1]
            return (int(m.group("y")) if m.group("y") else None, ytd_month(m))
    return None


def default_year(published: date, basis: Basis, ytd_month: int | None) -> int:
    """The period year a figure has when its text names none, from when the document was published."""
    if ytd_month is not None:
        return published.year if ytd_month < published.month else published.year - 1
    if basis == "target":
        return published.year + (1 if published.month >= 11 else 0)
    if basis == "estimate":
        return published.year if published.month >= 7 else published.year - 1
    return published.year - 1


def basis_for_year(year: int, published: date | None, ytd: bool) -> Basis | None:
    """The basis a year implies: a whole year not yet over when published is a target (or an estimate late in it)."""
    if published is None or ytd or year < published.year:
        return None
    if year > published.year:
        return "target"
    return "estimate" if published.month >= 11 else "target"
