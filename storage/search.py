"""Full-text search over stored documents: a case-insensitive substring of the title or the text.

Chinese has no spaces to split words on, so a substring match is what a reader expects (`古交` finds 古交市).
ILIKE on PostgreSQL; SQLAlchemy spells `ilike` as lower(x) LIKE lower(y) on SQLite, whose LIKE alone folds
ASCII only (and whose lower() folds only ASCII too: 'É' and 'é' stay apart there). A sequential scan is fine at
this scale; on PostgreSQL a pg_trgm GIN index on title and text would serve the same ILIKE when it is not.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_

from storage.queries import newest_documents_first, select_documents
from storage.schema import documents
from storage.text import clean

MAX_QUERY = 100  # characters of a search query; the rest is ignored
ESCAPE = "\\"


def like_pattern(query: str) -> str | None:
    """`%query%` with LIKE's wildcards and the escape character taken literally; None for a blank query."""
    words = clean(query.strip(), MAX_QUERY).strip()
    if not words:
        return None
    for special in (ESCAPE, "%", "_"):  # the escape character first, or its own escapes would double
        words = words.replace(special, ESCAPE + special)
    return f"%{words}%"


def select_search(pattern: str, limit: int) -> Select[Any]:
    """Documents whose title or text contains the pattern, reposts left out, newest publication first."""
    found = or_(documents.c.title.ilike(pattern, escape=ESCAPE), documents.c.text.ilike(pattern, escape=ESCAPE))
    return (
        select_documents()
        .where(documents.c.duplicate_of.is_(None), found)
        .order_by(*newest_documents_first())
        .limit(limit)
    )
