"""The `govwatch` command line: one entry point, one subcommand per job (DESIGN.md § CLI)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date

from bot import parse_cmd

PENDING = {
    "run": "runs the monitor and the Telegram bot (arrives with the monitor and bot issues)",
    "poll": "polls the sources once (arrives with the monitor issue)",
    "ask": "answers a question as the bot would (arrives with the bot issue)",
    "figures": "prints the stored figures (arrives with the monitor issue)",
    "sources": "shows each source's health (arrives with the monitor issue)",
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
    run = sub.add_parser("run", help=PENDING["run"])
    del run
    poll = sub.add_parser("poll", help=PENDING["poll"])
    poll.add_argument("--source", metavar="NAME")
    ask = sub.add_parser("ask", help=PENDING["ask"])
    ask.add_argument("text", metavar="TEXT")
    ask.add_argument("--chat-id", type=int, metavar="N")
    fig = sub.add_parser("figures", help=PENDING["figures"])
    fig.add_argument("--region", metavar="R")
    fig.add_argument("--indicator", metavar="I")
    fig.add_argument("--format", choices=("table", "csv", "json"), default="table")
    sub.add_parser("sources", help=PENDING["sources"])
    return parser


def _pending(args: argparse.Namespace) -> int:
    print(f"govwatch {args.command}: not available yet — {PENDING[args.command]}", file=sys.stderr)
    return 2


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"parse": parse_cmd.run}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `govwatch` console script; returns the exit status."""
    args = build_parser().parse_args(argv)
    handler = COMMANDS.get(args.command, _pending)
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
