"""Scraped strings made safe to store, and the keys that recognise a report reposted at another URL."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence

from parsers.model import Figure

# Caps on what one row may hold: scraped strings are hostile until proven otherwise.
MAX_TITLE = 500
MAX_QUOTE = 500
MAX_ERROR = 1000
MAX_TEXT = 2_000_000
MAX_FIELD = 200  # short fields: region names, kinds, units, periods, qualifiers
MAX_VALIDATOR = 1000  # ETag / Last-Modified; a longer one is junk and is not kept at all
# A unique index entry must fit a PostgreSQL btree page (about 2.7 kB); URLs past this are refused.
MAX_URL_BYTES = 2000
# Below this many characters a text is a stub ("详见附件") that many pages share: its hash proves nothing.
MIN_HASHED_TEXT = 100

_SPACE = re.compile(r"\s+")


def clean(value: str, limit: int) -> str:
    """`value` without NULs (PostgreSQL refuses them) or lone surrogates, cut to `limit` characters."""
    if "\x00" in value:
        value = value.replace("\x00", "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value[:limit]


def clean_opt(value: str | None, limit: int) -> str | None:
    """`clean` for an optional string."""
    return None if value is None else clean(value, limit)


def url_fits(url: str) -> bool:
    """Whether a URL is short enough to be a unique key on every backend."""
    return len(url.encode("utf-8", "replace")) <= MAX_URL_BYTES


def _fold(value: str) -> str:
    """NFKC, casefolded, all whitespace removed: what two copies of one text still share."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", value)).casefold()


def content_hash(text: str) -> tuple[str, bool]:
    """sha256 of the normalised text, and whether the text is long enough to identify a report by it."""
    folded = _fold(text)
    return hashlib.sha256(folded.encode("utf-8")).hexdigest(), len(folded) >= MIN_HASHED_TEXT


def title_key(title: str | None) -> str | None:
    """The normalised title two copies of one report share; None for an empty title."""
    if title is None:
        return None
    folded = _fold(title)
    return folded[:MAX_TITLE] or None


def figure_signature(figures: Sequence[Figure]) -> str | None:
    """sha256 of the set of figure keys and values; None when there are no figures."""
    if not figures:
        return None
    items = sorted({(*(str(part) for part in f.key()), _number(f.value), _number(f.yoy)) for f in figures})
    return hashlib.sha256(json.dumps(items, ensure_ascii=False).encode("utf-8")).hexdigest()


def _number(value: float | None) -> str:
    """A stable spelling of a figure's number (-0.0 and 0.0 alike)."""
    return "null" if value is None else repr(float(value) + 0.0)
