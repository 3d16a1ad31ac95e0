"""Date strings in Chinese pages → dates: numeric, 年月日, Chinese numerals, year-less list dates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

# Dates outside this range are misreadings (`0000-00-00`, serial numbers, years like 2918).
MIN_YEAR = 1900
MAX_YEAR = 2099
# Chinese pages speak UTC+8: an ISO timestamp with an offset is read in Beijing time. The one place it is written.
CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "UTC+8")
# Dates in URLs: /t20230215_123.html, /2023-02/15/, /202302/15/, /2023/0215/, /2023/02/15/, 20230215.
URL_DATE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r"/t(\d{4})(\d{2})(\d{2})_",
        r"/(\d{4})-(\d{2})/(\d{2})/",
        r"/(\d{4})(\d{2})/(\d{2})/",
        r"/(\d{4})/(\d{2})(\d{2})/",
        r"/(\d{4})/(\d{2})/(\d{2})/",
        r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)",
        r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)",
    )
)

# Full-width digits and separators fold one-to-one, so match offsets stay offsets in the input.
_FOLD = str.maketrans("０１２３４５６７８９－／．：", "0123456789-/.:")

_CN_DIGITS: dict[str, int] = {
    "〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0,
    "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CN = "〇○零ＯO一二三四五六七八九十"


class DateForm(NamedTuple):
    """One spelling of a date: its regex, whether it carries a year, how to read the groups."""

    name: str
    pattern: re.Pattern[str]
    has_year: bool


_SEP = r"\s*[-/.]\s*"
_YMD_CJK = r"\s*年\s*({m})\s*月\s*({d})"
_NUM = r"\d{1,2}"
_CN_MD = f"[{_CN}]{{1,3}}"
# Order matters only for ties: matches are taken leftmost first, then longest.
DATE_FORMS: tuple[DateForm, ...] = (
    # 2025-01-20, 2025/1/20, 2025.01.20 (also inside 2025-01-20T08:00:00)
    DateForm("numeric", re.compile(rf"(?<![\d.])(\d{{4}}){_SEP}({_NUM}){_SEP}({_NUM})(?!\d)"), True),
    # 2025年1月20日, 2025 年 01 月 20 日, 2025年1月20 (day unit dropped before a time)
    DateForm(
        "cjk",
        re.compile(r"(?<!\d)(\d{4})" + _YMD_CJK.format(m=_NUM, d=_NUM) + r"(?:\s*[日号]|(?!\d))"),
        True,
    ),
    # 二〇二五年一月二十日
    DateForm(
        "cjk_numerals",
        re.compile(f"([{_CN}]{{4}})" + _YMD_CJK.format(m=_CN_MD, d=_CN_MD) + r"\s*[日号]"),
        True,
    ),
    # 1月20日 (year-less, read only with a default year)
    DateForm("cjk_md", re.compile(rf"(?<![\d年])({_NUM})\s*月\s*({_NUM})\s*[日号]"), False),
    # [01-20], (01-20), 【01/20】 as list pages print them
    DateForm("bracket_md", re.compile(rf"[\[(（【]\s*({_NUM})[-/.]({_NUM})\s*[\])）】]"), False),
    # 2-26 15:28: a month-day only counts as a date with a time after it (`1-11月` is a period)
    DateForm("md_time", re.compile(rf"(?<![\d\-/.])({_NUM})[-/]({_NUM})\s+\d{{1,2}}:\d{{2}}(?!\d)"), False),
)

# A string that is nothing but a month-day (`01-20` in a list cell) is one, with a default year.
_BARE_MD = re.compile(r"(\d{1,2})[-/](\d{1,2})")
_ISO_START = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
# A bare 8-digit run is a date only where the whole string is one (URLs, file names, meta content).
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(?:[T\s]?\d{2}:?\d{2}(?::?\d{2})?)?")


def _cn_number(s: str) -> int | None:
    """Read 一…三十一 (with 十) or digit-by-digit numerals (二〇二五); None when malformed."""
    if "十" not in s:
        digits = [_CN_DIGITS.get(ch) for ch in s]
        if any(d is None for d in digits):
            return None
        return int("".join(str(d) for d in digits))
    tens, _, units = s.partition("十")
    if len(tens) > 1 or len(units) > 1:
        return None
    high = _CN_DIGITS.get(tens, -1) if tens else 1
    low = _CN_DIGITS.get(units, -1) if units else 0
    if high < 0 or low < 0:
        return None
    return high * 10 + low


def make_date(year: int, month: int, day: int) -> dt.date | None:
    """A real calendar date within MIN_YEAR..MAX_YEAR, or None."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _numbers(form: DateForm, groups: tuple[str, ...]) -> list[int] | None:
    read: Callable[[str], int | None] = _cn_number if form.name == "cjk_numerals" else int
    values = [read(g) for g in groups]
    if any(v is None for v in values):
        return None
    return [v for v in values if v is not None]


