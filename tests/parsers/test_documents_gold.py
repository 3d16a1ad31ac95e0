"""Whole documents in varied layouts and encodings, through extraction and parsing, give exactly their gold."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from parsers.document import parse_document
from scrapers.extract.content import ExtractedDocument, extract_document
from tests.scrapers.pdfs import build_pdf

DOCS = Path(__file__).parent.parent / "fixtures" / "documents"
GOLD: list[dict[str, Any]] = json.loads((DOCS / "gold.json").read_text(encoding="utf-8"))
PDF_LINES_PER_PAGE = 34


def document_bytes(entry: dict[str, Any]) -> bytes:
    data = (DOCS / entry["file"]).read_bytes()
    if entry["format"] == "pdf":  # the gold file holds the text set into the PDF, one line per printed line
        lines = data.decode("utf-8").split("\n")
        data = build_pdf([lines[i : i + PDF_LINES_PER_PAGE] for i in range(0, len(lines), PDF_LINES_PER_PAGE)])
    return data


def _key(f: dict[str, Any]) -> tuple[str, str, str, str]:
    return (f["region"], f["indicator"], f["period"], f["basis"])


def _same(got: dict[str, Any], want: dict[str, Any]) -> bool:
    for name in ("value", "yoy"):
        a, b = got.get(name), want.get(name)
        if (a is None) != (b is None) or (a is not None and not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)):
            return False
    return got.get("qualifier") == want.get("qualifier")


@pytest.mark.parametrize("entry", GOLD, ids=[g["file"].split("_")[0] for g in GOLD])
def test_document_gives_its_gold(entry: dict[str, Any]) -> None:
    extracted = extract_document(document_bytes(entry))
    assert isinstance(extracted, ExtractedDocument), extracted
    doc = parse_document(extracted.text, title=extracted.title, published=date.fromisoformat(entry["published"]))
    assert (doc.region, doc.kind) == (entry["region"], entry["kind"])
    got = {_key(f.to_dict()): f.to_dict() for f in doc.figures}
    want = {_key(f): f for f in entry["figures"]}
    assert sorted(got) == sorted(want)
    wrong = [(k, got[k]["value"], got[k]["yoy"], got[k]["qualifier"]) for k in want if not _same(got[k], want[k])]
    assert not wrong


def test_the_set_is_varied() -> None:
    assert len(GOLD) >= 10
    assert {g["format"] for g in GOLD} >= {"html", "txt", "pdf"}
    assert {g["kind"] for g in GOLD} == {"work_report", "plan_report", "bulletin", "indicator_table", "news"}
