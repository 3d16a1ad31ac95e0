"""Vendor the division list: turn one year of yescallop/areacodes into ``source/divisions.tsv``.

Usage::

    python vendor_source.py GIT_DIR [--year 2024] [--out source/divisions.tsv]

GIT_DIR is a (bare) git directory of https://github.com/yescallop/areacodes (CC0 1.0), whose
``data/<year>.txt`` holds the Ministry of Civil Affairs (民政部) list of county-level and higher
administrative division codes as of 31 December of that year, one ``code name`` per line. The output has
one row per division: code, name, level (province | prefecture | county) and parent code, with the parent
resolved the way regions.tsv wants it:

* a county-level division whose ``xxxx00`` prefecture does not exist (the districts and counties of the
  four municipalities, 省直辖县级行政区划 such as 429004 仙桃市, 419001 济源市, 4690xx, 6590xx) gets
  its province as parent;
* pseudo-prefectures (市辖区, 县, 省直辖县级行政区划 ...), which some copies of the list carry, are dropped.

Standard library only; git must be on PATH. The header comment of the output names the commit.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = "yescallop/areacodes"
# Rows that are not divisions but placeholders for "directly administered" groups.
PSEUDO_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "直辖县级行政区划"})


@dataclass(frozen=True, slots=True)
class Division:
    code: str
    name: str
    level: str
    parent: str


def git(git_dir: Path, *args: str) -> str:
    """Output of one git command against ``git_dir``."""
    done = subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True, text=True, encoding="utf-8"
    )
    return done.stdout


def parse_year(text: str) -> dict[str, str]:
    """``code name`` lines as a dict (tabs and spaces both separate)."""
    codes: dict[str, str] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split(maxsplit=1)
        code, name = (parts[0], parts[1].strip()) if len(parts) == 2 else (line, "")
        if len(code) != 6 or not code.isdigit() or not name:
            raise ValueError(f"line {lineno}: not 'code name': {line!r}")
        if code in codes:
            raise ValueError(f"line {lineno}: code {code} repeated")
        codes[code] = name
    return codes


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    return "prefecture" if code.endswith("00") else "county"


def divisions(codes: dict[str, str]) -> list[Division]:
    """Rows with levels and parents; pseudo-prefectures dropped, their children moved up to the province."""
    real = {code: name for code, name in codes.items() if name not in PSEUDO_NAMES}
    rows: list[Division] = []
    for code in sorted(real):
        level = level_of(code)
        province = code[:2] + "0000"
        if level == "province":
            parent = ""
        elif level == "prefecture":
            parent = province
        else:
            prefecture = code[:4] + "00"
            parent = prefecture if prefecture in real else province
        if parent and parent not in real:
            raise ValueError(f"{code} {real[code]}: parent {parent} missing")
        rows.append(Division(code, real[code], level, parent))
    return rows


def render(rows: list[Division], year: str, commit: str, date: str) -> str:
    counts = {lvl: sum(r.level == lvl for r in rows) for lvl in ("province", "prefecture", "county")}
    head = [
        f"# source: {REPO} data/{year}.txt, commit {commit} ({date}), licence CC0 1.0",
        f"# codes: 民政部 county-level and higher administrative division codes as of {year}-12-31",
        "# rows: " + ", ".join(f"{n} {lvl}" for lvl, n in counts.items()),
        "code\tname\tlevel\tparent",
    ]
    body = [f"{r.code}\t{r.name}\t{r.level}\t{r.parent}" for r in rows]
    return "\n".join(head + body) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("git_dir", type=Path)
    parser.add_argument("--year", default="2024")
    parser.add_argument("--out", type=Path, default=HERE / "source" / "divisions.tsv")
    args = parser.parse_args(argv)
    commit, date = git(args.git_dir, "log", "-1", "--format=%H %ad", "--date=short").split()
    rows = divisions(parse_year(git(args.git_dir, "show", f"HEAD:data/{args.year}.txt")))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(rows, args.year, commit, date), encoding="utf-8")
    print(f"{args.out}: {len(rows)} divisions from {REPO}@{commit[:12]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
