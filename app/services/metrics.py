"""`GET /metrics`: the Prometheus text, with the gauges read at scrape time brought up to date."""

from __future__ import annotations

from datetime import UTC, datetime

from app.core import metrics
from app.core.db import Database
from app.repositories import changes as changes_repo
from app.services import webhooks


async def scrape(database: Database) -> bytes:
    newest = await database.read(changes_repo.newest)
    if newest is None:
        metrics.change_feed(None, None)
    else:
        seq, at = newest
        metrics.change_feed(seq, (datetime.now(UTC) - at).total_seconds())
    backlog = await database.read(webhooks.backlog)
    metrics.webhook_backlog(
        backlog.pending, backlog.oldest_pending_seconds, backlog.paused_subscriptions
    )
    return metrics.exposition()
