"""The webhook sender: takes one subscription at a time, sends its deliveries oldest first,
signed the Standard Webhooks way, and retries the head of the queue with exponential
backoff and jitter; a subscription whose deliveries fail for WEBHOOK_GIVE_UP_SECONDS is
paused with the reason. `serve` runs it in a thread (embedded default); `conflict-news
worker` runs it alone (production), as many instances as wanted.

A sender holds a subscription by a lease (`lease_owner`, `lease_until`) taken in a short
transaction (`FOR UPDATE SKIP LOCKED` on PostgreSQL); no transaction stays open while a
receiver answers. A sender killed mid-delivery leaves the delivery pending and its lease
lapses: another sender (or the same, restarted) sends it again with the same `webhook-id`."""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from sqlalchemy.orm import Session
from standardwebhooks import Webhook

from app.core.config import Settings
from app.core.db import Database
from app.core.pagination import CursorCodec
from app.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from app.repositories import webhooks as repo
from app.services.changes import SCOPE as CHANGE_SCOPE
from app.services.webhooks import record_terms, refused_target

log = structlog.get_logger(__name__)

# Deliveries sent per claim before the subscription is handed back (fairness).
BATCH = 100
USER_AGENT = "conflict-news-webhooks/1"


@dataclass(frozen=True)
class Job:
    delivery_seq: int
    msg_id: str
    url: str
    secret: str
    body: str


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.error is None


def _rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def payload(delivery: WebhookDelivery, codec: CursorCodec, terms: dict[str, Any]) -> str:
    """The body: `{type, timestamp, data}` as the specification suggests; `data` is the feed's
    change with its `cursor` (resume `GET /v1/changes?since=` from it) and the record's reuse
    terms (`services.webhooks.record_terms`)."""
    change = delivery.change
    at = _rfc3339(change.at)
    return json.dumps(
        {
            "type": delivery.event_type,
            "timestamp": at,
            "data": {
                "seq": change.seq,
                "resource": change.resource,
                "id": change.resource_id,
                "action": change.action,
                "at": at,
                "cursor": codec.encode(CHANGE_SCOPE, str(change.seq)),
                **terms,
            },
        },
        separators=(",", ":"),
    )


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a 3xx is then an HTTPError: a failed attempt


# No proxies from the environment either: the target checked is the one connected to.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())


def post(job: Job, settings: Settings) -> Outcome:
    """One signed POST; a 2xx is success, anything else (a 3xx too) a failure."""
    reason = refused_target(job.url, settings)
    if reason is not None:
        return Outcome(None, f"refused: {reason}", 0)
    now = datetime.now(UTC)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": job.msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(job.secret).sign(job.msg_id, now, job.body),
    }
    request = urllib.request.Request(job.url, job.body.encode(), headers, method="POST")
    started = time.monotonic()
    code: int | None = None
    error: str | None = None
    try:
        with _OPENER.open(request, timeout=settings.webhook_timeout_seconds) as resp:
            code = resp.status
            resp.read(65536)
    except urllib.error.HTTPError as exc:
        code = exc.code
        exc.close()
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        error = f"no response: {getattr(exc, 'reason', exc)}"
    if code is not None and not 200 <= code < 300:
        error = f"HTTP {code}" + (" (redirects are not followed)" if 300 <= code < 400 else "")
    return Outcome(code, error[:500] if error else None, int((time.monotonic() - started) * 1000))


def backoff(attempts: int, settings: Settings) -> float:
    """Seconds before the next try: base * 2^(n-1), capped, then 50-100 % of it (jitter, so
    receivers that come back are not hit by every sender at once)."""
    delay = min(
        settings.webhook_retry_max_seconds,
        settings.webhook_retry_base_seconds * 2.0 ** min(attempts - 1, 40),
    )
    return delay * random.uniform(0.5, 1.0)


