"""The change feed: one row per create/update/delete of an article or a directory row
(speaker, source, place), written in the writer's transaction, and read back in commit
order behind a signed cursor, optionally with each row's current document."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.orm import Session

from app.core.errors import InvalidCursor
from app.core.pagination import CursorCodec
from app.models import Change
from app.projections import read_model
from app.repositories import changes as repo
from app.repositories import documents, locks, speakers
from app.schemas.changes import RESOURCES, ChangePage, ChangeRead
from app.schemas.directory import LocationRead, SourceRead, SpeakerRead
from app.services import webhooks

# Any fixed number: the advisory lock that orders change-log writers on PostgreSQL.
_CHANGE_LOG_LOCK = 0x636E6631

_STATE = "change_log"
SCOPE = "changes"


def _state(session: Session) -> dict[str, Any]:
    """This transaction's change-log state (lock taken, directory changes noted): kept in
    `session.info` against the innermost transaction (a bulk line's SAVEPOINT in tests), so
    a rolled-back write leaves nothing for the next one."""
    root = session.get_nested_transaction() or session.get_transaction()
    held = session.info.get(_STATE)
    if held is None or held[0] is not root:
        held = (root, {"locked": False, "pending": {}})
        session.info[_STATE] = held
    state: dict[str, Any] = held[1]
    return state


def _serialise_writers(session: Session) -> None:
    """PostgreSQL hands out sequence values at insert time but makes rows visible at commit,
    so a reader polling `seq > N` could skip a row that commits late. Holding one
    transaction-scoped advisory lock from the first change to the commit makes commit order
    equal seq order. SQLite writers are already serialised (BEGIN IMMEDIATE)."""
    state = _state(session)
    if state["locked"]:
        return
    if locks.lock(session, _CHANGE_LOG_LOCK):
        state["locked"] = True


def note(session: Session, resource: str, resource_id: str, action: str) -> None:
    """A directory row created or changed by this write: recorded just before the write's
    own change (`record`), so the lock is taken late, after every directory insert (taking
    it earlier could deadlock with a writer waiting on one of those rows). One entry per
    row and write; `created` wins over `updated`."""
    pending: dict[tuple[str, str], str] = _state(session)["pending"]
    if pending.get((resource, resource_id)) != "created":
        pending[(resource, resource_id)] = action


def record(
    session: Session, resource: str, resource_id: str, action: str, api_key_id: str | None = None
) -> None:
    _serialise_writers(session)
    pending: dict[tuple[str, str], str] = _state(session)["pending"]
    pending.pop((resource, resource_id), None)
    for (kind, id_), noted in pending.items():
        _add(session, Change(resource=kind, resource_id=id_, action=noted, api_key_id=api_key_id))
    pending.clear()
    _add(
        session,
        Change(resource=resource, resource_id=resource_id, action=action, api_key_id=api_key_id),
    )


def _add(session: Session, change: Change) -> None:
    session.add(change)
    # The webhook outbox: its deliveries commit (or roll back) with the change.
    webhooks.enqueue(session, change)


def list_changes(
    session: Session,
    codec: CursorCodec,
    since: str | None,
    limit: int,
    resources: frozenset[str] | None = None,
    include_document: bool = False,
) -> bytes:
    """The changes after the cursor `since` (from the start without one), `limit` at most,
    of these resources (all: None), as the JSON of a `ChangePage`; with `include_document`
    each change carries its row's current document (`null` once deleted)."""
    seq = 0
    if since:
        raw = codec.decode(SCOPE, since)
        if not raw.isdigit():
            raise InvalidCursor("The change cursor cannot be read.")
        seq = int(raw)
    rows = repo.after(session, seq, limit + 1, resources)
    page = rows[:limit]
    last = page[-1].seq if page else seq
    envelope = ChangePage(
        data=[],
        next_cursor=codec.encode(SCOPE, str(last)),
        has_more=len(rows) > limit,
    ).model_dump_json()
    items = [_item(c) for c in page]
    if include_document:
        docs = current_documents(session, page)
        items = [
            item[:-1] + b',"document":' + docs.get((c.resource, c.resource_id), b"null") + b"}"
            for item, c in zip(items, page, strict=True)
        ]
    head, tail = envelope.split('"data":[]', 1)
    return head.encode() + b'"data":[' + b",".join(items) + b"]" + tail.encode()


def _item(c: Change) -> bytes:
    read = ChangeRead(seq=c.seq, resource=c.resource, id=c.resource_id, action=c.action, at=c.at)
    return read.model_dump_json(exclude_unset=True).encode()


def current_documents(session: Session, page: Sequence[Change]) -> dict[tuple[str, str], bytes]:
    """The current JSON of every row the page names, as its own GET returns it: stored
    article documents in one query (documents not stored yet are rendered, batched), and a
    query or two per directory kind. Deleted rows are absent."""
    wanted: dict[str, list[str]] = {kind: [] for kind in RESOURCES}
    for c in page:
        if c.resource in wanted and c.resource_id not in wanted[c.resource]:
            wanted[c.resource].append(c.resource_id)
    found: dict[tuple[str, str], bytes] = {}
    if wanted["article"]:
        stored = repo.stored_documents(session, wanted["article"])
        missing = [i for i in wanted["article"] if i not in stored]
        if missing:
            conn = session.connection()
            stored.update(
                (d["id"], read_model.render(d)) for d in documents.fetch_many(conn, missing)
            )
        found.update((("article", i), content) for i, content in stored.items())
    for kind, (fetch, render) in _DIRECTORY.items():
        if wanted[kind]:
            for item in render(session, fetch(session, wanted[kind])):
                found[(kind, item.id)] = item.model_dump_json().encode()
    return found


def _speakers(session: Session, rows: Sequence[Any]) -> list[SpeakerRead]:
    roles = speakers.speaker_roles(session, [row[0].id for row in rows])
    return [SpeakerRead.from_row(row, roles.get(row[0].id, [])) for row in rows]


_DIRECTORY: dict[str, tuple[Callable[[Session, Sequence[str]], list[Any]], Callable[..., Any]]] = {
    "speaker": (repo.speakers_with_counts, _speakers),
    "source": (repo.sources_with_count, lambda _s, rows: [SourceRead.from_row(r) for r in rows]),
    "location": (
        repo.locations_with_count,
        lambda _s, rows: [LocationRead.from_row(r) for r in rows],
    ),
}
