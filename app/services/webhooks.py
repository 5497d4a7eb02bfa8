"""Webhook subscriptions and their outbox: subscribe, list, delete, resume; one delivery per
change and subscription, added in the change's own transaction (`enqueue`, called where the
change log row is written), so a change never lacks its deliveries and a rolled-back write
has none. Sending is `services/webhook_sender.py`."""

from __future__ import annotations

import base64
import ipaddress
import secrets
import socket
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.errors import NotFound, Unprocessable
from app.models import Change, WebhookDelivery, WebhookSubscription
from app.repositories import webhooks as repo
from app.schemas.licence import effective
from app.schemas.webhook import (
    AttemptRead,
    DeliveryFilter,
    DeliveryRead,
    WebhookBacklog,
    WebhookCreate,
    WebhookCreated,
    WebhookFilter,
    WebhookRead,
)
from app.services.listing import ListEndpoint, one_or_404

WEBHOOKS: ListEndpoint[WebhookFilter] = ListEndpoint(
    "webhooks",
    WebhookRead,
    statement=lambda f, _dialect: repo.subscription_statement(f),
    render=lambda _session, rows, _: [WebhookRead.model_validate(r) for r in rows],
)


def event_type(change: Change) -> str:
    return f"{change.resource}.{change.action}"


def wants(patterns: list[str], event: str) -> bool:
    resource = event.split(".", 1)[0]
    return any(p in ("*", event, f"{resource}.*") for p in patterns)


_TARGETS = "webhook_targets"


def _targets(session: Session) -> list[tuple[str, list[str]]]:
    """The subscriptions, read once per transaction (a bulk batch records many changes, a
    write its directory rows' changes too), not once per change."""
    root = session.get_transaction()
    held = session.info.get(_TARGETS)
    if held is None or held[0] is not root:
        with session.no_autoflush:  # the change is flushed with its deliveries, not before
            held = (root, repo.all_targets(session))
        session.info[_TARGETS] = held
    targets: list[tuple[str, list[str]]] = held[1]
    return targets


def enqueue(session: Session, change: Change) -> None:
    """One pending delivery of `change` per subscription that wants it (paused ones too:
    they are sent on resume), in the caller's transaction."""
    event = event_type(change)
    for subscription_id, patterns in _targets(session):
        if wants(patterns, event):
            session.add(
                WebhookDelivery(subscription_id=subscription_id, change=change, event_type=event)
            )


def record_terms(session: Session, resource: str, resource_id: str) -> dict[str, Any]:
    """`licence`, `attribution`, `licence_from` of the record a delivery carries, as its GET
    gives them when the delivery is built: an article's own terms or its source's, a
    source's own (`licence_from: source`). All null for a deleted record and for speakers and
    places, which have no terms of their own (they come from articles, each under its own)."""
    found = repo.record_terms(session, resource, resource_id)
    return effective(*found) if found is not None else effective((None, None), (None, None))


def _private(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def refused_target(url: str, settings: Settings, *, unresolved_ok: bool = False) -> str | None:
    """Why deliveries may not go to `url` (None: they may). Every address the host resolves
    to must be public, unless WEBHOOK_ALLOW_PRIVATE_TARGETS is set. A name that does not
    resolve yet may be subscribed (`unresolved_ok`); each delivery checks again."""
    if settings.webhook_allow_private_targets:
        return None
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return None if unresolved_ok else f"the host {host!r} does not resolve"
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if _private(address):
            return (
                f"the host {host!r} resolves to {address}, a private, loopback or link-local "
                "address; such targets are refused"
            )
    return None


def _new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def create_subscription(
    session: Session, data: WebhookCreate, settings: Settings
) -> WebhookCreated:
    reason = refused_target(data.url, settings, unresolved_ok=True)
    if reason is not None:
        raise Unprocessable(
            f"The webhook URL is refused: {reason}.",
            errors=[{"loc": ["body", "url"], "msg": reason, "type": "value_error"}],
        )
    subscription = WebhookSubscription(
        url=data.url,
        events=sorted(set(data.events)),
        description=data.description,
        secret=_new_secret(),
        status="active",
    )
    session.add(subscription)
    session.flush()
    read = WebhookRead.model_validate(subscription)
    return WebhookCreated(**read.model_dump(), secret=subscription.secret)


def _subscription(session: Session, subscription_id: str) -> WebhookSubscription:
    return one_or_404(repo.get_subscription(session, subscription_id), "webhook", subscription_id)


def get_subscription(session: Session, subscription_id: str) -> WebhookRead:
    return WebhookRead.model_validate(_subscription(session, subscription_id))


def delete_subscription(session: Session, subscription_id: str) -> None:
    """Remove it with its undelivered deliveries and their history."""
    session.delete(_subscription(session, subscription_id))
    session.flush()


def resume_subscription(session: Session, subscription_id: str) -> WebhookRead:
    """Send again: the paused queue, oldest first, on the senders' next round."""
    subscription = _subscription(session, subscription_id)
    subscription.status = "active"
    subscription.paused_reason = None
    subscription.paused_at = None
    repo.resume_queue(session, subscription_id)
    session.flush()
    session.refresh(subscription)
    return WebhookRead.model_validate(subscription)


def deliveries(session: Session, subscription_id: str) -> ListEndpoint[DeliveryFilter]:
    """The list of one subscription's deliveries, oldest first, each with its attempts."""
    if repo.get_subscription(session, subscription_id) is None:
        raise NotFound(f"No webhook with id {subscription_id}.")

    def render(sess: Session, rows: list[WebhookDelivery], _: DeliveryFilter) -> list[Any]:
        attempts = repo.attempts_of(sess, [d.seq for d in rows])
        return [
            DeliveryRead(
                id=d.id,
                event_type=d.event_type,
                change_seq=d.change_seq,
                status=d.status,
                attempts=[
                    AttemptRead(
                        attempted_at=a.attempted_at,
                        status_code=a.status_code,
                        error=a.error,
                        duration_ms=a.duration_ms,
                    )
                    for a in attempts.get(d.seq, [])
                ],
                created_at=d.created_at,
                delivered_at=d.delivered_at,
                last_error=d.last_error,
            )
            for d in rows
        ]

    endpoint: ListEndpoint[DeliveryFilter] = ListEndpoint(
        f"webhook-deliveries-{subscription_id}",
        DeliveryRead,
        statement=lambda f, _dialect: repo.delivery_statement(subscription_id, f),
        render=render,
    )
    return endpoint


def backlog(session: Session | Connection) -> WebhookBacklog:
    """What waits to be sent, for /metrics (a Core connection there): pending deliveries,
    the oldest one's age in seconds, and paused subscriptions."""
    pending, oldest, paused = repo.backlog(session)
    age = None if oldest is None else max(0.0, (datetime.now(UTC) - oldest).total_seconds())
    return WebhookBacklog(pending=pending, oldest_pending_seconds=age, paused_subscriptions=paused)