class Sender:
    """One sender (a thread of `serve`, or a `worker` process): claims, sends, records."""

    def __init__(self, database: Database, settings: Settings, owner: str | None = None) -> None:
        self.database, self.settings = database, settings
        self.codec = CursorCodec(settings.cursor_secret)
        self.owner = owner or f"{socket.gethostname()[:30]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.lease = timedelta(seconds=settings.webhook_lease_seconds)

    def claim(self) -> str | None:
        now = datetime.now(UTC)
        # A plain read first: an idle sender never takes SQLite's write lock.
        with self.database.transaction(write=False) as session:
            if not repo.claimable(session, now, 1, lock=False):
                return None
        with self.database.transaction(write=True) as session:
            found = repo.claimable(session, now, 1)
            if not found:
                return None
            found[0].lease_owner, found[0].lease_until = self.owner, now + self.lease
            return found[0].id

    def _next_job(self, subscription_id: str) -> Job | None:
        with self.database.transaction(write=False) as session:
            sub = repo.get_subscription(session, subscription_id)
            if sub is None or sub.status != "active" or sub.lease_owner != self.owner:
                return None
            delivery = repo.next_pending(session, subscription_id)
            if delivery is None:
                return None
            change = delivery.change
            terms = record_terms(session, change.resource, change.resource_id)
            body = payload(delivery, self.codec, terms)
            return Job(delivery.seq, delivery.id, sub.url, sub.secret, body)

    def send_claimed(self, subscription_id: str, stop: threading.Event) -> int:
        """Send the claimed subscription's queue in order until it is empty, a delivery
        fails, or BATCH went out; then hand it back. Returns how many were delivered."""
        sent = 0
        try:
            while sent < BATCH and not stop.is_set():
                job = self._next_job(subscription_id)
                if job is None:
                    break
                outcome = post(job, self.settings)
                with self.database.transaction(write=True) as session:
                    self.record(session, subscription_id, job, outcome)
                if not outcome.ok:
                    break
                sent += 1
        finally:
            with self.database.transaction(write=True) as session:
                repo.release(session, subscription_id, self.owner)
        return sent

    def record(self, session: Session, subscription_id: str, job: Job, outcome: Outcome) -> None:
        """The attempt, and what follows: delivered, retried later, or the subscription
        paused."""
        now = datetime.now(UTC)
        delivery = session.get(WebhookDelivery, job.delivery_seq)
        sub = session.get(WebhookSubscription, subscription_id)
        if delivery is None or sub is None:  # deleted meanwhile
            return
        session.add(
            WebhookAttempt(
                delivery_seq=delivery.seq,
                attempted_at=now,
                status_code=outcome.status_code,
                error=outcome.error,
                duration_ms=outcome.duration_ms,
            )
        )
        delivery.attempts += 1
        if sub.lease_owner == self.owner:
            sub.lease_until = now + self.lease
        if outcome.ok:
            delivery.status, delivery.delivered_at, delivery.last_error = "delivered", now, None
            sub.failing_since = sub.retry_at = None
            return
        delivery.last_error = outcome.error
        failing_since = sub.failing_since or now
        sub.failing_since = failing_since
        if (now - failing_since).total_seconds() >= self.settings.webhook_give_up_seconds:
            sub.status, sub.paused_at = "paused", now
            sub.paused_reason = (
                f"Deliveries failed for {self.settings.webhook_give_up_seconds:.0f} s "
                f"(since {_rfc3339(failing_since)}); last: {outcome.error}. "
                "Fix the receiver, then POST /v1/webhooks/{id}/resume."
            )
            log.warning("webhook_paused", subscription=sub.id, error=outcome.error)
        else:
            sub.retry_at = now + timedelta(seconds=backoff(delivery.attempts, self.settings))

    def run(self, stop: threading.Event) -> None:
        """Claim and send until `stop` is set; a failing database is retried."""
        while not stop.is_set():
            try:
                claimed = self.claim()
                if claimed is not None:
                    self.send_claimed(claimed, stop)
                    continue
            except Exception:  # the database is away: try again on the next round
                log.exception("webhook_sender_error")
            stop.wait(self.settings.webhook_poll_seconds)


def start_threads(
    database: Database, settings: Settings, stop: threading.Event, threads: int = 2
) -> list[threading.Thread]:
    """Senders in daemon threads (each takes its own subscription), until `stop` is set."""
    started = []
    for n in range(threads):
        sender = Sender(database, settings)
        thread = threading.Thread(
            target=sender.run, args=(stop,), name=f"webhook-sender-{n}", daemon=True
        )
        thread.start()
        started.append(thread)
    return started
