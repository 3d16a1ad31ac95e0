"""`govwatch parse`: read one document from a file and print its kind, region, date and figures."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.chat.format import BASIS_CN
from bot.cli.terminal import fmt_number, fmt_yoy, text_table
from parsers.document import parse_document
from parsers.model import Figure, ParsedDocument
from scrapers.extract.content import ScrapeError, extract_document
from scrapers.limits import MAX_BODY_BYTES

MAX_FILE_BYTES = MAX_BODY_BYTES


def fail(message: str) -> int:
    """Print a one-line error for the user and return the failing exit status."""
    print(f"govwatch parse: {message}", file=sys.stderr)
    return 1


def read_source(source: str) -> bytes | str:
    """The bytes of a local file, or a one-line reason why they cannot be read."""
    if source.startswith(("http://", "https://")):
        return "fetching URLs arrives with the monitor issue; save the page and pass the file"
    path = Path(source)
    if not path.exists():
        return f"no such file: {source}"
    if not path.is_file():
        return f"not a regular file: {source}"
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return f"file too large: {size / 1e6:.1f} MB (the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB)"
    try:
        return path.read_bytes()
    except OSError as exc:
        return f"cannot read {source}: {exc.strerror}"


def run(args: argparse.Namespace) -> int:
    """Run `govwatch parse` with parsed arguments; returns the exit status."""
    if args.region:
        from parsers.regions import Gazetteer

        problem = Gazetteer.default().resolve(args.region).problem(args.region)
        if problem is not None:
            return fail(problem)
    data = read_source(args.source)
    if isinstance(data, str):
        return fail(data)
    extracted = extract_document(data, url=None)
    if isinstance(extracted, ScrapeError):
        return fail(f"{args.source}: {extracted.message}")
    doc = parse_document(
        extracted.text,
        title=extracted.title,
        published=args.published or extracted.published,
        region_override=args.region,
    )
    if args.format == "json":
        print(json.dumps(doc.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_table(doc))
    return 0


def _row(f: Figure) -> list[str]:
    unit = f.unit if f.value is not None else ""
    basis = BASIS_CN[f.basis]
    return [f.region or "", f.indicator, f.period, basis, fmt_number(f.value), unit, fmt_yoy(f.yoy), f.qualifier or ""]


def render_table(doc: ParsedDocument) -> str:
    """The document's header lines and its figures as an aligned text table."""
    lines = [
        f"title:     {doc.title or '-'}",
        f"published: {doc.published or '-'}",
        f"region:    {doc.region or '-'} {doc.region_code or ''}".rstrip(),
        f"kind:      {doc.kind}",
        f"figures:   {len(doc.figures)}",
    ]
    if doc.figures:
        header = ["region", "indicator", "period", "basis", "value", "unit", "yoy", "qualifier"]
        lines += ["", text_table(header, [_row(f) for f in doc.figures])]
    return "\n".join(lines)
