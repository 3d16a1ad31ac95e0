"""The Telegram side: a python-telegram-bot Application answering through `Answers`, and the alert sender."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.alerts.dispatcher import FailureKind, SendFailure
from bot.alerts.render import AlertMessage, render_alert
from bot.chat.answers import Answers
from bot.chat.format import Button, Reply
from bot.chat.intents import COMMANDS
from bot.logs import redact
from bot.settings import TelegramSettings
from storage.records import OutboxRow
from storage.store import Store

log = logging.getLogger("govwatch.telegram")
AnyApp = Application[Any, Any, Any, Any, Any, Any]
RENDER_CACHE = 64
POLITE_ERROR = "抱歉，处理这条消息时出了点问题，请稍后再试。"
# Refusals that mean the chat will never take a message again.
PERMANENT_REFUSALS = ("chat not found", "bot was blocked", "user is deactivated", "bot was kicked", "have no rights")


def build_application(settings: TelegramSettings) -> AnyApp:
    """The PTB Application for the configured token and Bot API server (no updater started yet)."""
    builder: Any = ApplicationBuilder().token(settings.token).base_url(settings.base_url)
    builder = builder.base_file_url(settings.base_url.replace("/bot", "/file/bot", 1))
    # Replies to commands stay within the global and group limits; alerts are paced by the dispatcher.
    builder = builder.rate_limiter(AIORateLimiter(max_retries=0))
    if settings.proxy:
        builder = builder.proxy(settings.proxy).get_updates_proxy(settings.proxy)
    app: AnyApp = builder.build()
    return app


def keyboard(buttons: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    """Inline buttons for a reply, or None."""
    rows = [
        [InlineKeyboardButton(b.text, url=b.url, callback_data=None if b.url else b.callback_data) for b in row]
        for row in buttons
        if row
    ]
    return InlineKeyboardMarkup(rows) if rows else None


async def send_reply(sender: _Sender, chat_id: int, reply: Reply) -> None:
    """Send one reply: a photo with its caption, or HTML text, with its buttons."""
    markup = keyboard(reply.buttons)
    if reply.document is not None:
        await sender.send_document(chat_id, reply.document, reply.html, markup)
    elif reply.photo is not None:
        await sender.send_photo(chat_id, reply.photo, reply.html, markup)
    else:
        await sender.send_text(chat_id, reply.html, markup)


class _Sender:
    """Thin wrapper over the bot's send methods in HTML parse mode."""

    def __init__(self, application: AnyApp) -> None:
        self.bot: Bot = application.bot

    async def send_text(self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None) -> Message:
        """Send HTML text with its buttons."""
        return await self.bot.send_message(
            chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup, disable_web_page_preview=True
        )

    async def send_photo(
        self, chat_id: int, photo: bytes, caption: str, markup: InlineKeyboardMarkup | None
    ) -> Message:
        """Send a PNG with an HTML caption and its buttons."""
        return await self.bot.send_photo(
            chat_id, photo, caption=caption, parse_mode=ParseMode.HTML, reply_markup=markup
        )


    async def send_document(
        self, chat_id: int, document: tuple[str, bytes], caption: str, markup: InlineKeyboardMarkup | None
    ) -> Message:
        """Send a file (name, bytes) with an HTML caption."""
        name, data = document
        return await self.bot.send_document(
            chat_id, InputFile(data, filename=name), caption=caption, parse_mode=ParseMode.HTML, reply_markup=markup
        )


