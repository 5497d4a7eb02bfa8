"""/v1/changes: the change feed integrators poll to stay in sync."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.api.deps import CodecDep, ReadKey, SessionDep
from app.api.listing import get_route
from app.core.errors import Unprocessable
from app.schemas.changes import RESOURCES, ChangePage
from app.services import changes as change_service

router = APIRouter(prefix="/changes", tags=["changes"])


# The feed's and the event stream's `resource=` parameter.
ResourceQuery = Annotated[
    str | None,
    Query(
        max_length=200,
        description="Only changes of these resources, comma-separated: "
        "`article`, `speaker`, `source`, `location`. Default: all.",
        examples=["article,source"],
    ),
]


def choices(value: str | None, allowed: tuple[str, ...], field: str) -> frozenset[str] | None:
    """A comma-separated list of known names (None: not sent), else a 422 naming the field."""
    if value is None:
        return None
    names = frozenset(v.strip() for v in value.split(",") if v.strip())
    unknown = sorted(names - set(allowed))
    if unknown or not names:
        raise Unprocessable(
            f"`{field}` takes a comma-separated list of: {', '.join(allowed)}.",
            errors=[
                {
                    "loc": ["query", field],
                    "msg": f"unknown value(s): {', '.join(unknown) or '(empty)'}",
                    "type": "value_error",
                }
            ],
        )
    return names


_SINCE = "`next_cursor` of the previous poll; omit to start."


@router.get("", **get_route(ChangePage, "List changes", 400, 422))
def list_changes(
    session: SessionDep,
    codec: CodecDep,
    _: ReadKey,
    since: Annotated[str | None, Query(max_length=200, description=_SINCE)] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Changes per page, 1-1000.")] = 100,
    resource: ResourceQuery = None,
    include: Annotated[
        str | None,
        Query(
            max_length=100,
            description="`document`: each change carries its row as it is now (`null` once "
            "deleted), so a mirror needs no request per change.",
            examples=["document"],
        ),
    ] = None,
) -> Response:
    """Creates, updates and deletes of articles (their quotes and statistics change with
    them) and of the directories (a speaker created, renamed or given an alias; a source
    created or given new licence terms; a place created or located), in commit order. A
    client that stores `next_cursor` and polls with `since=` never misses or double-counts a
    change; deletes appear as tombstones (`action: deleted`).

    With `include=document` each change carries the row's current document, as its own GET
    returns it, read from the stored article documents (one query per page): mirroring N
    changed articles takes N / `limit` requests instead of N. Several changes of one row on
    a page carry the same (current) document."""
    body = change_service.list_changes(
        session,
        codec,
        since,
        limit,
        choices(resource, RESOURCES, "resource"),
        "document" in (choices(include, ("document",), "include") or ()),
    )
    return Response(body, media_type="application/json")
