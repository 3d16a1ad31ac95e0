"""The answers about documents, subscriptions and the service: /latest, /search, /subscribe…, /sources, /status."""

from __future__ import annotations

from collections.abc import Callable

from bot.chat.arguments import Chat, Handler, RegionArgs, usage
from bot.chat.format import Button, Reply, echo, esc, fit_lines
from bot.chat.intents import ALL_WORDS, Request, callback_data
from bot.chat.views import document_lines, search_lines, source_lines, status_lines
from storage.store import Store

__all__ = ["ChatAnswers"]

LATEST_DOCUMENTS = 10
SEARCH_HITS = 10
SEARCH_QUERY_LIMIT = 100  # characters of a search term passed to the store
RECENT_POLLS = 10
SUBSCRIPTION_BUTTONS = 20
ALL_CALLBACK = "all"  # `unsub:all`: the 全部 subscription (an ASCII word of ALL_WORDS)

# What /subscribe and /unsubscribe say: (changed, not changed) for a region, then for everything.
SUBSCRIBE_SAID: dict[bool, tuple[str, str]] = {
    True: ("已订阅{label}{scope}：收录到新报告或新数据时会通知这个聊天。", "这个聊天已经订阅了{label}。"),
    False: ("已取消订阅{label}。", "这个聊天没有订阅{label}。发送 /subscriptions 查看当前订阅。"),
}
SCOPE_BELOW = "（含下辖地区）"


class ChatAnswers:
    """Answers about stored documents, the chat's subscriptions and the sources' health."""

    def __init__(self, store: Store, args: RegionArgs, admins: frozenset[int]) -> None:
        """Read from `store`; regions through `args`; `admins` may see /status."""
        self.store = store
        self.args = args
        self.admins = admins

    def handlers(self) -> dict[str, Handler]:
        """The commands answered here."""
        return {
            "latest": self.latest,
            "search": self.search,
            "subscribe": self.subscribe,
            "unsubscribe": self.unsubscribe,
            "subscriptions": self.subscriptions,
            "sources": self.sources,
            "status": self.status,
        }

    def latest(self, request: Request, chat: Chat) -> list[Reply]:
        """The newest documents, of a region when one is named."""
        code: str | None = None
        label = "全部地区"
        if request.regions:
            regions = self.args.regions(request, 1)
            if isinstance(regions, Reply):
                return [regions]
            code, label = regions[0].code, self.args.label(regions[0])
        docs = self.store.latest_documents(code, LATEST_DOCUMENTS)
        if not docs:
            return [Reply(f"还没有收录{esc(label)}的文件。发送 /sources 查看数据源状态。")]
        lines = [f"<b>最新文件 · {esc(label)}</b>", *(line for doc in docs for line in document_lines(doc))]
        return [Reply(fit_lines(lines))]

    def search(self, request: Request, chat: Chat) -> list[Reply]:
        """Up to ten stored reports containing the words, each with a snippet around the match."""
        query = " ".join(request.text.split())[:SEARCH_QUERY_LIMIT]
        if not query:
            return [usage("search")]
        docs = self.store.search_documents(query, SEARCH_HITS)
        if not docs:
            return [Reply(f"没有找到包含“{echo(query)}”的报告。")]
        head = f"<b>搜索“{echo(query)}”</b>：{len(docs)}条结果"
        return [Reply(fit_lines([head, *search_lines(query, docs)]))]

    def subscribe(self, request: Request, chat: Chat) -> list[Reply]:
        """Follow a region, or everything (全部)."""
        return self._change(request, chat, self.store.subscribe, subscribing=True)

    def unsubscribe(self, request: Request, chat: Chat) -> list[Reply]:
        """Stop following a region, or everything (全部)."""
        return self._change(request, chat, self.store.unsubscribe, subscribing=False)

    def _change(
        self, request: Request, chat: Chat, change: Callable[[int, str | None], bool], subscribing: bool
    ) -> list[Reply]:
        """Subscribe or unsubscribe the chat and say what happened."""
        target = self._target(request)
        if isinstance(target, Reply):
            return [target]
        code, scope = target
        changed = change(chat.chat_id, code)
        said = SUBSCRIBE_SAID[subscribing][0 if changed else 1]
        text = esc(said.format(label=self.args.code_label(code), scope=scope))
        undo = "unsubscribe" if subscribing else "subscribe"
        verb = "取消订阅" if subscribing else "重新订阅"
        data = callback_data(undo, code or ALL_CALLBACK)
        buttons = ((Button(verb, callback_data=data),),) if changed and data else ()
        return [Reply(text, buttons=buttons)]

    def _target(self, request: Request) -> tuple[str | None, str] | Reply:
        """The region code a (un)subscription is about (None: everything) and how far it reaches."""
        if request.text.strip().casefold() in ALL_WORDS:
            return None, ""
        regions = self.args.regions(request, 1)
        if isinstance(regions, Reply):
            return regions
        region = regions[0]
        return region.code, (SCOPE_BELOW if self.args.gazetteer.children_of(region) else "")

    def subscriptions(self, request: Request, chat: Chat) -> list[Reply]:
        """The chat's subscriptions, each with a button to drop it."""
        codes = self.store.subscriptions(chat.chat_id)
        if not codes:
            return [Reply("这个聊天还没有订阅。发送 /subscribe 古交 订阅一个地区，或 /subscribe 全部。")]
        labels = [self.args.code_label(code) for code in codes]
        lines = ["<b>本聊天的订阅</b>", *(f"• {esc(label)}" for label in labels)]
        rows = tuple(
            (Button(f"退订{label}", callback_data=callback_data("unsubscribe", code or ALL_CALLBACK)),)
            for code, label in list(zip(codes, labels, strict=True))[:SUBSCRIPTION_BUTTONS]
        )
        return [Reply(fit_lines(lines), buttons=rows)]

    def sources(self, request: Request, chat: Chat) -> list[Reply]:
        """Every source with its health."""
        states = self.store.sources()
        if not states:
            return [Reply("还没有登记数据源。")]
        lines = [f"<b>数据源</b>（{len(states)}个）", *(line for s in states for line in source_lines(s))]
        return [Reply(fit_lines(lines))]

    def status(self, request: Request, chat: Chat) -> list[Reply]:
        """Counts, the outbox and recent polls — for admins only."""
        if chat.user_id not in self.admins:
            return [Reply("抱歉，/status 仅供管理员使用。")]
        polls = self.store.recent_polls(limit=RECENT_POLLS)
        return [Reply(fit_lines(status_lines(self.store.stats(), self.store.outbox_counts(), polls)))]
