"""Webhooks on the wire: a subscription as created and read, its deliveries and attempts,
and the event stream's query."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.schemas.common import UtcDatetime, strict_example
from app.schemas.filters import ListParams

EVENT_PATTERN = r"^(\*|[a-z][a-z_]{0,30}\.(\*|[a-z][a-z_]{0,30}))$"

EventName = Annotated[str, StringConstraints(pattern=EVENT_PATTERN, max_length=64)]


def _target_url(value: str) -> str:
    """An absolute http(s) URL that splits cleanly; where it points is checked by the service
    (it needs the settings and a DNS lookup)."""
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in value):
        raise ValueError("must not contain spaces or control characters")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"is not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise ValueError("must be an http or https URL")
    if not parts.hostname:
        raise ValueError("must name a host")
    if parts.username is not None or parts.password is not None:
        raise ValueError("must not carry credentials (send them in the path or use the secret)")
    if port == 0:
        raise ValueError("port 0 is not a port")
    return value


TargetUrl = Annotated[str, StringConstraints(max_length=2048), AfterValidator(_target_url)]


class WebhookCreate(BaseModel):
    model_config = strict_example(
        {
            "url": "https://hooks.relief-desk.example/conflict-news",
            "events": ["article.created", "article.updated"],
            "description": "Newsroom desk: new and corrected articles",
        }
    )

    url: TargetUrl = Field(description="Where deliveries are POSTed (http or https).")
    events: list[EventName] = Field(
        min_length=1,
        max_length=20,
        description=(
            "Events wanted: `resource.action` (`article.created`, `article.updated`, "
            "`article.deleted`), `resource.*`, or `*` for every change."
        ),
    )
    description: Annotated[str, StringConstraints(max_length=500)] | None = None


class WebhookRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str = Field(examples=["whk_0195c1a2b3c47d8e9f00112233445566"])
    url: str
    events: list[str]
    description: str | None
    status: Literal["active", "paused"] = Field(
        description="`paused` after deliveries kept failing; see `paused_reason`."
    )
    paused_reason: str | None = None
    paused_at: UtcDatetime | None = None
    created_at: UtcDatetime


class WebhookCreated(WebhookRead):
    secret: str = Field(
        description=(
            "Signing secret (Standard Webhooks, `whsec_` + base64). Shown only in this "
            "response: store it now."
        ),
        examples=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    )


class WebhookFilter(ListParams):
    status: Literal["active", "paused"] | None = Field(
        default=None, description="Only subscriptions in this state."
    )


class DeliveryFilter(ListParams):
    status: Literal["pending", "delivered"] | None = Field(
        default=None, description="Only deliveries in this state."
    )


class AttemptRead(BaseModel):
    attempted_at: UtcDatetime
    status_code: int | None = Field(description="The receiver's HTTP status; null if none.")
    error: str | None = Field(description="Why the attempt failed; null when it succeeded.")
    duration_ms: int


class DeliveryRead(BaseModel):
    id: str = Field(
        description="The `webhook-id` header: the same on every attempt (dedupe on it).",
        examples=["msg_0195c1a2b3c47d8e9f00112233445566"],
    )
    event_type: str = Field(examples=["article.created"])
    change_seq: int = Field(description="The change feed's `seq` of the change it carries.")
    status: Literal["pending", "delivered"]
    attempts: list[AttemptRead]
    created_at: UtcDatetime
    delivered_at: UtcDatetime | None
    last_error: str | None


class WebhookBacklog(BaseModel):
    """What waits to be sent: for /metrics and operators."""

    pending: int
    oldest_pending_seconds: float | None
    paused_subscriptions: int
