"""A local stand-in for the Telegram Bot API, for end-to-end tests of the real python-telegram-bot stack.

    with FakeTelegram() as fake:                                   # token "123:ABC", bot @govwatch_bot
        app = Application.builder().token(fake.token).base_url(fake.base_url).build()
        fake.push_message(42, "/start")                            # a user writes to the bot
        ...                                                        # run the app (see the tests)
        assert fake.wait_for(1) and fake.sent_to(42)[0].text.startswith("欢迎")

A real HTTP server on 127.0.0.1 (an ephemeral port) in a background thread. It speaks the Bot API as PTB
sends it (`POST {base_url}{token}/{method}` with a form, a JSON body or multipart/form-data for uploads;
GET with a query works too; method names are case-insensitive, as on Telegram) and answers
`{"ok": true, "result": ...}` or `{"ok": false, "error_code": N, "description": "...", "parameters": {...}}`.

What it refuses, as Telegram does (all 400 "Bad Request: ..." unless said):
- empty text ("message text is empty"), text over 4096 / caption over 1024 *after entity parsing* ("message is
  too long" / "message caption is too long"). Lengths are counted in UTF-16 code units, which is what Telegram
  counts entity offsets in: for CJK text it equals the number of characters, an emoji outside the BMP counts 2,
  so this is never more lenient than Telegram. Leading and trailing whitespace is trimmed first, as Telegram does.
- parse_mode HTML that Telegram's parser rejects ("can't parse entities: ..."), with tdlib's wording: unsupported
  or unclosed tags, wrongly nested end tags, `<span>` without class "tg-spoiler", and a bare `<`. Stricter than
  Telegram on purpose (both switchable off with `strict_html=False`): a `&` that does not start `&lt; &gt; &amp;
  &quot;` or `&#NN;`/`&#xHH;` (with the semicolon) is refused (Telegram shows it literally, which hides escaping
  bugs that do break on `&lt`-like titles), and `<a>` needs an href. Markdown and MarkdownV2 are not validated:
  their text is counted as sent. An unknown parse_mode is refused.
- `callback_data` that is empty or over 64 bytes in an inline keyboard ("BUTTON_DATA_INVALID"), a button with
  no action, an edit that changes nothing ("message is not modified: ..."), an edit of an unknown message,
  answering an unknown or already answered callback query, an unknown chat action, invalid bot commands.
- a wrong token: 401 Unauthorized (PTB: InvalidToken); an unknown method: 400 "Bad Request: method not found"
  (never 404, which PTB turns into InvalidToken); getUpdates while a webhook is set, or a getUpdates overtaken by
  a newer one: 409 Conflict, as when two processes poll.

Faults per test: `fail_next(n, 429, retry_after=S)` / `fail_next(n, 502)`, `block_chat` (403), `gone_chat`
(400 chat not found), `migrate_chat` (400 with migrate_to_chat_id). Every successful send is a `Sent` (`sent`,
`sent_to`, `wait_for`, `wait_for_async`), every call an `ApiRequest` (`requests`), and `max_rate` /
`min_interval` measure the sending pace.

Thread safety: all state sits behind one condition variable; every public method may be called from any thread.
Do not call the blocking `wait_for` from the event loop that runs the bot (it would stall the bot): await
`wait_for_async` there.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.message
import email.parser
import itertools
import json
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

TEXT_LIMIT = 4096  # UTF-16 code units of text after entity parsing
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64  # bytes
DEFAULT_TOKEN = "123:ABC"
# The calls that produce a Sent record; fail_next applies to these unless told otherwise.
SEND_METHODS: frozenset[str] = frozenset({"sendMessage", "sendPhoto", "sendDocument", "editMessageText"})
# Calls that address a chat: blocked / gone / migrated chats refuse all of them.
CHAT_METHODS: frozenset[str] = SEND_METHODS | {"sendChatAction"}
CHAT_ACTIONS: frozenset[str] = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)

JSONDict = dict[str, Any]
ChatId = int | str  # a numeric id, or "@channelusername"
Condition = int | Callable[[list["Sent"]], bool]


# --- records ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    """One message the bot sent (or edited) and the fake accepted."""

    method: str  # "sendMessage", "sendPhoto" or "editMessageText"
    chat_id: ChatId | None  # None for an edit of an inline message
    text: str | None  # the text as sent (markup included), or the photo's caption
    parse_mode: str | None
    reply_markup: JSONDict | None  # parsed JSON
    photo_size: int | None  # bytes of an uploaded photo; None when not a photo or sent by file_id/URL
    time: float  # time.monotonic() when the request arrived
    message_id: int | None  # the new (or edited) message's id; None for an inline message
    plain: str | None = None  # the text as the user sees it: entities parsed, tags stripped, trimmed
    params: Mapping[str, Any] = field(default_factory=dict)  # every parameter as received
    document: tuple[str, bytes] | None = None  # an uploaded document: its file name and bytes


@dataclass(frozen=True)
class ApiRequest:
    """One call as the fake saw it (successful or not)."""

    method: str  # as spelled in the URL
    params: Mapping[str, Any]  # form / query values are strings; a JSON body keeps its types
    time: float  # time.monotonic() when the request arrived
    status: int = 200  # the HTTP status answered
    files: Mapping[str, int] = field(default_factory=dict)  # uploaded parts: name -> size in bytes
    chat_id: ChatId | None = None


@dataclass(frozen=True)
class CallbackAnswer:
    """One answerCallbackQuery."""

    callback_query_id: str
    text: str | None
    show_alert: bool
    time: float


class ApiError(Exception):
    """An answer with ok=false (raised inside method implementations)."""

    def __init__(self, status: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


class EntityParseError(ValueError):
    """Telegram's HTML parser refused the text (the message is what follows "can't parse entities: ")."""


