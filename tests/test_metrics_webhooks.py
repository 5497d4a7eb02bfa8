"""The webhook backlog in `GET /metrics`, scraped with Prometheus's own parser: pending
deliveries, the oldest one's age and paused subscriptions follow the outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.models import WebhookDelivery, WebhookSubscription
from app.schemas.webhook import WebhookCreate
from app.services import webhooks as webhook_service
from tests.factories import article_payload
from tests.test_metrics import Samples, scrape, value

PENDING = "conflict_news_webhook_pending_deliveries"
OLDEST = "conflict_news_webhook_oldest_pending_age_seconds"
PAUSED = "conflict_news_webhook_paused_subscriptions"


def _backlog(samples: Samples) -> tuple[float, float, float]:
    return value(samples, PENDING), value(samples, OLDEST), value(samples, PAUSED)


def _set(session: Session, model: Any, column: Any, hook: str, **values: Any) -> None:
    session.execute(update(model).where(column == hook).values(**values))
    session.commit()


def test_the_webhook_backlog_follows_the_outbox(
    client: TestClient, session: Session, settings: Settings
) -> None:
    assert _backlog(scrape(client)) == (0, 0, 0)
    made = webhook_service.create_subscription(
        session,
        WebhookCreate(url="https://hooks.relief-desk.example/in", events=["article.*"]),
        settings,
    )
    session.commit()
    for _ in range(2):
        assert client.post("/v1/articles", json=article_payload()).status_code == 201
    pending, oldest, paused = _backlog(scrape(client))
    assert (pending, paused) == (2, 0)
    assert 0 <= oldest < 60

    # The oldest delivery has waited two minutes; then the subscription is paused.
    now = datetime.now(UTC)
    deliveries = (WebhookDelivery, WebhookDelivery.subscription_id, made.id)
    _set(session, *deliveries, created_at=now - timedelta(seconds=120))
    _set(session, WebhookSubscription, WebhookSubscription.id, made.id, status="paused")
    pending, oldest, paused = _backlog(scrape(client))
    assert (pending, paused) == (2, 1)
    assert 120 <= oldest < 180

    # Everything delivered: nothing waits, and no age is reported.
    _set(session, *deliveries, status="delivered", delivered_at=datetime.now(UTC))
    assert _backlog(scrape(client)) == (0, 0, 1)
