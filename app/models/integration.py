"""Integrator plumbing: API keys, idempotency records and the change log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.article import JSONType
from app.models.base import Base, UtcDateTime, id_column, utcnow

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
BigIntPK = BigInteger().with_variant(Integer(), "sqlite")


class ApiKey(Base):
    """An API key: only its SHA-256 is stored; the key itself is shown once."""

    __tablename__ = "api_key"

    id: Mapped[str] = id_column("key")
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Set when the key was rotated with a grace period (or created to expire): from then on
    # it no longer authenticates, like a revoked key.
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(s for s in self.scopes.split(",") if s)


class IdempotencyRecord(Base):
    """The first response to a POST sent with an `Idempotency-Key`, replayed on retries."""

    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("principal", "key"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    principal: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)
    response_headers: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class Change(Base):
    """One entry of the change feed, written in the same transaction as the change."""

    __tablename__ = "change"
    __table_args__ = (
        Index("ix_change_resource_id", "resource", "resource_id"),
        # The feed's `resource=` filter: changes of one kind in seq order.
        Index("ix_change_resource_seq", "resource", "seq"),
    )

    seq: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    resource: Mapped[str] = mapped_column(String(32))
    resource_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    api_key_id: Mapped[str | None] = mapped_column(
        ForeignKey("api_key.id", ondelete="SET NULL"), nullable=True
    )


class ApiKeyEvent(Base):
    """The audit trail of key management: what was done to which key, by whom, when.

    `actor_key_id` is the admin key that acted over HTTP (null from the CLI, `via="cli"`)."""

    __tablename__ = "api_key_event"

    id: Mapped[str] = id_column("kev")
    key_id: Mapped[str] = mapped_column(ForeignKey("api_key.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    actor_key_id: Mapped[str | None] = mapped_column(
        ForeignKey("api_key.id", ondelete="SET NULL"), nullable=True
    )
    via: Mapped[str] = mapped_column(String(8))
    client: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSONType)


class SyncState(Base):
    """Where `conflict-news sync` stopped reading a remote instance's change feed: its
    cursor, written in the same transaction as the changes it applied."""

    __tablename__ = "sync_state"

    remote: Mapped[str] = mapped_column(String(2048), primary_key=True)
    cursor: Mapped[str] = mapped_column(String(2000))
    applied: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
