"""ORM models; importing this package registers every table on `Base.metadata`."""

from app.models.article import (
    Article,
    ArticleDocument,
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
from app.models.integration import ApiKey, Change, IdempotencyRecord, SyncState
from app.models.rollup import StatisticDaily

__all__ = [
    "ApiKey",
    "Article",
    "ArticleDocument",
    "ArticleLocation",
    "ArticleTag",
    "Base",
    "Change",
    "IdempotencyRecord",
    "Location",
    "Quote",
    "Source",
    "Speaker",
    "SpeakerAlias",
    "Statistic",
    "StatisticDaily",
    "SyncState",
]
