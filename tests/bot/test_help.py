"""/help and the handlers agree: every command listed is answered, every command answered is listed."""

from __future__ import annotations

import re

from bot.chat.answers import Answers
from bot.chat.intents import COMMANDS
from storage import Store


def test_every_listed_command_has_a_handler_and_every_handler_is_listed() -> None:
    store = Store.open("sqlite://")
    try:
        answers = Answers(store)
        help_text = answers.answer("/help", 1)[0].plain_text()
    finally:
        store.close()
    listed = set(re.findall(r"^/([a-z_]+)", help_text, re.MULTILINE))
    assert listed == set(COMMANDS), "a command in /help without a handler, or a handler missing from /help"
    assert answers.commands() == set(COMMANDS)
    for name in COMMANDS:  # and none of them falls through to the unknown-command reply
        store = Store.open("sqlite://")
        try:
            said = Answers(store).answer(f"/{name}", 1, user_id=1)
        finally:
            store.close()
        assert said and "没有这个命令" not in said[0].plain_text(), name
