"""API key management (CLI) and lookup (requests)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from app.core.security import NewKey, generate_key, hash_key, parse_scopes
from app.models import ApiKey
from app.models.base import utcnow
from app.repositories import api_keys as repo

LAST_USED_GRANULARITY = timedelta(minutes=1)


def create_key(session: Session, name: str, scopes: str) -> tuple[ApiKey, NewKey]:
    new = generate_key()
    key = ApiKey(
        name=name.strip() or "unnamed",
        prefix=new.prefix,
        key_hash=new.key_hash,
        scopes=",".join(parse_scopes(scopes)),
    )
    session.add(key)
    session.flush()
    return key, new


def list_keys(session: Session) -> list[ApiKey]:
    return repo.all_keys(session)


def revoke_key(session: Session, key_id_or_prefix: str) -> ApiKey | None:
    key = repo.by_id_or_prefix(session, key_id_or_prefix)
    if key is not None and key.revoked_at is None:
        key.revoked_at = utcnow()
        session.flush()
    return key


def find_active(session: Session, plaintext: str) -> ApiKey | None:
    key = repo.by_hash(session, hash_key(plaintext))
    if key is None or key.revoked_at is not None:
        return None
    return key


def touch(session: Session, key: ApiKey) -> None:
    """Record use, at most once a minute per key (cheap on the hot path)."""
    now = utcnow()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_GRANULARITY:
        repo.set_last_used(session, key.id, now)
