"""Parsing a whole document: normalise its text, find its title, date, region and kind, and read its figures."""

from __future__ import annotations

from datetime import date

from parsers.context import Scope, heading_scope, ytd_before
from parsers.dates import find_dates
from parsers.figures import extract_figures
from parsers.kinds import document_kind
from parsers.model import ParsedDocument
from parsers.normalize import normalize_text
from parsers.reading_units import is_table_row
from parsers.regions import Gazetteer, Region

# Lines of page furniture that are never a title.
FURNITURE_STARTS: tuple[str, ...] = (
    "title",
    "您当前的位置",
    "当前位置",
    "您的位置",
    "位置:",
    "位置：",
    "首页",
    "主页",
    "来源",
    "发布时间",
    "字号",
)
TITLE_MIN, TITLE_MAX = 6, 90
DATE_SEARCH_LINES = 15
LEAD_CHARS = 120  # a news story's lead: where it says which period it reports
# These kinds carry the period of their figures in the title (`2025年1-10月主要经济指标`, `关于2025年…计划
# 执行情况…的报告`); a work report's title names the year of the session instead.
KINDS_WITH_TITLE_PERIOD = ("bulletin", "indicator_table", "plan_report")


def guess_title(text: str) -> str | None:
    """The first line of a plain text that reads like a title, skipping page furniture."""
    for line in text.split("\n")[:20]:
        s = line.strip()
        if len(s) < TITLE_MIN or len(s) > TITLE_MAX or s.endswith("。"):
            continue
        if s.lower().startswith(FURNITURE_STARTS):
            continue
        return s
    return None


def guess_published(text: str) -> date | None:
    """A publication date stated near the top of a text (`发布时间:2026-01-04`, `2023年02月15日 15:28`)."""
    head = "\n".join(text.split("\n")[:DATE_SEARCH_LINES])
    found = find_dates(head)
    return found[0][1] if found else None


def parse_document(
    text: str,
    title: str | None = None,
    published: date | None = None,
    region_hint: str | None = None,
    region_override: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> ParsedDocument:
    """The parsed document: normalised text, title, date, region, kind and every key figure."""
    gaz = gazetteer or Gazetteer.default()
    body = normalize_text(text)
    head = normalize_text(title) if title else guess_title(body)
    when = published or guess_published(body)
    region = _region(gaz, head, body, region_hint, region_override)
    table_rows = sum(1 for line in body.split("\n") if is_table_row(line))
    kind = document_kind(head, body, table_rows)
    base = _base_scope(head, body, kind, when)
    figures = extract_figures(body, when, region, gaz, base)
    return ParsedDocument(
        title=head,
        published=when.isoformat() if when else None,
        region=region.name if region else None,
        region_code=region.code if region else None,
        kind=kind,
        text=body,
        figures=figures,
    )


def _base_scope(title: str | None, body: str, kind: str, published: date | None) -> Scope | None:
    """What the title says of the whole document: its period for reports and tables, a story's 前三季度 for news."""
    if title and kind in KINDS_WITH_TITLE_PERIOD:
        return heading_scope(title, published)
    # A news story about 前三季度 or 上半年 reads every figure in that period unless a sentence says otherwise.
    lead = title or ""
    ytd = ytd_before(lead, len(lead)) or ytd_before(body[:LEAD_CHARS], min(LEAD_CHARS, len(body)))
    if ytd is None:
        return None
    return Scope(year=ytd[0], ytd_month=ytd[1])


def _region(gaz: Gazetteer, title: str | None, body: str, hint: str | None, override: str | None) -> Region | None:
    if override:
        resolved = gaz.resolve(override)
        if resolved.region is not None:
            return resolved.region
    return gaz.document_region(title, body, hint)
