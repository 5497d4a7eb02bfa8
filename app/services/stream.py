"""The change feed as server-sent events: the same changes as `GET /v1/changes`, in the same
order, each with `id:` = the feed cursor just after it, so a client that reconnects with
`Last-Event-ID` (or `since=`) resumes exactly there, with no gap and no repeat.

Every open stream polls the change log on the primary itself, so it sees every committed
change whichever worker or instance wrote it; commit order is seq order on both engines
(`services/changes._serialise_writers`), so reading `seq > last` never skips a late commit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anyio

from app.core.db import Database
from app.core.errors import InvalidCursor
from app.core.pagination import CursorCodec
from app.repositories import changes as repo
from app.schemas.changes import ChangeRead
from app.services.changes import SCOPE

# Changes read per poll; a client far behind catches up at this many per round trip.
BATCH = 500

_open = 0


def open_streams() -> int:
    """Streams open in this process right now (for /metrics; a closed client ends its own)."""
    return _open


def start_seq(codec: CursorCodec, since: str | None, last_event_id: str | None) -> int:
    """Where to resume: `Last-Event-ID` (a reconnecting client) wins over `since`."""
    cursor = last_event_id or since
    if not cursor:
        return 0
    raw = codec.decode(SCOPE, cursor)
    if not raw.isdigit():
        raise InvalidCursor("The change cursor cannot be read.")
    return int(raw)


def _fetch(database: Database, seq: int, resources: frozenset[str] | None) -> list[ChangeRead]:
    # The primary, like the feed: a replica may lag behind a cursor the client already has.
    with database.transaction(write=False) as session:
        return [
            ChangeRead(seq=c.seq, resource=c.resource, id=c.resource_id, action=c.action, at=c.at)
            for c in repo.after(session, seq, BATCH, resources)
        ]


def stream_changes(
    database: Database,
    codec: CursorCodec,
    since: str | None,
    last_event_id: str | None,
    poll_seconds: float,
    resources: frozenset[str] | None = None,
) -> AsyncIterator[dict[str, Any]]:
    """The events after the cursor, then each new one as it commits, until the client goes
    (its task is cancelled, which ends the generator). A bad cursor raises here, before
    the response starts, so it is a 400 problem."""
    seq = start_seq(codec, since, last_event_id)
    inline = database.inline

    async def events() -> AsyncIterator[dict[str, Any]]:
        global _open
        nonlocal seq
        _open += 1
        try:
            yield {"comment": "change feed", "retry": 3000}
            while True:
                if inline:  # SQLite: one indexed read costs less than a thread hop
                    batch = _fetch(database, seq, resources)
                else:
                    batch = await anyio.to_thread.run_sync(_fetch, database, seq, resources)
                for change in batch:
                    seq = change.seq
                    yield {
                        "id": codec.encode(SCOPE, str(change.seq)),
                        "event": "change",
                        "data": change.model_dump_json(
                            exclude_unset=True
                        ),  # as the feed, no `document`
                    }
                if len(batch) < BATCH:
                    await anyio.sleep(poll_seconds)
        finally:
            _open -= 1

    return events()
