"""/v1/sources: publishers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.api.deps import AdminKey, ListsDep, ReadKey, SessionDep, SourceId
from app.api.listing import get_route, list_route, write_route
from app.schemas.directory import SourceRead, SourceUpdate
from app.schemas.filters import SourceFilter
from app.services import sources as service

router = APIRouter(prefix="/sources", tags=["sources"])


@router.get("", **list_route(SourceRead, "List sources"))
def list_sources(filters: Annotated[SourceFilter, Query()], lists: ListsDep, _: ReadKey) -> Any:
    """Publishers, alphabetically, with how many stored articles each has. `q` finds them by
    word prefixes of their name (`riv` finds "Danube River Dispatch")."""
    return lists.serve(service.SOURCES, filters)


@router.get("/{source_id}", **get_route(SourceRead, "Get a source"))
def get_source(source_id: SourceId, session: SessionDep, _: ReadKey) -> SourceRead:
    """One publisher with its article count. Its articles: `GET /v1/articles?source_id=`."""
    return service.get_source(session, source_id)


@router.patch(
    "/{source_id}",
    **write_route(SourceRead, "Set a source's licence and attribution", 400, 404, 413, 422),
)
def update_source(
    source_id: SourceId, body: SourceUpdate, session: SessionDep, _: AdminKey
) -> SourceRead:
    """Admins set the reuse terms of a publisher: `licence` (an SPDX expression such as
    `CC-BY-4.0`, or the URL of the terms) and `attribution` (the credit line). Articles that
    carry no terms of their own inherit them (`licence_from: source`); the change appears in
    the change feed as `resource: source`."""
    return service.update_source(session, source_id, body)
