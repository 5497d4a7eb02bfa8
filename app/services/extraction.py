"""Bridge between the pure extraction package and the article service's input types."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.core.errors import NotImplementedYet
from app.schemas.article import ArticleCreate, QuoteIn, RawArticleCreate, StatisticIn

if TYPE_CHECKING:
    from app.services.articles import PlaceIn


@dataclass(frozen=True)
class Found:
    quotes: list[QuoteIn] = field(default_factory=list)
    statistics: list[StatisticIn] = field(default_factory=list)
    places: list[PlaceIn] = field(default_factory=list)


def analyse_body(body: str) -> Found:
    """Quotes, statistics and places found in a body used as given (offsets into it)."""
    return Found()


def parse_raw(raw: RawArticleCreate) -> ArticleCreate:
    """Raw scraped text -> a structured article with what extraction found."""
    raise NotImplementedYet(
        "Raw-text articles need the extraction engine, which is not part of this release yet; "
        "send a structured article with `title` and `body`."
    )
