"""The records `parsers` produces: figures and parsed documents (the figure contract of docs/ARCHITECTURE.md)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Basis = Literal["actual", "estimate", "target"]
DocKind = Literal["work_report", "plan_report", "bulletin", "indicator_table", "news"]

BASES: tuple[Basis, ...] = ("actual", "estimate", "target")
DOC_KINDS: tuple[DocKind, ...] = ("work_report", "plan_report", "bulletin", "indicator_table", "news")


@dataclass(frozen=True, slots=True)
class Figure:
    """One key figure read from a text, in the contract's fields."""

    region: str | None
    region_code: str | None
    indicator: str
    period: str
    basis: Basis
    value: float | None
    unit: str
    yoy: float | None
    qualifier: str | None
    quote: str

    def key(self) -> tuple[str | None, str, str, str]:
        """The identity of a figure within one document: who, what, when and on what basis."""
        return (self.region_code or self.region, self.indicator, self.period, self.basis)

    def to_dict(self) -> dict[str, Any]:
        """The figure as the JSON object of the contract."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """A document's kind, region and date with every figure found in its normalised text."""

    title: str | None
    published: str | None
    region: str | None
    region_code: str | None
    kind: DocKind
    text: str
    figures: list[Figure] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The `govwatch parse --format json` object: the document and its figures."""
        return {
            "document": {
                "title": self.title,
                "published": self.published,
                "region": self.region,
                "region_code": self.region_code,
                "kind": self.kind,
                "text": self.text,
            },
            "figures": [f.to_dict() for f in self.figures],
        }
