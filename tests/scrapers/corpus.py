"""The recorded pages under tests/fixtures/pages and the bigram F1 the extraction tests score with."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"


def page_bytes(name: str) -> bytes:
    """The recorded bytes of html/<name>.html."""
    return (PAGES / "html" / f"{name}.html").read_bytes()


def truth(name: str) -> dict[str, Any]:
    """The expected result shipped with a page (truth/<name>.json)."""
    data: dict[str, Any] = json.loads((PAGES / "truth" / f"{name}.json").read_text(encoding="utf-8"))
    return data


def names(prefix: str) -> list[str]:
    """Names of the pages with a truth file whose name starts with prefix."""
    return sorted(p.stem for p in (PAGES / "truth").glob(f"{prefix}*.json"))


def _bigrams(text: str) -> Counter[str]:
    squeezed = re.sub(r"\s+", "", text)
    return Counter(squeezed[i : i + 2] for i in range(len(squeezed) - 1))


def bigram_f1(extracted: str, expected: str) -> float:
    """Character-bigram F1 of extracted text E against expected text G (whitespace removed first)."""
    # Bigrams are counted as multisets: precision = |E ∩ G| / |E|, recall = |E ∩ G| / |G|, with the
    # multiset intersection; F1 is their harmonic mean, 0 when nothing is shared.
    got, want = _bigrams(extracted), _bigrams(expected)
    overlap = sum((got & want).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)
