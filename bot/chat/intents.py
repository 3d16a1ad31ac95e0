"""What a message asks for: a command with its arguments, or free text read into the matching command."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from parsers.indicators import indicators, synonyms
from parsers.regions import Gazetteer

__all__ = [
    "ALL_WORDS",
    "COMMANDS",
    "DEEP_LINK_COMMANDS",
    "FREE_TEXT_KEYWORDS",
    "IMPLIED_COMMANDS",
    "PAYLOAD_COMMANDS",
    "QUERY_ALIASES",
    "CommandSpec",
    "Request",
    "callback_data",
    "callback_text",
    "find_indicators",
    "parse",
]


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """A chat command: its arguments, a one-line Chinese description and an example."""

    name: str
    args: str
    description: str
    example: str
    admin: bool = False

    @property
    def usage(self) -> str:
        """`/gdp <地区> [年份]`."""
        return f"/{self.name} {self.args}".rstrip()


COMMANDS: dict[str, CommandSpec] = {
    spec.name: spec
    for spec in (
        CommandSpec("start", "", "开始使用，简要说明", "/start"),
        CommandSpec("help", "", "全部命令及示例", "/help"),
        CommandSpec("gdp", "<地区> [年份]", "地区生产总值：数值、年份、实际/预计/目标、增速和出处", "/gdp 古交"),
        CommandSpec("data", "<地区> [年份]", "最新一年（或指定年份）的全部主要指标", "/data 交城县 2023"),
        CommandSpec("compare", "<地区> <地区> [指标]", "两地同一指标对比（默认GDP）", "/compare 古交 交城 固投"),
        CommandSpec("targets", "<地区> [年份]", "最新一年（或指定年份）的预期目标", "/targets 古交"),
        CommandSpec("latest", "[地区]", "最新收录的报告和新闻", "/latest 古交"),
        CommandSpec("chart", "<地区> [指标]", "指标历年走势图（默认地区生产总值）", "/chart 古交 gdp"),
        CommandSpec("search", "<词>", "在已收录的报告全文中搜索", "/search 煤层气"),
        CommandSpec("export", "<地区> [csv|xlsx]", "导出地区的全部数据为表格文件（市含下辖县区）", "/export 吕梁 xlsx"),
        CommandSpec("subscribe", "<地区|全部>", "订阅一个地区（或全部）的新报告提醒", "/subscribe 古交"),
        CommandSpec("unsubscribe", "<地区|全部>", "取消订阅", "/unsubscribe 古交"),
        CommandSpec("subscriptions", "", "本聊天的订阅", "/subscriptions"),
        CommandSpec("sources", "", "各数据源的状态", "/sources"),
        CommandSpec("status", "", "运行状态（仅管理员）", "/status", admin=True),
        CommandSpec(
            "try",
            "<网址>",
            "试读网页：列表条目或文章数据，不保存（仅管理员）",
            "/try https://www.example.gov.cn/tjxx/tjgb/",
            admin=True,
        ),
    )
}

# Words a user may type for an indicator, beyond the names reports use (parsers/data/synonyms.tsv).
QUERY_ALIASES: dict[str, tuple[str, ...]] = {
    "固投": ("fai",),
    "投资": ("fai",),
    "固定投资": ("fai",),
    "社零": ("retail",),
    "社零额": ("retail",),
    "消费品零售": ("retail",),
    "零售总额": ("retail",),
    "消费": ("retail",),
    "财政收入": ("budget_revenue",),
    "财政": ("budget_revenue",),
    "预算收入": ("budget_revenue",),
    "一般公共预算": ("budget_revenue",),
    "工业增加值": ("industry_va",),
    "规上工业": ("industry_va",),
    "工业": ("industry_va",),
    "一产": ("primary_va",),
    "第一产业": ("primary_va",),
    "第二产业": ("secondary_va",),
    "第三产业": ("tertiary_va",),
    "二产": ("secondary_va",),
    "三产": ("tertiary_va",),
    "服务业": ("tertiary_va",),
    "人均": ("gdp_per_capita",),
    "城镇收入": ("urban_income",),
    "城镇居民收入": ("urban_income",),
    "农村收入": ("rural_income",),
    "农村居民收入": ("rural_income",),
    "农民收入": ("rural_income",),
    "居民收入": ("urban_income", "rural_income", "resident_income"),
    "人均收入": ("urban_income", "rural_income", "resident_income"),
    "可支配收入": ("urban_income", "rural_income", "resident_income"),
    "收入": ("urban_income", "rural_income", "resident_income"),
    "粮食": ("grain_output",),
    "原煤": ("coal_output",),
    "煤炭": ("coal_output",),
    "就业": ("new_urban_jobs",),
    "招商": ("investment_signed",),
    "招商引资": ("investment_signed",),
}

# Free-text words that choose a command, tried in this order (取消订阅 before 订阅, 数据源 before nothing).
FREE_TEXT_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("取消订阅", "unsubscribe"),
    ("退订", "unsubscribe"),
    ("订阅", "subscribe"),
    ("搜索", "search"),
    ("帮助", "help"),
    ("数据源", "sources"),
    ("对比", "compare"),
    ("比较", "compare"),
    ("目标", "targets"),
    ("走势", "chart"),
    ("趋势", "chart"),
    ("图表", "chart"),
    ("最新", "latest"),
)
# Free text without a keyword: (regions named, capped at 2; an indicator named?) → the command it means.
IMPLIED_COMMANDS: dict[tuple[int, bool], str] = {
    (0, False): "",
    (0, True): "gdp",
    (1, False): "data",
    (1, True): "gdp",
    (2, False): "compare",
    (2, True): "compare",
}
# Commands whose argument is the raw text after the keyword (nothing else is read out of it).
RAW_TEXT_COMMANDS: frozenset[str] = frozenset({"search", "start", "try"})

ALL_WORDS: frozenset[str] = frozenset({"全部", "所有", "全部地区", "所有地区", "all"})
# Short names in deep-link payloads (`/start sub_140181`) and button data (`unsub:140181`).
PAYLOAD_COMMANDS: dict[str, str] = {"sub": "subscribe", "unsub": "unsubscribe"}
# Commands a deep link may run after the welcome (`/start chart_140181-fai`: arguments joined by "-").
DEEP_LINK_COMMANDS: frozenset[str] = frozenset({"subscribe", "gdp", "data", "targets", "compare", "latest", "chart"})
CALLBACK_LIMIT = 64  # bytes of callback_data Telegram takes

_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])年?")
_CODE = re.compile(r"(?<![0-9])[0-9]{6}(?![0-9])")
_SEPARATORS = re.compile(r"[\s,，、;；/]+|(?<=\S)(?:和|与|跟|vs|VS)(?=\S)")
_PUNCTUATION = "的?？!！。.~～:：\"“”'‘’()（）[]【】"
_COMMAND = re.compile(r"/([A-Za-z0-9_]*)(?:@([A-Za-z0-9_]+))?(.*)", re.DOTALL)
_CALLBACK_PART = re.compile(r"[0-9A-Za-z_]{1,32}")


@dataclass(frozen=True, slots=True)
class Request:
    """A message read: the command, its raw argument text, and the regions, indicators and year in it."""

    command: str
    text: str = ""
    regions: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    year: str | None = None
    free: bool = False


@functools.cache
def _indicator_names() -> dict[str, tuple[str, ...]]:
    """Every name a query may use (casefolded) → the indicator ids it means (none for a look-alike)."""
    names: dict[str, tuple[str, ...]] = {ind_id: (ind_id,) for ind_id in indicators()}
    for name, readings in synonyms().items():
        plain = [r for r in readings if r.needs is None and r.context is None]
        if plain:
            names.setdefault(name.casefold(), plain[0].indicators)
    names.update({alias.casefold(): ids for alias, ids in QUERY_ALIASES.items()})
    return names


@functools.cache
def _indicator_regex() -> re.Pattern[str]:
    """Longest name first; a Latin name only as a whole word."""
    ordered = sorted(_indicator_names(), key=lambda n: (-len(n), n))
    parts = [rf"(?<![a-z_]){re.escape(n)}(?![a-z_])" if n.isascii() else re.escape(n) for n in ordered]
    return re.compile("|".join(parts), re.IGNORECASE)


def find_indicators(text: str) -> tuple[tuple[str, ...], str]:
    """The indicator ids named in a text (in order, without repeats) and the text with those names blanked."""
    names = _indicator_names()
    found: list[str] = []
    for match in _indicator_regex().finditer(text):
        found.extend(names[match.group().casefold()])
    return tuple(dict.fromkeys(found)), _indicator_regex().sub(" ", text)


def _take_year(text: str) -> tuple[str | None, str]:
    """The first 4-digit year (19xx/20xx) of a text and the text with every year blanked."""
    match = _YEAR.search(text)
    return (match.group(1) if match else None), _YEAR.sub(" ", text)


def _region_tokens(text: str) -> tuple[str, ...]:
    """What remains of an argument text once years and indicators are out: one region query per token."""
    tokens = (t.strip(_PUNCTUATION) for t in _SEPARATORS.split(text))
    return tuple(t for t in tokens if t)


def _command(text: str, bot_username: str) -> Request | None:
    """`/gdp@bot 古交 2024` read; None when it is addressed to another bot."""
    match = _COMMAND.match(text)
    if match is None:  # unreachable: the pattern matches any text that starts with "/"
        return None
    name, target, rest = match.group(1), match.group(2), match.group(3).strip()
    if target and target.casefold() != bot_username.casefold():
        return None
    year, rest_no_year = _take_year(rest)
    found, remainder = find_indicators(rest_no_year)
    return Request(name.casefold(), rest, _region_tokens(remainder), found, year)


def _keyword(text: str) -> tuple[str, str]:
    """The command a free-text keyword chooses ('' for none) and the text without it."""
    for word, command in FREE_TEXT_KEYWORDS:
        if word in text:
            return command, text.replace(word, " ", 1)
    return "", text


def _free_text(text: str, gazetteer: Gazetteer) -> Request:
    """Free text read into a command: keywords, else two regions → compare, region → gdp or data."""
    command, rest = _keyword(text)
    if command in RAW_TEXT_COMMANDS:
        return Request(command, rest.strip(), free=True)
    year, rest = _take_year(rest)
    found, rest = find_indicators(rest)
    codes = tuple(m.group() for m in _CODE.finditer(rest) if gazetteer.by_code(m.group()))
    regions = (*codes, *(m.surface for m in gazetteer.find_all(_CODE.sub(" ", rest), prose=False)))
    regions = tuple(dict.fromkeys(regions))
    implied = IMPLIED_COMMANDS[(min(len(regions), 2), bool(found))]
    return Request(command or implied, rest.strip(), regions, found, year, free=True)


def parse(text: str, gazetteer: Gazetteer, bot_username: str = "govwatch_bot") -> Request | None:
    """The request in a message; None for a command addressed to another bot."""
    stripped = text.strip()
    if stripped.startswith("/"):
        return _command(stripped, bot_username)
    return _free_text(stripped, gazetteer)


def callback_text(data: str) -> str | None:
    """The command a button's data stands for (`chart:140181:gdp` → `/chart 140181 gdp`); None if malformed."""
    head, *args = data.split(":")
    command = PAYLOAD_COMMANDS.get(head, head)
    if command not in COMMANDS or not all(_CALLBACK_PART.fullmatch(a) for a in args):
        return None
    return " ".join([f"/{command}", *args])


def callback_data(command: str, *args: str) -> str | None:
    """Button data for a command with ASCII arguments (`unsub:140181`); None when it would not fit 64 bytes."""
    short = {v: k for k, v in PAYLOAD_COMMANDS.items()}.get(command, command)
    data = ":".join([short, *args])
    ok = len(data.encode()) <= CALLBACK_LIMIT and all(_CALLBACK_PART.fullmatch(a) for a in args)
    return data if ok else None
