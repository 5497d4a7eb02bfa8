"""Location (place) queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from app.models import ArticleLocation, Location
from app.repositories import common
from app.schemas.filters import LocationFilter


def _location_count() -> Any:
    return common.article_count(
        ArticleLocation.article_id, ArticleLocation.location_id == Location.id
    )


def location_statement(f: LocationFilter, _dialect: str = "") -> Select[Any]:
    conds: list[ColumnElement[bool]] = common.selection(f, Location.id, Location.updated_at)
    if f.name:
        conds.append(Location.name_key.in_(common.keys_of(f.name)))
    if f.country:
        conds.append(Location.country_code.in_(f.country))
    if f.kind:
        conds.append(Location.kind.in_([k.lower() for k in f.kind]))
    conds.extend(common.name_search(Location.name_key, f.q_words()))
    return (
        select(Location, _location_count()).where(*conds).order_by(Location.name_key, Location.id)
    )


def location_with_count(session: Session, location_id: str) -> Any:
    return session.execute(
        select(Location, _location_count()).where(Location.id == location_id)
    ).one_or_none()


def find_location(session: Session, location_key: str) -> Location | None:
    return session.scalars(select(Location).where(Location.location_key == location_key)).first()


def find_location_by_name(session: Session, key: str) -> Location | None:
    return session.scalars(
        select(Location).where(Location.name_key == key).order_by(Location.id).limit(1)
    ).first()


def find_locations(session: Session, location_keys: Sequence[str]) -> dict[str, Location]:
    """`find_location` for many keys at once; absent keys are left out."""
    wanted = sorted(set(location_keys))
    found: dict[str, Location] = {}
    for start in range(0, len(wanted), 500):
        stmt = select(Location).where(Location.location_key.in_(wanted[start : start + 500]))
        found.update((loc.location_key, loc) for loc in session.scalars(stmt))
    return found
