"""Lists as reply lines (Telegram HTML): documents, search hits, sources' health, the admins' status."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone

from bot.replies import KIND_CN, cap, esc, fmt_date, link, title_of
from storage.records import PollRun, SourceState, StoredDocument

__all__ = ["document_lines", "poll_line", "search_lines", "source_lines", "status_lines"]

SNIPPET_SIDE = 30  # characters shown either side of a search match
ERROR_LIMIT = 120  # characters of a source's last error
CHINA = timezone(timedelta(hours=8), "UTC+8")

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


def when(moment: datetime | None) -> str:
    """A moment in China's time (`2026-03-20 08:00`), or `从未`."""
    if moment is None:
        return "从未"
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def document_lines(doc: StoredDocument) -> list[str]:
    """`• title` (linked) and `  计划执行情况报告 · 古交市 · 2026-01-04 · 19项数据`."""
    facts = [KIND_CN.get(doc.kind, doc.kind), doc.region or "地区不详", fmt_date(doc.published), f"{doc.figures}项数据"]
    return [f"• {link(doc.canonical_url, title_of(doc.title))}", "　" + esc(" · ".join(facts))]


def snippet(text: str, query: str) -> str:
    """The match in the text with some context either side, the match in bold (escaped)."""
    flat = " ".join(text.split())
    at = flat.casefold().find(query.casefold())
    if at < 0:
        return esc(cap(flat, 2 * SNIPPET_SIDE))
    start, end = max(at - SNIPPET_SIDE, 0), at + len(query)
    before = ("…" if start else "") + flat[start:at]
    after = flat[end : end + SNIPPET_SIDE] + ("…" if end + SNIPPET_SIDE < len(flat) else "")
    return f"{esc(before)}<b>{esc(flat[at:end])}</b>{esc(after)}"


def search_lines(query: str, docs: Sequence[StoredDocument]) -> list[str]:
    """Each hit: its title (linked), date, and a snippet around the match."""
    lines: list[str] = []
    for doc in docs:
        lines += [f"• {link(doc.canonical_url, title_of(doc.title))} {fmt_date(doc.published)}"]
        lines += ["　" + snippet(doc.text if query.casefold() in doc.text.casefold() else doc.title or "", query)]
    return lines


def source_lines(state: SourceState) -> list[str]:
    """A source's name and health: status, last success, failures, blocked, last error."""
    status = SOURCE_STATUS_CN.get(state.last_status, state.last_status or "")
    facts = [f"状态：{status}", f"上次成功：{when(state.last_success_at)}", f"连续失败：{state.consecutive_failures}次"]
    facts += ["被网站拦截"] if state.blocked else []
    lines = [f"• <b>{esc(cap(state.name, 60))}</b>", "　" + esc("；".join(facts))]
    if state.last_error:
        lines.append("　最近错误：" + esc(cap(" ".join(state.last_error.split()), ERROR_LIMIT)))
    return lines


def poll_line(run: PollRun) -> str:
    """`03-20 08:00 古交市人民政府 ok 新2 数据5 1.2s`."""
    error = f" {cap(run.error, 60)}" if run.error else ""
    text = f"{when(run.started_at)[5:]} {cap(run.source_name, 30)} {run.status} 新{run.new_documents} "
    return esc(f"{text}数据{run.figures} {run.duration_ms / 1000:.1f}s{error}")


def status_lines(stats: Mapping[str, int], outbox: Mapping[str, int], polls: Sequence[PollRun]) -> list[str]:
    """The admins' status: stored counts, the outbox by status, the latest polls."""
    lines = ["<b>运行状态</b>"]
    lines += [f"{esc(STAT_CN.get(k, k))}：{v}" for k, v in stats.items() if not k.startswith("outbox_")]
    lines += ["", "<b>提醒发送</b>", *(f"{esc(OUTBOX_CN.get(k, k))}：{v}" for k, v in outbox.items())]
    lines += ["", "<b>最近抓取</b>", *(poll_line(p) for p in polls)] if polls else ["", "尚无抓取记录。"]
    return lines
