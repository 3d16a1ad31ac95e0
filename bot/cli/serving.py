"""`govwatch run`: the monitor, the alert dispatcher and the bot until SIGINT/SIGTERM (see bot.app)."""

from __future__ import annotations

import argparse

from bot.settings import Settings


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Start everything `govwatch run` runs and return when it was stopped."""
    del args
    from bot import app

    app.run(settings, app.source_specs(settings))
    return 0
