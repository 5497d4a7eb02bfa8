"""What hangs off a new or updated article (tags, place links, quotes, figures), built once
for both ways of writing it: as ORM objects (`create_article`, `update_article`) or as plain
column values for a bulk batch's Core inserts (`services/article_batch.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.core.normalise import name_key
from app.models import Article, ArticleLocation, ArticleTag, Location, Quote, Statistic
from app.repositories import locations as locations_repo
from app.schemas.article import QuoteIn, StatisticIn
from app.schemas.places import PlaceIn
from app.services.directory import Known, SpeakerResolver, get_or_create_location


@dataclass
class Link:
    """An article's link to one place: the mentions of every name that found it."""

    location: Location
    mentions: int
    is_primary: bool


class ChildWriter:
    """Builds an article's children; shares one speaker resolver per write."""

    def __init__(self, session: Session, known: Known | None = None) -> None:
        self.session = session
        self.known = known
        self.speakers = SpeakerResolver(session, known)

    def prepare(self, places: Sequence[PlaceIn], quotes: Sequence[QuoteIn]) -> None:
        """Create the places and speakers this write needs; later lookups find them."""
        for place in places:
            self._location(place)
        for q in quotes:
            if q.speaker:
                self.speakers.resolve(q.speaker.name, q.speaker.organisation, named=q.speaker.named)

    def _location(self, place: PlaceIn) -> Location:
        return get_or_create_location(
            self.session, place.name, known=self.known, **place.directory_fields()
        )

    # --- values -------------------------------------------------------------------------

    def links(self, places: Sequence[PlaceIn]) -> tuple[list[Link], dict[str, Location]]:
        """One link per place row (mentions added up), one of them primary; and the rows
        by the name key of each name given (for the figures' places)."""
        links: dict[str, Link] = {}
        by_key: dict[str, Location] = {}
        for place in places:
            loc = self._location(place)
            by_key.setdefault(name_key(place.name), loc)
            link = links.get(loc.id)
            if link is None:
                links[loc.id] = Link(loc, place.mentions, place.primary)
            else:
                link.mentions += place.mentions
                link.is_primary = link.is_primary or place.primary
        found = list(links.values())
        if found and not any(link.is_primary for link in found):
            # The most-mentioned place (first on ties) is the article's primary place.
            max(found, key=lambda link: link.mentions).is_primary = True
        return found, by_key

    def quote_values(self, q: QuoteIn, sort_at: datetime) -> dict[str, Any]:
        """A quote's attributes, its speaker row (created if new) under `speaker`."""
        speaker = (
            self.speakers.resolve(q.speaker.name, q.speaker.organisation, named=q.speaker.named)
            if q.speaker
            else None
        )
        return {
            "text": q.text,
            "kind": q.kind.value,
            "speaker": speaker,
            "speaker_name": q.speaker.name if q.speaker else None,
            "speaker_role": q.speaker.role if q.speaker else None,
            "cue": q.cue,
            "context": q.context,
            "start": q.start,
            "end": q.end,
            "sort_at": sort_at,
        }

    def statistic_values(
        self, s: StatisticIn, places: dict[str, Location], sort_at: datetime
    ) -> dict[str, Any]:
        """A figure's attributes; its place is one the article links, else any of that name."""
        location = None
        if s.location:
            key = name_key(s.location)
            location = places.get(key) or locations_repo.find_location_by_name(self.session, key)
        return {
            "value": s.value,
            "value_max": s.value_max,
            "unit": s.unit.lower(),
            "metric": s.metric.lower(),
            "qualifier": s.qualifier.value,
            "subject": s.subject,
            "location": s.location,
            "location_id": location.id if location else None,
            "cited_by": s.cited_by,
            "text": s.text,
            "sentence": s.sentence,
            "start": s.start,
            "end": s.end,
            "sort_at": sort_at,
        }

    # --- ORM objects --------------------------------------------------------------------

    def set_tags(self, article: Article, tags: Sequence[str]) -> None:
        article.tags = [ArticleTag(tag=t) for t in dict.fromkeys(tags)]

    def set_locations(self, article: Article, places: Sequence[PlaceIn]) -> dict[str, Location]:
        links, by_key = self.links(places)
        article.locations = [
            ArticleLocation(
                location_id=link.location.id,
                location=link.location,
                mentions=link.mentions,
                is_primary=link.is_primary,
            )
            for link in links
        ]
        return by_key

    def set_quotes(self, article: Article, quotes: Sequence[QuoteIn]) -> None:
        article.quotes = [Quote(**self.quote_values(q, article.sort_at)) for q in quotes]

    def set_statistics(
        self, article: Article, stats: Sequence[StatisticIn], places: dict[str, Location]
    ) -> None:
        article.statistics = [
            Statistic(**self.statistic_values(s, places, article.sort_at)) for s in stats
        ]
