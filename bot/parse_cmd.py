"""`govwatch parse`: read one document from a file and print its kind, region, date and figures."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from parsers.document import parse_document
from parsers.model import Figure, ParsedDocument
from scrapers.document import ExtractError, extract_document

MAX_FILE_BYTES = 20 * 1024 * 1024
BASIS_LABELS = {"actual": "实际", "estimate": "预计", "target": "目标"}


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
    data = read_source(args.source)
    if isinstance(data, str):
        return fail(data)
    extracted = extract_document(data, url=None)
    if isinstance(extracted, ExtractError):
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


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def _row(f: Figure) -> list[str]:
    yoy = "" if f.yoy is None else f"{f.yoy:+g}%"
    return [
        f.region or "",
        f.indicator,
        f.period,
        BASIS_LABELS[f.basis],
        _num(f.value),
        f.unit if f.value is not None else "",
        yoy,
        f.qualifier or "",
    ]


def render_table(doc: ParsedDocument) -> str:
    """The document's header lines and its figures as an aligned text table."""
    lines = [
        f"title:     {doc.title or '-'}",
        f"published: {doc.published or '-'}",
        f"region:    {doc.region or '-'} {doc.region_code or ''}".rstrip(),
        f"kind:      {doc.kind}",
        f"figures:   {len(doc.figures)}",
    ]
    if not doc.figures:
        return "\n".join(lines)
    header = ["region", "indicator", "period", "basis", "value", "unit", "yoy", "qualifier"]
    rows = [header] + [_row(f) for f in doc.figures]
    widths = [max(_width(r[i]) for r in rows) for i in range(len(header))]
    lines.append("")
    for r in rows:
        lines.append("  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _width(s: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)
