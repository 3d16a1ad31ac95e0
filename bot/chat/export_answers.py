"""`/export <地区> [csv|xlsx]`: a region's figures (a city's with its counties') sent as a file."""

from __future__ import annotations

from dataclasses import replace

from bot.chat.arguments import Chat, Handler, RegionArgs, usage
from bot.chat.format import Reply, esc
from bot.chat.intents import Request
from storage.store import Store

__all__ = ["EXPORT_FORMATS", "ExportAnswers"]

# Words that choose the file's format (the first one named wins; CSV by default).
EXPORT_FORMATS: dict[str, str] = {"csv": "csv", "xlsx": "xlsx", "excel": "xlsx", "表格": "xlsx"}


class ExportAnswers:
    """The region's stored figures as CSV (UTF-8 with a BOM) or XLSX (one sheet per indicator)."""

    def __init__(self, store: Store, args: RegionArgs) -> None:
        """Read from `store`; regions through `args`."""
        self.store = store
        self.args = args

    def handlers(self) -> dict[str, Handler]:
        """The commands answered here."""
        return {"export": self.export}

    def export(self, request: Request, chat: Chat) -> list[Reply]:
        """The file, with a one-line caption."""
        from bot.spreadsheets import figures_csv, figures_xlsx

        words = [t for t in request.regions if t.casefold() in EXPORT_FORMATS]
        fmt = EXPORT_FORMATS[words[0].casefold()] if words else "csv"
        named = replace(request, regions=tuple(t for t in request.regions if t.casefold() not in EXPORT_FORMATS))
        if not named.regions:
            return [usage("export")]
        regions = self.args.regions(named, 1)
        if isinstance(regions, Reply):
            return [regions]
        region, label = regions[0], self.args.label(regions[0])
        codes = [r.code for r in self.args.gazetteer.with_descendants(region)]
        figures = self.store.figures_in(codes, request.indicators[0] if request.indicators else None)
        if not figures:
            return [Reply(f"还没有收录{esc(label)}的数据。发送 /sources 查看数据源状态。")]
        data = figures_csv(figures) if fmt == "csv" else figures_xlsx(figures)
        scope = "（含下辖地区）" if len(codes) > 1 else ""
        caption = f"{esc(label)}{scope}的全部数据：{len(figures)}项，{fmt.upper()}"
        return [Reply(caption, document=(f"govwatch-{region.code}.{fmt}", data))]
