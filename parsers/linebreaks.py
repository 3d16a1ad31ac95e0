"""Undo PDF line layout: drop page furniture, rejoin lines broken inside a sentence or a number."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable

PAGE_BREAK = "\x0c"

# A line ending in one of these ends a sentence, a clause that stands alone, or a quotation.
SENTENCE_ENDS = frozenset("。！？；：…!?;:”’」』）)】》〉]")

# Lines that open a heading or a list item: never glued to the line before, and when short
# (not a full line of text) never glued to the line after.
HEADING_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r"^[一二三四五六七八九十百]+[、.．]",  # 一、总体情况
        r"^[（(][一二三四五六七八九十百]+[）)]",  # （一）
        r"^[（(]\d{1,2}[）)]",  # (1)
        r"^\d{1,2}[、]",  # 1、
        r"^\d{1,2}[.．](?!\d)",  # 1. but not 1.5
        r"^第[一二三四五六七八九十百零〇\d]+[章节条部分篇]",  # 第一章, 第3条
        r"^[①-⑳]",
        r"^[•●◆◇■□▲►\-–—*]\s",  # bullets
        r"^(附件|附表|注)\d*[:：]?",
    )
)

# Page numbers printed on their own line. The decorated forms are page numbers wherever they stand;
# a bare number is one only as the first or last line of a page (elsewhere it is a table cell).
PAGE_NUMBER_ANYWHERE: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^[-—–－]\s*\d{1,4}\s*[-—–－]$",  # - 3 -, — 3 —
        r"^第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$",  # 第3页 共20页
        r"^(page|p\.)\s*\d{1,4}(\s*(of|/)\s*\d{1,4})?$",
    )
)
PAGE_NUMBER_AT_EDGE: tuple[re.Pattern[str], ...] = (
    re.compile(r"^\d{1,4}$"),
    re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$"),
)

# A line narrower than this share of a typical full line ended early: a paragraph's last line,
# a title or a table cell, not a line broken by the page width.
SHORT_LINE_RATIO = 0.5
# A line at least this share of a typical line fills it (a heading that does is a wrapped list item).
FULL_LINE_RATIO = 0.8
# Without enough lines to know a full line, a heading this wide or narrower stands alone (20 CJK).
HEADING_MAX_WIDTH = 40
# Below this many lines there is no telling what a full line is; only punctuation decides.
MIN_LINES_FOR_WIDTH = 5
# An edge line repeated on this share of the pages (and on at least MIN_REPEATS) is a running head:
# even a two-page report carries its title at the top of both.
RUNNING_HEAD_SHARE = 0.5
# Running heads are short: a full line of body text is never taken for one.
RUNNING_HEAD_MAX_WIDTH = 60
# Running heads and page numbers sit within this many lines of a page's top or bottom.
EDGE_LINES = 2
MIN_REPEATS = 2


def _width(line: str) -> int:
    """Display width: CJK characters count double, as they take two columns on a page."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


_HEADING = re.compile("|".join(f"(?:{p.pattern})" for p in HEADING_PATTERNS))  # one match instead of nine


def _is_heading(line: str) -> bool:
    return _HEADING.match(line) is not None


def _is_page_number(line: str, at_edge: bool) -> bool:
    if any(p.match(line) for p in PAGE_NUMBER_ANYWHERE):
        return True
    return at_edge and any(p.match(line) for p in PAGE_NUMBER_AT_EDGE)


def _edge_key(line: str) -> str:
    """Running heads differ only by their page number: compare them with digits masked."""
    return re.sub(r"\d+", "#", line)


def _is_furniture(line: str, at_edge: bool, heads: set[str]) -> bool:
    return _is_page_number(line, at_edge) or (at_edge and _edge_key(line) in heads)


