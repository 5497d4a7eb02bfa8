"""`Idempotency-Key`: the first response to a POST is stored in the same transaction as the
write it made, and replayed for retries with the same key and the same body."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.errors import Conflict, Unprocessable
from app.models import IdempotencyRecord
from app.models.base import utcnow
from app.repositories import idempotency as repo

TTL = timedelta(hours=24)
REPLAYED_HEADERS = ("location", "etag", "content-type")


@dataclass(frozen=True)
class StoredResponse:
    status_code: int
    body: bytes
    headers: dict[str, str]


def request_hash(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _replay(record: IdempotencyRecord, digest: str) -> StoredResponse:
    if record.request_hash != digest:
        raise Unprocessable(
            "This Idempotency-Key was already used with a different request body; "
            "use a new key for a new request."
        )
    if record.status_code is None or record.response_body is None:
        raise Conflict("A request with this Idempotency-Key is still in progress; retry later.")
    return StoredResponse(
        status_code=record.status_code,
        body=record.response_body.encode(),
        headers=dict(record.response_headers or {}),
    )


def claim(session: Session, principal: str, key: str, digest: str) -> StoredResponse | None:
    """Return the stored response to replay, or claim the key for this request (None).

    The claim is an INSERT under a unique (principal, key) constraint in the request's own
    transaction: a concurrent request with the same key waits on it (PostgreSQL) or on the
    write lock (SQLite) and then replays what the first one committed."""
    now = utcnow()
    repo.delete_expired(session, now)
    existing = repo.find(session, principal, key)
    if existing is not None:
        return _replay(existing, digest)
    record = IdempotencyRecord(
        principal=principal, key=key, request_hash=digest, expires_at=now + TTL
    )
    try:
        with session.begin_nested():
            session.add(record)
            session.flush()
    except IntegrityError:
        winner = repo.find(session, principal, key)
        if winner is None:
            raise
        return _replay(winner, digest)
    session.info["idempotency_record"] = record
    return None


def complete(session: Session, status_code: int, body: bytes, headers: dict[str, str]) -> None:
    record: IdempotencyRecord | None = session.info.pop("idempotency_record", None)
    if record is None:
        return
    record.status_code = status_code
    record.response_body = body.decode()
    record.response_headers = {k: v for k, v in headers.items() if k.lower() in REPLAYED_HEADERS}
    session.flush()