# --- Telegram's HTML subset --------------------------------------------------------------------------------

_TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACE = " \t\n\r\f\v"


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's entity offsets and (here) of its length limits."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8", "surrogatepass"))


def _decode_entity(text: str, pos: int, strict: bool) -> tuple[str, int] | None:
    """The character of the entity starting at text[pos] == "&" and the index after it, or None (not an entity)."""
    end = pos + 1
    code: int | None = None
    if text.startswith("#", end):
        end += 1
        if text[end : end + 1] in ("x", "X"):
            end += 1
            digits_start = end
            while end < len(text) and text[end] in "0123456789abcdefABCDEF":
                end += 1
            if end > digits_start:
                code = int(text[digits_start:end], 16)
        else:
            digits_start = end
            while end < len(text) and text[end].isdigit() and text[end].isascii():
                end += 1
            if end > digits_start:
                code = int(text[digits_start:end])
        if code is None or code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        char = chr(code)
    else:
        while end < len(text) and text[end].isascii() and text[end].isalpha():
            end += 1
        found = _NAMED_ENTITIES.get(text[pos + 1 : end])
        if found is None:
            return None
        char = found
    if text.startswith(";", end):
        return char, end + 1
    return None if strict else (char, end)


def _decode_attribute(value: str, strict: bool, text: str, offset: int) -> str:
    out: list[str] = []
    i = 0
    while i < len(value):
        if value[i] == "&":
            decoded = _decode_entity(value, i, strict)
            if decoded is not None:
                out.append(decoded[0])
                i = decoded[1]
                continue
            if strict:
                raise EntityParseError(
                    f"Character '&' at byte offset {_byte_offset(text, offset + i)} does not start an entity;"
                    " escape it as &amp;"
                )
        out.append(value[i])
        i += 1
    return "".join(out)


@dataclass
class _Open:
    tag: str
    start: int  # UTF-16 offset in the output
    attributes: dict[str, str]


