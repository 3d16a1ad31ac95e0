"""The bot token never reaches a log line, whatever fails: a Bot API that rejects the token (PTB's InvalidToken
quotes it), a Bot API out of reach, errors while answering, in text logs and in JSON lines."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.logs import MASK, configure_logging, redact
from tests.support.httpserver import closed_port_url
from tests.support.telegram_api import FakeTelegram

ROOT = Path(__file__).resolve().parent.parent.parent


def run_briefly(config: Path, cwd: Path, seconds: float) -> str:
    """`govwatch run` for a few seconds, then SIGTERM; everything it wrote on stderr."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "bot.cli", "--config", str(config), "run"]
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(seconds)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    return out + err


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_rejected_token_never_appears_in_the_logs(tmp_path: Path, fmt: str) -> None:
    with FakeTelegram(token="987654321:AAE-a-real-looking-token_for-the-fake") as fake:
        fake.fail_next(50, 401, description="Unauthorized", methods=["getMe", "getUpdates", "setMyCommands"])
        config = tmp_path / "settings.toml"
        config.write_text(
            f'[storage]\nurl = "sqlite:///{tmp_path / "g.db"}"\n[http]\nlisten = ""\n[log]\nformat = "{fmt}"\nlevel = "DEBUG"\n'
            f'[telegram]\ntoken = "{fake.token}"\nbase_url = "{fake.base_url}"\n',
            encoding="utf-8",
        )
        logs = run_briefly(config, tmp_path, 6)
        assert fake.requests_for("getMe"), "the bot never called the Bot API"
    secret = fake.token.partition(":")[2]
    assert "rejected" in logs or "Unauthorized" in logs or "cannot start" in logs, logs
    assert fake.token not in logs and secret not in logs
    if fmt == "json":
        lines = [line for line in logs.splitlines() if line.startswith("{")]
        assert lines and all(json.loads(line)["level"] for line in lines)


def test_an_unreachable_bot_api_never_puts_the_token_in_the_logs(tmp_path: Path) -> None:
    token = "123456789:AAH-secret-token-for-the-log-test_xyz"
    config = tmp_path / "settings.toml"
    config.write_text(
        f'[storage]\nurl = "sqlite:///{tmp_path / "g.db"}"\n[http]\nlisten = ""\n[log]\nlevel = "DEBUG"\n'
        f'[telegram]\ntoken = "{token}"\nbase_url = "{closed_port_url(path="/bot")}"\n',
        encoding="utf-8",
    )
    logs = run_briefly(config, tmp_path, 5)
    assert "telegram" in logs
    assert token not in logs and token.partition(":")[2] not in logs


def test_the_formatter_masks_a_token_in_messages_arguments_and_tracebacks(capsys: pytest.CaptureFixture[str]) -> None:
    token = "123456789:AAH-another-secret-token_abc"
    configure_logging(logging.INFO, "text", secrets=[token])
    log = logging.getLogger("govwatch.test")
    log.info("calling https://api.telegram.org/bot%s/getMe", token)
    try:
        raise RuntimeError(f"The token `{token}` was rejected by the server.")
    except RuntimeError:
        log.exception("failed")
    err = capsys.readouterr().err
    assert token not in err and "AAH-another" not in err and err.count(MASK) == 2
    assert redact("bot" + token, [token]) == "bot" + MASK
    assert redact("nothing here", [""]) == "nothing here"
