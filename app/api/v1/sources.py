"""/v1/sources: publishers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.api.deps import CodecDep, DatabaseDep, ReadKey, SessionDep, SourceId
from app.api.listing import export_responses, serve_list
from app.schemas.common import READ_PROBLEMS, Page, problems
from app.schemas.directory import SourceRead
from app.schemas.filters import SourceFilter
from app.services import sources as service

router = APIRouter(prefix="/sources", tags=["sources"])


@router.get(
    "",
    response_model=Page[SourceRead],
    summary="List sources",
    responses={**export_responses(SourceRead), **problems(400, 422, *READ_PROBLEMS)},
)
def list_sources(
    filters: Annotated[SourceFilter, Query()],
    request: Request,
    response: Response,
    session: SessionDep,
    codec: CodecDep,
    database: DatabaseDep,
    _: ReadKey,
) -> Any:
    """Publishers, alphabetically, with how many stored articles each has."""
    return serve_list(service.SOURCES, filters, request, response, session, codec, database)


@router.get(
    "/{source_id}",
    response_model=SourceRead,
    summary="Get a source",
    responses=problems(404, 422, *READ_PROBLEMS),
)
def get_source(source_id: SourceId, session: SessionDep, _: ReadKey) -> SourceRead:
    """One publisher with its article count. Its articles: `GET /v1/articles?source_id=`."""
    return service.get_source(session, source_id)
