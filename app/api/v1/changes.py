"""/v1/changes: the change feed integrators poll to stay in sync."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from app.api.auth import require_scope
from app.api.deps import CodecDep, SessionDep
from app.core.errors import InvalidCursor
from app.schemas.common import READ_PROBLEMS, UtcDatetime, problems
from app.services import changes as change_service

router = APIRouter(
    prefix="/changes", tags=["changes"], dependencies=[Depends(require_scope("read"))]
)
SCOPE = "changes"


class ChangeRead(BaseModel):
    seq: int = Field(examples=[1042])
    resource: str = Field(examples=["article"])
    id: str = Field(examples=["art_0195c1a2b3c47d8e9f00112233445566"])
    action: str = Field(examples=["updated"], description="`created`, `updated` or `deleted`.")
    at: UtcDatetime


class ChangePage(BaseModel):
    data: list[ChangeRead]
    next_cursor: str = Field(
        description="Pass as `since` on the next poll; always present, even when up to date."
    )
    has_more: bool = Field(description="True when more changes are waiting right now.")


@router.get(
    "",
    response_model=ChangePage,
    summary="List changes",
    responses=problems(400, 422, *READ_PROBLEMS),
)
def list_changes(
    session: SessionDep,
    codec: CodecDep,
    since: Annotated[
        str | None,
        Query(max_length=200, description="`next_cursor` of the previous poll; omit to start."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Changes per page, 1-1000.")] = 100,
) -> ChangePage:
    """Creates, updates and deletes of articles (their quotes and statistics change with
    them), in commit order. A client that stores `next_cursor` and polls with `since=` never
    misses or double-counts a change; deletes appear as tombstones (`action: deleted`)."""
    seq = 0
    if since:
        raw = codec.decode(SCOPE, since)
        if not raw.isdigit():
            raise InvalidCursor("The change cursor cannot be read.")
        seq = int(raw)
    rows = change_service.after(session, seq, limit + 1)
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
