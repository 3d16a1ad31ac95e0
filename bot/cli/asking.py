"""`govwatch ask "TEXT" [--chat-id N]`: the bot's answer, from the same handler code, printed as text."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.chat.answers import Answers
from bot.chat.try_answers import fetch_preview
from bot.settings import Settings
from storage.store import Store

DEFAULT_CHAT = 1  # a stand-in private chat for scripts


def ask(args: argparse.Namespace, settings: Settings) -> int:
    """Answer TEXT as the bot would answer it in chat N, and print the replies."""
    chat_id = args.chat_id if args.chat_id is not None else DEFAULT_CHAT
    store = Store.open(settings.storage.url)
    try:
        previewer = fetch_preview(settings.fetch)
        answers = Answers(store, admins=frozenset(settings.telegram.admins), previewer=previewer)
        replies = answers.answer(args.text, chat_id, user_id=chat_id)
    finally:
        store.close()
    for i, reply in enumerate(replies):
        if i:
            print("\n---\n")
        print(reply.plain_text())
        if reply.document is not None and args.chart_out:
            Path(args.chart_out).write_bytes(reply.document[1])
            print(f"[文件已保存：{args.chart_out}]")
        if reply.photo is not None:
            target = Path(args.chart_out) if args.chart_out else None
            if target is not None:
                target.write_bytes(reply.photo)
                print(f"[图表已保存：{target}，{len(reply.photo)} 字节 PNG]")
            else:
                print(f"[图表：{len(reply.photo)} 字节 PNG；加 --chart-out FILE 保存]")
    return 0