def parse_html(text: str, *, strict: bool = True) -> tuple[str, list[JSONDict]]:
    """Telegram's HTML parse_mode: the plain text and its MessageEntity dicts (UTF-16 offsets).

    Raises EntityParseError with tdlib's wording. strict additionally refuses a `&` that starts no entity (or an
    entity without its `;`) and an `<a>` without href; Telegram itself shows such a `&` literally.
    """
    out: list[str] = []
    pos16 = 0
    stack: list[_Open] = []
    entities: list[JSONDict] = []
    n = len(text)
    i = 0
    while i < n:
        char = text[i]
        if char == "&":
            decoded = _decode_entity(text, i, strict)
            if decoded is not None:
                out.append(decoded[0])
                pos16 += utf16_len(decoded[0])
                i = decoded[1]
                continue
            if strict:
                raise EntityParseError(
                    f"Character '&' at byte offset {_byte_offset(text, i)} does not start an entity; escape it as &amp;"
                )
        if char != "<":
            out.append(char)
            pos16 += utf16_len(char)
            i += 1
            continue
        begin = i
        if text.startswith("/", i + 1):  # an end tag
            i += 2
            name_start = i
            while i < n and text[i] not in _SPACE and text[i] != ">":
                i += 1
            name = text[name_start:i].lower()
            while i < n and text[i] in _SPACE:
                i += 1
            if i >= n or text[i] != ">":
                raise EntityParseError(f"Unclosed end tag at byte offset {_byte_offset(text, begin)}")
            i += 1
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {_byte_offset(text, begin)}")
            top = stack.pop()
            if name != top.tag:
                raise EntityParseError(
                    f'Unmatched end tag at byte offset {_byte_offset(text, begin)}, expected "</{top.tag}>", '
                    f'found "</{name}>"'
                )
            if pos16 > top.start:
                entities.append(_entity(top, pos16 - top.start))
            continue
        i += 1  # a start tag
        name_start = i
        while i < n and text[i] not in _SPACE and text[i] != ">":
            i += 1
        if i >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
        tag = text[name_start:i].lower()
        if tag not in _TAG_ENTITY:
            raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {_byte_offset(text, begin)}')
        attributes: dict[str, str] = {}
        while True:
            while i < n and text[i] in _SPACE:
                i += 1
            if i >= n:
                raise EntityParseError(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
            if text[i] == ">":
                i += 1
                break
            attribute_start = i
            while i < n and text[i] not in _SPACE and text[i] not in "=>":
                i += 1
            attribute = text[attribute_start:i].lower()
            if not attribute:
                raise EntityParseError(
                    f'Empty attribute name in the tag "{tag}" at byte offset {_byte_offset(text, attribute_start)}'
                )
            while i < n and text[i] in _SPACE:
                i += 1
            if i >= n:
                raise EntityParseError(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
            if text[i] != "=":
                if tag == "blockquote" and attribute == "expandable":
                    attributes[attribute] = ""
                    continue
                raise EntityParseError(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}" at byte offset '
                    f"{_byte_offset(text, begin)}"
                )
            i += 1
            while i < n and text[i] in _SPACE:
                i += 1
            if i >= n:
                raise EntityParseError(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
            if text[i] in "\"'":
                quote = text[i]
                close = text.find(quote, i + 1)
                if close < 0:
                    raise EntityParseError(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
                value = _decode_attribute(text[i + 1 : close], strict, text, i + 1)
                i = close + 1
            else:
                value_start = i
                while i < n and ((text[i].isascii() and text[i].isalnum()) or text[i] in ".-"):
                    i += 1
                if i == value_start:
                    raise EntityParseError(f"Unexpected end of name token at byte offset {_byte_offset(text, i)}")
                value = text[value_start:i]
            attributes[attribute] = value
        if tag == "span" and attributes.get("class") != "tg-spoiler":
            raise EntityParseError('Tag "span" must have class "tg-spoiler"')
        if tag == "tg-emoji" and not attributes.get("emoji-id"):
            raise EntityParseError('Tag "tg-emoji" must have attribute "emoji-id"')
        if tag == "a" and strict and not attributes.get("href"):
            raise EntityParseError(f'Tag "a" must have attribute "href" at byte offset {_byte_offset(text, begin)}')
        stack.append(_Open(tag, pos16, attributes))
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _entity(open_tag: _Open, length: int) -> JSONDict:
    kind = _TAG_ENTITY[open_tag.tag]
    entity: JSONDict = {"type": kind, "offset": open_tag.start, "length": length}
    if kind == "text_link":
        entity["url"] = open_tag.attributes.get("href", "")
    elif kind == "custom_emoji":
        entity["custom_emoji_id"] = open_tag.attributes["emoji-id"]
    elif kind == "blockquote" and "expandable" in open_tag.attributes:
        entity["type"] = "expandable_blockquote"
    elif kind == "pre" and open_tag.attributes.get("class", "").startswith("language-"):
        entity["language"] = open_tag.attributes["class"].removeprefix("language-")
    return entity


def _trim(plain: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Telegram trims leading and trailing whitespace; entities move with the text."""
    stripped = plain.strip()
    if stripped == plain:
        return plain, entities
    shift = utf16_len(plain[: len(plain) - len(plain.lstrip())])
    size = utf16_len(stripped)
    kept: list[JSONDict] = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, size)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept


_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")


def command_entities(text: str) -> list[JSONDict]:
    """bot_command entities as Telegram marks them: every /command at the start or after whitespace."""
    return [
        {"type": "bot_command", "offset": utf16_len(text[: m.start()]), "length": utf16_len(m.group())}
        for m in _COMMAND.finditer(text)
    ]


# --- request parameters ------------------------------------------------------------------------------------


def _chat_key(value: Any) -> ChatId:
    if isinstance(value, bool):
        raise ApiError(400, "Bad Request: chat not found")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip() if value is not None else ""
    if not text:
        raise ApiError(400, "Bad Request: chat_id is empty")
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if text.startswith("@"):
        return text
    raise ApiError(400, "Bad Request: chat not found")


@dataclass
class _Call:
    method: str  # as in the URL
    params: dict[str, Any]
    files: dict[str, bytes]
    time: float
    chat_id: ChatId | None = None

    def text(self, name: str) -> str | None:
        value = self.params.get(name)
        if value is None:
            return None
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)

    def integer(self, name: str, default: int | None = None) -> int | None:
        value = self.params.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, int | float):
            return int(value)
        try:
            return int(float(str(value)))
        except ValueError:
            raise ApiError(400, f'Bad Request: invalid parameter "{name}"') from None

    def number(self, name: str, default: float) -> float:
        value = self.params.get(name)
        if value is None or value == "":
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ApiError(400, f'Bad Request: invalid parameter "{name}"') from None

    def flag(self, name: str) -> bool:
        value = self.params.get(name)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1")
        return bool(value)

    def parsed(self, name: str) -> Any:
        value = self.params.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise ApiError(400, f"Bad Request: can't parse {name} JSON object") from None


def _parse_body(content_type: str, body: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Parameters and uploaded files from a request body (form, JSON or multipart)."""
    header = email.message.Message()
    header["Content-Type"] = content_type or "application/octet-stream"
    kind = header.get_content_type()
    if not body:
        return {}, {}
    if kind == "application/json":
        value = json.loads(body.decode("utf-8"))
        return (dict(value) if isinstance(value, dict) else {}), {}
    if kind == "application/x-www-form-urlencoded":
        return {k: v[-1] for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items()}, {}
    if kind == "multipart/form-data":
        boundary = header.get_param("boundary")
        if not isinstance(boundary, str):
            return {}, {}
        return _parse_multipart(body, boundary.encode("latin-1"))
    return {}, {}


FILE_NAME_PREFIX = "\x00filename:"  # a key no Bot API parameter can have


def _parse_multipart(body: bytes, boundary: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    params: dict[str, Any] = {}
    files: dict[str, bytes] = {}
    for part in body.split(b"--" + boundary)[1:]:
        if part.startswith(b"--"):
            break
        part = part.removeprefix(b"\r\n")
        head, _, data = part.partition(b"\r\n\r\n")
        data = data.removesuffix(b"\r\n")
        headers = email.parser.BytesHeaderParser().parsebytes(head + b"\r\n\r\n")
        name = headers.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        filename = headers.get_param("filename", header="content-disposition")
        if filename is not None:
            files[name] = data
            params.setdefault(FILE_NAME_PREFIX + name, str(filename))  # the uploaded file's name, for sendDocument
        else:
            params[name] = data.decode("utf-8")
    return params, files


# --- the server --------------------------------------------------------------------------------------------


@dataclass
class _Fault:
    remaining: int
    status: int
    description: str
    parameters: JSONDict | None
    methods: frozenset[str]  # lower-cased
    chat_id: ChatId | None


@dataclass
class _Stored:
    message: JSONDict
    from_bot: bool
    raw_text: str | None = None
    parse_mode: str | None = None
    reply_markup: JSONDict | None = None


class FakeTelegram:
    """A local Telegram Bot API for the real PTB stack (see the module docstring)."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_id: int = 9999,
        bot_username: str = "govwatch_bot",
        bot_first_name: str = "govwatch",
        max_poll_wait: float = 2.0,
        strict_html: bool = True,
        first_update_id: int = 1_000_001,
        host: str = "127.0.0.1",
    ) -> None:
        self.token = token
        self.host = host
        self.max_poll_wait = max_poll_wait  # getUpdates waits min(timeout, this) seconds at most
        self.strict_html = strict_html
        self.bot_user: JSONDict = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.errors: list[BaseException] = []  # exceptions inside the fake (answered with 500)
        self._cond = threading.Condition()
        self._stopping = threading.Event()
        self._updates: list[JSONDict] = []
        self._update_ids = itertools.count(first_update_id)
        self._poll_generation = 0
        self._webhook_url = ""
        self._sent: list[Sent] = []
        self._requests: list[ApiRequest] = []
        self._answers: list[CallbackAnswer] = []
        self._open_callbacks: set[str] = set()
        self._callback_ids = itertools.count(7_000_000_000_001)
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._messages: dict[tuple[ChatId, int], _Stored] = {}
        self._last_message_id: dict[ChatId, int] = {}
        self._chat_types: dict[ChatId, str] = {}
        self._faults: list[_Fault] = []
        self._blocked: set[ChatId] = set()
        self._gone: set[ChatId] = set()
        self._migrated: dict[ChatId, int] = {}
        self._connections: set[socket.socket] = set()
        self._httpd = _Server((host, 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="FakeTelegram", daemon=True
        )
        self._methods: dict[str, Callable[[_Call], Any]] = {
            "getme": lambda call: dict(self.bot_user),
            "logout": lambda call: True,
            "close": lambda call: True,
            "getupdates": self._get_updates,
            "deletewebhook": self._delete_webhook,
            "setwebhook": self._set_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "sendphoto": self._send_photo,
            "senddocument": self._send_document,
            "sendchataction": self._send_chat_action,
            "answercallbackquery": self._answer_callback_query,
        }

    # --- lifecycle ---

    @property
    def port(self) -> int:
        """The bound port."""
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """For ApplicationBuilder().base_url(...): http://127.0.0.1:PORT/bot (PTB appends the token)."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ApplicationBuilder().base_file_url(...); file downloads are not served (404)."""
        return f"http://{self.host}:{self.port}/file/bot"

    def start(self) -> FakeTelegram:
        """Serve in a daemon thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; waiting getUpdates return at once and open keep-alive connections are cut."""
        self._stopping.set()
        with self._cond:
            self._cond.notify_all()
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        if self._thread.is_alive():
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # --- updates the bot will receive ---

    def push_raw(self, update: Mapping[str, Any]) -> int:
        """Queue an update as given; an update_id is assigned when missing. Returns the update_id."""
        with self._cond:
            value = dict(update)
            if "update_id" not in value:
                value["update_id"] = next(self._update_ids)
            self._updates.append(value)
            self._cond.notify_all()
            return int(value["update_id"])

    def push_message(
        self,
        chat_id: int,
        text: str,
        user_id: int | None = None,
        chat_type: str = "private",
        username: str | None = None,
        *,
        first_name: str = "测试用户",
        entities: Sequence[JSONDict] | None = None,
    ) -> int:
        """Queue a text Message from a user (bot_command entities marked as Telegram does). Returns the update_id.

        user_id defaults to chat_id in a private chat and to 424242 elsewhere. The message takes the chat's next
        message id (user and bot messages share the sequence, as in private chats).
        """
        user = self._user(chat_id, user_id, username, first_name, chat_type)
        with self._cond:
            self._chat_types[chat_id] = chat_type
            message_id = self._next_message_id(chat_id)
            message: JSONDict = {
                "message_id": message_id,
                "from": user,
                "chat": self._chat(chat_id, user),
                "date": int(time.time()),
                "text": text,
            }
            found = list(entities) if entities is not None else command_entities(text)
            if found:
                message["entities"] = found
            self._messages[(chat_id, message_id)] = _Stored(message, from_bot=False, raw_text=text)
            return self.push_raw({"message": message})

    def push_callback(
        self,
        chat_id: int,
        data: str,
        message_id: int | None = None,
        user_id: int | None = None,
        *,
        username: str | None = None,
        first_name: str = "测试用户",
    ) -> int:
        """Queue a callback_query (a button press) on message_id: by default the bot's last message in the chat.

        A message the bot never sent is made up (text "…") so that the bot may still edit it. Returns the update_id;
        the query's id is in the update (and answering it twice, or an unknown one, is refused).
        """
        with self._cond:
            chat_type = self._chat_types.get(chat_id, "private" if chat_id > 0 else "supergroup")
            user = self._user(chat_id, user_id, username, first_name, chat_type)
            if message_id is None:
                mine = [mid for (chat, mid), stored in self._messages.items() if chat == chat_id and stored.from_bot]
                message_id = max(mine) if mine else None
            stored = self._messages.get((chat_id, message_id)) if message_id is not None else None
            if stored is None or not stored.from_bot:
                message_id = message_id if message_id is not None else self._next_message_id(chat_id)
                self._last_message_id[chat_id] = max(self._last_message_id.get(chat_id, 0), message_id)
                made_up: JSONDict = {
                    "message_id": message_id,
                    "from": self._bot_sender(),
                    "chat": self._chat(chat_id, user),
                    "date": int(time.time()),
                    "text": "…",
                }
                stored = _Stored(made_up, from_bot=True, raw_text="…")
                self._messages[(chat_id, message_id)] = stored
            query_id = str(next(self._callback_ids))
            self._open_callbacks.add(query_id)
            return self.push_raw(
                {
                    "callback_query": {
                        "id": query_id,
                        "from": user,
                        "message": dict(stored.message),
                        "chat_instance": str(abs(chat_id) * 7 + 13),
                        "data": data,
                    }
                }
            )

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates not yet confirmed by the bot (a copy)."""
        with self._cond:
            return [dict(u) for u in self._updates]

    # --- what the bot did ---

    @property
    def sent(self) -> list[Sent]:
        """Every accepted send and edit, oldest first (a copy)."""
        with self._cond:
            return list(self._sent)

    def sent_to(self, chat_id: ChatId) -> list[Sent]:
        """The accepted sends and edits in one chat."""
        return [s for s in self.sent if s.chat_id == chat_id]

    @property
    def requests(self) -> list[ApiRequest]:
        """Every call answered so far (any status), in the order they were answered (a copy)."""
        with self._cond:
            return list(self._requests)

    def requests_for(self, method: str) -> list[ApiRequest]:
        """The calls of one method (case-insensitive)."""
        return [r for r in self.requests if r.method.lower() == method.lower()]

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        """Every accepted answerCallbackQuery (a copy)."""
        with self._cond:
            return list(self._answers)

    def my_commands(self, scope: Mapping[str, Any] | None = None, language_code: str = "") -> list[tuple[str, str]]:
        """The (command, description) pairs set by setMyCommands for a scope (default: the default scope)."""
        with self._cond:
            return [
                (c["command"], c["description"]) for c in self._commands.get(self._scope_key(scope, language_code), [])
            ]

    def wait_for(self, condition: Condition, timeout: float = 5.0) -> bool:
        """Block until condition holds: an int n (at least n sends in all) or a predicate on the list of sends.

        Returns whether it held before timeout. Never call it on the event loop that runs the bot: await
        wait_for_async there.
        """
        check = _as_predicate(condition)
        deadline = time.monotonic() + timeout
        with self._cond:
            while not check(list(self._sent)):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.1))
            return True

    async def wait_for_async(self, condition: Condition, timeout: float = 5.0) -> bool:
        """wait_for for coroutines sharing the loop with the bot: polls without blocking the loop."""
        check = _as_predicate(condition)
        deadline = time.monotonic() + timeout
        while not check(self.sent):
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(0.01)
        return True

    def max_rate(self, chat_id: ChatId | None = None, window: float = 1.0, *, include_refused: bool = False) -> int:
        """The most sends (in one chat, or overall) whose arrival fell within any window of `window` seconds.

        Counts accepted sends (SEND_METHODS); include_refused counts every attempt, refused ones too (a 429 answered
        is still a request Telegram counted). Two sends exactly `window` apart are in different windows.
        """
        times = self._send_times(chat_id, include_refused)
        best = 0
        first = 0
        for last, moment in enumerate(times):
            while moment - times[first] >= window:
                first += 1
            best = max(best, last - first + 1)
        return best

    def min_interval(self, chat_id: ChatId | None = None, *, include_refused: bool = False) -> float | None:
        """The shortest gap between two consecutive sends (in one chat, or overall); None with fewer than two."""
        times = self._send_times(chat_id, include_refused)
        gaps = [b - a for a, b in itertools.pairwise(times)]
        return min(gaps) if gaps else None

    def clear(self) -> None:
        """Forget sends, the request log and callback answers (updates, messages and faults stay)."""
        with self._cond:
            self._sent.clear()
            self._requests.clear()
            self._answers.clear()

    # --- faults ---

    def fail_next(
        self,
        n: int,
        error_code: int = 429,
        retry_after: int = 1,
        *,
        description: str | None = None,
        methods: Iterable[str] | None = None,
        chat_id: ChatId | None = None,
    ) -> None:
        """Answer the next n calls of methods (default SEND_METHODS), optionally only to chat_id, with an error.

        429 carries parameters.retry_after (PTB: RetryAfter); 502 is "Bad Gateway" (PTB: NetworkError); any other
        code gets its HTTP phrase unless description is given. Faults queue up in the order they were set.
        """
        if description is None:
            if error_code == 429:
                description = f"Too Many Requests: retry after {retry_after}"
            else:
                try:
                    description = HTTPStatus(error_code).phrase
                except ValueError:
                    description = "Error"
        parameters = {"retry_after": retry_after} if error_code == 429 else None
        chosen = frozenset(m.lower() for m in (methods if methods is not None else SEND_METHODS))
        with self._cond:
            self._faults.append(_Fault(n, error_code, description, parameters, chosen, chat_id))

    def block_chat(self, chat_id: ChatId) -> None:
        """Every call to the chat answers 403 "Forbidden: bot was blocked by the user"."""
        with self._cond:
            self._blocked.add(chat_id)

    def unblock_chat(self, chat_id: ChatId) -> None:
        """The user unblocked the bot."""
        with self._cond:
            self._blocked.discard(chat_id)

    def gone_chat(self, chat_id: ChatId) -> None:
        """Every call to the chat answers 400 "Bad Request: chat not found"."""
        with self._cond:
            self._gone.add(chat_id)

    def migrate_chat(self, chat_id: ChatId, new_chat_id: int) -> None:
        """A group became a supergroup: calls answer 400 with parameters.migrate_to_chat_id (PTB: ChatMigrated)."""
        with self._cond:
            self._migrated[chat_id] = new_chat_id

    def clear_faults(self) -> None:
        """Drop pending fail_next faults and every blocked, gone and migrated chat."""
        with self._cond:
            self._faults.clear()
            self._blocked.clear()
            self._gone.clear()
            self._migrated.clear()

    # --- HTTP entry ---

    def _handle_http(self, verb: str, target: str, content_type: str, body: bytes) -> tuple[int, JSONDict]:
        arrived = time.monotonic()
        split = urlsplit(target)
        match = re.fullmatch(r"/bot([^/]*)/([^/]+)/?", split.path)
        if match is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        token, method = match.groups()
        try:
            params, files = _parse_body(content_type, body)
        except (ValueError, UnicodeDecodeError):
            params, files = {}, {}
        for key, values in parse_qs(split.query, keep_blank_values=True).items():
            params.setdefault(key, values[-1])
        call = _Call(method, params, files, arrived)
        if token != self.token:
            status, payload = 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        else:
            status, payload = self._dispatch(call)
        with self._cond:
            self._requests.append(
                ApiRequest(
                    method,
                    dict(params),
                    arrived,
                    status,
                    {name: len(data) for name, data in files.items()},
                    call.chat_id,
                )
            )
            self._cond.notify_all()
        return status, payload

    def hold_sends(self) -> None:
        """Keep every send waiting, unanswered, until release_held (a Telegram that has not confirmed yet)."""
        self._release = threading.Event()
        self._discard_held = False

    @property
    def holding(self) -> int:
        """How many sends are waiting for release_held now."""
        return getattr(self, "_held_count", 0)

    def release_held(self, discard: bool) -> None:
        """Let held sends go on; with discard, they fail unrecorded (the sender died before Telegram took them)."""
        self._discard_held = discard
        release = getattr(self, "_release", None)
        self._release = None
        if release is not None:
            release.set()

    def _wait_if_held(self, call: _Call) -> None:
        release = getattr(self, "_release", None)
        if release is None or call.method.lower() not in {m.lower() for m in SEND_METHODS}:
            return
        with self._cond:
            self._held_count = self.holding + 1
        release.wait(60)
        with self._cond:
            self._held_count = self.holding - 1
        if self._discard_held:
            raise ApiError(500, "Internal Server Error: connection to the sender was lost")

    def _dispatch(self, call: _Call) -> tuple[int, JSONDict]:
        implementation = self._methods.get(call.method.lower())
        if implementation is None:
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: method not found"}
        try:
            if "chat_id" in call.params:
                call.chat_id = _chat_key(call.params.get("chat_id"))
            self._wait_if_held(call)
            self._take_fault(call)
            if call.method.lower() in {m.lower() for m in CHAT_METHODS}:
                self._check_chat(call)
            return 200, {"ok": True, "result": implementation(call)}
        except ApiError as error:
            payload: JSONDict = {"ok": False, "error_code": error.status, "description": error.description}
            if error.parameters:
                payload["parameters"] = error.parameters
            return error.status, payload
        except Exception as exc:  # a bug in the fake: answered as a server would, kept for the test to see
            with self._cond:
                self.errors.append(exc)
            return 500, {"ok": False, "error_code": 500, "description": f"Internal Server Error: {exc!r}"}

    def _take_fault(self, call: _Call) -> None:
        with self._cond:
            for fault in self._faults:
                if call.method.lower() in fault.methods and fault.chat_id in (None, call.chat_id):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    raise ApiError(fault.status, fault.description, fault.parameters)

    def _check_chat(self, call: _Call) -> None:
        if call.chat_id is None and call.params.get("inline_message_id"):
            return
        if call.chat_id is None:
            raise ApiError(400, "Bad Request: chat_id is empty")
        with self._cond:
            if call.chat_id in self._blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if call.chat_id in self._gone:
                raise ApiError(400, "Bad Request: chat not found")
            if call.chat_id in self._migrated:
                raise ApiError(
                    400,
                    "Bad Request: group chat was upgraded to a supergroup chat",
                    {"migrate_to_chat_id": self._migrated[call.chat_id]},
                )

    # --- methods ---

    def _get_updates(self, call: _Call) -> list[JSONDict]:
        offset = call.integer("offset")
        limit = min(max(call.integer("limit", 100) or 100, 1), 100)
        wait = min(max(call.number("timeout", 0.0), 0.0), self.max_poll_wait)
        deadline = call.time + wait
        with self._cond:
            if self._webhook_url:
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete "
                    "the webhook first",
                )
            self._poll_generation += 1
            generation = self._poll_generation
            self._cond.notify_all()
            if offset is not None and offset > 0:
                self._updates = [u for u in self._updates if int(u["update_id"]) >= offset]
            elif offset is not None and offset < 0:
                self._updates = self._updates[offset:]
            while not self._updates and not self._stopping.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
                if self._poll_generation != generation:
                    raise ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
                        "is running",
                    )
            return [dict(u) for u in self._updates[:limit]]

    def _delete_webhook(self, call: _Call) -> bool:
        with self._cond:
            self._webhook_url = ""
            if call.flag("drop_pending_updates"):
                self._updates.clear()
        return True

    def _set_webhook(self, call: _Call) -> bool:
        url = call.text("url") or ""
        if url and not url.startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        with self._cond:
            self._webhook_url = url
            if call.flag("drop_pending_updates"):
                self._updates.clear()
        return True

    def _get_webhook_info(self, call: _Call) -> JSONDict:
        with self._cond:
            return {
                "url": self._webhook_url,
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }

    @staticmethod
    def _scope_key(scope: Any, language_code: str | None) -> tuple[str, str]:
        if not scope or scope == {"type": "default"}:
            return "default", language_code or ""
        return json.dumps(scope, sort_keys=True), language_code or ""

    def _set_my_commands(self, call: _Call) -> bool:
        commands = call.parsed("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        for command in commands:
            name = command.get("command", "") if isinstance(command, dict) else ""
            description = command.get("description", "") if isinstance(command, dict) else ""
            if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._scope_key(call.parsed("scope"), call.text("language_code"))
        with self._cond:
            self._commands[key] = [{"command": c["command"], "description": c["description"]} for c in commands]
        return True

    def _get_my_commands(self, call: _Call) -> list[JSONDict]:
        key = self._scope_key(call.parsed("scope"), call.text("language_code"))
        with self._cond:
            return [dict(c) for c in self._commands.get(key, [])]

    def _delete_my_commands(self, call: _Call) -> bool:
        key = self._scope_key(call.parsed("scope"), call.text("language_code"))
        with self._cond:
            self._commands.pop(key, None)
        return True

    def _render(self, text: str, parse_mode: str | None, limit: int, too_long: str) -> tuple[str, list[JSONDict]]:
        mode = (parse_mode or "").lower()
        if mode == "html":
            try:
                plain, entities = parse_html(text, strict=self.strict_html)
            except EntityParseError as error:
                raise ApiError(400, f"Bad Request: can't parse entities: {error}") from None
        elif mode in ("", "markdown", "markdownv2"):
            plain, entities = text, []
        else:
            raise ApiError(400, "Bad Request: unsupported parse_mode")
        plain, entities = _trim(plain, entities)
        if utf16_len(plain) > limit:
            raise ApiError(400, too_long)
        return plain, entities

    def _reply_markup(self, call: _Call) -> JSONDict | None:
        if call.params.get("reply_markup") in (None, ""):
            return None
        try:
            markup = call.parsed("reply_markup")
        except ApiError:
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object") from None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        rows = markup.get("inline_keyboard")
        if rows is None:
            return markup
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise ApiError(
                400, 'Bad Request: can\'t parse inline keyboard button: field "inline_keyboard" must be an Array'
            )
        for row in rows:
            for button in row:
                if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                    raise ApiError(400, "Bad Request: can't parse inline keyboard button: Text must be a String")
                if "callback_data" in button:
                    data = button["callback_data"]
                    if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= CALLBACK_DATA_LIMIT:
                        raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                elif "url" in button:
                    url = button["url"]
                    if not isinstance(url, str) or not re.match(r"(https?|tg)://\S", url):
                        raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
                elif not set(button) - {"text"}:
                    raise ApiError(
                        400,
                        "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
                    )
        return markup

    def _bot_message(self, chat_id: ChatId, message_id: int) -> JSONDict:
        chat_type = self._chat_types.get(chat_id)
        if chat_type is None:
            chat_type = "channel" if isinstance(chat_id, str) else ("private" if chat_id > 0 else "supergroup")
        chat: JSONDict = {
            "id": chat_id if isinstance(chat_id, int) else -1000000000000 - len(chat_id),
            "type": chat_type,
        }
        if chat_type == "private":
            chat["first_name"] = "测试用户"
        else:
            chat["title"] = str(chat_id) if isinstance(chat_id, str) else "测试群组"
        return {"message_id": message_id, "from": self._bot_sender(), "chat": chat, "date": int(time.time())}

    def _bot_sender(self) -> JSONDict:
        """The bot as a message's "from" (getMe's extra fields are not part of it)."""
        return {key: self.bot_user[key] for key in ("id", "is_bot", "first_name", "username")}

    def _record(self, call: _Call, text: str | None, plain: str | None, markup: JSONDict | None, **extra: Any) -> None:
        self._sent.append(
            Sent(
                method=call.method,
                chat_id=call.chat_id,
                text=text,
                parse_mode=call.text("parse_mode"),
                reply_markup=markup,
                photo_size=extra.get("photo_size"),
                time=call.time,
                message_id=extra.get("message_id"),
                plain=plain,
                params=dict(call.params),
                document=extra.get("document"),
            )
        )
        self._cond.notify_all()

    def _send_message(self, call: _Call) -> JSONDict:
        assert call.chat_id is not None
        text = call.text("text")
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        plain, entities = self._render(text, call.text("parse_mode"), TEXT_LIMIT, "Bad Request: message is too long")
        if not plain:
            raise ApiError(400, "Bad Request: message text is empty")
        markup = self._reply_markup(call)
        with self._cond:
            message_id = self._next_message_id(call.chat_id)
            message = self._bot_message(call.chat_id, message_id)
            message["text"] = plain
            if entities:
                message["entities"] = entities
            if markup and "inline_keyboard" in markup:
                message["reply_markup"] = markup
            stored = _Stored(message, True, text, call.text("parse_mode"), markup)
            self._messages[(call.chat_id, message_id)] = stored
            self._record(call, text, plain, markup, message_id=message_id)
            return dict(message)

    def _edit_message_text(self, call: _Call) -> JSONDict | bool:
        text = call.text("text")
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        plain, entities = self._render(text, call.text("parse_mode"), TEXT_LIMIT, "Bad Request: message is too long")
        if not plain:
            raise ApiError(400, "Bad Request: message text is empty")
        markup = self._reply_markup(call)
        if call.chat_id is None:  # an inline message: nothing to check it against
            with self._cond:
                self._record(call, text, plain, markup)
            return True
        message_id = call.integer("message_id")
        if message_id is None:
            raise ApiError(400, "Bad Request: message identifier is not specified")
        with self._cond:
            stored = self._messages.get((call.chat_id, message_id))
            if stored is None:
                raise ApiError(400, "Bad Request: message to edit not found")
            if not stored.from_bot:
                raise ApiError(400, "Bad Request: message can't be edited")
            if "text" not in stored.message:
                raise ApiError(400, "Bad Request: there is no text in the message to edit")
            old_entities = stored.message.get("entities", [])
            if stored.message["text"] == plain and old_entities == entities and stored.reply_markup == markup:
                raise ApiError(
                    400,
                    "Bad Request: message is not modified: specified new message content and reply markup are "
                    "exactly the same as a current content and reply markup of the message",
                )
            message = dict(stored.message)
            message.pop("entities", None)
            message.pop("reply_markup", None)
            message["text"] = plain
            message["edit_date"] = int(time.time())
            if entities:
                message["entities"] = entities
            if markup and "inline_keyboard" in markup:
                message["reply_markup"] = markup
            self._messages[(call.chat_id, message_id)] = _Stored(message, True, text, call.text("parse_mode"), markup)
            self._record(call, text, plain, markup, message_id=message_id)
            return dict(message)

    def _send_photo(self, call: _Call) -> JSONDict:
        assert call.chat_id is not None
        photo = call.params.get("photo")
        data: bytes | None = call.files.get("photo")
        if data is None and isinstance(photo, str) and photo.startswith("attach://"):
            data = call.files.get(photo.removeprefix("attach://"))
        if data is None and not photo:
            raise ApiError(400, "Bad Request: there is no photo in the request")
        if data is not None and not data:
            raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
        caption = call.text("caption")
        plain: str | None = None
        entities: list[JSONDict] = []
        if caption:
            plain, entities = self._render(
                caption, call.text("parse_mode"), CAPTION_LIMIT, "Bad Request: message caption is too long"
            )
        markup = self._reply_markup(call)
        with self._cond:
            message_id = self._next_message_id(call.chat_id)
            message = self._bot_message(call.chat_id, message_id)
            unique = f"{call.chat_id}_{message_id}"
            message["photo"] = [
                {
                    "file_id": f"photo-{unique}",
                    "file_unique_id": f"u{unique}",
                    "width": 1280,
                    "height": 960,
                    "file_size": len(data) if data is not None else 0,
                }
            ]
            if plain:
                message["caption"] = plain
            if entities:
                message["caption_entities"] = entities
            if markup and "inline_keyboard" in markup:
                message["reply_markup"] = markup
            self._messages[(call.chat_id, message_id)] = _Stored(message, True, None, call.text("parse_mode"), markup)
            self._record(
                call, caption, plain, markup, message_id=message_id, photo_size=len(data) if data is not None else None
            )
            return dict(message)

    def _send_document(self, call: _Call) -> JSONDict:
        """sendDocument with an uploaded file (multipart): kept whole for the test to read."""
        assert call.chat_id is not None
        document = call.params.get("document")
        name = "document"
        data: bytes | None = call.files.get("document")
        if data is None and isinstance(document, str) and document.startswith("attach://"):
            name = document.removeprefix("attach://")
            data = call.files.get(name)
        if data is None:
            raise ApiError(400, "Bad Request: there is no document in the request")
        filename = str(call.params.get(FILE_NAME_PREFIX + name, "document"))
        caption = call.text("caption")
        plain: str | None = None
        if caption:
            plain, _ = self._render(
                caption, call.text("parse_mode"), CAPTION_LIMIT, "Bad Request: message caption is too long"
            )
        markup = self._reply_markup(call)
        with self._cond:
            message_id = self._next_message_id(call.chat_id)
            message = self._bot_message(call.chat_id, message_id)
            unique = f"{call.chat_id}_{message_id}"
            message["document"] = {"file_id": f"doc-{unique}", "file_unique_id": f"d{unique}", "file_name": filename}
            if plain:
                message["caption"] = plain
            self._messages[(call.chat_id, message_id)] = _Stored(message, True, None, call.text("parse_mode"), markup)
            self._record(call, caption, plain, markup, message_id=message_id, document=(filename, data))
            return dict(message)

    def _send_chat_action(self, call: _Call) -> bool:
        if call.text("action") not in CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    def _answer_callback_query(self, call: _Call) -> bool:
        query_id = call.text("callback_query_id") or ""
        text = call.text("text")
        if text is not None and len(text) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        with self._cond:
            if query_id not in self._open_callbacks:
                raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
            self._open_callbacks.discard(query_id)
            self._answers.append(CallbackAnswer(query_id, text, call.flag("show_alert"), call.time))
            self._cond.notify_all()
        return True

    # --- helpers ---

    def _next_message_id(self, chat_id: ChatId) -> int:
        with self._cond:
            value = self._last_message_id.get(chat_id, 0) + 1
            self._last_message_id[chat_id] = value
            return value

    def _user(
        self, chat_id: int, user_id: int | None, username: str | None, first_name: str, chat_type: str
    ) -> JSONDict:
        uid = user_id if user_id is not None else (chat_id if chat_type == "private" else 424242)
        user: JSONDict = {"id": uid, "is_bot": False, "first_name": first_name, "language_code": "zh-hans"}
        if username:
            user["username"] = username
        return user

    def _chat(self, chat_id: int, user: JSONDict) -> JSONDict:
        chat_type = self._chat_types.get(chat_id, "private" if chat_id > 0 else "supergroup")
        chat: JSONDict = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = user["first_name"]
            if "username" in user:
                chat["username"] = user["username"]
        else:
            chat["title"] = "测试群组"
        return chat

    def _send_times(self, chat_id: ChatId | None, include_refused: bool) -> list[float]:
        if include_refused:
            names = {m.lower() for m in SEND_METHODS}
            picked = [r.time for r in self.requests if r.method.lower() in names and chat_id in (None, r.chat_id)]
        else:
            picked = [s.time for s in self.sent if chat_id in (None, s.chat_id)]
        return sorted(picked)


def _as_predicate(condition: Condition) -> Callable[[list[Sent]], bool]:
    if isinstance(condition, int):
        count = condition
        return lambda sent: len(sent) >= count
    return condition


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    owner: FakeTelegram

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError | OSError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30  # idle keep-alive connections are dropped after this
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.owner._cond:
            self.server.owner._connections.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            with self.server.owner._cond:
                self.server.owner._connections.discard(self.connection)

    def do_POST(self) -> None:
        owner = self.server.owner
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if owner._stopping.is_set():  # a server that is gone does not answer
            self.close_connection = True
            return
        status, payload = owner._handle_http(self.command, self.path, self.headers.get("Content-Type", ""), body)
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (ConnectionError, TimeoutError):
            self.close_connection = True  # the bot gave up on a long poll: nothing to tell it

    do_GET = do_POST

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep pytest's output clean