def _matches(text: str, default_year: int | None) -> Iterator[tuple[int, int, dt.date]]:
    for form in DATE_FORMS:
        if not form.has_year and default_year is None:
            continue
        for match in form.pattern.finditer(text):
            values = _numbers(form, match.groups())
            if values is None:
                continue
            if form.has_year:
                found = make_date(values[0], values[1], values[2])
            else:
                found = make_date(default_year or 0, values[0], values[1])
            if found is not None:
                yield match.start(), match.end(), found


def find_dates(text: str, default_year: int | None = None) -> list[tuple[int, dt.date]]:
    """Every date in the text as (offset, date), in order; year-less forms only with default_year."""
    folded = text.translate(_FOLD)
    spans = sorted(_matches(folded, default_year), key=lambda m: (m[0], -m[1]))
    found: list[tuple[int, dt.date]] = []
    end = -1
    for start, stop, date in spans:
        if start >= end:  # overlapping readings of one date: keep the leftmost, longest
            found.append((start, date))
            end = stop
    return found


def _iso_timestamp(s: str) -> dt.date | None:
    """An ISO 8601 timestamp with an offset, read in Beijing time (`2023-02-14T20:00:00Z` → 02-15)."""
    try:
        stamp = dt.datetime.fromisoformat(s)
    except ValueError:
        return None
    if stamp.tzinfo is None:
        return make_date(stamp.year, stamp.month, stamp.day)
    local = stamp.astimezone(CHINA_TZ)
    return make_date(local.year, local.month, local.day)


def parse_date(s: str, default_year: int | None = None) -> dt.date | None:
    """The first date in a short string (meta content, list-item date, label value), or None."""
    folded = s.translate(_FOLD).strip()
    if not folded:
        return None
    if _ISO_START.match(folded):
        stamp = _iso_timestamp(folded)
        if stamp is not None:
            return stamp
    compact = _COMPACT.fullmatch(folded)
    if compact:
        return make_date(int(compact.group(1)), int(compact.group(2)), int(compact.group(3)))
    bare = _BARE_MD.fullmatch(folded)
    if bare and default_year is not None:
        return make_date(default_year, int(bare.group(1)), int(bare.group(2)))
    found = find_dates(folded, default_year)
    return found[0][1] if found else None


def china_today() -> dt.date:
    """Today's date in China (UTC+8), whatever the machine's clock zone."""
    return dt.datetime.now(CHINA_TZ).date()


def date_from_url(url: str | None, latest: dt.date | None = None) -> dt.date | None:
    """A date spelled in the URL path (`/t20230215_123.html`, `/2023-02/15/`, …), never after `latest` (today)."""
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url, flags=re.IGNORECASE)
    newest = latest or china_today()
    for pattern in URL_DATE_PATTERNS:
        match = pattern.search(path)
        if match:
            found = make_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            if found is not None and found <= newest:
                return found
    return None


# Relative dates as news portals print them beside a link: a word → days ago, or a count of a unit → days per unit.
RELATIVE_DAY_WORDS: dict[str, int] = {"刚刚": 0, "今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2}
RELATIVE_UNITS: dict[str, int] = {
    "秒": 0, "秒钟": 0, "分钟": 0, "分": 0, "小时": 0, "天": 1, "日": 1, "周": 7, "星期": 7,
}  # fmt: skip
_RELATIVE_RE = re.compile(
    r"(?P<n>\d{1,3})\s*(?:个)?\s*(?P<unit>" + "|".join(sorted(RELATIVE_UNITS, key=len, reverse=True)) + r")\s*前"
    r"|(?P<word>" + "|".join(RELATIVE_DAY_WORDS) + r")"
)


def relative_date(text: str, today: dt.date) -> dt.date | None:
    """The date a relative stamp means (`3小时前`, `昨天 19:14`, `前天`, `5天前`, `2周前`), counted from today."""
    m = _RELATIVE_RE.search(text.translate(_FOLD))
    if m is None:
        return None
    days = RELATIVE_DAY_WORDS[m["word"]] if m["word"] else int(m["n"]) * RELATIVE_UNITS[m["unit"]]
    return today - dt.timedelta(days=days)
