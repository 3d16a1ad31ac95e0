"""Real report texts from provinces other than Shanxi, parsed as a source gives them, score against their gold.

The set (tests/fixtures/documents_national/, SOURCES.md there) holds work-report excerpts of eight provinces,
labelled by hand before any parser ran on them. Each document is parsed with its title and publication date and
no region hint; its figures are compared with the gold as a set of (region_code, indicator, period, basis, value,
yoy) tuples, and precision, recall and F1 are taken over the whole set.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from parsers.document import parse_document

DOCS = Path(__file__).parent.parent / "fixtures" / "documents_national"
GOLD: list[dict[str, Any]] = json.loads((DOCS / "gold.json").read_text(encoding="utf-8"))
MIN_F1 = 0.95
Key = tuple[str | None, str, str, str, float | None, float | None]


def _num(x: float | None) -> float | None:
    return None if x is None else round(float(x), 6)


def _key(f: dict[str, Any]) -> Key:
    return (f["region_code"], f["indicator"], f["period"], f["basis"], _num(f["value"]), _num(f["yoy"]))


def _parse(entry: dict[str, Any]) -> tuple[set[Key], str | None]:
    # Bytes decoded as stored; CRLF is kept (the parser's normaliser folds it).
    text = (DOCS / entry["file"]).read_bytes().decode("utf-8")
    doc = parse_document(text, title=entry["title"], published=date.fromisoformat(entry["published"]))
    return {_key(f.to_dict()) for f in doc.figures}, doc.region_code


def test_the_set_is_national_and_large_enough() -> None:
    assert len(GOLD) >= 8
    assert len({g["province"] for g in GOLD}) >= 6
    assert "山西省" not in {g["province"] for g in GOLD}
    for g in GOLD:
        text = (DOCS / g["file"]).read_text(encoding="utf-8")
        assert len(text) >= 1500, g["file"]
        keys = [(f["indicator"], f["period"], f["basis"]) for f in g["figures"]]
        assert len(keys) == len(set(keys)), g["file"]


def test_national_documents_f1() -> None:
    tp = fp = fn = 0
    report: list[str] = []
    for entry in GOLD:
        got, region_code = _parse(entry)
        want = {_key(f) for f in entry["figures"]}
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
        lines = []
        if region_code != entry["region_code"]:
            lines.append(f"  region {region_code} != {entry['region_code']}")
        lines += [f"  missed {k}" for k in sorted(want - got, key=str)]
        lines += [f"  extra  {k}" for k in sorted(got - want, key=str)]
        if lines:
            report.append(entry["file"] + "\n" + "\n".join(lines))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    summary = f"P={precision:.3f} R={recall:.3f} F1={f1:.3f} (tp={tp} fp={fp} fn={fn})"
    print(summary)
    assert f1 >= MIN_F1, summary + "\n" + "\n".join(report)
