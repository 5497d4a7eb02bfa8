"""Queries of the change log."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Change


def after(session: Session, seq: int, limit: int) -> list[Change]:
    """Up to `limit` changes after `seq`, in commit order."""
    return list(
        session.scalars(select(Change).where(Change.seq > seq).order_by(Change.seq).limit(limit))
    )
