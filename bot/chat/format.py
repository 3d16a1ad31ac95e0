"""Every label and every formatting rule of what the bot says: replies as data, escaping, numbers, periods, dates.

Replies are Telegram HTML with buttons (or the same as plain text); alerts, answers and listings all format
through here, so a label or a number's spelling is written once.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from parsers.dates import CHINA_TZ
from parsers.indicators import indicator_name

__all__ = [
    "BASIS_CN",
    "CAPTION_LIMIT",
    "ECHO_LIMIT",
    "KIND_CN",
    "OUTBOX_CN",
    "SOURCE_STATUS_CN",
    "STAT_CN",
    "TEXT_LIMIT",
    "Button",
    "Reply",
    "cap",
    "echo",
    "esc",
    "fit_lines",
    "fmt_date",
    "fmt_figure",
    "fmt_growth",
    "fmt_period",
    "fmt_value",
    "indicator_name",
    "link",
    "period_key",
    "telegram_length",
    "title_of",
    "when",
]

TEXT_LIMIT = 4000  # Telegram's 4096 characters of text, with room to spare
CAPTION_LIMIT = 1000  # Telegram's 1024 characters of caption
ECHO_LIMIT = 50  # characters of a user's input repeated in a reply
TITLE_LIMIT = 120  # characters of a stored title shown in a reply
ELLIPSIS = "…"
MARK_ROOM = 20  # room kept for the line that says how many lines were left out

BASIS_CN: dict[str, str] = {"actual": "实际", "estimate": "预计", "target": "目标"}
KIND_CN: dict[str, str] = {
    "work_report": "政府工作报告",
    "plan_report": "计划执行情况报告",
    "bulletin": "统计公报",
    "indicator_table": "指标表",
    "news": "新闻",
}
SOURCE_STATUS_CN: dict[str | None, str] = {
    "ok": "正常",
    "unchanged": "正常（无更新）",
    "error": "出错",
    "blocked": "被拦截",
    None: "尚未抓取",
}
STAT_CN: dict[str, str] = {
    "documents": "文档",
    "reposts": "其中转载",
    "figures": "数据",
    "sources": "数据源",
    "subscriptions": "订阅",
    "chats": "订阅的聊天",
}
OUTBOX_CN: dict[str, str] = {"pending": "待发送", "sending": "发送中", "sent": "已发送", "dropped": "已放弃"}

# How a qualifier reads after the number it hedges; a range (区间LO-HI) is spelled out by fmt_growth_range.
_QUALIFIER_CN: dict[str, str] = {"左右": "左右", "以上": "以上", "以内": "以内", "以下": "以下"}
_RANGE = re.compile(r"区间(-?[0-9.]+)-(-?[0-9.]+)")
_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_SAFE_SCHEMES = ("http://", "https://")


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: a link (url) or a command to run again (callback_data ≤ 64 bytes)."""

    text: str
    url: str | None = None
    callback_data: str | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """One message: Telegram HTML, optionally a PNG or a file (then the HTML is its caption), and rows of buttons."""

    html: str
    photo: bytes | None = None
    buttons: tuple[tuple[Button, ...], ...] = ()
    document: tuple[str, bytes] | None = None  # a file (name, bytes); then the HTML is its caption

    def plain_text(self) -> str:
        """The same reply as plain text: links as `text (url)`, tags stripped, entities unescaped, buttons listed."""
        text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", self.html)
        text = html.unescape(_TAG.sub("", text))
        if self.document is not None:
            text += f"\n[文件：{self.document[0]}，{len(self.document[1])} 字节]"
        rows = [" ".join(f"[{b.text}]" for b in row) for row in self.buttons if row]
        return "\n".join([text, *rows]) if rows else text


def esc(text: str) -> str:
    """Text escaped for Telegram HTML (`&`, `<`, `>`)."""
    return html.escape(text, quote=False)


def cap(text: str, limit: int) -> str:
    """At most `limit` characters, an ellipsis marking a cut."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def echo(text: str) -> str:
    """A user's input repeated in a reply: capped and escaped."""
    return esc(cap(" ".join(text.split()), ECHO_LIMIT))


