"""Every seed, parsed with its publication date, gives exactly its gold figures — and nothing else."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from parsers.document import parse_document

SEEDS = Path(__file__).parent.parent / "fixtures" / "seeds"
GOLD: list[dict[str, Any]] = json.loads((SEEDS / "gold.json").read_text(encoding="utf-8"))


def _key(f: dict[str, Any]) -> tuple[str, str, str, str]:
    return (f["region"], f["indicator"], f["period"], f["basis"])


@pytest.mark.parametrize("gold", GOLD, ids=[g["seed"][:3] for g in GOLD])
def test_seed_gives_exactly_its_gold_figures(gold: dict[str, Any]) -> None:
    text = (SEEDS / gold["seed"]).read_text(encoding="utf-8")
    doc = parse_document(text, published=date.fromisoformat(gold["published"]))
    assert doc.region == gold["region"]
    assert doc.kind == gold["kind"]
    found = {_key(f.to_dict()): f for f in doc.figures}
    expected = {_key(f): f for f in gold["figures"]}
    assert sorted(found) == sorted(expected)
    for key, want in expected.items():
        got = found[key]
        assert got.value == want["value"], key
        assert got.yoy == want["yoy"], key
        if "qualifier" in want:
            assert got.qualifier == want["qualifier"], key
        assert got.region_code is not None and len(got.region_code) == 6
        assert (got.quote and got.quote in doc.text) or " ".join(got.quote.split()) in " ".join(doc.text.split())


def test_gold_holds_all_27_figures() -> None:
    assert sum(len(g["figures"]) for g in GOLD) == 27
