"""Webhooks: subscriptions, the outbox of deliveries (one row per change and subscription,
written in the change's own transaction) and every attempt to deliver one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.article import JSONType
from app.models.base import Base, UtcDateTime, id_column, new_id, utcnow
from app.models.integration import BigIntPK, Change


class WebhookSubscription(Base):
    """Where to send which changes. The secret signs every delivery, so it is kept as is
    (a hash could not sign); it is shown to the client once, when created."""

    __tablename__ = "webhook_subscription"

    id: Mapped[str] = id_column("whk")
    url: Mapped[str] = mapped_column(String(2048))
    events: Mapped[list[str]] = mapped_column(JSONType)
    description: Mapped[str | None] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16), default="active")
    paused_reason: Mapped[str | None] = mapped_column(Text)
    paused_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # Delivery state: when the head of the queue may be tried again, since when it fails,
    # and which sender holds the subscription until when (a crashed sender's claim lapses).
    retry_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    failing_since: Mapped[datetime | None] = mapped_column(UtcDateTime())
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())


class WebhookDelivery(Base):
    """One change to send to one subscription; `id` is the `webhook-id` header, the same on
    every attempt, so a receiver can drop a repeat."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        Index("ix_webhook_delivery_queue", "subscription_id", "status", "seq"),
        Index("ix_webhook_delivery_status", "status"),
    )

    seq: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: new_id("msg"))
    subscription_id: Mapped[str] = mapped_column(
        ForeignKey("webhook_subscription.id", ondelete="CASCADE")
    )
    change_seq: Mapped[int] = mapped_column(ForeignKey("change.seq", ondelete="CASCADE"))
    event_type: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)

    change: Mapped[Change] = relationship(lazy="joined")


class WebhookAttempt(Base):
    """One try at a delivery: the receiver's status code, or why there was none."""

    __tablename__ = "webhook_attempt"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    delivery_seq: Mapped[int] = mapped_column(
        ForeignKey("webhook_delivery.seq", ondelete="CASCADE"), index=True
    )
    attempted_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(500))
    duration_ms: Mapped[int] = mapped_column(Integer)
