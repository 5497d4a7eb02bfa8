"""The change feed's wire types."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from app.schemas.common import UtcDatetime

# What the feed covers, in the order the docs list them; an open list (docs/versioning.md).
RESOURCES = ("article", "speaker", "source", "location")


class ChangeRead(BaseModel):
    seq: int = Field(examples=[1042])
    resource: str = Field(
        examples=["article"],
        description="`article`, `speaker`, `source` or `location` (a list that may grow).",
    )
    id: str = Field(examples=["art_0195c1a2b3c47d8e9f00112233445566"])
    action: str = Field(examples=["updated"], description="`created`, `updated` or `deleted`.")
    at: UtcDatetime
    document: dict[str, Any] | None = Field(
        default=None,
        description=(
            "With `include=document`: the row as it is now, exactly as its own GET returns "
            "it (`GET /v1/articles/{id}`, `/v1/speakers/{id}`, ...); `null` once deleted. "
            "Absent without `include`."
        ),
    )


class ChangePage(BaseModel):
    data: list[ChangeRead]
    next_cursor: str = Field(
        description="Pass as `since` on the next poll; always present, even when up to date."
    )
    has_more: bool = Field(description="True when more changes are waiting right now.")
