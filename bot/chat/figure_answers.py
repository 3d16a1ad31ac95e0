"""The answers about figures: /gdp (and any one indicator), /data, /targets, /compare, /chart."""

from __future__ import annotations

from bot.chat import views
from bot.chat.arguments import Chat, Handler, RegionArgs
from bot.chat.charts import line_chart
from bot.chat.format import CAPTION_LIMIT, Button, Reply, esc, fit_lines, fmt_period, indicator_name
from bot.chat.intents import Request, callback_data
from parsers.regions import Region
from storage.store import Store

__all__ = ["FigureAnswers"]

DEFAULT_INDICATOR = "gdp"


class FigureAnswers:
    """Answers read from the stored figures."""

    def __init__(self, store: Store, args: RegionArgs) -> None:
        """Read figures from `store`, regions through `args`."""
        self.store = store
        self.args = args

    def handlers(self) -> dict[str, Handler]:
        """The commands answered here."""
        return {
            "gdp": self.gdp,
            "data": self.data,
            "targets": self.targets,
            "compare": self.compare,
            "chart": self.chart,
        }

    def gdp(self, request: Request, chat: Chat) -> list[Reply]:
        """An indicator (GDP unless another is named) of a region: latest, history, target; or one year's."""
        regions = self.args.regions(request, 1)
        if isinstance(regions, Reply):
            return [regions]
        region = regions[0]
        wanted = request.indicators or (DEFAULT_INDICATOR,)
        sections = [s for s in (self._section(region, i, request.year) for i in wanted) if s]
        if not sections:
            stored = {views.year_of(f) for i in wanted for f in self.store.best_figures(region.code, i)}
            what = (f"{request.year}年" if request.year else "") + "、".join(indicator_name(i) for i in wanted)
            return [self.args.no_data(region, what, sorted(stored, reverse=True) if request.year else ())]
        lines = [line for section in sections for line in ("", *section)][1:]
        return [Reply(fit_lines(lines), buttons=self._buttons(region, wanted[0]))]

    def _section(self, region: Region, indicator: str, year: str | None) -> list[str]:
        """The lines of one indicator (empty when nothing is stored)."""
        label = self.args.label(region)
        if year is None:
            best = self.store.best_figures(region.code, indicator)
            return views.indicator_lines(label, indicator, best) if best else []
        every = [f for f in self.store.figures(region.code, indicator) if views.year_of(f) == year]
        return views.year_lines(label, indicator, year, every) if every else []

    def _buttons(self, region: Region, indicator: str) -> tuple[tuple[Button, ...], ...]:
        """A chart of the indicator and a subscription to the region."""
        chart = Button("走势图", callback_data=callback_data("chart", region.code, indicator))
        follow = Button(f"订阅{self.args.label(region)}", callback_data=callback_data("subscribe", region.code))
        return ((chart, follow),)

    def data(self, request: Request, chat: Chat) -> list[Reply]:
        """Every key figure of a region in its latest year (or the year asked)."""
        return self._year_table(request, views.data_lines, "主要指标", only_targets=False)

    def targets(self, request: Request, chat: Chat) -> list[Reply]:
        """The targets of a region for its latest target year (or the year asked)."""
        return self._year_table(request, views.targets_lines, "预期目标", only_targets=True)

    def _year_table(self, request: Request, render: views.YearView, what: str, only_targets: bool) -> list[Reply]:
        """A region's figures of one year, rendered by `render`, with the reports they came from."""
        regions = self.args.regions(request, 1)
        if isinstance(regions, Reply):
            return [regions]
        region = regions[0]
        best = self.store.best_figures(region.code)
        pool = views.targets(best) if only_targets else best
        year = request.year or views.latest_year(pool)
        lines, shown = render(self.args.label(region), best, year) if year else ([], [])
        if not shown:
            years = sorted({views.year_of(f) for f in pool}, reverse=True)
            return [self.args.no_data(region, (f"{year}年" if request.year else "") + what, years)]
        body = fit_lines(lines, tail=views.sources_lines(shown))
        return [Reply(body, buttons=self._buttons(region, DEFAULT_INDICATOR))]

    def compare(self, request: Request, chat: Chat) -> list[Reply]:
        """One indicator (GDP unless named) side by side for two regions, in their latest common period."""
        regions = self.args.regions(request, 2)
        if isinstance(regions, Reply):
            return [regions]
        indicator = request.indicators[0] if request.indicators else DEFAULT_INDICATOR
        sides = [(self.args.label(r), self.store.best_figures(r.code, indicator)) for r in regions]
        if not any(figs for _, figs in sides):
            names = "和".join(label for label, _ in sides)
            return [Reply(f"暂无{esc(names)}的{esc(indicator_name(indicator))}数据。可以用 /sources 查看数据源状态。")]
        lines, shown = views.compare_lines(indicator, sides)
        return [Reply(fit_lines(lines, tail=views.sources_lines(shown)))]

    def chart(self, request: Request, chat: Chat) -> list[Reply]:
        """A PNG of an indicator's history (values, else growth); a text reply when there is nothing to draw."""
        regions = self.args.regions(request, 1)
        if isinstance(regions, Reply):
            return [regions]
        region = regions[0]
        indicator = request.indicators[0] if request.indicators else DEFAULT_INDICATOR
        points, measure, used = views.chart_points(self.store.best_figures(region.code, indicator))
        if not points:
            return [self.args.no_data(region, indicator_name(indicator))]
        growth = measure == "growth"
        unit = "同比增长（%）" if growth else used[0].unit
        title = f"{self.args.label(region)} {indicator_name(indicator)}" + (" 同比增长" if growth else "")
        note = "空心点为预计值" if any(p.estimate for p in points) else ""
        png = line_chart(title, unit, points, note)
        span = f" {fmt_period(used[0].period)}—{fmt_period(used[-1].period)}" if len(used) > 1 else ""
        caption = [f"<b>{esc(title)}</b>（{esc(unit)}）{esc(span)}", *([note + "。"] if note else [])]
        return [Reply(fit_lines(caption, CAPTION_LIMIT, tail=views.sources_lines(used)), photo=png)]
