"""`/try URL` for admins: what govwatch would read from one page, with nothing stored (as `govwatch try`)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.chat.arguments import Chat, Handler
from bot.chat.format import BASIS_CN, KIND_CN, Reply, cap, echo, esc, fit_lines, fmt_figure, fmt_period, link
from bot.chat.intents import COMMANDS, Request
from parsers.dates import china_today
from parsers.indicators import indicator_name

if TYPE_CHECKING:  # the scrapers load only when a page is tried: `govwatch ask` starts without them
    from scrapers.http.config import FetchConfig
    from scrapers.preview import DocumentPreview, ListPreview, Preview

__all__ = ["TRY_ITEMS", "Previewer", "TryAnswers", "fetch_preview"]

TRY_ITEMS = 10  # list items shown in a /try answer (the count says how many there are)
TRY_FIGURES = 15  # figures shown in a /try answer
URL_LIMIT = 2000  # characters of a URL /try accepts
_SCHEMES = ("http://", "https://")

# Reads one URL as `govwatch try` does: runs in the answering thread, so it may block.
Previewer = Callable[[str], "Preview"]


def fetch_preview(fetch: FetchConfig, today: Callable[[], dt.date] = china_today) -> Previewer:
    """A previewer fetching with `fetch`'s limits, on an event loop of its own (answers run in a worker thread)."""

    def preview(url: str) -> Preview:
        from scrapers.http.fetch import Fetcher
        from scrapers.preview import preview_url

        async def run() -> Preview:
            async with Fetcher(fetch) as fetcher:
                return await preview_url(fetcher, url, None, None, today())

        return asyncio.run(run())

    return preview


class TryAnswers:
    """The admins' /try: the first items of a list page or feed, or the figures of an article."""

    def __init__(self, previewer: Previewer | None, admins: frozenset[int]) -> None:
        """Read pages with `previewer` (None: this process fetches nothing, so /try says so)."""
        self.previewer = previewer
        self.admins = admins

    def handlers(self) -> dict[str, Handler]:
        """The commands answered here."""
        return {"try": self.try_url}

    def try_url(self, request: Request, chat: Chat) -> list[Reply]:
        """Preview the URL in the message."""
        if chat.user_id not in self.admins:
            return [Reply("抱歉，/try 仅供管理员使用。")]
        url = request.text.strip()
        if not url.lower().startswith(_SCHEMES) or len(url) > URL_LIMIT or any(c.isspace() for c in url):
            spec = COMMANDS["try"]
            return [Reply(f"请给出一个 http(s) 网址。\n用法：{esc(spec.usage)}\n例如：{esc(spec.example)}")]
        if self.previewer is None:
            return [Reply("这个进程没有配置抓取，无法试读网页。")]
        from scrapers.preview import ListPreview, PreviewFailure

        found = self.previewer(url)
        if isinstance(found, PreviewFailure):
            return [Reply(f"试读失败：{echo(found.url)}\n原因：{esc(cap(found.reason, 300))}")]
        lines = list_lines(found) if isinstance(found, ListPreview) else document_lines(found)
        return [Reply(fit_lines(lines))]


def list_lines(found: ListPreview) -> list[str]:
    """A list page's or feed's first items, its block and its pager."""
    what = "订阅源" if found.kind == "rss" else "列表页"
    pager = found.pager
    lines = [
        f"<b>试读{what}</b>：{link(found.url, cap(found.url, 80))}",
        f"区块：{esc(cap(found.block, 120)) if found.block else '—'}",
        "翻页："
        + (
            "无（只有一页）"
            if pager is None
            else f"{esc(pager.kind)}，下一页 {link(pager.next_url, '链接') if pager.next_url else '无（最后一页）'}"
            + (f"，共{pager.total}页" if pager.total else "")
        ),
        f"共 {len(found.items)} 条" + (f"，前 {TRY_ITEMS} 条：" if len(found.items) > TRY_ITEMS else "："),
    ]
    for item in found.items[:TRY_ITEMS]:
        day = item.published.isoformat() if item.published else "日期不详"
        lines.append(f"{day} {link(item.url, cap(item.title, 80))}")
    return lines


def document_lines(found: DocumentPreview) -> list[str]:
    """An article's title, date, region and kind, then its figures."""
    doc = found.document
    lines = [
        f"<b>试读文章</b>：{link(found.url, cap(doc.title or found.url, 80))}",
        f"日期：{esc(doc.published or '不详')}　地区：{esc(doc.region or '未识别')}　"
        f"类型：{esc(KIND_CN.get(doc.kind, doc.kind))}",
    ]
    if found.attachment_url:
        lines.append(f"附件：{link(found.attachment_url, cap(found.attachment_url, 80))}")
    if found.warning:
        lines.append(f"注意：{esc(cap(found.warning, 200))}")
    lines.append(f"读出 {len(doc.figures)} 项数据" + ("：" if doc.figures else "。"))
    for fig in doc.figures[:TRY_FIGURES]:
        figure = fmt_figure(fig.value, fig.unit, fig.yoy, fig.qualifier, fig.basis)
        place = f"{fig.region} " if fig.region and fig.region != doc.region else ""
        lines.append(
            f"{esc(place)}{esc(indicator_name(fig.indicator))} {fmt_period(fig.period)}"
            f"（{BASIS_CN.get(fig.basis, fig.basis)}）：{esc(figure)}"
        )
    if len(doc.figures) > TRY_FIGURES:
        lines.append(f"……另有 {len(doc.figures) - TRY_FIGURES} 项，完整结果请用 govwatch try。")
    return lines