class TelegramBot:
    """The bot: command and free-text handlers over `Answers`, one error handler, commands registered in Chinese."""

    def __init__(self, settings: TelegramSettings, answers: Answers) -> None:
        self.settings = settings
        self.answers = answers
        self.app = build_application(settings)
        self.sender = _Sender(self.app)
        self._initialized = False
        # Telegram echoes it in X-Telegram-Bot-Api-Secret-Token on every webhook request.
        self.webhook_secret = settings.webhook_secret or secrets.token_urlsafe(32)
        for name in COMMANDS:
            self.app.add_handler(CommandHandler(name, self._on_text))
        self.app.add_handler(MessageHandler(filters.COMMAND, self._on_text))  # unknown commands get help
        self.app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, self._on_text))
        self.app.add_handler(CallbackQueryHandler(self._on_callback))
        self.app.add_error_handler(self._on_error)

    async def start(self) -> None:
        """Start sending and reading updates (one process alone; see `start_sending` and `start_updates`)."""
        await self.start_sending()
        await self.start_updates()

    async def start_sending(self) -> None:
        """Start by hand on the running loop (post_init does not run then): enough to send replies and alerts."""
        if not self._initialized:
            await self.app.initialize()
            self._initialized = True

    async def start_updates(self) -> None:
        """Read Telegram's updates (long polling): only the leader among the processes does, since Telegram
        answers a second reader with 409 Conflict. The command menu is registered then."""
        await self.start_sending()
        await self.app.bot.set_my_commands(
            [BotCommand(spec.name, spec.description[:256]) for spec in COMMANDS.values() if not spec.admin]
        )
        if not self.app.running:
            await self.app.start()
        assert self.app.updater is not None
        if not self.app.updater.running:
            if self.settings.webhook_url:
                await self._start_webhook()
            else:
                await self.app.updater.start_polling(drop_pending_updates=False, allowed_updates=Update.ALL_TYPES)
        how = "a webhook" if self.settings.webhook_url else "long polling"
        log.info("telegram: reading updates as @%s through %s", self.app.bot.username, how)

    async def _start_webhook(self) -> None:
        """Serve the webhook on this event loop (PTB's tornado server); Telegram sends the secret with each update
        and a request without it is refused."""
        assert self.app.updater is not None
        host, _, port = self.settings.webhook_listen.rpartition(":")
        await self.app.updater.start_webhook(
            listen=host.strip("[]"),
            port=int(port),
            url_path=urlsplit(self.settings.webhook_url).path.lstrip("/"),
            webhook_url=self.settings.webhook_url,
            secret_token=self.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
            drop_pending_updates=False,
        )

    async def stop_updates(self) -> None:
        """Stop reading updates (the lead passed to another process, or shutdown); sending goes on."""
        if self.app.updater is not None and self.app.updater.running:
            await self.app.updater.stop()
        if self.app.running:
            await self.app.stop()

    async def stop(self) -> None:
        """Stop polling and shut the application down."""
        await self.stop_updates()
        if self._initialized:
            await self.app.shutdown()
            self._initialized = False

    async def _on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        chat = update.effective_chat
        if message is None or chat is None or not message.text:
            return
        user = update.effective_user
        replies = await asyncio.to_thread(self.answers.answer, message.text, chat.id, user.id if user else None)
        for reply in replies:
            await send_reply(self.sender, chat.id, reply)

    async def _on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        chat = update.effective_chat
        if query is None or chat is None or not query.data:
            return
        await query.answer()
        user_id = query.from_user.id if query.from_user else None
        replies = await asyncio.to_thread(self.answers.answer_callback, query.data, chat.id, user_id)
        for reply in replies:
            await send_reply(self.sender, chat.id, reply)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error = context.error
        log.error("telegram: error while handling %r: %s", _summary(update), error, exc_info=error)
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is not None:
            with contextlib.suppress(TelegramError):
                await self.app.bot.send_message(chat.id, POLITE_ERROR)
        note = redact(f"govwatch 出错：{type(error).__name__}: {str(error)[:200]}", [self.settings.token])
        for admin in self.settings.admins:
            try:
                await self.app.bot.send_message(admin, html.escape(note, quote=False))
            except TelegramError:
                log.warning("telegram: could not tell admin %d", admin)


def _summary(update: object) -> str:
    if isinstance(update, Update) and update.effective_message is not None:
        text = update.effective_message.text or ""
        chat = update.effective_chat.id if update.effective_chat else None
        return f"chat {chat}: {text[:80]}"
    return type(update).__name__


class TelegramAlertSender:
    """Delivers outbox rows through the bot, turning Telegram's refusals into the dispatcher's failure kinds."""

    def __init__(self, bot: TelegramBot, store: Store) -> None:
        self.bot = bot
        self.store = store
        self._rendered: dict[int, list[AlertMessage]] = {}  # one document goes to many chats: render it once

    async def send_alert(self, row: OutboxRow) -> Sequence[int]:
        """Send one alert (split into messages ≤ 4096 characters) and return their message ids."""
        messages = self._rendered.get(row.document_id)
        if messages is None:
            messages = await asyncio.to_thread(render_alert, self.store, row.document_id)
            if len(self._rendered) >= RENDER_CACHE:
                self._rendered.clear()
            self._rendered[row.document_id] = messages
        ids: list[int] = []
        for message in messages:
            ids.append(await self._send(row.chat_id, message))
        return ids

    async def _send(self, chat_id: int, message: AlertMessage) -> int:
        try:
            sent = await self.bot.sender.send_text(chat_id, message.html, keyboard(message.buttons))
        except RetryAfter as exc:
            raise SendFailure("retry_after", str(exc), _seconds(exc.retry_after)) from exc
        except Forbidden as exc:
            raise SendFailure("permanent", str(exc)) from exc
        except ChatMigrated as exc:
            raise SendFailure("migrated", f"chat moved to {exc.new_chat_id}", new_chat_id=exc.new_chat_id) from exc
        except BadRequest as exc:
            kind: FailureKind = "permanent" if any(p in str(exc).lower() for p in PERMANENT_REFUSALS) else "rejected"
            raise SendFailure(kind, str(exc)) from exc
        except (TimedOut, NetworkError) as exc:
            raise SendFailure("transient", str(exc)) from exc
        return int(sent.message_id)


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
