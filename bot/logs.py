"""Operator logs on stderr: one line per event, as text or as JSON lines, with every secret masked.

Secrets (the bot token) are masked in the final line, whatever put them there: a message, an argument, an
exception's text or a traceback (PTB and httpx errors may quote a request URL, and the Bot API's URL holds the
token). The HTTP libraries also stay at WARNING, so no request URL is logged at all in normal operation.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime

__all__ = ["MASK", "configure_logging", "redact"]

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MASK = "***"
# Loggers that would log every request (with its URL) or every job at INFO.
QUIET = ("httpx", "httpcore", "apscheduler.executors.default", "trafilatura", "htmldate", "telegram.ext.Updater")
_MIN_SECRET = 8  # shorter "secrets" (an empty or placeholder token) would mask ordinary words


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret (and the bot id:token's secret half on its own) replaced by MASK."""
    for secret in secrets:
        if len(secret) >= _MIN_SECRET:
            text = text.replace(secret, MASK)
            _, _, half = secret.partition(":")
            if len(half) >= _MIN_SECRET:
                text = text.replace(half, MASK)
    return text


class _Redacting(logging.Formatter):
    def __init__(self, secrets: tuple[str, ...], fmt: str | None = None) -> None:
        super().__init__(fmt)
        self.secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.secrets)


class _JsonLines(_Redacting):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(entry, ensure_ascii=False), self.secrets)


def configure_logging(level: int = logging.INFO, fmt: str = "text", secrets: Iterable[str] = ()) -> None:
    """Operator logs on stderr (`fmt` "text" or "json"), every secret masked; the chatty libraries at WARNING."""
    kept = tuple(s for s in secrets if s)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_JsonLines(kept) if fmt == "json" else _Redacting(kept, TEXT_FORMAT))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "govwatch", False)]:
        root.removeHandler(old)
    handler.govwatch = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("govwatch").setLevel(level)  # even where a host application configured the root
    for noisy in QUIET:
        logging.getLogger(noisy).setLevel(logging.WARNING)
