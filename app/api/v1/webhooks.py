"""/v1/webhooks: subscriptions to changes, pushed as signed POSTs (admin scope)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from app.api.deps import AdminKey, ListsDep, SessionDep, SettingsDep, WebhookId
from app.api.listing import get_route, list_route, write_route
from app.schemas.webhook import (
    DeliveryFilter,
    DeliveryRead,
    WebhookCreate,
    WebhookCreated,
    WebhookFilter,
    WebhookRead,
)
from app.services import webhooks as service

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


@router.post(
    "", **write_route(WebhookCreated, "Subscribe a webhook", 400, 413, 422, status_code=201)
)
def create_webhook(
    body: WebhookCreate, session: SessionDep, settings: SettingsDep, _: AdminKey, response: Response
) -> WebhookCreated:
    """Send the changes named in `events` to `url` as signed POSTs (Standard Webhooks:
    `webhook-id`, `webhook-timestamp`, `webhook-signature`). The signing `secret` is in this
    response only. Targets on private, loopback or link-local addresses are refused (422)
    unless the server allows them; redirects are never followed. Delivery is at least once,
    in change order per subscription, retried with backoff (see docs/webhooks.md)."""
    created = service.create_subscription(session, body, settings)
    response.headers["Location"] = f"/v1/webhooks/{created.id}"
    return created


@router.get("", **list_route(WebhookRead, "List webhooks"))
def list_webhooks(filters: Annotated[WebhookFilter, Query()], lists: ListsDep, _: AdminKey) -> Any:
    """Every subscription, oldest first, without its secret; `status=paused` finds those
    whose deliveries kept failing (`paused_reason` says why)."""
    return lists.serve(service.WEBHOOKS, filters)


@router.get("/{webhook_id}", **get_route(WebhookRead, "Get a webhook"))
def get_webhook(webhook_id: WebhookId, session: SessionDep, _: AdminKey) -> WebhookRead:
    """One subscription: its URL, events and state (`paused_reason` when paused), never
    its secret."""
    return service.get_subscription(session, webhook_id)


@router.delete("/{webhook_id}", **write_route(None, "Delete a webhook", 404, 422, status_code=204))
def delete_webhook(webhook_id: WebhookId, session: SessionDep, _: AdminKey) -> Response:
    """Stop sending: the subscription goes with its undelivered deliveries and their log."""
    service.delete_subscription(session, webhook_id)
    return Response(status_code=204)


@router.post(
    "/{webhook_id}/resume", **write_route(WebhookRead, "Resume a paused webhook", 404, 422)
)
def resume_webhook(webhook_id: WebhookId, session: SessionDep, _: AdminKey) -> WebhookRead:
    """Make a paused subscription active again: what waited is sent, oldest first, from the
    next round of the senders. Does nothing to an active one."""
    return service.resume_subscription(session, webhook_id)


@router.get("/{webhook_id}/deliveries", **list_route(DeliveryRead, "List webhook deliveries"))
def list_webhook_deliveries(
    webhook_id: WebhookId,
    filters: Annotated[DeliveryFilter, Query()],
    session: SessionDep,
    lists: ListsDep,
    _: AdminKey,
) -> Any:
    """What was sent to this subscription, oldest first, each delivery with every attempt
    (status code or error, duration); `status=pending` shows what waits."""
    return lists.serve(service.deliveries(session, webhook_id), filters)
