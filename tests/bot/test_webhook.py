"""Telegram's webhook mode beside long polling: the leader serves the webhook on the same event loop (PTB's server),
registers it with its secret, answers an update Telegram posts with that secret, and refuses one without it."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest

from bot.app import open_parts, serve
from bot.settings import SettingsError, load_settings
from tests.support.httpserver import free_port
from tests.support.telegram_api import FakeTelegram

HOOK = "https://bot.example.org/govwatch-hook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


async def _listens(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    return True


def test_updates_arrive_by_webhook_with_the_secret_and_are_answered(tmp_path: Path) -> None:
    port = free_port()
    with FakeTelegram(token="123456789:AAE-webhook-test-token_abcdef") as fake:
        config = tmp_path / "settings.toml"
        config.write_text(
            f'[storage]\nurl = "sqlite:///{tmp_path / "g.db"}"\n[http]\nlisten = ""\n'
            f'[telegram]\ntoken = "{fake.token}"\nbase_url = "{fake.base_url}"\n'
            f'webhook_url = "{HOOK}"\nwebhook_listen = "127.0.0.1:{port}"\nwebhook_secret = "s3cret-for_the-test"\n',
            encoding="utf-8",
        )
        settings = load_settings(config)
        fake.push_message(100, "/help")
        (update,) = fake.pending_updates

        async def main() -> tuple[int, int, int]:
            stop = asyncio.Event()
            async with open_parts(settings) as parts:
                running = asyncio.create_task(serve(parts, [], stop))
                try:
                    for _ in range(200):  # until the webhook is registered and its server listens
                        if fake.requests_for("setWebhook") and await _listens(port):
                            break
                        await asyncio.sleep(0.05)
                    async with httpx.AsyncClient() as client:
                        url = f"http://127.0.0.1:{port}/govwatch-hook"
                        body = json.dumps(update)
                        headers = {"Content-Type": "application/json"}
                        refused = await client.post(url, content=body, headers={**headers, SECRET_HEADER: "wrong"})
                        missing = await client.post(url, content=body, headers=headers)
                        accepted = await client.post(
                            url, content=body, headers={**headers, SECRET_HEADER: "s3cret-for_the-test"}
                        )
                    await fake.wait_for_async(lambda sent: any(s.chat_id == 100 for s in sent), timeout=10)
                    return refused.status_code, missing.status_code, accepted.status_code
                finally:
                    stop.set()
                    await running

        refused, missing, accepted = asyncio.run(main())
        (registered,) = fake.requests_for("setWebhook")
        assert registered.params.get("url") == HOOK
        assert registered.params.get("secret_token") == "s3cret-for_the-test"
        assert not fake.requests_for("getUpdates"), "a webhook process must not also poll"
        assert refused == 403 and missing == 403 and accepted == 200
        replies = [s.plain for s in fake.sent_to(100)]
        assert len(replies) == 1 and "/gdp" in replies[0]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('webhook_url = "http://bot.example.org/hook"', "https"),
        ('webhook_listen = "8443"', "HOST:PORT"),
        ('webhook_secret = "has spaces"', "webhook_secret"),
    ],
)
def test_webhook_settings_are_checked(tmp_path: Path, line: str, problem: str) -> None:
    config = tmp_path / "settings.toml"
    config.write_text(f"[telegram]\n{line}\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=problem):
        load_settings(config)
