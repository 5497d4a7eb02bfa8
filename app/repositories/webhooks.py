"""Queries of webhook subscriptions, their delivery outbox and attempts.

Claiming a subscription for sending is the one engine-specific statement: `FOR UPDATE SKIP
LOCKED` on PostgreSQL, so several senders never take the same subscription; SQLite ignores
the clause and its write transactions (`BEGIN IMMEDIATE`) already run one at a time."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, exists, func, or_, select, update
from sqlalchemy.orm import Session

from app.models import Article, Source, WebhookAttempt, WebhookDelivery, WebhookSubscription
from app.schemas.webhook import DeliveryFilter, WebhookFilter


def all_targets(session: Session) -> list[tuple[str, list[str]]]:
    """(id, events wanted) of every subscription, paused ones too: what a change is for."""
    return [
        (row.id, list(row.events))
        for row in session.execute(select(WebhookSubscription.id, WebhookSubscription.events))
    ]


def get_subscription(session: Session, subscription_id: str) -> WebhookSubscription | None:
    return session.get(WebhookSubscription, subscription_id)


def subscription_statement(f: WebhookFilter) -> Select[Any]:
    stmt = select(WebhookSubscription)
    if f.status:
        stmt = stmt.where(WebhookSubscription.status == f.status)
    return stmt.order_by(WebhookSubscription.id)


def delivery_statement(subscription_id: str, f: DeliveryFilter) -> Select[Any]:
    stmt = select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id)
    if f.status:
        stmt = stmt.where(WebhookDelivery.status == f.status)
    return stmt.order_by(WebhookDelivery.seq)


def attempts_of(session: Session, delivery_seqs: list[int]) -> dict[int, list[WebhookAttempt]]:
    found: dict[int, list[WebhookAttempt]] = defaultdict(list)
    if delivery_seqs:
        rows = session.scalars(
            select(WebhookAttempt)
            .where(WebhookAttempt.delivery_seq.in_(delivery_seqs))
            .order_by(WebhookAttempt.id)
        )
        for attempt in rows:
            found[attempt.delivery_seq].append(attempt)
    return found


def claimable(
    session: Session, now: datetime, limit: int, *, lock: bool = True
) -> list[WebhookSubscription]:
    """Active subscriptions with something to send, due, and held by no live sender; locked
    for this transaction (skipping those another sender is claiming on PostgreSQL)."""
    waiting = exists().where(
        WebhookDelivery.subscription_id == WebhookSubscription.id,
        WebhookDelivery.status == "pending",
    )
    stmt = (
        select(WebhookSubscription)
        .where(
            WebhookSubscription.status == "active",
            or_(WebhookSubscription.lease_until.is_(None), WebhookSubscription.lease_until < now),
            or_(WebhookSubscription.retry_at.is_(None), WebhookSubscription.retry_at <= now),
            waiting,
        )
        .order_by(WebhookSubscription.retry_at.nulls_first(), WebhookSubscription.id)
        .limit(limit)
    )
    if lock:
        stmt = stmt.with_for_update(skip_locked=True, of=WebhookSubscription)
    return list(session.scalars(stmt))


def next_pending(session: Session, subscription_id: str) -> WebhookDelivery | None:
    """The oldest delivery still to send: deliveries leave in order, one at a time."""
    return session.scalars(
        select(WebhookDelivery)
        .where(
            WebhookDelivery.subscription_id == subscription_id,
            WebhookDelivery.status == "pending",
        )
        .order_by(WebhookDelivery.seq)
        .limit(1)
    ).first()


def release(session: Session, subscription_id: str, owner: str) -> None:
    """Give the subscription back, if this sender still holds it."""
    session.execute(
        update(WebhookSubscription)
        .where(WebhookSubscription.id == subscription_id, WebhookSubscription.lease_owner == owner)
        .values(lease_owner=None, lease_until=None)
    )


def resume_queue(session: Session, subscription_id: str) -> None:
    """Retry the head of the queue now (after a resume)."""
    session.execute(
        update(WebhookSubscription)
        .where(WebhookSubscription.id == subscription_id)
        .values(retry_at=None, failing_since=None, lease_owner=None, lease_until=None)
    )


def backlog(session: Session | Connection) -> tuple[int, datetime | None, int]:
    """(pending deliveries, the oldest one's creation time, paused subscriptions)."""
    pending, oldest = session.execute(
        select(func.count(), func.min(WebhookDelivery.created_at)).where(
            WebhookDelivery.status == "pending"
        )
    ).one()
    paused = session.scalar(select(func.count()).where(WebhookSubscription.status == "paused"))
    return int(pending), oldest, int(paused or 0)


def record_terms(session: Session, resource: str, resource_id: str) -> tuple[Any, ...] | None:
    """((own licence, own attribution), (source licence, source attribution)) of an article,
    ((None, None), (licence, attribution)) of a source; None when the row is gone or the
    resource carries no terms of its own (speakers, places)."""
    if resource == "article":
        found = session.execute(
            select(Article.licence, Article.attribution, Source.licence, Source.attribution)
            .outerjoin(Source, Source.id == Article.source_id)
            .where(Article.id == resource_id)
        ).first()
        return None if found is None else ((found[0], found[1]), (found[2], found[3]))
    if resource == "source":
        row = session.execute(
            select(Source.licence, Source.attribution).where(Source.id == resource_id)
        ).first()
        return None if row is None else ((None, None), (row[0], row[1]))
    return None
