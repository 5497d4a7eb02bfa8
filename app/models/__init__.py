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
from app.models.estimate import Estimate, EstimateDecision, EstimateMember
from app.models.integration import ApiKey, ApiKeyEvent, Change, IdempotencyRecord, SyncState
from app.models.items import ArticleItem, QuoteItem, StatisticItem
from app.models.rollup import StatisticDaily
from app.models.webhook import WebhookAttempt, WebhookDelivery, WebhookSubscription

__all__ = [
    "ApiKey",
    "ApiKeyEvent",
    "Article",
    "ArticleDocument",
    "ArticleItem",
    "ArticleLocation",
    "ArticleTag",
    "Base",
    "Change",
    "Estimate",
    "EstimateDecision",
    "EstimateMember",
    "IdempotencyRecord",
    "Location",
    "Quote",
    "QuoteItem",
    "Source",
    "Speaker",
    "SpeakerAlias",
    "Statistic",
    "StatisticDaily",
    "StatisticItem",
    "SyncState",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookSubscription",
]
