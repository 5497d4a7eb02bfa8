"""Locations: the directory list and one place."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.repositories import locations as repo
from app.schemas.directory import LocationRead
from app.schemas.filters import LocationFilter
from app.services.listing import ListEndpoint, one_or_404


def get_location(session: Session, location_id: str) -> LocationRead:
    found = repo.location_with_count(session, location_id)
    return LocationRead.from_row(one_or_404(found, "location", location_id))


def _render(_session: Any, rows: list[Any], _filters: LocationFilter) -> list[LocationRead]:
    return [LocationRead.from_row(row) for row in rows]


LOCATIONS = ListEndpoint("locations", LocationRead, repo.location_statement, _render)
