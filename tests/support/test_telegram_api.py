"""FakeTelegram driven by the real python-telegram-bot stack: telegram.Bot and a hand-started Application."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time
import warnings
from collections.abc import Iterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from tests.support.telegram_api import (
    DEFAULT_TOKEN,
    EntityParseError,
    FakeTelegram,
    command_entities,
    parse_html,
    utf16_len,
)

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server
        assert server.errors == []  # nothing went wrong inside the fake itself


def bot_for(fake: FakeTelegram, token: str = DEFAULT_TOKEN) -> Bot:
    return Bot(token, base_url=fake.base_url, base_file_url=fake.base_file_url)


async def refused(call: object, kind: type[TelegramError] = BadRequest) -> str:
    """Await call, which must raise kind; the lower-cased message (PTB drops "Bad Request: " and capitalises)."""
    assert asyncio.iscoroutine(call)
    with pytest.raises(kind) as caught:
        await call
    return str(caught.value).lower()


def seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns on reading retry_after unless PTB_TIMEDELTA is set
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


# --- the HTML validator and the entities, without a server ----------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<b>hi</b>",
        "<B>caps</B> and <strong>strong</strong>, <i>i</i><em>em</em><u>u</u><ins>ins</ins><s>s</s><strike>x</strike>",
        '<a href="https://www.gov.cn/zhengce/?a=1&amp;b=2">国务院</a>',
        '<pre><code class="language-python">x &lt; 1 &amp;&amp; y &gt; 2</code></pre>',
        '<span class="tg-spoiler">s</span> <tg-spoiler>t</tg-spoiler>',
        "<blockquote expandable>引用</blockquote><blockquote>q</blockquote>",
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
        "&#x27;&#39;&quot;&#20320;",
        "1 > 0",
        "<b>粗<i>斜</i></b>",
    ],
)
def test_html_telegram_accepts(html: str) -> None:
    parse_html(html)


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("<b>x", 'can\'t find end tag corresponding to start tag "b"'),
        ("a & b", "character '&' at byte offset 2"),
        ("关于…&…的报告", "character '&' at byte offset 9"),  # byte offsets are UTF-8
        ("&nbsp;", "character '&'"),
        ("&lt", "character '&'"),
        ("<br>", 'unsupported start tag "br"'),
        ("<br/>", 'unsupported start tag "br/"'),
        ("<p>x</p>", 'unsupported start tag "p"'),
        ("a < b", 'unsupported start tag ""'),
        ("<b>x</i>", 'expected "</b>", found "</i>"'),
        ("<b><i>x</b></i>", 'expected "</i>", found "</b>"'),
        ("x</b>", "unexpected end tag at byte offset 1"),
        ("<b", "unclosed start tag"),
        ('<a href="x>y</a>', "unclosed start tag"),
        ("<span>x</span>", 'must have class "tg-spoiler"'),
        ("<a>x</a>", 'must have attribute "href"'),
        ("<tg-emoji>x</tg-emoji>", 'must have attribute "emoji-id"'),
        ("<b x>y</b>", "expected equal sign"),
    ],
)
def test_html_telegram_refuses(html: str, message: str) -> None:
    with pytest.raises(EntityParseError) as caught:
        parse_html(html)
    assert message in str(caught.value).lower()


def test_html_plain_text_and_entities_in_utf16() -> None:
    plain, entities = parse_html('<b>粗</b>😀<i>x</i> <a href="https://a.cn/?q=1&amp;r=2">链接</a> a &lt; b')
    assert plain == "粗😀x 链接 a < b"
    assert entities == [
        {"type": "bold", "offset": 0, "length": 1},
        {"type": "italic", "offset": 3, "length": 1},  # the emoji takes two UTF-16 units
        {"type": "text_link", "offset": 5, "length": 2, "url": "https://a.cn/?q=1&r=2"},
    ]
    assert parse_html("a & b", strict=False) == ("a & b", [])  # what Telegram itself does with a bare &
    assert utf16_len("你好😀") == 4


def test_command_entities_as_telegram_marks_them() -> None:
    assert command_entities("/start") == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert command_entities("/start@govwatch_bot 太原") == [{"type": "bot_command", "offset": 0, "length": 19}]
    assert command_entities("😀 /help x/no /sub_1") == [
        {"type": "bot_command", "offset": 3, "length": 5},
        {"type": "bot_command", "offset": 14, "length": 6},
    ]
    assert command_entities("no command") == []


# --- telegram.Bot against the fake ---------------------------------------------------------------------


def test_bot_sends_are_recorded_and_refused_as_telegram_does(fake: FakeTelegram) -> None:
    async def scenario() -> None:
        async with bot_for(fake) as bot:
            me = await bot.get_me()
            assert (me.id, me.username, me.is_bot, me.can_join_groups) == (9999, "govwatch_bot", True, True)

            first = await bot.send_message(42, "<b>hi</b> &amp; 你好", parse_mode="HTML")
            assert (first.message_id, first.chat.id, first.text) == (1, 42, "hi & 你好")
            assert first.from_user is not None and first.from_user.id == 9999
            keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("太原市", callback_data="r:140100")]])
            second = await bot.send_message(42, "plain", reply_markup=keyboard)
            other = await bot.send_message(-1001234, "群")
            assert (second.message_id, other.message_id) == (2, 1)  # message ids count per chat

            assert "can't parse entities" in await refused(bot.send_message(42, "<b>x", parse_mode="HTML"))
            assert "can't parse entities" in await refused(bot.send_message(42, "a & b", parse_mode="HTML"))
            assert "can't parse entities" in await refused(bot.send_message(42, "1<2", parse_mode="HTML"))
            await bot.send_message(42, "a & b")  # without a parse_mode nothing is markup
            assert "message is too long" in await refused(bot.send_message(42, "x" * 4097))
            assert "message is too long" in await refused(bot.send_message(42, "😀" * 2049))  # 4098 UTF-16 units
            await bot.send_message(42, "字" * 4096)
            await bot.send_message(42, "<b>" + "&lt;" * 4096 + "</b>", parse_mode="HTML")  # counted after parsing
            assert "message text is empty" in await refused(bot.send_message(42, ""))
            assert "message text is empty" in await refused(bot.send_message(42, "<b> </b>", parse_mode="HTML"))
            too_long_data = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="地" * 22)]])  # 66 bytes
            assert "button_data_invalid" in await refused(bot.send_message(42, "k", reply_markup=too_long_data))
            fits = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="地" * 21)]])  # 63 bytes
            await bot.send_message(42, "k", reply_markup=fits)

            photo = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
            sent_photo = await bot.send_photo(42, photo, caption="<i>图表</i>", parse_mode="HTML")
            assert sent_photo.caption == "图表" and sent_photo.photo[-1].file_size == len(photo)
            assert "caption is too long" in await refused(bot.send_photo(42, photo, caption="x" * 1025))
            assert await bot.send_chat_action(42, "typing")

    asyncio.run(scenario())
    sent = fake.sent_to(42)
    assert sent[0].method == "sendMessage" and sent[0].text == "<b>hi</b> &amp; 你好"
    assert (sent[0].parse_mode, sent[0].plain, sent[0].message_id) == ("HTML", "hi & 你好", 1)
    assert sent[1].reply_markup == {"inline_keyboard": [[{"text": "太原市", "callback_data": "r:140100"}]]}
    photo_sent = [s for s in fake.sent if s.method == "sendPhoto"]
    assert [(s.photo_size, s.text) for s in photo_sent] == [(8 + 256 * 40, "<i>图表</i>")]
    assert [s.chat_id for s in fake.sent].count(-1001234) == 1
    refusals = [r for r in fake.requests if r.status != 200]
    assert len(refusals) == 9 and {r.status for r in refusals} == {400}
    assert fake.requests_for("sendChatAction")[0].params["action"] == "typing"


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # RetryAfter warns as it is built
def test_faults_raise_what_ptb_raises(fake: FakeTelegram) -> None:
    async def scenario() -> None:
        async with bot_for(fake) as bot:
            fake.fail_next(2, 429, retry_after=7)
            with pytest.raises(RetryAfter) as caught:
                await bot.send_message(1, "a")
            assert seconds(caught.value) == 7
            await refused(bot.send_message(1, "b"), RetryAfter)
            await bot.send_message(1, "c")  # the fault is used up

            fake.fail_next(1, 502)
            assert "bad gateway" in await refused(bot.send_message(1, "d"), NetworkError)

            fake.fail_next(1, 429, retry_after=3, chat_id=2)  # only for chat 2
            await bot.send_message(1, "e")
            await refused(bot.send_message(2, "f"), RetryAfter)
            await bot.get_me()  # not a send: never refused by fail_next

            fake.block_chat(3)
            assert "bot was blocked by the user" in await refused(bot.send_message(3, "g"), Forbidden)
            await refused(bot.send_chat_action(3, "typing"), Forbidden)
            fake.unblock_chat(3)
            await bot.send_message(3, "h")

            fake.gone_chat(4)
            assert "chat not found" in await refused(bot.send_message(4, "i"))
            fake.migrate_chat(-5, -1005)
            with pytest.raises(ChatMigrated) as migrated:
                await bot.send_message(-5, "j")
            assert migrated.value.new_chat_id == -1005

    asyncio.run(scenario())
    assert [s.text for s in fake.sent] == ["c", "e", "h"]
    assert [r.status for r in fake.requests_for("sendMessage")] == [429, 429, 200, 502, 200, 429, 403, 200, 400, 400]
    assert fake.max_rate(1, include_refused=True) == 5 and fake.max_rate(1) == 2


def test_unknown_method_is_bad_request_and_a_wrong_token_unauthorized(fake: FakeTelegram) -> None:
    async def scenario() -> None:
        async with bot_for(fake) as bot:
            assert "method not found" in await refused(bot.get_chat_menu_button())
            assert "method not found" in await refused(bot.do_api_request("unknownMethod"))
            assert (await bot.do_api_request("GETME"))["username"] == "govwatch_bot"  # names are case-insensitive
        with pytest.raises(InvalidToken):
            async with bot_for(fake, "123:WRONG") as wrong:  # initialize() calls getMe
                await wrong.get_me()

    asyncio.run(scenario())
    assert fake.requests[-1].status == 401


def test_get_updates_confirms_by_offset_and_long_polls(fake: FakeTelegram) -> None:
    async def scenario() -> None:
        async with bot_for(fake) as bot:
            fake.push_message(42, "/start")
            fake.push_message(-100777, "/status@govwatch_bot 太原", user_id=5, chat_type="supergroup", username="li")
            updates = await bot.get_updates()
            assert len(updates) == 2
            assert len(await bot.get_updates()) == 2  # nothing confirmed yet
            first, second = (u.message for u in updates)
            assert first is not None and second is not None
            assert first.text == "/start" and first.chat.type == "private" and first.from_user is not None
            assert first.from_user.id == 42
            assert (
                second.chat.type == "supergroup" and second.from_user is not None and second.from_user.username == "li"
            )
            assert second.entities[0].type == "bot_command" and second.entities[0].length == 20
            assert len(await bot.get_updates(offset=updates[0].update_id + 1)) == 1  # the first is confirmed
            last = updates[-1].update_id
            assert await bot.get_updates(offset=last + 1) == ()
            assert fake.pending_updates == []

            started = time.monotonic()
            assert await bot.get_updates(offset=last + 1, timeout=1) == ()  # long poll: waits, then empty
            assert 0.9 <= time.monotonic() - started < 1.8

            threading.Timer(0.2, fake.push_callback, args=(42, "r:140100")).start()
            started = time.monotonic()
            woken = await bot.get_updates(offset=last + 1, timeout=1)
            assert time.monotonic() - started < 0.8  # answered as soon as the update arrived
            assert woken[0].callback_query is not None and woken[0].callback_query.data == "r:140100"
            assert (await bot.get_webhook_info()).pending_update_count == 1
            assert await bot.delete_webhook(drop_pending_updates=True)
            assert await bot.get_updates() == ()

    asyncio.run(scenario())


def test_edits_and_callback_answers(fake: FakeTelegram) -> None:
    async def scenario() -> None:
        async with bot_for(fake) as bot:
            keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("更多", callback_data="more")]])
            message = await bot.send_message(9, "第一页", reply_markup=keyboard)
            fake.push_callback(9, "more")
            (update,) = await bot.get_updates()
            query = update.callback_query
            assert query is not None and query.message is not None and query.message.message_id == message.message_id
            assert await bot.answer_callback_query(query.id, text="好")
            assert "query is too old" in await refused(bot.answer_callback_query(query.id))
            assert "not modified" in await refused(
                bot.edit_message_text("第一页", chat_id=9, message_id=message.message_id, reply_markup=keyboard)
            )
            edited = await bot.edit_message_text(
                "<b>第二页</b>", chat_id=9, message_id=message.message_id, parse_mode="HTML"
            )
            assert not isinstance(edited, bool) and edited.text == "第二页" and edited.edit_date is not None
            assert "message to edit not found" in await refused(bot.edit_message_text("x", chat_id=9, message_id=99))

    asyncio.run(scenario())
    assert [(s.method, s.message_id, s.plain) for s in fake.sent_to(9)] == [
        ("sendMessage", 1, "第一页"),
        ("editMessageText", 1, "第二页"),
    ]
    assert [(a.text, a.show_alert) for a in fake.callback_answers] == [("好", False)]


def test_rate_measurements(fake: FakeTelegram) -> None:
    async def scenario() -> None:
        async with bot_for(fake) as bot:
            for text in ("a", "b", "c"):
                await bot.send_message(7, text)
                await bot.send_message(8, text)
                await asyncio.sleep(0.15)

    asyncio.run(scenario())
    assert fake.max_rate(7) == 3 and fake.max_rate(7, window=0.1) == 1
    assert fake.max_rate() == 6 and fake.max_rate(window=0.1) == 2
    interval = fake.min_interval(7)
    assert interval is not None and interval >= 0.14
    assert fake.min_interval(9) is None


def test_wait_for_blocks_until_the_sends_arrive(fake: FakeTelegram) -> None:
    def send_later() -> None:
        time.sleep(0.2)

        async def send() -> None:
            async with bot_for(fake) as bot:
                await bot.send_message(11, "迟到")

        asyncio.run(send())

    sender = threading.Thread(target=send_later)
    sender.start()
    assert fake.wait_for(lambda sent: any(s.chat_id == 11 for s in sent), timeout=5)
    sender.join()
    assert not fake.wait_for(2, timeout=0.2)


def test_stop_cuts_open_connections() -> None:
    async def scenario(fake: FakeTelegram) -> None:
        async with bot_for(fake) as bot:
            await bot.get_me()  # a keep-alive connection is open now
            fake.stop()
            with pytest.raises(NetworkError):
                await bot.send_message(1, "after stop")

    fake = FakeTelegram().start()
    asyncio.run(scenario(fake))


# --- a hand-started Application ------------------------------------------------------------------------


def test_application_answers_a_pushed_start_command(fake: FakeTelegram) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("太原市", callback_data="r:140100")]])
        await context.bot.send_message(
            update.effective_chat.id, "欢迎使用 <b>govwatch</b>", parse_mode="HTML", reply_markup=keyboard
        )

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"已订阅 {query.data}")

    async def scenario() -> None:
        app = (
            Application.builder().token(DEFAULT_TOKEN).base_url(fake.base_url).base_file_url(fake.base_file_url).build()
        )
        app.add_handler(CommandHandler("start", start))
        app.add_handler(CallbackQueryHandler(pressed))
        await app.initialize()
        await app.bot.set_my_commands([("start", "开始"), ("status", "数据源状态")])
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            fake.push_message(42, "/start")
            assert await fake.wait_for_async(1, timeout=5)
            fake.push_callback(42, "r:140100")
            assert await fake.wait_for_async(lambda sent: any(s.method == "editMessageText" for s in sent), timeout=5)
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()

    asyncio.run(scenario())
    reply, edit = fake.sent_to(42)
    assert (reply.method, reply.text, reply.plain, reply.parse_mode) == (
        "sendMessage",
        "欢迎使用 <b>govwatch</b>",
        "欢迎使用 govwatch",
        "HTML",
    )
    assert reply.reply_markup == {"inline_keyboard": [[{"text": "太原市", "callback_data": "r:140100"}]]}
    assert (edit.method, edit.message_id, edit.text) == ("editMessageText", reply.message_id, "已订阅 r:140100")
    assert reply.message_id == 2  # the user's /start was message 1 of the chat
    assert len(fake.callback_answers) == 1
    assert fake.my_commands() == [("start", "开始"), ("status", "数据源状态")]
    assert fake.pending_updates == []  # the updater confirmed what it handled before stopping
    assert [r.method for r in fake.requests[:2]] == ["getMe", "setMyCommands"]
    assert fake.requests_for("deleteWebhook")  # start_polling's bootstrap
