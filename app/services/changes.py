"""The change feed: one row per create/update/delete, written in the writer's transaction."""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.models import Change

# Any fixed number: the advisory lock that orders change-log writers on PostgreSQL.
_CHANGE_LOG_LOCK = 0x636E6631

_LOCKED = "change_log_locked"


def _serialise_writers(session: Session) -> None:
    """PostgreSQL hands out sequence values at insert time but makes rows visible at commit,
    so a reader polling `seq > N` could skip a row that commits late. Holding one
    transaction-scoped advisory lock from the first change to the commit makes commit order
    equal seq order. SQLite writers are already serialised (BEGIN IMMEDIATE)."""
    if session.info.get(_LOCKED) or session.get_bind().dialect.name != "postgresql":
        return
    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHANGE_LOG_LOCK})
    session.info[_LOCKED] = True


def record(
    session: Session, resource: str, resource_id: str, action: str, api_key_id: str | None = None
) -> None:
    _serialise_writers(session)
    session.add(
        Change(resource=resource, resource_id=resource_id, action=action, api_key_id=api_key_id)
    )


def after(session: Session, seq: int, limit: int) -> list[Change]:
    return list(
        session.scalars(select(Change).where(Change.seq > seq).order_by(Change.seq).limit(limit))
    )
