"""Key management, over HTTP (`/v1/keys`) and from the CLI: create, list, rotate, revoke.
Every action is written to the audit trail (`api_key_event`) in the same transaction, with
who acted (the admin key, or the CLI) and when. A secret is returned once and never stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.core.errors import Conflict, Unprocessable
from app.core.security import generate_key
from app.models import ApiKey, ApiKeyEvent
from app.models.base import utcnow
from app.repositories import keys as repo
from app.schemas.keys import (
    KeyAction,
    KeyCreate,
    KeyCreated,
    KeyEventFilter,
    KeyEventRead,
    KeyFilter,
    KeyRead,
    KeyRotate,
    KeyState,
)
from app.services.listing import ListEndpoint, one_or_404


@dataclass(frozen=True)
class Actor:
    """Who manages a key: an admin key over HTTP (with its address and request id), or the
    CLI (`key_id=None`)."""

    key_id: str | None
    via: str = "cli"
    client: str | None = None
    request_id: str | None = None

    def event_fields(self) -> dict[str, Any]:
        """Who acted, as an `ApiKeyEvent` row records it."""
        return {
            "actor_key_id": self.key_id,
            "via": self.via,
            "client": self.client,
            "request_id": self.request_id,
        }


CLI = Actor(key_id=None)

KEYS: ListEndpoint[KeyFilter] = ListEndpoint(
    "keys",
    KeyRead,
    statement=lambda f, _dialect: repo.key_statement(f, utcnow()),
    render=lambda _session, rows, _f: [KeyRead.from_row(k, utcnow()) for k in rows],
)

KEY_EVENTS: ListEndpoint[KeyEventFilter] = ListEndpoint(
    "key_events",
    KeyEventRead,
    statement=lambda f, _dialect: repo.event_statement(f),
    render=lambda _session, rows, _f: [KeyEventRead.from_row(e) for e in rows],
)


def _record(
    session: Session, key: ApiKey, action: KeyAction, actor: Actor, detail: dict[str, Any]
) -> None:
    repo.add_event(
        session,
        ApiKeyEvent(
            key_id=key.id, action=action.value, at=utcnow(), detail=detail, **actor.event_fields()
        ),
    )


def issue(
    session: Session,
    name: str,
    scopes: list[str],
    actor: Actor,
    *,
    expires_at: datetime | None = None,
    rotated_from: str | None = None,
) -> tuple[ApiKey, str]:
    """Make a key and record it; returns the row and the secret (shown once)."""
    new = generate_key()
    key = ApiKey(
        name=name.strip() or "unnamed",
        prefix=new.prefix,
        key_hash=new.key_hash,
        scopes=",".join(scopes),
        expires_at=expires_at,
    )
    session.add(key)
    session.flush()
    detail: dict[str, Any] = {"name": key.name, "scopes": scopes}
    if expires_at is not None:
        detail["expires_at"] = expires_at.isoformat()
    if rotated_from is not None:
        detail["rotated_from"] = rotated_from
    _record(session, key, KeyAction.created, actor, detail)
    session.flush()
    return key, new.plaintext


def _created(key: ApiKey, secret: str, rotated_from: str | None = None) -> KeyCreated:
    read = KeyRead.from_row(key, utcnow())
    return KeyCreated(**read.model_dump(), key=secret, rotated_from=rotated_from)


def create_key(session: Session, data: KeyCreate, actor: Actor) -> KeyCreated:
    if data.expires_at is not None and data.expires_at <= utcnow():
        raise Unprocessable(
            "`expires_at` must be in the future.",
            errors=[
                {
                    "loc": ["body", "expires_at"],
                    "msg": "must be in the future",
                    "type": "value_error",
                }
            ],
        )
    key, secret = issue(session, data.name, list(data.scopes), actor, expires_at=data.expires_at)
    return _created(key, secret)


def get_key(session: Session, key_id: str) -> KeyRead:
    return KeyRead.from_row(one_or_404(repo.get_key(session, key_id), "API key", key_id), utcnow())


def rotate_key(session: Session, key_id: str, data: KeyRotate, actor: Actor) -> KeyCreated:
    """A new secret with the same name and scopes; the old one stops now or after the grace
    period. Only an active key can be rotated (a revoked or expired one gets 409)."""
    old = one_or_404(repo.get_key(session, key_id, for_update=True), "API key", key_id)
    now = utcnow()
    state = KeyRead.from_row(old, now).state
    if state is not KeyState.active:
        raise Conflict(f"API key {key_id} is {state.value}; create a new key instead.")
    new, secret = issue(
        session,
        old.name,
        sorted(old.scope_set, key=["read", "write", "admin"].index),
        actor,
        expires_at=old.expires_at,
        rotated_from=old.id,
    )
    if data.grace_seconds == 0:
        old.revoked_at = now
    else:
        until = now + timedelta(seconds=data.grace_seconds)
        old.expires_at = min(until, old.expires_at) if old.expires_at else until
    _record(
        session,
        old,
        KeyAction.rotated,
        actor,
        {"replaced_by": new.id, "grace_seconds": data.grace_seconds},
    )
    session.flush()
    return _created(new, secret, rotated_from=old.id)


def revoke(session: Session, key: ApiKey, actor: Actor) -> ApiKey:
    """Revoke a key (once: revoking it again records nothing)."""
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        _record(session, key, KeyAction.revoked, actor, {})
        session.flush()
    return key


def revoke_key(session: Session, key_id: str, actor: Actor) -> KeyRead:
    key = one_or_404(repo.get_key(session, key_id, for_update=True), "API key", key_id)
    return KeyRead.from_row(revoke(session, key, actor), utcnow())
