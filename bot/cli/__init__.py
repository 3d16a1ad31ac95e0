"""The `govwatch` command line: one entry point, one subcommand per job (docs/ARCHITECTURE.md § CLI).

Only argparse is imported here. Each command lives in a module of its family and is imported when it runs, so
`govwatch --help` answers at once and `govwatch parse` never loads the database or the Telegram library.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

__all__ = ["COMMANDS", "build_parser", "main"]


@dataclass(frozen=True, slots=True)
class Command:
    """A subcommand: its help line, the function that runs it, and whether it reads the settings."""

    help: str
    target: str  # "module:function", imported when the command runs
    needs_settings: bool = True
    logs: bool = False  # operator logs on stderr (the long-running and polling commands)


COMMANDS: dict[str, Command] = {
    "parse": Command(
        "read every key figure out of a report file (HTML, PDF, DOCX or text)", "bot.cli.parsing:run", False
    ),
    "run": Command(
        "watch every source on its schedule, deliver alerts and run the Telegram bot until Ctrl-C",
        "bot.cli.serving:run",
        logs=True,
    ),
    "poll": Command("poll the sources once now and print what each gave", "bot.cli.polling:poll", logs=True),
    "ask": Command(
        "answer a message as the bot would (/gdp 古交, 古交GDP, /help) and print the reply", "bot.cli.asking:ask"
    ),
    "figures": Command("print the stored figures", "bot.cli.exporting:figures"),
    "try": Command(
        "preview one URL (list page, feed, article or attachment) as govwatch would read it; stores nothing",
        "bot.cli.trying:run",
    ),
    "backfill": Command(
        "walk each source's pages back in time and store their history (as baseline: no alerts)",
        "bot.cli.backfilling:backfill",
        logs=True,
    ),
    "sources": Command(
        "show the health of each source; `sources catalogue` lists the catalogue of Shanxi sources and "
        "`sources add --from-catalogue REGION` copies its rows into the settings file",
        "bot.cli.cataloguing:sources",
    ),
}

# The catalogue's column kinds (bot.catalogue.KINDS), spelled here so `--help` imports nothing.
CATALOGUE_KINDS = ("work_report", "plan_report", "bulletin", "indicator_table", "news")


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _arguments(sub: Any) -> None:
    """Each subcommand's own arguments."""
    p = sub.add_parser("parse", help=COMMANDS["parse"].help)
    p.add_argument("source", metavar="FILE_OR_URL", help="the document to read")
    p.add_argument("--published", type=_date, metavar="YYYY-MM-DD", help="publication date (else read from it)")
    p.add_argument("--region", metavar="NAME", help="the document's region (else read from its title and text)")
    p.add_argument("--format", choices=("json", "table"), default="table", help="output format (table)")
    sub.add_parser("run", help=COMMANDS["run"].help)
    poll = sub.add_parser("poll", help=COMMANDS["poll"].help)
    poll.add_argument("--source", metavar="NAME", help="only this source")
    ask = sub.add_parser("ask", help=COMMANDS["ask"].help)
    ask.add_argument("text", metavar="TEXT")
    ask.add_argument("--chat-id", type=int, metavar="N", help="the chat (and user) asking; its subscriptions apply")
    ask.add_argument("--chart-out", metavar="FILE", help="where to save a /chart PNG or an /export file")
    fig = sub.add_parser("figures", help=COMMANDS["figures"].help)
    fig.add_argument("--region", metavar="R", help="a region name or short form (古交, 交城县)")
    fig.add_argument("--indicator", metavar="I", help="an indicator id or name (gdp, 固定资产投资)")
    fig.add_argument("--format", choices=("table", "csv", "json", "xlsx"), default="table")
    fig.add_argument("--output", metavar="FILE", help="write to FILE (needed for xlsx: one sheet per indicator)")
    src = sub.add_parser("sources", help=COMMANDS["sources"].help)
    actions = src.add_subparsers(dest="action", metavar="ACTION")  # no action: the health of each source
    cat = actions.add_parser("catalogue", help="list the catalogue's columns for a region and the divisions without")
    cat.add_argument("--region", metavar="NAME", help="a Shanxi division (default: all); a city includes its counties")
    cat.add_argument("--kind", choices=CATALOGUE_KINDS, help="only columns of this kind")
    add = actions.add_parser("add", help="append the catalogue's columns for a region to the settings file")
    add.add_argument("--from-catalogue", dest="region", metavar="REGION", required=True, help="a Shanxi division")
    add.add_argument("--kind", choices=CATALOGUE_KINDS, help="only columns of this kind")
    tr = sub.add_parser("try", help=COMMANDS["try"].help)
    tr.add_argument("url", metavar="URL")
    tr.add_argument("--kind", choices=("list", "rss", "page"), help="read it as this kind (else: what it looks like)")
    tr.add_argument("--region", metavar="NAME", help="the source's region, as a [[sources]] region would be")
    tr.add_argument("--format", choices=("table", "json"), default="table")
    bf = sub.add_parser("backfill", help=COMMANDS["backfill"].help)
    bf.add_argument("--source", metavar="NAME", action="append", help="only this source (repeatable)")
    bf.add_argument("--pages", type=int, metavar="N", help="at most N list pages per source")
    bf.add_argument("--since", type=int, metavar="YEAR", help="stop at pages older than 1 January of YEAR")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="govwatch",
        description="Watches Chinese local-government sites and reads the key figures out of their reports.",
    )
    parser.add_argument("--config", metavar="PATH", default="settings.toml", help="settings file (settings.toml)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _arguments(sub)
    return parser


def _target(spec: Command) -> Callable[..., int]:
    module, _, name = spec.target.partition(":")
    function: Callable[..., int] = getattr(importlib.import_module(module), name)
    return function


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `govwatch` console script; returns the exit status."""
    args = build_parser().parse_args(argv)
    spec = COMMANDS[args.command]
    try:
        if not spec.needs_settings:
            return _target(spec)(args)
        from pathlib import Path

        from bot.settings import SettingsError, load_settings

        try:
            settings = load_settings(Path(args.config))
        except SettingsError as exc:
            print(f"govwatch: bad settings\n{exc}", file=sys.stderr)
            return 2
        if spec.logs:
            from bot.logs import configure_logging

            secrets = [settings.telegram.token, settings.telegram.webhook_secret]
            configure_logging(settings.log.level_number, settings.log.format, secrets=secrets)
        return _target(spec)(args, settings)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        from storage.records import StorageError

        if not isinstance(exc, StorageError):
            raise
        # The database unreachable, read-only or full, a second run on one SQLite file: one line, not a traceback.
        print(f"govwatch {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
