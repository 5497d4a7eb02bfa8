"""API keys and their audit trail on the wire (`/v1/keys`). A key's secret appears once, in
the answer to the request that made it; no other shape has a field for it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from app.schemas.common import UtcDatetime, same_named
from app.schemas.filters import Id, ListParams

Scope = Literal["read", "write", "admin"]
MAX_GRACE_SECONDS = 7 * 24 * 3600


class KeyState(StrEnum):
    active = "active"
    expired = "expired"
    revoked = "revoked"


class KeyAction(StrEnum):
    created = "created"
    rotated = "rotated"
    revoked = "revoked"


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain the NUL character (U+0000)")
    return value


class KeyCreate(BaseModel):
    """A new key: what it is for and what it may do."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "newsroom mirror", "scopes": ["read"]}]},
    )

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    scopes: list[Scope] = Field(
        min_length=1,
        max_length=3,
        description="`read`, `write`, `admin` (admin may do everything).",
        examples=[["read", "write"]],
    )
    expires_at: UtcDatetime | None = Field(
        default=None, description="When the key stops working (RFC 3339, in the future)."
    )

    _name = field_validator("name")(_no_nul)

    @field_validator("scopes")
    @classmethod
    def _distinct(cls, value: list[Scope]) -> list[Scope]:
        return list(dict.fromkeys(value))


class KeyRotate(BaseModel):
    """How to retire the old secret when its replacement is issued."""

    model_config = ConfigDict(extra="forbid")

    grace_seconds: int = Field(
        default=0,
        ge=0,
        le=MAX_GRACE_SECONDS,
        description=(
            "How long the old secret keeps working, so callers can switch over "
            "(0: it stops at once; at most 7 days)."
        ),
        examples=[3600],
    )


class KeyRead(BaseModel):
    """An API key as listed: never its secret, only the prefix that names it."""

    id: str = Field(examples=["key_0195c1a2b3c47d8e9f00112233445566"])
    name: str = Field(examples=["newsroom mirror"])
    prefix: str = Field(
        description="The 8 hex characters after `cn_` in the secret.", examples=["3f2a9c0d"]
    )
    scopes: list[str] = Field(examples=[["read"]])
    state: KeyState
    created_at: UtcDatetime
    last_used_at: UtcDatetime | None = Field(description="Last use, to the minute.")
    expires_at: UtcDatetime | None
    revoked_at: UtcDatetime | None

    @classmethod
    def from_row(cls, key: Any, now: datetime) -> Self:
        if key.revoked_at is not None:
            state = KeyState.revoked
        elif key.expires_at is not None and key.expires_at <= now:
            state = KeyState.expired
        else:
            state = KeyState.active
        shown = ("id", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
        return cls(
            scopes=[s for s in key.scopes.split(",") if s], state=state, **same_named(key, *shown)
        )


class KeyCreated(KeyRead):
    """A key just made: the only response that carries its secret."""

    key: str = Field(
        description="The secret, shown this once: store it now (only its hash is kept).",
        examples=["cn_3f2a9c0d_Vx0mW3q9bJtq0a1n2m3k4j5h6g7f8d9s0a1q2w3e4r5"],
    )
    rotated_from: str | None = Field(
        default=None, description="The key this one replaces, after a rotation."
    )


class KeyEventRead(BaseModel):
    """One action on a key: what, by whom, when."""

    id: str = Field(examples=["kev_0195c1a2b3c47d8e9f00112233445566"])
    key_id: str
    action: KeyAction
    at: UtcDatetime
    via: Literal["http", "cli"] = Field(description="Over the API, or from the CLI.")
    actor_key_id: str | None = Field(
        description="The admin key that acted (null from the CLI, or if it was deleted)."
    )
    client: str | None = Field(description="The caller's address, over HTTP.")
    request_id: str | None = Field(description="The `X-Request-ID` of the request.")
    detail: dict[str, Any] = Field(
        description='What changed, e.g. `{"scopes": ["read"]}` or `{"replaced_by": ...}`.'
    )

    @classmethod
    def from_row(cls, event: Any) -> Self:
        return cls(
            id=event.id,
            key_id=event.key_id,
            action=KeyAction(event.action),
            at=event.at,
            via=event.via,
            actor_key_id=event.actor_key_id,
            client=event.client,
            request_id=event.request_id,
            detail=event.detail or {},
        )


class KeyFilter(ListParams):
    state: KeyState | None = Field(default=None, description="Only keys in this state.")


class KeyEventFilter(ListParams):
    key_id: Id | None = Field(default=None, description="Only actions on this key.")
    actor_key_id: Id | None = Field(default=None, description="Only actions by this key.")
    action: KeyAction | None = Field(default=None, description="Only this action.")