def link(url: str | None, text: str) -> str:
    """`<a href>` around the escaped text for an http(s) URL; the escaped text alone otherwise."""
    if url and url.lower().startswith(_SAFE_SCHEMES):
        return f'<a href="{html.escape(url, quote=True)}">{esc(text)}</a>'
    return esc(text)


def title_of(title: str | None) -> str:
    """A stored title for display (unescaped; escape when rendering)."""
    return cap(" ".join((title or "").split()), TITLE_LIMIT) or "（无标题）"


def telegram_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _take(lines: Sequence[str], budget: int) -> list[str]:
    """The leading lines that fit `budget` (UTF-16 units, newlines counted), then `…（另有N条未列出）`."""
    kept: list[str] = []
    used = 0
    for i, line in enumerate(lines):
        used += telegram_length(line) + 1
        if used > budget - MARK_ROOM:
            return [*kept, f"{ELLIPSIS}（另有{len(lines) - i}条未列出）"]
        kept.append(line)
    return kept


def fit_lines(lines: Sequence[str], limit: int = TEXT_LIMIT, tail: Sequence[str] = ()) -> str:
    """Lines and then `tail` joined into one message of at most `limit`; what does not fit gives way to `…`."""
    whole = [*lines, *tail]
    if telegram_length("\n".join(whole)) <= limit:
        return "\n".join(whole)
    ending = _take(tail, limit // 2) if tail else []
    body = _take(lines, limit - telegram_length("\n".join(ending)) - 1)
    return "\n".join([*body, *ending])


def _num(x: float, digits: int = 2) -> str:
    """A number with thousands separators, at most `digits` decimals, no trailing zeros."""
    text = f"{x:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_value(value: float | None, unit: str) -> str:
    """`95亿元`, `45,033元`, `1.61万吨`, `3,578人`; empty for no value."""
    return "" if value is None else f"{_num(value)}{unit}"


def fmt_growth(yoy: float | None) -> str:
    """`增长1%`, `下降41.5%`, `持平`; empty for no growth."""
    if yoy is None:
        return ""
    if yoy == 0:
        return "持平"
    return f"{'增长' if yoy > 0 else '下降'}{_num(abs(yoy))}%"


def _qualified_growth(yoy: float | None, qualifier: str | None) -> str:
    """Growth with its hedge: `增长5%左右`, a range `增长4.5%—5%`."""
    match = _RANGE.fullmatch(qualifier or "")
    if match:
        low, high = float(match.group(1)), float(match.group(2))
        return f"{fmt_growth(low)}—{_num(high)}%"
    return fmt_growth(yoy) + _QUALIFIER_CN.get(qualifier or "", "")


def fmt_figure(value: float | None, unit: str, yoy: float | None, qualifier: str | None, basis: str) -> str:
    """A figure in words: `95亿元，同比增长1%`, `增长5%左右` (a target), `1.61万吨以上` (plain text)."""
    hedge_growth = yoy is not None or (qualifier or "").startswith("区间")
    amount = fmt_value(value, unit) + ("" if hedge_growth else _QUALIFIER_CN.get(qualifier or "", ""))
    growth = _qualified_growth(yoy, qualifier) if hedge_growth else ""
    if growth and basis != "target":
        growth = "同比" + growth
    return "，".join(part for part in (amount, growth) if part) or "（无数值）"


def period_key(period: str) -> tuple[int, int, int]:
    """Chronological order of periods: `2025-09` before `2025`, a whole year last in its year."""
    year, _, month = period.partition("-")
    if not year.isdigit():
        return (0, 0, 0)
    return (int(year), int(month) if month.isdigit() else 12, 0 if month else 1)


def fmt_period(period: str) -> str:
    """`2025` → `2025年`; `2025-09` → `2025年1-9月`; `2025-01` → `2025年1月`."""
    year, _, month = period.partition("-")
    if not month.isdigit():
        return f"{year}年"
    n = int(month)
    return f"{year}年1月" if n == 1 else f"{year}年1-{n}月"


def fmt_date(day: date | None) -> str:
    """`2026-01-04`, or `日期不详`."""
    return day.isoformat() if day else "日期不详"


def when(moment: datetime | None) -> str:
    """A moment in China's time (`2026-03-20 08:00`), or `从未`."""
    if moment is None:
        return "从未"
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
