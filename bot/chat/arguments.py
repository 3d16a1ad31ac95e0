"""Reading a request's region arguments: resolved regions, or the reply that says what is missing or unclear."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.chat.format import Button, Reply, echo, esc
from bot.chat.intents import COMMANDS, Request, callback_data
from parsers.regions import Gazetteer, Region, Resolution

__all__ = ["REGION_HELP", "Chat", "Handler", "RegionArgs", "usage"]

REGION_HELP = "地区可写全称、简称或代码：古交、古交市、交城县、吕梁、140181"
NO_DATA_HINT = "可以用 /latest {region} 看看已收录的文件，或用 /sources 查看数据源状态。"
# What a region query that resolves to no single region gets: keyed by (ambiguous, any candidates).
NOT_FOUND_SAID: dict[tuple[bool, bool], str] = {
    (True, True): "“{query}”可能指：{names}。请写得更具体些，或点选下面的地区。",
    (True, False): "“{query}”可能指多个地区。{help}。",
    (False, True): "没有找到地区“{query}”。你是不是要找：{names}？",
    (False, False): "没有找到地区“{query}”。{help}。",
}
SUGGESTIONS = 6  # candidate regions offered as buttons
BUTTONS_PER_ROW = 3


@dataclass(frozen=True, slots=True)
class Chat:
    """Who asks: the chat the reply goes to and the user who wrote."""

    chat_id: int
    user_id: int | None


Handler = Callable[[Request, Chat], list[Reply]]


class RegionArgs:
    """Regions named in requests, resolved with the gazetteer and labelled for replies."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        """Label regions whose bare name is shared (城区) with their parent's name."""
        self.gazetteer = gazetteer
        names = Counter(r.name for r in gazetteer.regions)
        self._shared = {name for name, n in names.items() if n > 1}

    def label(self, region: Region) -> str:
        """A region's name, with its parent's before it where the name alone is shared (阳泉市城区)."""
        parent = self.gazetteer.parent_of(region) if region.name in self._shared else None
        return (parent.name if parent else "") + region.name

    def code_label(self, code: str | None) -> str:
        """The label of a region code; `全部地区` for None, the code itself when unknown."""
        region = self.gazetteer.by_code(code) if code else None
        if code is None:
            return "全部地区"
        return self.label(region) if region else code

    def regions(self, request: Request, count: int) -> list[Region] | Reply:
        """The first `count` regions of a request, or the reply when one is missing, unknown or ambiguous."""
        if len(request.regions) < count:
            return usage(request.command)
        found: list[Region] = []
        for index, query in enumerate(request.regions[:count]):
            resolution = self.gazetteer.resolve(query)
            if resolution.region is None:
                return self._not_found(request, count, index, resolution)
            found.append(resolution.region)
        return found

    def _not_found(self, request: Request, count: int, index: int, resolution: Resolution) -> Reply:
        """Which regions an unknown or ambiguous query may mean, as text and as buttons."""
        query = echo(request.regions[index])
        options = resolution.candidates[:SUGGESTIONS]
        names = "、".join(esc(self.label(r)) for r in options)
        said = NOT_FOUND_SAID[(resolution.ambiguous, bool(options))]
        text = said.format(query=query, names=names, help=esc(REGION_HELP))
        buttons = [b for b in (self._retry(request, count, index, r) for r in options) if b is not None]
        rows = tuple(tuple(buttons[i : i + BUTTONS_PER_ROW]) for i in range(0, len(buttons), BUTTONS_PER_ROW))
        return Reply(text, buttons=rows)

    def _retry(self, request: Request, count: int, index: int, region: Region) -> Button | None:
        """A button asking the same again with `region` in place of the query at `index` (None if it cannot)."""
        others = [self.gazetteer.resolve(q).region for q in request.regions[:count]]
        codes = [region.code if i == index else (r.code if r else "") for i, r in enumerate(others)]
        if not all(codes):
            return None
        year = (request.year,) if request.year else ()
        data = callback_data(request.command, *codes, *request.indicators[:1], *year)
        return Button(self.label(region), callback_data=data) if data else None

    def no_data(self, region: Region, what: str, years: Sequence[str] = ()) -> Reply:
        """Nothing is stored for the question: say so, list the years there are, suggest what to try."""
        label = self.label(region)
        lines = [f"暂无{esc(label)}的{esc(what)}数据。"]
        lines += [f"已有年份：{'、'.join(years)}。"] if years else []
        return Reply("\n".join([*lines, esc(NO_DATA_HINT.format(region=label))]))


def usage(command: str) -> Reply:
    """The usage line of a command with an example."""
    spec = COMMANDS[command]
    return Reply(f"用法：{esc(spec.usage)}\n例如：{esc(spec.example)}\n{esc(REGION_HELP)}")
