"""Records turned into the column values the store writes, every scraped string cleaned and capped."""

from __future__ import annotations

import functools
import typing
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from types import UnionType
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from sqlalchemy.engine import Row

from parsers.model import Figure
from storage.records import NewDocument, PollRun, SourceState, StorageError
from storage.text import (
    MAX_ERROR,
    MAX_FIELD,
    MAX_QUOTE,
    MAX_TEXT,
    MAX_TITLE,
    clean,
    clean_opt,
    content_hash,
    figure_signature,
    title_key,
)

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    RecordT = TypeVar("RecordT", bound=DataclassInstance)
else:
    RecordT = TypeVar("RecordT")

MAX_STATUS = 16


def utcnow() -> datetime:
    """Now, aware, in UTC."""
    return datetime.now(UTC)


def clean_url(url: str) -> str:
    """A URL as it is stored and looked up: NUL-free, valid UTF-8, not cut (it is an identity)."""
    return clean(url, len(url))


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """A document's column values with the keys that recognise a repost."""

    values: dict[str, Any]
    repost_hash: str | None  # the content hash when the text is long enough to identify a report
    title_key: str | None
    signature: str | None


def document_row(doc: NewDocument, figures: Sequence[Figure]) -> DocumentRow:
    """The documents row for `doc` (duplicate_of left for the caller)."""
    text = clean(doc.text, MAX_TEXT)
    digest, identifying = content_hash(text)
    title = clean_opt(doc.title, MAX_TITLE)
    key = title_key(title)
    signature = figure_signature(figures)
    values = {
        "canonical_url": clean_url(doc.canonical_url),
        "source_name": clean(doc.source_name, MAX_FIELD),
        "title": title,
        "title_key": key,
        "published": doc.published,
        "fetched_at": doc.fetched_at or utcnow(),
        "kind": clean(doc.kind, MAX_FIELD),
        "region": clean_opt(doc.region, MAX_FIELD),
        "region_code": clean_opt(doc.region_code, MAX_FIELD),
        "text": text,
        "content_hash": digest,
        "figure_signature": signature,
        "attachment_url": None if doc.attachment_url is None else clean_url(doc.attachment_url),
        "baseline": doc.baseline,
    }
    return DocumentRow(values, digest if identifying else None, key, signature)


def figure_rows(document_id: int, published: date | None, figures: Sequence[Figure]) -> list[dict[str, Any]]:
    """The figures rows of one document. A NULL where the schema forbids one fails the whole save."""
    return [
        {
            "document_id": document_id,
            "region": clean_opt(f.region, MAX_FIELD),
            "region_code": clean_opt(f.region_code, MAX_FIELD),
            "indicator": clean_opt(f.indicator, MAX_FIELD),
            "period": clean_opt(f.period, MAX_FIELD),
            "basis": clean_opt(f.basis, MAX_STATUS),
            "value": f.value,
            "unit": clean_opt(f.unit, MAX_FIELD),
            "yoy": f.yoy,
            "qualifier": clean_opt(f.qualifier, MAX_FIELD),
            "quote": clean_opt(f.quote, MAX_QUOTE),
            "published": published,
        }
        for f in figures
    ]


def source_values(state: SourceState) -> dict[str, Any]:
    """The sources row for a state (created_at left to the caller when the state has none)."""
    return {
        "name": clean(state.name, MAX_FIELD),
        "url": clean_url(state.url),
        "kind": clean(state.kind, MAX_FIELD),
        "region": clean_opt(state.region, MAX_FIELD),
        "last_poll_at": state.last_poll_at,
        "last_success_at": state.last_success_at,
        "last_status": clean_opt(state.last_status, MAX_STATUS),
        "consecutive_failures": state.consecutive_failures,
        "last_error": clean_opt(state.last_error, MAX_ERROR),
        "blocked": state.blocked,
        "baseline_done": state.baseline_done,
        "next_poll_at": state.next_poll_at,
        "created_at": state.created_at or utcnow(),
    }


def poll_values(run: PollRun) -> dict[str, Any]:
    """The poll_runs row for a run."""
    return {
        "source_name": clean(run.source_name, MAX_FIELD),
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "status": clean(run.status, MAX_STATUS),
        "items_found": run.items_found,
        "new_documents": run.new_documents,
        "figures": run.figures,
        "error": clean_opt(run.error, MAX_ERROR),
        "duration_ms": run.duration_ms,
    }


@functools.cache
def _closed_sets(cls: type[Any]) -> dict[str, frozenset[object]]:
    """The fields of a record typed with a Literal (optionally `| None`), and the values each may hold."""
    closed: dict[str, frozenset[object]] = {}
    for name, hint in typing.get_type_hints(cls).items():
        union = typing.get_origin(hint) in (typing.Union, UnionType)
        options = typing.get_args(hint) if union else (hint,)
        allowed = [v for o in options if typing.get_origin(o) is Literal for v in typing.get_args(o)]
        if allowed:
            closed[name] = frozenset([*allowed, *([None] if type(None) in options else [])])
    return closed


def record_from_row(cls: type[RecordT], row: Row[Any]) -> RecordT:
    """The record whose fields are the row's columns of the same names; a Literal field must hold one of its values."""
    mapping = row._mapping
    values = {f.name: mapping[f.name] for f in fields(cls)}
    for name, allowed in _closed_sets(cls).items():
        if values[name] not in allowed:
            raise StorageError(f"{cls.__name__}.{name}: the database holds an unknown value {values[name]!r}")
    return cls(**values)
