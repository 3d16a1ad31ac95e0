"""The bot's answers, independent of Telegram: the chat and `govwatch ask` share this one code path.

`Answers.answer(text, chat_id, user_id)` reads a command (`/gdp 古交`, `/gdp@govwatch_bot 古交 2024`) or free
text (`古交GDP`, `交城 固定资产投资`) and returns the replies: Telegram HTML (every stored or typed string
escaped), an optional PNG, inline buttons; `Reply.plain_text()` is the same for a terminal.
"""

from __future__ import annotations

from bot.chat.arguments import REGION_HELP, Chat, Handler, RegionArgs
from bot.chat.export_answers import ExportAnswers
from bot.chat.figure_answers import FigureAnswers
from bot.chat.format import Button, Reply, echo, esc, fit_lines
from bot.chat.intents import COMMANDS, DEEP_LINK_COMMANDS, PAYLOAD_COMMANDS, Request, callback_text
from bot.chat.intents import parse as parse_request
from bot.chat.service_answers import ChatAnswers
from bot.chat.try_answers import Previewer, TryAnswers
from parsers.regions import Gazetteer
from storage.store import Store

__all__ = ["Answers", "Button", "Reply"]

WELCOME = (
    "你好！我是 govwatch：跟踪山西各地（先是古交市、交城县及周边）的政府工作报告、计划执行情况报告、"
    "统计公报和指标表，读出其中的主要经济数据，注明年份、实际/预计/目标和出处，并在有新报告时提醒你。\n"
    "试试：/gdp 古交、/data 交城县、/latest，或直接发送“古交GDP”。全部命令：/help"
)
FREE_TEXT_HELP = "也可以直接发文字：古交GDP、交城 固定资产投资、太原的社会消费品零售总额、古交 2025 gdp"
HELP_POINTER = "没太看懂。可以这样问：古交GDP、交城 固投，或发送 /help 查看全部命令。"


class Answers:
    """Answers a message (a command or free text) from the store, as one or more replies."""

    def __init__(
        self,
        store: Store,
        gazetteer: Gazetteer | None = None,
        admins: frozenset[int] = frozenset(),
        bot_username: str = "govwatch_bot",
        previewer: Previewer | None = None,
    ) -> None:
        """Answer from `store`; `admins` may use /status and /try (which reads pages through `previewer`);
        commands addressed to another bot are left alone."""
        self.store = store
        self.gazetteer = gazetteer or Gazetteer.default()
        self.admins = admins
        self.bot_username = bot_username
        args = RegionArgs(self.gazetteer)
        self._handlers: dict[str, Handler] = {
            "": self._pointer,
            "start": self._start,
            "help": self._help,
            **FigureAnswers(store, args).handlers(),
            **ChatAnswers(store, args, admins).handlers(),
            **TryAnswers(previewer, admins).handlers(),
            **ExportAnswers(store, args).handlers(),
        }

    def commands(self) -> frozenset[str]:
        """The command names this answers (the empty name of free text aside)."""
        return frozenset(name for name in self._handlers if name)

    def answer(self, text: str, chat_id: int, user_id: int | None = None) -> list[Reply]:
        """The replies to a message; none for a command addressed to another bot."""
        request = parse_request(text, self.gazetteer, self.bot_username)
        if request is None:
            return []
        handler = self._handlers.get(request.command, self._unknown)
        return handler(request, Chat(chat_id, user_id))

    def answer_callback(self, data: str, chat_id: int, user_id: int | None = None) -> list[Reply]:
        """The replies to a button's callback data (`chart:140181:gdp`), as if its command had been typed."""
        text = callback_text(data)
        return [] if text is None else self.answer(text, chat_id, user_id)

    def _pointer(self, request: Request, chat: Chat) -> list[Reply]:
        """Free text with neither a region nor an indicator: a short pointer to /help."""
        return [Reply(esc(HELP_POINTER))]

    def _unknown(self, request: Request, chat: Chat) -> list[Reply]:
        """A command this bot does not have."""
        return [Reply(f"没有这个命令：/{echo(request.command)}。发送 /help 查看全部命令。")]

    def _start(self, request: Request, chat: Chat) -> list[Reply]:
        """The welcome; a deep-link payload (`sub_140181`, `chart_140181-fai`) runs its command as well."""
        words = request.text.split()
        head, _, rest = (words[0] if words else "").partition("_")
        command = PAYLOAD_COMMANDS.get(head, head)
        welcome = Reply(esc(WELCOME))
        if command not in DEEP_LINK_COMMANDS or not rest:
            return [welcome]
        return [welcome, *self.answer(f"/{command} {rest.replace('-', ' ')}", chat.chat_id, chat.user_id)]

    def _help(self, request: Request, chat: Chat) -> list[Reply]:
        """Every command with a one-line description and an example."""
        lines = ["<b>命令</b>"]
        for spec in COMMANDS.values():
            lines.append(f"{esc(spec.usage)} — {esc(spec.description)}")
            lines += [f"　例：{esc(spec.example)}"] if spec.example != spec.usage else []
        lines += ["", esc(FREE_TEXT_HELP), esc(REGION_HELP)]
        return [Reply(fit_lines(lines))]
