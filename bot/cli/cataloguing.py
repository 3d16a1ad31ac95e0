"""`govwatch sources catalogue` and `govwatch sources add --from-catalogue`: the catalogue of Shanxi sources.

`catalogue` prints the catalogue's rows for a region (a city includes its counties) and the divisions still
without evidence; `add_from_catalogue` appends the rows as `[[sources]]` tables to the settings file, keeping its
comments and layout (tomlkit), and skips any source already there. `sources` is the `govwatch sources` entry: the
health table without an action, else one of these two.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from bot.catalogue import KINDS, PROVINCE, Catalogue, Row, load_catalogue
from bot.cli.terminal import text_table
from bot.settings import Settings, SettingsError, load_settings
from parsers.regions import Region

MAX_MISSING_SHOWN = 40  # division names listed on the "missing" line; the rest are counted
_KIND_TITLES = {
    "work_report": "政府工作报告",
    "plan_report": "计划执行情况",
    "bulletin": "统计公报",
    "indicator_table": "统计数据",
    "news": "要闻",
}
_SITE_OWNERS = {"portal": "人民政府", "stats": "统计局"}
_TITLE_RE = re.compile(r"^([\u4e00-\u9fff]{2,12})[:：]")


def sources(args: argparse.Namespace, settings: Settings) -> int:
    """`govwatch sources [catalogue|add]`: the health of each source, or the catalogue, or adding from it."""
    action = getattr(args, "action", None)
    if action == "catalogue":
        return catalogue(args, settings)
    if action == "add":
        return add_from_catalogue(args, settings)
    from bot.cli.polling import sources as health

    return health(args, settings)


def _region(cat: Catalogue, query: str | None, command: str) -> Region | None:
    """The region a `--region` names (the province when none is given), or None after saying why not."""
    if not query:
        return cat.region(PROVINCE)
    resolution = cat.gazetteer.resolve(query)
    problem = resolution.problem(query)
    if problem is not None or resolution.region is None:
        print(f"govwatch sources {command}: {problem}", file=sys.stderr)
        return None
    region = resolution.region
    if cat.gazetteer.province_of(region).code != PROVINCE:
        province = cat.gazetteer.province_of(region).name
        print(
            f"govwatch sources {command}: the catalogue covers 山西省 only; {region.name} is in {province}",
            file=sys.stderr,
        )
        return None
    return region


def _kind(kind: str | None, command: str) -> bool:
    if kind is None or kind in KINDS:
        return True
    print(f"govwatch sources {command}: kind {kind!r} is not one of {', '.join(KINDS)}", file=sys.stderr)
    return False


def region_label(cat: Catalogue, region: Region) -> str:
    """The shortest name that names the region alone: its name, else its parent's name and its own (阳泉市城区),
    else its code."""
    parent = cat.gazetteer.parent_of(region)
    for label in (region.name, (parent.name + region.name) if parent else None):
        if label and cat.gazetteer.resolve(label).region == region:
            return label
    return region.code


def _missing_line(cat: Catalogue, region: Region, kind: str | None) -> str:
    missing = cat.missing(region.code, kind)
    total = len(cat.divisions(region.code))
    what = f"no {kind} row" if kind else "no row"
    of = f"of {total} division{'' if total == 1 else 's'}"
    if not missing:
        return f"missing ({what}): none {of}"
    names = "、".join(region_label(cat, r) for r in missing[:MAX_MISSING_SHOWN])
    more = f" and {len(missing) - MAX_MISSING_SHOWN} more" if len(missing) > MAX_MISSING_SHOWN else ""
    return f"missing ({what}): {len(missing)} {of}: {names}{more}"


def catalogue(args: argparse.Namespace, settings: Settings) -> int:
    """Print the catalogue rows for `--region` (default: all of Shanxi) and `--kind`, then the divisions under
    the region that have no such row. Exit 1 for an unknown region or kind."""
    del settings
    cat = load_catalogue()
    kind: str | None = getattr(args, "kind", None)
    region = _region(cat, getattr(args, "region", None), "catalogue")
    if region is None or not _kind(kind, "catalogue"):
        return 1
    rows = cat.rows_for(region.code, kind)
    table = [
        [
            region_label(cat, cat.region(row.code)),
            row.site,
            row.kind,
            row.source_kind,
            row.url,
            str(row.evidence_date or "-"),
        ]
        for row in rows
    ]
    print(text_table(["region", "site", "kind", "source kind", "url", "evidence date"], table))
    scope = region.name + (f", {kind}" if kind else "")
    print(f"\n{len(rows)} rows for {scope}")
    print(_missing_line(cat, region, kind))
    return 0


def source_name(cat: Catalogue, row: Row) -> str:
    """A `[[sources]]` name for a row: the site's owner, then the column (吕梁市统计局 统计公报,
    交城县人民政府 政务要闻)."""
    owner = region_label(cat, cat.region(row.code)) + _SITE_OWNERS[row.site]
    found = _TITLE_RE.match(row.note)
    if found:
        title = found.group(1)
    elif row.kind == "news" and row.url.rstrip("/").count("/") <= 2:
        title = "首页"
    else:
        title = _KIND_TITLES[row.kind]
    return f"{owner} {title}"


def _sources_table(doc: Any) -> Any:
    """The document's `[[sources]]` array of tables, created at the end when there is none."""
    import tomlkit
    from tomlkit.items import AoT

    existing = doc.get("sources")
    if existing is None:
        doc.append("sources", tomlkit.aot())
        return doc["sources"]
    if not isinstance(existing, AoT):
        raise SettingsError("sources is not an array of [[sources]] tables")
    return existing


