"""/v1/locations: places mentioned in articles."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.api.deps import CodecDep, DatabaseDep, LocationId, ReadKey, SessionDep
from app.api.listing import export_responses, serve_list
from app.schemas.common import READ_PROBLEMS, Page, problems
from app.schemas.directory import LocationRead
from app.schemas.filters import LocationFilter
from app.services import locations as service

router = APIRouter(prefix="/locations", tags=["locations"])


@router.get(
    "",
    response_model=Page[LocationRead],
    summary="List locations",
    responses={**export_responses(LocationRead), **problems(400, 422, *READ_PROBLEMS)},
)
def list_locations(
    filters: Annotated[LocationFilter, Query()],
    request: Request,
    response: Response,
    session: SessionDep,
    codec: CodecDep,
    database: DatabaseDep,
    _: ReadKey,
) -> Any:
    """Places mentioned in articles, alphabetically, with kind, ISO 3166 country code,
    coordinates where known, and how many articles mention each."""
    return serve_list(service.LOCATIONS, filters, request, response, session, codec, database)


@router.get(
    "/{location_id}",
    response_model=LocationRead,
    summary="Get a location",
    responses=problems(404, 422, *READ_PROBLEMS),
)
def get_location(location_id: LocationId, session: SessionDep, _: ReadKey) -> LocationRead:
    """One place with its article count. Its articles: `GET /v1/articles?location_id=`."""
    return service.get_location(session, location_id)
