"""The tables, in SQLAlchemy Core: one schema for SQLite and PostgreSQL.

These `Table` objects are the current shape of the database, what the queries use; `migrations.py` brings an
older database to it. A new table is added here and created by a new migration step.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)

from storage.text import MAX_ERROR, MAX_FIELD, MAX_QUOTE, MAX_TITLE


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every backend (SQLite keeps naive text, so UTC is implied there)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Aware values are converted to UTC; naive ones are taken to be UTC already."""
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Always an aware UTC datetime."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", String(MAX_FIELD), nullable=False),
    Column("applied_at", UTCDateTime, nullable=False),
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(MAX_FIELD), nullable=False, unique=True),
    Column("url", Text, nullable=False),
    Column("kind", String(MAX_FIELD), nullable=False),
    Column("region", String(MAX_FIELD)),
    Column("last_poll_at", UTCDateTime),
    Column("last_success_at", UTCDateTime),
    Column("last_status", String(16)),  # ok | unchanged | error | blocked; NULL before the first poll
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("last_error", String(MAX_ERROR)),
    Column("blocked", Boolean, nullable=False, default=False),
    Column("baseline_done", Boolean, nullable=False, default=False),
    Column("next_poll_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
)

http_cache = Table(
    "http_cache",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("updated_at", UTCDateTime, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("canonical_url", Text, nullable=False, unique=True),
    Column("source_name", String(MAX_FIELD), nullable=False),
    Column("title", String(MAX_TITLE)),
    Column("title_key", String(MAX_TITLE)),  # the normalised title, to recognise reposts
    Column("published", Date),
    Column("fetched_at", UTCDateTime, nullable=False),
    Column("kind", String(MAX_FIELD), nullable=False),
    Column("region", String(MAX_FIELD)),
    Column("region_code", String(MAX_FIELD)),
    Column("text", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("figure_signature", String(64)),  # sha256 of the figures' keys and values; NULL without figures
    Column("attachment_url", Text),
    Column("baseline", Boolean, nullable=False, default=False),
    Column("duplicate_of", Integer, ForeignKey("documents.id", ondelete="SET NULL")),
    Index("ix_documents_content_hash", "content_hash"),
    Index("ix_documents_title_key", "title_key", "figure_signature"),
    Index("ix_documents_region_published", "region_code", "published"),
)

figures = Table(
    "figures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("region", String(MAX_FIELD)),
    Column("region_code", String(MAX_FIELD)),
    Column("indicator", String(MAX_FIELD), nullable=False),
    Column("period", String(MAX_FIELD), nullable=False),
    Column("basis", String(16), nullable=False),
    Column("value", Double),
    Column("unit", String(MAX_FIELD), nullable=False),
    Column("yoy", Double),
    Column("qualifier", String(MAX_FIELD)),
    Column("quote", String(MAX_QUOTE), nullable=False),
    Column("published", Date),  # the document's, denormalised so figures sort without a join
    Index("ix_figures_region_indicator", "region_code", "indicator"),
    Index("ix_figures_indicator", "indicator"),
    Index("ix_figures_document", "document_id"),
)

poll_runs = Table(
    "poll_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_name", String(MAX_FIELD), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False),
    Column("items_found", Integer, nullable=False, default=0),
    Column("new_documents", Integer, nullable=False, default=0),
    Column("figures", Integer, nullable=False, default=0),
    Column("error", String(MAX_ERROR)),
    Column("duration_ms", Integer, nullable=False, default=0),
    Index("ix_poll_runs_source_started", "source_name", "started_at"),
)

# A chat's "everything" (全部) subscription: NULL would never collide in UNIQUE(chat_id, region_code).
EVERYTHING = "*"

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("chat_id", BigInteger, nullable=False),
    Column("region_code", String(6), nullable=False),  # a 6-digit division code, or EVERYTHING
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("chat_id", "region_code", name="uq_subscriptions_chat_region"),
    Index("ix_subscriptions_region", "region_code"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("chat_id", BigInteger, nullable=False),
    Column("status", String(16), nullable=False),  # pending | sending | sent | dropped
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime),  # NULL: due at once
    Column("last_error", String(MAX_ERROR)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
    Column("message_ids", Text),  # the Telegram message ids, comma-separated, once sent
    Column("lease_until", UTCDateTime),  # while sending: the dispatcher's claim, recoverable once past
    UniqueConstraint("document_id", "chat_id", name="uq_outbox_document_chat"),  # one alert per document and chat
    Index("ix_outbox_due", "status", "next_attempt_at", "id"),
    Index("ix_outbox_chat", "chat_id", "status"),
)

# Where each source's backfill stands: the next list page to read, so an interrupted walk resumes there.
backfills = Table(
    "backfills",
    metadata,
    Column("source_name", String(MAX_FIELD), primary_key=True),
    Column("start_url", Text, nullable=False),  # the source URL the walk began at (a new URL starts over)
    Column("next_url", Text),  # NULL once the walk is over
    Column("page", Integer, nullable=False, default=0),  # list pages read so far
    Column("documents", Integer, nullable=False, default=0),
    Column("figures", Integer, nullable=False, default=0),
    Column("status", String(16), nullable=False),  # running | done | failed
    Column("stop_reason", String(MAX_ERROR)),
    Column("updated_at", UTCDateTime, nullable=False),
)

# Per-host request starts shared by every process on one database (a backfill beside `govwatch run`).
host_slots = Table(
    "host_slots",
    metadata,
    Column("host", String(MAX_FIELD), primary_key=True),
    Column("next_start", Double, nullable=False),  # Unix time before which no process starts a request
)

# Who polls each source, so that several processes on one database poll it once per interval: a process claims
# the source when it is due and no live claim holds it; a claim whose process died expires at lease_until.
poll_claims = Table(
    "poll_claims",
    metadata,
    Column("source_name", String(MAX_FIELD), primary_key=True),
    Column("owner", String(MAX_FIELD)),  # the claiming process (host:pid:random), NULL when released
    Column("lease_until", UTCDateTime),  # the claim holds until then (a poll under way), NULL when released
    Column("due_at", UTCDateTime, nullable=False),  # no process starts another poll of it before then
)

# The tables each migration creates, frozen: a later table belongs to the migration that adds it.
V1_TABLES: tuple[Table, ...] = (sources, http_cache, documents, figures, poll_runs)
V2_TABLES: tuple[Table, ...] = (subscriptions, outbox)
V3_TABLES: tuple[Table, ...] = (backfills, host_slots)
V4_TABLES: tuple[Table, ...] = (poll_claims,)
