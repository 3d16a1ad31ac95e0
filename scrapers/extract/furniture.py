"""Extracted text → clean text: table rows as tab-separated lines, page furniture lines removed."""

from __future__ import annotations

import re

# Short lines carrying one of these are site furniture (breadcrumbs, share/print widgets, copyright,
# licence numbers), not article text.
FURNITURE_PATTERNS: tuple[str, ...] = (
    r"当前位置|您的位置|您现在的位置|所在位置",
    r"上一篇|下一篇|上一条|下一条",
    r"分享到|分享至|扫一扫|扫码关注|扫码阅读",
    r"打印本页|打印本稿|打印此文|打印文章|【\s*打印\s*】",
    r"关闭窗口|关闭本页|【\s*关闭\s*】",
    r"返回顶部|回到顶部|加入收藏|设为首页|网站地图|联系我们",
    r"字号\s*[:：]?\s*【?\s*[大中小]|【\s*大\s*中\s*小\s*】",
    r"ICP\s*[备证]|公网安备|网安备|经营许可证",
    r"版权所有|copyright|©|all rights reserved",
    r"未经.{0,20}(授权|许可)|禁止.{0,6}转载|不得转载|侵权必究|违者.{0,6}追究",
    r"责任编辑",
    r"浏览次数|阅读次数|点击数|访问量|【\s*纠错\s*】",
)
FURNITURE_MAX_CHARS = 100
_FURNITURE = re.compile("|".join(f"(?:{p})" for p in FURNITURE_PATTERNS), re.IGNORECASE)

# A short line that labels a source or time and holds a date is the article's byline block
# (`来源：太原晚报 2021-11-25 16:26:07`); the date is read from the page separately.
# A bare 时间： is left alone: 报名时间：… in a notice is content.
_META_LABEL = re.compile(r"(来源|作者|发布时间|发布日期|更新时间|浏览|点击)\s*[:：]")
_DATE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")

# Headings that open what follows an article: related links, comments, legal notices. From such a
# heading on, everything is cut — when enough text precedes it to be the article.
TAIL_MARKERS: tuple[str, ...] = (
    "相关文章", "相关新闻", "相关报道", "相关阅读", "相关链接", "相关专题", "相关稿件",
    "推荐阅读", "热点推荐", "热门推荐", "热点新闻", "最新评论", "网友评论", "我要评论", "发表评论",
    "反侵权公告", "版权声明", "免责声明", "版权与免责声明",
)  # fmt: skip
TAIL_MARKER_MAX_CHARS = 30
# The share of the text that must come before a tail marker for the cut to be safe.
TAIL_MIN_SHARE = 1 / 3
_TAIL = re.compile(r"^[\s·•【\[(（-]*(?:\S{0,10}?)(?:" + "|".join(TAIL_MARKERS) + ")")

# trafilatura writes table rows as Markdown: `| a | b | `, with a `|---|` rule after the head.
_MD_ROW = re.compile(r"^\|\s(.*?)\s?\|\s*$")
_MD_RULE = re.compile(r"^\|(?:\s*:?-{3,}:?\s*\|)+\s*$")
_MD_CELL_SPLIT = re.compile(r"\s\|\s")  # a bar escaped inside a cell (`\|`) has its backslash before it
TABLE_CELL_SEPARATOR = "\t"


def table_rows_to_tabs(text: str) -> str:
    """Rewrite Markdown table rows as lines of tab-separated cells; drop the header rules."""
    lines: list[str] = []
    for line in text.split("\n"):
        if _MD_RULE.match(line):
            continue
        row = _MD_ROW.match(line)
        if row:
            cells = [c.replace("\\|", "|").strip() for c in _MD_CELL_SPLIT.split(f" {row.group(1)} ")]
            # Empty cells stay (as empty fields) so that columns keep their places.
            line = _row_line(cells)
            if not line:
                continue
        lines.append(line)
    return "\n".join(lines)


def _row_line(row: list[str]) -> str:
    return TABLE_CELL_SEPARATOR.join(row).strip(TABLE_CELL_SEPARATOR)


def regroup_table_cells(text: str, tables: list[list[list[str]]]) -> str:
    """Put table cells that the extractor set one per line (its fallbacks do) back into rows."""
    lines = text.split("\n")
    for rows in tables:
        cells = [cell for row in rows for cell in row if cell]
        width = len(cells)
        if width < 2:
            continue
        keys = [" ".join(line.split()) for line in lines]
        for start in range(len(keys) - width + 1):
            if keys[start] == cells[0] and keys[start : start + width] == cells:
                lines[start : start + width] = [_row_line(row) for row in rows]
                break
    return "\n".join(lines)


def is_furniture(line: str) -> bool:
    """A short line that is site furniture or the byline/date block."""
    s = line.strip()
    if not s or len(s) > FURNITURE_MAX_CHARS:
        return False
    return bool(_FURNITURE.search(s) or (_META_LABEL.search(s) and _DATE.search(s)))


def _is_tail_marker(line: str) -> bool:
    s = line.strip()
    return len(s) <= TAIL_MARKER_MAX_CHARS and bool(_TAIL.match(s))


def strip_furniture(text: str) -> str:
    """Drop furniture lines and everything from a trailing 相关新闻/版权声明-style heading on."""
    lines = text.split("\n")
    total = sum(len(line.strip()) for line in lines)
    kept: list[str] = []
    seen = 0
    for line in lines:
        if _is_tail_marker(line):
            if seen >= total * TAIL_MIN_SHARE:
                break
            continue
        seen += len(line.strip())
        if not is_furniture(line):
            kept.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def clean_text(text: str, tables: list[list[list[str]]] | None = None) -> str:
    """Extractor output → article text: tab-separated table rows, no furniture lines."""
    return strip_furniture(regroup_table_cells(table_rows_to_tabs(text), tables or []))
