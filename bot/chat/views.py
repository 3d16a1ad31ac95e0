"""Stored facts as reply lines (Telegram HTML): an indicator's history, a year's figures, targets, a comparison,
documents, search hits, sources' health and the admins' status."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from bot.chat.charts import Point
from bot.chat.format import (
    BASIS_CN,
    KIND_CN,
    OUTBOX_CN,
    SOURCE_STATUS_CN,
    STAT_CN,
    cap,
    esc,
    fmt_date,
    fmt_figure,
    fmt_period,
    indicator_name,
    link,
    period_key,
    title_of,
    when,
)
from parsers.indicators import display_rank
from storage.records import PollRun, SourceState, StoredDocument, StoredFigure

__all__ = [
    "YearView",
    "by_year",
    "chart_points",
    "compare_lines",
    "data_lines",
    "document_lines",
    "figure_text",
    "indicator_lines",
    "latest_year",
    "newest",
    "outcomes",
    "poll_line",
    "search_lines",
    "source_lines",
    "source_text",
    "sources_lines",
    "status_lines",
    "targets",
    "targets_lines",
    "year_lines",
    "year_of",
]

HISTORY_YEARS = 12  # years of history listed under one indicator
QUOTE_LIMIT = 80  # characters of the quoted clause
SNIPPET_SIDE = 30  # characters shown either side of a search match
ERROR_LIMIT = 120  # characters of a source's last error
_BASIS_ORDER = {"actual": 0, "estimate": 1, "target": 2}

# Renders a region's figures of one year: (region label, best figures, year) → (lines, figures shown).
YearView = Callable[[str, Sequence[StoredFigure], str], tuple[list[str], list[StoredFigure]]]


def year_of(fig: StoredFigure) -> str:
    """The year of a figure's period."""
    return fig.period.partition("-")[0]


def name_of(indicator: str) -> str:
    """The Chinese name of an indicator id."""
    return indicator_name(indicator)


def figure_text(fig: StoredFigure) -> str:
    """`95亿元，同比增长1%` (escaped)."""
    return esc(fmt_figure(fig.value, fig.unit, fig.yoy, fig.qualifier, fig.basis))


def source_text(fig: StoredFigure) -> str:
    """`《title》 2026-01-04 原文` with the link."""
    return f"《{esc(title_of(fig.document_title))}》 {fmt_date(fig.published)} {link(fig.document_url, '原文')}"


def outcomes(figs: Iterable[StoredFigure]) -> list[StoredFigure]:
    """Actual and estimated figures (no targets)."""
    return [f for f in figs if f.basis != "target"]


def targets(figs: Iterable[StoredFigure]) -> list[StoredFigure]:
    """Target figures only."""
    return [f for f in figs if f.basis == "target"]


def _rank(fig: StoredFigure) -> tuple[tuple[int, int, int], int]:
    """Later periods first, then the better basis (actual over estimate over target)."""
    return period_key(fig.period), -_BASIS_ORDER[fig.basis]


def newest(figs: Iterable[StoredFigure]) -> StoredFigure | None:
    """The figure of the latest period; among equals, the better basis (actual over estimate)."""
    return max(figs, key=_rank, default=None)


def by_year(figs: Iterable[StoredFigure]) -> dict[str, StoredFigure]:
    """One figure per year, newest year first: the whole year if there is one, else the latest period."""
    chosen: dict[str, StoredFigure] = {}
    for fig in figs:
        held = chosen.get(year_of(fig))
        if held is None or _rank(fig) > _rank(held):
            chosen[year_of(fig)] = fig
    return dict(sorted(chosen.items(), reverse=True))


def latest_year(figs: Sequence[StoredFigure]) -> str | None:
    """The latest year with an outcome, else the latest year with any figure."""
    pool = outcomes(figs) or list(figs)
    return max((year_of(f) for f in pool), default=None)


def sources_lines(figs: Iterable[StoredFigure]) -> list[str]:
    """`出处：` and one line per distinct report behind the figures."""
    seen = {f.document_id: f for f in figs}
    return ["出处：", *(source_text(f) for f in seen.values())] if seen else []


def _stated(fig: StoredFigure) -> str:
    """`2025年（预计）：95亿元，同比增长1%`."""
    return f"{fmt_period(fig.period)}（{BASIS_CN[fig.basis]}）：{figure_text(fig)}"


def indicator_lines(region: str, indicator: str, best: Sequence[StoredFigure]) -> list[str]:
    """One indicator of a region: the latest outcome with its report, the history by year, the latest target."""
    head = [f"<b>{esc(region)} · {esc(name_of(indicator))}</b>"]
    latest = newest(outcomes(best))
    if latest is not None:
        head += [_stated(latest), f"摘录：“{esc(cap(latest.quote, QUOTE_LIMIT))}”", "出处：" + source_text(latest)]
    else:
        head.append("暂无实际或预计数值。")
    history = list(by_year(outcomes(best)).values())[:HISTORY_YEARS]
    if len(history) > 1:
        head += ["", "历年（每年取最新结果，实际优先于预计）："]
        head += [f"{fmt_period(f.period)}：{figure_text(f)}（{BASIS_CN[f.basis]}）" for f in history]
    goal = newest(targets(best))
    if goal is not None:
        same = latest is not None and latest.document_id == goal.document_id
        head += ["", f"最新目标：{fmt_period(goal.period)} {figure_text(goal)}"]
        head.append("出处：同上" if same else "出处：" + source_text(goal))
    return head


