"""The labelled figure cases (tests/fixtures/figure_cases.toml): each snippet gives exactly its figures."""

from __future__ import annotations

import math
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from parsers.document import parse_document

CASES_FILE = Path(__file__).parent.parent / "fixtures" / "figure_cases.toml"
CASES: list[dict[str, Any]] = tomllib.loads(CASES_FILE.read_text(encoding="utf-8"))["case"]
FIELDS = ("value", "unit", "yoy", "qualifier")
# Phenomena the parser does not read yet, each with why; they must keep failing until it does (strict).
KNOWN_GAPS: dict[str, str] = {}


def _key(f: dict[str, Any]) -> tuple[str, str, str, str]:
    return (f["region"], f["indicator"], f["period"], f["basis"])


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return bool(a == b)


def test_cases_are_many_and_unique() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)) >= 60


def _param(case: dict[str, Any]) -> Any:
    gap = KNOWN_GAPS.get(case["id"])
    marks = [pytest.mark.xfail(reason=gap, strict=True)] if gap else []
    return pytest.param(case, id=case["id"], marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    doc = parse_document(
        case["text"],
        title=case.get("title"),
        published=date.fromisoformat(case["published"]),
        region_override=case["region"],
    )
    found = {_key(f.to_dict()): f.to_dict() for f in doc.figures}
    expected = {_key(e): e for e in case.get("expect", [])}
    assert sorted(found) == sorted(expected), [(f["quote"], f["value"], f["yoy"]) for f in found.values()]
    for key, want in expected.items():
        got = found[key]
        for name in FIELDS:
            assert _same(got[name], want.get(name)), (key, name, got[name], want.get(name), got["quote"])
