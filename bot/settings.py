"""The configuration: `settings.toml` validated at start-up, environment variables (`GOVWATCH_…`) over it.

Each layer owns its configuration dataclass (the fetcher's `FetchConfig`, a source's `Selectors`); `Settings`
embeds them, so a default is written once.
"""

from __future__ import annotations

import logging
import re
from contextvars import ContextVar
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from scrapers.discover.items import Selectors, SourceKind
from scrapers.http.config import FetchConfig
from scrapers.schedule import DEFAULT_MAX_NEW, Backoff

INTERVAL_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
INTERVAL_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_TOML_PATH: ContextVar[Path] = ContextVar("govwatch_settings_path", default=Path("settings.toml"))


class SettingsError(Exception):
    """A settings file that cannot be used, with one line per problem naming its key."""


def parse_interval(value: object) -> float:
    """Seconds from a number or a string such as `"90s"`, `"30m"`, `"6h"`, `"1d"`."""
    if isinstance(value, bool):
        raise ValueError("an interval is a number of seconds or a string like '30m'")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        m = INTERVAL_RE.match(str(value))
        if m is None:
            raise ValueError(f"not an interval: {value!r} (use seconds, or '90s', '30m', '6h', '1d')")
        seconds = float(m.group(1)) * INTERVAL_UNITS[m.group(2)]
    if seconds < 1:
        raise ValueError("an interval must be at least one second")
    return seconds


def _check_url(value: str) -> str:
    if not URL_RE.match(value):
        raise ValueError(f"not an http(s) URL: {value!r}")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StorageSettings(_Strict):
    """Where documents, figures and state are kept."""

    url: str = "sqlite:///data/govwatch.db"


class TelegramSettings(_Strict):
    """The bot's token (empty: console mode), API server and admins."""

    token: str = ""
    base_url: str = "https://api.telegram.org/bot"
    admins: list[int] = Field(default_factory=list)
    proxy: str | None = None
    # Webhook mode instead of long polling: the public https URL Telegram posts updates to (a reverse proxy
    # forwards it to webhook_listen), and the secret Telegram sends back with each (random per start if empty).
    webhook_url: str = ""
    webhook_listen: str = "127.0.0.1:8443"
    webhook_secret: str = ""

    @field_validator("webhook_url")
    @classmethod
    def _https_webhook(cls, value: str) -> str:
        if value and not value.startswith("https://"):
            raise ValueError("Telegram posts updates only to an https:// URL")
        return value

    @field_validator("webhook_listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"webhook_listen must be HOST:PORT, not {value!r}")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_chars(cls, value: str) -> str:
        if value and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value):
            raise ValueError("webhook_secret: 1-256 of A-Z a-z 0-9 _ - (Telegram's rule)")
        return value


class HttpSettings(_Strict):
    """The HTTP endpoint of `govwatch run` (health, metrics, feeds, CSV): loopback by default, "" turns it off."""

    listen: str = "127.0.0.1:8080"

    @field_validator("listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        host, _, port = value.rpartition(":")
        if value and (not host or not port.isdigit() or not 0 < int(port) < 65536):
            raise ValueError(f"listen must be HOST:PORT or empty, not {value!r}")
        return value


class LogSettings(_Strict):
    """Operator logs on stderr: plain text lines (default) or JSON lines for log shippers."""

    format: Literal["text", "json"] = "text"
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @property
    def level_number(self) -> int:
        """The level as the logging module counts it."""
        return int(logging.getLevelName(self.level))


class ScheduleSettings(_Strict):
    """Polling: the default interval, its jitter, and how far a failing source backs off."""

    interval: float = 1800.0
    jitter: float = 60.0
    backoff_after: int = Backoff().after
    max_backoff: float = Backoff().cap
    max_new_per_poll: int = DEFAULT_MAX_NEW
    # Seconds between list pages of the backfill `run` starts for a source with backfill_since (low priority).
    backfill_pause: float = Field(default=10.0, ge=0)

    _interval = field_validator("interval", "max_backoff", mode="before")(parse_interval)


class SourceSettings(_Strict):
    """One watched site or feed (a `[[sources]]` table)."""

    name: str = Field(min_length=1, max_length=200)
    url: str
    kind: SourceKind = "list"
    region: str | None = None
    interval: float | None = None
    enabled: bool = True
    selectors: Selectors | None = None
    # After its first poll, `govwatch run` walks the column's pages back to 1 January of this year, once.
    backfill_since: int | None = Field(default=None, ge=1990, le=2100)

    _url = field_validator("url")(_check_url)

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from parsers.regions import Gazetteer  # the table is read only when a source names a region

        problem = Gazetteer.default().resolve(value).problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value

    @field_validator("interval", mode="before")
    @classmethod
    def _interval(cls, value: object) -> float | None:
        return None if value is None else parse_interval(value)


class Settings(BaseSettings):
    """All of govwatch's settings."""

    model_config = SettingsConfigDict(
        env_prefix="GOVWATCH_", env_nested_delimiter="_", env_nested_max_split=1, extra="forbid"
    )

    storage: StorageSettings = Field(default_factory=StorageSettings)
    log: LogSettings = Field(default_factory=LogSettings)
    http: HttpSettings = Field(default_factory=HttpSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    fetch: FetchConfig = Field(default_factory=FetchConfig)
    schedule: ScheduleSettings = Field(default_factory=ScheduleSettings)
    sources: list[SourceSettings] = Field(default_factory=list)

    @field_validator("sources")
    @classmethod
    def _unique_names(cls, sources: list[SourceSettings]) -> list[SourceSettings]:
        names = [s.name for s in sources]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"source names must be unique: {', '.join(dupes)}")
        return sources

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Environment variables override the file, as docs/ARCHITECTURE.md § Contracts says.
        toml = TomlConfigSettingsSource(settings_cls, toml_file=_TOML_PATH.get(), deep_merge=True)
        return (init_settings, env_settings, toml)

    def interval_of(self, source: SourceSettings) -> float:
        """The polling interval of a source: its own, else the schedule's default."""
        return source.interval if source.interval is not None else self.schedule.interval


def load_settings(path: Path) -> Settings:
    """The settings from a TOML file and the environment; raises SettingsError naming each bad key."""
    if not path.is_file():
        raise SettingsError(f"{path}: no such settings file")
    token = _TOML_PATH.set(path)
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError("\n".join(_describe(path, err) for err in exc.errors())) from None
    except (OSError, ValueError) as exc:  # a file that is not TOML
        raise SettingsError(f"{path}: {exc}") from None
    finally:
        _TOML_PATH.reset(token)


def _describe(path: Path, err: object) -> str:
    assert isinstance(err, dict)
    loc = ".".join(str(p) for p in err.get("loc", ()))
    if err.get("type") == "extra_forbidden":
        return f"{path}: unknown key {loc!r}"
    return f"{path}: {loc}: {err.get('msg', 'invalid')}"
