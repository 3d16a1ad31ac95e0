"""`govwatch try URL`: preview one list page, feed, article or attachment, with nothing stored."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from bot.cli.parsing import render_table
from bot.cli.terminal import text_table
from bot.settings import Settings
from parsers.dates import china_today
from scrapers.http.fetch import Fetcher
from scrapers.preview import DocumentPreview, ListPreview, Preview, PreviewFailure, preview_url

MAX_CELL = 90  # characters of a scraped title or URL shown in one table cell


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Read the URL and print what govwatch would do with it; exit 1 when nothing is found or it is blocked."""
    if args.region:
        from parsers.regions import Gazetteer

        problem = Gazetteer.default().resolve(args.region).problem(args.region)
        if problem is not None:
            print(f"govwatch try: {problem}", file=sys.stderr)
            return 1
    found = asyncio.run(_preview(settings, args))
    if isinstance(found, PreviewFailure):
        print(f"govwatch try: {found.url}: {found.reason}", file=sys.stderr)
        return 1
    print(json.dumps(preview_json(found), ensure_ascii=False, indent=2) if args.format == "json" else render(found))
    return 0


async def _preview(settings: Settings, args: argparse.Namespace) -> Preview:
    async with Fetcher(settings.fetch) as fetcher:
        return await preview_url(fetcher, args.url, args.kind, args.region, china_today())


def _cut(text: str) -> str:
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def render(found: ListPreview | DocumentPreview) -> str:
    """The preview as text: a list's items in page order, or a document's figures (the `parse` table)."""
    if isinstance(found, DocumentPreview):
        head = [f"document:  {found.url}"]
        if found.attachment_url:
            head.append(f"attachment: {found.attachment_url}")
        if found.warning:
            head.append(f"warning:   {found.warning}")
        return "\n".join([*head, render_table(found.document)])
    pager = found.pager
    lines = [
        f"{'feed' if found.kind == 'rss' else 'list page'}: {found.url}",
        f"block:     {found.block or '-'}",
        "pager:     "
        + (
            "none (one page)"
            if pager is None
            else f"{pager.kind}, next {pager.next_url or '- (last page)'}"
            + (f", {pager.total} pages" if pager.total else "")
        ),
        f"items:     {len(found.items)}",
        "",
    ]
    rows = [[str(i.published or "-"), _cut(i.title), _cut(i.url)] for i in found.items]
    return "\n".join([*lines, text_table(["date", "title", "url"], rows)])


def preview_json(found: ListPreview | DocumentPreview) -> dict[str, Any]:
    """The preview as a JSON object (`--format json`)."""
    if isinstance(found, DocumentPreview):
        return {"url": found.url, "attachment_url": found.attachment_url, **found.document.to_dict()}
    pager = found.pager
    return {
        "url": found.url,
        "kind": found.kind,
        "block": found.block,
        "pager": None if pager is None else {"kind": pager.kind, "next_url": pager.next_url, "total": pager.total},
        "items": [
            {"date": str(i.published) if i.published else None, "title": i.title, "url": i.url} for i in found.items
        ],
    }
