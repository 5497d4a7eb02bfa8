"""/v1/changes: the change feed integrators poll to stay in sync."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import CodecDep, ReadKey, SessionDep
from app.api.listing import get_route
from app.schemas.changes import ChangePage
from app.services import changes as change_service

router = APIRouter(prefix="/changes", tags=["changes"])


@router.get("", **get_route(ChangePage, "List changes", 400, 422))
def list_changes(
    session: SessionDep,
    codec: CodecDep,
    _: ReadKey,
    since: Annotated[
        str | None,
        Query(max_length=200, description="`next_cursor` of the previous poll; omit to start."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Changes per page, 1-1000.")] = 100,
) -> ChangePage:
    """Creates, updates and deletes of articles (their quotes and statistics change with
    them), in commit order. A client that stores `next_cursor` and polls with `since=` never
    misses or double-counts a change; deletes appear as tombstones (`action: deleted`)."""
    return change_service.list_changes(session, codec, since, limit)
