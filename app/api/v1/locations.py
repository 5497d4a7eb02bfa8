"""/v1/locations: places mentioned in articles."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.api.deps import ListsDep, LocationId, ReadKey, SessionDep
from app.api.listing import get_route, list_route
from app.schemas.directory import LocationRead
from app.schemas.filters import LocationFilter
from app.services import locations as service

router = APIRouter(prefix="/locations", tags=["locations"])


@router.get("", **list_route(LocationRead, "List locations"))
def list_locations(filters: Annotated[LocationFilter, Query()], lists: ListsDep, _: ReadKey) -> Any:
    """Places mentioned in articles, alphabetically, with kind, ISO 3166 country code,
    coordinates where known, and how many articles mention each. `q` finds them by word
    prefixes of their name (`myk` finds Mykolaiv)."""
    return lists.serve(service.LOCATIONS, filters)


@router.get("/{location_id}", **get_route(LocationRead, "Get a location"))
def get_location(location_id: LocationId, session: SessionDep, _: ReadKey) -> LocationRead:
    """One place with its article count. Its articles: `GET /v1/articles?location_id=`."""
    return service.get_location(session, location_id)
