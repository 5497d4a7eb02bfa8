"""ORM models; importing this package registers every table on `Base.metadata`."""

from app.models.article import (
    Article,
    ArticleLocation,
    ArticleTag,
    Location,
    Quote,
    Source,
    Speaker,
    SpeakerAlias,
    Statistic,
)
from app.models.base import Base

__all__ = [
    "Article",
    "ArticleLocation",
    "ArticleTag",
    "Base",
    "Location",
    "Quote",
    "Source",
    "Speaker",
    "SpeakerAlias",
    "Statistic",
]
