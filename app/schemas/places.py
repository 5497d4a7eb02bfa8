"""A place to link to an article: the article service's input, not a wire type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.schemas.article import LocationIn

_PLACE_FIELDS = {"name", "kind", "country_code", "latitude", "longitude"}


@dataclass(frozen=True)
class PlaceIn:
    """A place to link to an article (from the client or from extraction): the article
    service's input, not a wire type."""

    name: str
    kind: str = "other"
    country_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    mentions: int = 1
    primary: bool = False

    @classmethod
    def from_client(cls, loc: LocationIn) -> PlaceIn:
        return cls(**loc.model_dump(include=_PLACE_FIELDS | {"primary"}))

    def directory_fields(self) -> dict[str, Any]:
        """What the directory's location takes from it besides the name."""
        return {f: getattr(self, f) for f in _PLACE_FIELDS - {"name"}}
