"""Queries of the change log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from app.models import Change


def after(session: Session, seq: int, limit: int) -> list[Change]:
    """Up to `limit` changes after `seq`, in commit order."""
    return list(
        session.scalars(select(Change).where(Change.seq > seq).order_by(Change.seq).limit(limit))
    )


def newest(conn: Connection) -> tuple[int, datetime] | None:
    """The newest entry's sequence number and time, or None when the log is empty."""
    row = conn.execute(select(Change.seq, Change.at).order_by(Change.seq.desc()).limit(1)).first()
    return None if row is None else (int(row[0]), row[1])
