"""Locations: the directory list and one place."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.repositories import locations as repo
from app.schemas.directory import LocationRead
from app.schemas.filters import LocationFilter
from app.services.listing import ListEndpoint, one_or_404

LOCATIONS: ListEndpoint[LocationFilter] = ListEndpoint(
    "locations",
    LocationRead,
    statement=lambda f, _dialect: repo.location_statement(f),
    render=lambda _session, rows, _: [LocationRead.from_row(r) for r in rows],
)


def get_location(session: Session, location_id: str) -> LocationRead:
    row = one_or_404(repo.location_with_count(session, location_id), "location", location_id)
    return LocationRead.from_row(row)
