"""/v1/changes/stream: the change feed pushed as server-sent events."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query
from sse_starlette import EventSourceResponse, ServerSentEvent

from app.api.deps import CodecDep, DatabaseDep, ReadKey, SettingsDep
from app.api.v1.changes import ResourceQuery, choices
from app.schemas.changes import RESOURCES
from app.schemas.common import READ_PROBLEMS, problems
from app.services import stream as service

router = APIRouter(prefix="/changes", tags=["changes"])

_EXAMPLE = (
    ": change feed\r\nretry: 3000\r\n\r\n"
    "id: MTA0Mg.c2lnbmF0dXJl\r\nevent: change\r\n"
    'data: {"seq":1042,"resource":"article","id":"art_0195c1a2b3c47d8e9f00112233445566",'
    '"action":"created","at":"2026-11-20T05:10:00Z"}\r\n\r\n'
    ": heartbeat\r\n\r\n"
)

_SINCE = "A feed cursor (`next_cursor`, or an event's `id`)."


@router.get(
    "/stream",
    summary="Stream changes",
    response_class=EventSourceResponse,
    responses={
        200: {
            "description": (
                "An endless `text/event-stream`: one `change` event per change, `id:` the "
                "feed cursor after it; `: heartbeat` comment lines while idle."
            ),
            "content": {"text/event-stream": {"schema": {"type": "string"}, "example": _EXAMPLE}},
        },
        **problems(400, 422, *READ_PROBLEMS),
    },
)
def stream_changes(
    database: DatabaseDep,
    codec: CodecDep,
    settings: SettingsDep,
    _: ReadKey,
    since: Annotated[str | None, Query(max_length=200, description=_SINCE)] = None,
    resource: ResourceQuery = None,
    last_event_id: Annotated[
        str | None,
        Header(
            alias="Last-Event-ID",
            max_length=200,
            description="Sent by a reconnecting EventSource: resume after that event.",
        ),
    ] = None,
) -> EventSourceResponse:
    """The change feed (`GET /v1/changes`) as server-sent events: the changes after `since`
    (from the start without it), then each new change as it commits, in commit order, as
    `event: change` with the same JSON as a feed item. Each event's `id:` is the feed cursor
    just after it, so a client that drops and reconnects with `Last-Event-ID` (browsers'
    `EventSource` does this itself) gets exactly the changes it missed, none twice; the id
    also works as `since=` on the feed. Idle streams get a `: heartbeat` comment every
    STREAM_HEARTBEAT_SECONDS. Any worker or instance serves any client: each stream reads
    the change log itself."""
    events = service.stream_changes(
        database,
        codec,
        since,
        last_event_id,
        settings.stream_poll_seconds,
        choices(resource, RESOURCES, "resource"),
    )
    return EventSourceResponse(
        events,
        ping=settings.stream_heartbeat_seconds,
        ping_message_factory=lambda: ServerSentEvent(comment="heartbeat"),
        headers={"Cache-Control": "no-store"},
    )
