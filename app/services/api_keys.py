"""API key lookup (requests) and the CLI's key commands (made and recorded by `keys`)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from app.core.security import NewKey, hash_key, parse_scopes
from app.models import ApiKey
from app.models.base import utcnow
from app.repositories import api_keys as repo
from app.services import keys

LAST_USED_GRANULARITY = timedelta(minutes=1)


def create_key(session: Session, name: str, scopes: str) -> tuple[ApiKey, NewKey]:
    """A key made from the CLI (recorded in the audit trail as such)."""
    key, secret = keys.issue(session, name, list(parse_scopes(scopes)), keys.CLI)
    return key, NewKey(plaintext=secret, prefix=key.prefix, key_hash=key.key_hash)


def list_keys(session: Session) -> list[ApiKey]:
    return repo.all_keys(session)


def revoke_key(session: Session, key_id_or_prefix: str) -> ApiKey | None:
    key = repo.by_id_or_prefix(session, key_id_or_prefix)
    return keys.revoke(session, key, keys.CLI) if key is not None else None


def find_active(session: Session, plaintext: str) -> ApiKey | None:
    """The key presented, unless it is unknown, revoked or past its `expires_at`."""
    key = repo.by_hash(session, hash_key(plaintext))
    if key is None or key.revoked_at is not None:
        return None
    if key.expires_at is not None and key.expires_at <= utcnow():
        return None
    return key


def touch(session: Session, key: ApiKey) -> None:
    """Record use, at most once a minute per key (cheap on the hot path)."""
    now = utcnow()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_GRANULARITY:
        repo.set_last_used(session, key.id, now)