def year_lines(region: str, indicator: str, year: str, every: Sequence[StoredFigure]) -> list[str]:
    """One indicator of a region in one year: every period and basis (the newest report of each)."""
    picked: dict[tuple[str, str], StoredFigure] = {}
    for fig in every:  # newest publication first: the first of a (period, basis) is its latest word
        if year_of(fig) == year:
            picked.setdefault((fig.period, fig.basis), fig)
    order = sorted(picked.values(), key=_rank, reverse=True)
    lines = [f"<b>{esc(region)} · {esc(name_of(indicator))} · {year}年</b>"]
    for fig in order:
        lines += [_stated(fig), "　出处：" + source_text(fig)]
    return lines


def _indicator_order(figs: Iterable[StoredFigure]) -> list[str]:
    """The indicators of the figures in display order (the vocabulary's rank)."""
    return sorted({f.indicator for f in figs}, key=lambda i: (display_rank(i), i))


def _line(fig: StoredFigure, year: str) -> str:
    """`地区生产总值：95亿元，同比增长1%（预计）`; a part-year period is named."""
    period = "" if fig.period == year else f"（{fmt_period(fig.period)}）"
    return f"{esc(name_of(fig.indicator))}{period}：{figure_text(fig)}（{BASIS_CN[fig.basis]}）"


def data_lines(region: str, best: Sequence[StoredFigure], year: str) -> tuple[list[str], list[StoredFigure]]:
    """Every indicator of a region in a year (its outcome, else its target) and the figures shown."""
    in_year = [f for f in best if year_of(f) == year]
    shown = [newest(outcomes(_of(in_year, i))) or newest(_of(in_year, i)) for i in _indicator_order(in_year)]
    kept = [f for f in shown if f is not None]
    return [f"<b>{esc(region)} · {year}年主要指标</b>", *(_line(f, year) for f in kept)], kept


def _of(figs: Iterable[StoredFigure], indicator: str) -> list[StoredFigure]:
    """The figures of one indicator."""
    return [f for f in figs if f.indicator == indicator]


def targets_lines(region: str, best: Sequence[StoredFigure], year: str) -> tuple[list[str], list[StoredFigure]]:
    """Every target of a region for a year and the figures shown."""
    goals = [f for f in targets(best) if year_of(f) == year]
    kept = [g for g in (newest(_of(goals, i)) for i in _indicator_order(goals)) if g is not None]
    lines = [f"<b>{esc(region)} · {year}年预期目标</b>"]
    lines += [f"{esc(name_of(f.indicator))}：{figure_text(f)}" for f in kept]
    return lines, kept


def compare_lines(
    indicator: str, sides: Sequence[tuple[str, Sequence[StoredFigure]]]
) -> tuple[list[str], list[StoredFigure]]:
    """One indicator for several regions in their latest common period (else each one's latest)."""
    periods = [{f.period for f in outcomes(figs)} for _, figs in sides]
    common = set.intersection(*periods) if periods else set()
    period = max(common, key=period_key, default=None)
    title = f"<b>{esc(name_of(indicator))}对比 · {fmt_period(period) if period else '各地最新'}</b>"
    lines = [title] if period else [title, "两地暂无同一时期的数据，以下为各自最新数值。"]
    shown: list[StoredFigure] = []
    for region, figs in sides:
        pool = [f for f in outcomes(figs) if period is None or f.period == period]
        fig = newest(pool)
        lines.append(f"{esc(region)}：{_side(fig, period)}")
        shown += [fig] if fig is not None else []
    return lines, shown


def _side(fig: StoredFigure | None, period: str | None) -> str:
    """One region's side of a comparison."""
    if fig is None:
        return "暂无数据"
    when = "" if period else f"{fmt_period(fig.period)} "
    return f"{when}{figure_text(fig)}（{BASIS_CN[fig.basis]}）"


def chart_points(best: Sequence[StoredFigure]) -> tuple[list[Point], str, list[StoredFigure]]:
    """The series to draw (whole years if any, oldest first), what its numbers are, and the figures used."""
    found = outcomes(best)
    whole = [f for f in found if "-" not in f.period] or found
    series = sorted(by_year(whole).values(), key=lambda f: period_key(f.period))
    valued = [f for f in series if f.value is not None]
    if valued:
        return [Point(fmt_period(f.period), f.value or 0.0, f.basis == "estimate") for f in valued], "value", valued
    grown = [f for f in series if f.yoy is not None]
    return [Point(fmt_period(f.period), f.yoy or 0.0, f.basis == "estimate") for f in grown], "growth", grown


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