def _strip_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Drop page numbers and running heads/feet (lines repeated at the edge of many pages)."""
    edges: Counter[str] = Counter()
    for page in pages:
        filled = [ln for ln in page if ln]
        edge_lines = filled[:EDGE_LINES] + filled[-EDGE_LINES:]
        for key in {_edge_key(ln) for ln in edge_lines if _width(ln) <= RUNNING_HEAD_MAX_WIDTH}:
            edges[key] += 1
    repeats = max(MIN_REPEATS, int(len(pages) * RUNNING_HEAD_SHARE))
    heads = {key for key, n in edges.items() if n >= repeats}
    kept: list[list[str]] = []
    for page in pages:
        numbered = [i for i, ln in enumerate(page) if ln]
        edge_idx = set(numbered[:EDGE_LINES] + numbered[-EDGE_LINES:])
        kept.append([ln for i, ln in enumerate(page) if not (ln and _is_furniture(ln, i in edge_idx, heads))])
    return kept


def _typical_width(lines: list[str]) -> float:
    widths = sorted(_width(ln) for ln in lines if ln)
    if len(widths) < MIN_LINES_FOR_WIDTH:
        return 0.0
    return float(widths[int(len(widths) * 0.75)])


def _joins(prev: str, nxt: str, typical: float, measure: Callable[[str], int] = _width) -> bool:
    """Whether `nxt` continues the sentence that `prev` (a physical line) left unfinished."""
    if not prev or not nxt or prev[-1] in SENTENCE_ENDS or _is_heading(nxt):
        return False
    width = measure(prev)
    if typical > 0 and width < SHORT_LINE_RATIO * typical:
        return False
    # A heading runs on only when it fills its line (a long list item wrapping), never when short.
    full = width >= FULL_LINE_RATIO * typical if typical > 0 else width > HEADING_MAX_WIDTH
    if _is_heading(prev) and not full:
        return False
    # `12.` then `16亿元` is one number; a full stop after a word ends an English sentence.
    return not (prev.endswith(".") and not (prev[-2:-1].isdigit() and nxt[:1].isdigit()))


def _glue(left: str, right: str) -> str:
    """Join two pieces of one sentence: no space in Chinese or inside a number, one between words."""
    if left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalpha():
        return f"{left} {right}"
    return left + right


def _trim(page: list[str]) -> list[str]:
    start, end = 0, len(page)
    while start < end and not page[start]:
        start += 1
    while end > start and not page[end - 1]:
        end -= 1
    return page[start:end]


def rejoin_lines(text: str) -> str:
    """Rejoin lines broken inside a sentence or number; keep blank-line paragraphs and headings."""
    pages = [[ln.strip() for ln in page.split("\n")] for page in text.replace("\r\n", "\n").split(PAGE_BREAK)]
    if len(pages) > 1:
        pages = _strip_furniture(pages)
    else:
        pages = [[ln for ln in pages[0] if not (ln and _is_page_number(ln, at_edge=False))]]
    # A page break is an ordinary line boundary: a sentence may run on to the next page.
    lines = [ln for page in pages for ln in _trim(page)]
    typical = _typical_width(lines)
    out: list[str] = []
    last_physical = ""  # widths that matter are those of lines as printed, not as rejoined
    for line in lines:
        if not line:
            if out and out[-1]:
                out.append("")
        elif out and out[-1] and _joins(last_physical, line, typical):
            out[-1] = _glue(out[-1], line)
        else:
            out.append(line)
        last_physical = line or last_physical
    return "\n".join(out).strip("\n")


# Justified lines make PDF extractors put spaces between Chinese characters (`经 济 运 行`).
_CJK = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"
_CJK_GAP = re.compile(rf"(?<={_CJK})[ \t\u00a0]+(?={_CJK})")
_PUNCT_GAP = re.compile(r"[ \t\u00a0]+(?=[，。；：、！？）」』”》])|(?<=[（「『“《])[ \t\u00a0]+")


def squeeze_cjk_spaces(text: str) -> str:
    """Remove spaces between CJK characters and around CJK punctuation (justification artefacts)."""
    return _PUNCT_GAP.sub("", _CJK_GAP.sub("", text))


# --- hard-wrapped text (fixed-width reposts, text copied out of PDFs) ---------------------------------------------

# A text is hard-wrapped when many lines stop at one column without ending a sentence: the wrap column is at least
# this wide (20 CJK characters), and this share of the lines (and at least MIN_WRAPPED of them) reach it.
MIN_WRAP_WIDTH = 40
WRAP_SHARE = 0.3
MIN_WRAPPED = 3
# A line this close to the wrap column (as a share of it) was cut by the width, not by its author.
AT_WRAP_RATIO = 0.85
# A time phrase left alone at a line's end runs on into the figure on the next line (`全年\n地区生产总值…`).
DANGLING_TIME_WORDS: tuple[str, ...] = (
    "全年", "今年", "去年", "上年", "本年", "同期", "上半年", "下半年", "前三季度", "一季度", "第一季度", "全县",
    "全市", "全区", "全旗", "全省",
)  # fmt: skip
# Reach of the look at both sides of a break for a vocabulary name cut in two (`社会消\n费品零售总额`).
NAME_REACH = 12
_TABLE_CELLS = re.compile(r"\t|\s[|｜]\s")
# No line of prose opens with these: a line that does was cut just before its sentence's punctuation.
CONTINUATION_MARKS = frozenset("。，、；：！？）」』”’》")


def _is_table_line(line: str) -> bool:
    if "\t" in line:
        return True
    return ("|" in line or "｜" in line) and bool(_TABLE_CELLS.search(line))


def _fast_width(line: str) -> int:
    """Display width, counting every non-ASCII character as wide: close enough to find a wrap column, and
    a hundred times faster than asking unicodedata about each character."""
    return 2 * len(line) - len(line.encode("ascii", "ignore"))


def _wrap_width(lines: list[str], measure: Callable[[str], int]) -> tuple[float, int]:
    """The column a hard-wrapped text stops at under `measure` and how many lines were cut there, or (0, 0) when
    its lines are not cut at one width."""
    open_ended = [ln.strip() for ln in lines if ln.strip() and ln.strip()[-1] not in SENTENCE_ENDS]
    if len(open_ended) < MIN_WRAPPED:
        return 0.0, 0  # paragraphs end their lines: nothing was cut
    filled = [ln.strip() for ln in lines if ln.strip() and not _is_table_line(ln)]
    if len(filled) < MIN_LINES_FOR_WIDTH:
        return 0.0, 0
    widths = sorted(measure(ln) for ln in filled)
    wrap = widths[int(len(widths) * 0.9)]
    if wrap * (2 if measure is len else 1) < MIN_WRAP_WIDTH:
        return 0.0, 0
    cut = sum(1 for ln in open_ended if measure(ln) >= AT_WRAP_RATIO * wrap and not _is_table_line(ln))
    return (float(wrap), cut) if cut >= max(MIN_WRAPPED, WRAP_SHARE * len(filled)) else (0.0, 0)


# PDF text wraps at a printed width (digits are narrow); fixed-width reposts wrap at a count of characters.
WRAP_MEASURES: tuple[Callable[[str], int], ...] = (_fast_width, len)


def _wrap_layout(lines: list[str]) -> tuple[float, Callable[[str], int]]:
    """The wrap column and the measure it is counted in that explain the most cut lines."""
    best = max(((_wrap_width(lines, m), m) for m in WRAP_MEASURES), key=lambda found: found[0][1])
    (wrap, _cut), measure = best
    return wrap, measure


def _splits_name(prev: str, nxt: str) -> bool:
    """A vocabulary name is cut in two by the break (`社会消` | `费品零售总额`), or starts the next line after a
    dangling time phrase (`全年` | `地区生产总值`)."""
    from parsers.indicators import find_mentions, inner_bigrams  # the vocabulary is built on first use

    left, right = prev[-NAME_REACH:], nxt[:NAME_REACH]
    if prev.endswith(DANGLING_TIME_WORDS) and any(m.start == 0 for m in find_mentions(right)):
        return True
    if left[-1:] + right[:1] not in inner_bigrams():  # no name has these two characters side by side
        return False
    return any(m.start < len(left) < m.end for m in find_mentions(left + right))


def rejoin_hard_wraps(text: str) -> str:
    """Rejoin sentences a fixed-width layout cut: everywhere in a hard-wrapped text, and wherever a break cuts a
    vocabulary name in two. Paragraph ends (a sentence end, a short last line), headings and table rows stay."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    wrap, measure = _wrap_layout(lines)
    out: list[str] = [lines[0]]
    for line in lines[1:]:
        prev, nxt = out[-1].rstrip(), line.strip()
        joinable = prev and nxt and prev[-1] not in SENTENCE_ENDS and not _is_table_line(prev + nxt)
        if (
            joinable
            and not _is_heading(nxt)
            and (
                nxt[0] in CONTINUATION_MARKS
                or (wrap and _joins(prev.strip(), nxt, wrap, measure))
                or _splits_name(prev, nxt)
            )
        ):
            out[-1] = _glue(prev, nxt)
        else:
            out.append(line)
    return "\n".join(out)
