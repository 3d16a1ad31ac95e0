"""The `govwatch` command line: one entry point, one subcommand per job (DESIGN.md § CLI)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from bot import ask_cmd, monitor_cmd, parse_cmd
from bot.settings import Settings, SettingsError, load_settings
from bot.wiring import configure_logging

HELP = {
    "run": "watch every source on its schedule, deliver alerts and run the Telegram bot until Ctrl-C",
    "poll": "poll the sources once now and print what each gave",
    "ask": "answer a message as the bot would (/gdp 古交, 古交GDP, /help) and print the reply",
    "figures": "print the stored figures",
    "sources": "show the health of each source",
}


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand of DESIGN.md."""
    parser = argparse.ArgumentParser(
        prog="govwatch",
        description="Watches Chinese local-government sites and reads the key figures out of their reports.",
    )
    parser.add_argument("--config", metavar="PATH", default="settings.toml", help="settings file (settings.toml)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    p = sub.add_parser("parse", help="read every key figure out of a report file (HTML, PDF, DOCX or text)")
    p.add_argument("source", metavar="FILE_OR_URL", help="the document to read")
    p.add_argument("--published", type=_date, metavar="YYYY-MM-DD", help="publication date (else read from it)")
    p.add_argument("--region", metavar="NAME", help="the document's region (else read from its title and text)")
    p.add_argument("--format", choices=("json", "table"), default="table", help="output format (table)")
    sub.add_parser("run", help=HELP["run"])
    poll = sub.add_parser("poll", help=HELP["poll"])
    poll.add_argument("--source", metavar="NAME", help="only this source")
    ask = sub.add_parser("ask", help=HELP["ask"])
    ask.add_argument("text", metavar="TEXT")
    ask.add_argument("--chat-id", type=int, metavar="N", help="the chat (and user) asking; its subscriptions apply")
    ask.add_argument("--chart-out", metavar="FILE", help="where to save a /chart PNG")
    fig = sub.add_parser("figures", help=HELP["figures"])
    fig.add_argument("--region", metavar="R", help="a region name or short form (古交, 交城县)")
    fig.add_argument("--indicator", metavar="I", help="an indicator id or name (gdp, 固定资产投资)")
    fig.add_argument("--format", choices=("table", "csv", "json"), default="table")
    sub.add_parser("sources", help=HELP["sources"])
    return parser


SETTINGS_COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "poll": monitor_cmd.poll,
    "sources": monitor_cmd.sources,
    "figures": monitor_cmd.figures,
    "run": monitor_cmd.run,
    "ask": ask_cmd.ask,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `govwatch` console script; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "parse":
            return parse_cmd.run(args)
        try:
            settings = load_settings(Path(args.config))
        except SettingsError as exc:
            print(f"govwatch: bad settings\n{exc}", file=sys.stderr)
            return 2
        if args.command in ("run", "poll"):
            configure_logging()
        return SETTINGS_COMMANDS[args.command](args, settings)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
