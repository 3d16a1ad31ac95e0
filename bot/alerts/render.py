"""The alert for a new document: region, title, date, kind, its key figures and targets, and buttons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.chat.format import (
    BASIS_CN,
    KIND_CN,
    TEXT_LIMIT,
    Button,
    Reply,
    esc,
    fmt_date,
    fmt_figure,
    fmt_period,
    indicator_name,
    telegram_length,
    title_of,
)
from bot.chat.intents import callback_data
from parsers.indicators import display_rank
from scrapers.discover.items import VERSION_MARK
from storage.records import StoredDocument, StoredFigure
from storage.store import Store

MAX_FIGURES = 8


@dataclass(frozen=True, slots=True)
class AlertMessage:
    """One Telegram message of an alert: HTML text (≤ 4096 characters) and, on the last one, the buttons."""

    html: str
    buttons: tuple[tuple[Button, ...], ...] = ()


def _rank(f: StoredFigure) -> tuple[bool, int, str]:
    """Outcomes before targets, then the vocabulary's display rank (what readers look for first), then period."""
    return (f.basis == "target", display_rank(f.indicator), f.period)


def figure_line(f: StoredFigure) -> str:
    """`地区生产总值 2025年（预计）：95亿元，同比增长1%` — escaped HTML, one line."""
    name = indicator_name(f.indicator)
    what = fmt_figure(f.value, f.unit, f.yoy, f.qualifier, f.basis)
    region = f"{f.region} " if f.region else ""
    return esc(f"{region}{name} {fmt_period(f.period)}（{BASIS_CN.get(f.basis, f.basis)}）：{what}")


def alert_lines(doc: StoredDocument, figures: Sequence[StoredFigure]) -> list[str]:
    """The alert as lines of HTML, each with its tags closed, so it can be split between any two lines."""
    kind = KIND_CN.get(doc.kind, doc.kind)
    lines = [
        f"🔔 <b>{esc(doc.region or '未识别地区')}</b> 新{esc(kind)}",
        f"<b>{esc(title_of(doc.title))}</b>",
        esc(f"{fmt_date(doc.published)} · {kind}"),
    ]
    outcomes = sorted((f for f in figures if f.basis != "target"), key=_rank)
    targets = sorted((f for f in figures if f.basis == "target"), key=_rank)
    shown = outcomes[:MAX_FIGURES] + targets[: max(0, MAX_FIGURES - len(outcomes))] if figures else []
    if shown:
        lines.append("")
        lines += [figure_line(f) for f in shown if f.basis != "target"]
        goals = [figure_line(f) for f in shown if f.basis == "target"]
        if goals:
            lines += ["<b>目标</b>", *goals]
        if len(figures) > len(shown):
            lines.append(esc(f"……共{len(figures)}项数据，发送 /data {doc.region or ''} 查看全部"))
    else:
        lines.append(esc("（未读出关键数据）"))
    return lines


def alert_buttons(doc: StoredDocument) -> tuple[tuple[Button, ...], ...]:
    """原文 (a link), 图表 and 退订 (callbacks by region code, within Telegram's 64 bytes)."""
    row: list[Button] = []
    if doc.canonical_url.lower().startswith(("http://", "https://")):
        row.append(Button("原文", url=doc.canonical_url.split(VERSION_MARK)[0]))
    if doc.region_code:
        chart = callback_data("chart", doc.region_code, "gdp")
        unsub = callback_data("unsubscribe", doc.region_code)
        row += [Button("图表", callback_data=chart)] if chart else []
        row += [Button("退订", callback_data=unsub)] if unsub else []
    return (tuple(row),) if row else ()


def split_lines(lines: Sequence[str], limit: int = TEXT_LIMIT) -> list[str]:
    """Lines packed into messages of at most `limit` characters, never splitting a line (so no tag is cut)."""
    messages: list[str] = []
    current: list[str] = []
    for line in lines:
        line = line if telegram_length(line) <= limit else line[: limit - 1] + "…"  # a line is escaped text
        if current and telegram_length("\n".join([*current, line])) > limit:
            messages.append("\n".join(current))
            current = []
        current.append(line)
    if current:
        messages.append("\n".join(current))
    return [m for m in messages if m.strip()]


def render_alert(store: Store, document_id: int) -> list[AlertMessage]:
    """The messages of the alert for a stored document (the buttons go on the last one)."""
    doc = store.document(document_id)
    if doc is None:
        return []
    texts = split_lines(alert_lines(doc, store.document_figures(document_id)))
    buttons = alert_buttons(doc)
    return [AlertMessage(t, buttons if i == len(texts) - 1 else ()) for i, t in enumerate(texts)]


def plain_alert(store: Store, document_id: int) -> str:
    """The alert as plain text, for console mode (no Telegram token)."""
    return "\n".join(Reply(m.html).plain_text() for m in render_alert(store, document_id))
