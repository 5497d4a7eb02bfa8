"""Idempotency record queries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models import IdempotencyRecord


def delete_expired(session: Session, now: datetime) -> None:
    session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.expires_at < now))


def find(session: Session, principal: str, key: str) -> IdempotencyRecord | None:
    return session.scalars(
        select(IdempotencyRecord).where(
            IdempotencyRecord.principal == principal, IdempotencyRecord.key == key
        )
    ).first()
