"""The change feed: one row per create/update/delete, written in the writer's transaction,
and read back in commit order behind a signed cursor."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.core.errors import InvalidCursor
from app.core.pagination import CursorCodec
from app.models import Change
from app.repositories import changes as repo
from app.repositories import locks
from app.schemas.changes import ChangePage, ChangeRead
from app.services import webhooks

# Any fixed number: the advisory lock that orders change-log writers on PostgreSQL.
_CHANGE_LOG_LOCK = 0x636E6631

_LOCKED = "change_log_locked"
SCOPE = "changes"


def _serialise_writers(session: Session) -> None:
    """PostgreSQL hands out sequence values at insert time but makes rows visible at commit,
    so a reader polling `seq > N` could skip a row that commits late. Holding one
    transaction-scoped advisory lock from the first change to the commit makes commit order
    equal seq order. SQLite writers are already serialised (BEGIN IMMEDIATE)."""
    if session.info.get(_LOCKED):
        return
    if locks.lock(session, _CHANGE_LOG_LOCK):
        session.info[_LOCKED] = True


def record(
    session: Session, resource: str, resource_id: str, action: str, api_key_id: str | None = None
) -> None:
    _serialise_writers(session)
    change = Change(
        resource=resource, resource_id=resource_id, action=action, api_key_id=api_key_id
    )
    session.add(change)
    # The webhook outbox: its deliveries commit (or roll back) with the change.
    webhooks.enqueue(session, change)


def list_changes(session: Session, codec: CursorCodec, since: str | None, limit: int) -> ChangePage:
    """The changes after the cursor `since` (from the start without one), `limit` at most."""
    seq = 0
    if since:
        raw = codec.decode(SCOPE, since)
        if not raw.isdigit():
            raise InvalidCursor("The change cursor cannot be read.")
        seq = int(raw)
    rows = repo.after(session, seq, limit + 1)
    page = rows[:limit]
    last = page[-1].seq if page else seq
    return ChangePage(
        data=[
            ChangeRead(seq=c.seq, resource=c.resource, id=c.resource_id, action=c.action, at=c.at)
            for c in page
        ],
        next_cursor=codec.encode(SCOPE, str(last)),
        has_more=len(rows) > limit,
    )
