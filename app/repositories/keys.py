"""Key management queries: the key list, one key for update, and the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

from app.models import ApiKey, ApiKeyEvent
from app.schemas.keys import KeyEventFilter, KeyFilter, KeyState


def _state(state: KeyState, now: datetime) -> ColumnElement[bool]:
    live = or_(ApiKey.expires_at.is_(None), ApiKey.expires_at > now)
    if state is KeyState.revoked:
        return ApiKey.revoked_at.is_not(None)
    if state is KeyState.expired:
        return and_(ApiKey.revoked_at.is_(None), ApiKey.expires_at <= now)
    return and_(ApiKey.revoked_at.is_(None), live)


def key_statement(f: KeyFilter, now: datetime) -> Select[Any]:
    """Keys, newest first (ids are time-ordered)."""
    conds = [_state(f.state, now)] if f.state else []
    return select(ApiKey).where(*conds).order_by(ApiKey.id.desc())


def event_statement(f: KeyEventFilter) -> Select[Any]:
    """Key actions, newest first."""
    conds: list[ColumnElement[bool]] = []
    if f.key_id:
        conds.append(ApiKeyEvent.key_id == f.key_id)
    if f.actor_key_id:
        conds.append(ApiKeyEvent.actor_key_id == f.actor_key_id)
    if f.action:
        conds.append(ApiKeyEvent.action == f.action.value)
    return select(ApiKeyEvent).where(*conds).order_by(ApiKeyEvent.id.desc())


def get_key(session: Session, key_id: str, *, for_update: bool = False) -> ApiKey | None:
    """One key; `for_update` locks its row on PostgreSQL so concurrent rotations of the same
    key take turns (SQLite serialises writers anyway)."""
    stmt = select(ApiKey).where(ApiKey.id == key_id)
    if for_update:
        stmt = stmt.with_for_update()
    return session.scalars(stmt).first()


def add_event(session: Session, event: ApiKeyEvent) -> None:
    session.add(event)