def _new_table(cat: Catalogue, row: Row, name: str) -> Any:
    import tomlkit

    table = tomlkit.table()
    table.trivia.indent = "\n"  # a blank line before each new [[sources]]
    when = row.evidence_date.isoformat() if row.evidence_date else "undated"
    table.add(
        tomlkit.comment(f"from the catalogue: {row.kind} of {row.code}, evidence {when}; check with govwatch try")
    )
    table.add("name", name)
    table.add("url", row.url)
    table.add("kind", row.source_kind)
    table.add("region", region_label(cat, cat.region(row.code)))
    return table


def add_from_catalogue(args: argparse.Namespace, settings: Settings) -> int:
    """Append the catalogue rows for `--from-catalogue REGION` (and `--kind`) to the settings file as
    `[[sources]]` tables; a source whose url or name is already there is skipped. Exit 1 when nothing is added."""
    import tomlkit

    cat = load_catalogue()
    kind: str | None = getattr(args, "kind", None)
    if not getattr(args, "region", None):
        print(
            "govwatch sources add: name the region: --from-catalogue 吕梁市 (a city brings its counties)",
            file=sys.stderr,
        )
        return 1
    region = _region(cat, args.region, "add")
    if region is None or not _kind(kind, "add"):
        return 1
    rows = cat.rows_for(region.code, kind)
    if not rows:
        scope = region.name + (f" ({kind})" if kind else "")
        print(f"govwatch sources add: the catalogue has no row for {scope}", file=sys.stderr)
        return 1
    path = Path(args.config)
    original = path.read_text(encoding="utf-8")
    doc = tomlkit.parse(original)
    try:
        tables = _sources_table(doc)
    except SettingsError as exc:
        print(f"govwatch sources add: {path}: {exc}", file=sys.stderr)
        return 2
    names = {str(t.get("name")) for t in tables} | {s.name for s in settings.sources}
    urls = {str(t.get("url")) for t in tables} | {s.url for s in settings.sources}
    added: list[tuple[str, Row]] = []
    skipped: list[tuple[str, Row, str]] = []
    for row in rows:
        name = source_name(cat, row)
        if row.url in urls:
            skipped.append((name, row, "url already there"))
            continue
        if name in names:
            skipped.append((name, row, "name already there"))
            continue
        tables.append(_new_table(cat, row, name))
        names.add(name)
        urls.add(row.url)
        added.append((name, row))
    if skipped:
        print(f"skipped {len(skipped)} already in {path}:")
        print(text_table(["source", "url", "why"], [[n, r.url, why] for n, r, why in skipped]))
    if not added:
        print(
            f"govwatch sources add: nothing added: every catalogue source of {region.name} is in {path}",
            file=sys.stderr,
        )
        return 1
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    try:
        load_settings(path)
    except SettingsError as exc:  # never leave a settings file that does not load
        path.write_text(original, encoding="utf-8")
        print(f"govwatch sources add: the new tables do not validate; {path} is unchanged\n{exc}", file=sys.stderr)
        return 2
    if skipped:
        print()
    print(f"added {len(added)} sources to {path}:")
    print(text_table(["source", "kind", "url"], [[n, r.source_kind, r.url] for n, r in added]))
    print("\nThese sites change, and they cannot be reached from here: check each new source before `govwatch run`:")
    for _, row in added:
        print(f"  govwatch try {row.url} --kind {row.source_kind} --region {region_label(cat, cat.region(row.code))}")
    return 0
