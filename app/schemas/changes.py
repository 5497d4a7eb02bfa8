"""The change feed's wire types."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.schemas.common import UtcDatetime


class ChangeRead(BaseModel):
    seq: int = Field(examples=[1042])
    resource: str = Field(examples=["article"])
    id: str = Field(examples=["art_0195c1a2b3c47d8e9f00112233445566"])
    action: str = Field(examples=["updated"], description="`created`, `updated` or `deleted`.")
    at: UtcDatetime


class ChangePage(BaseModel):
    data: list[ChangeRead]
    next_cursor: str = Field(
        description="Pass as `since` on the next poll; always present, even when up to date."
    )
    has_more: bool = Field(description="True when more changes are waiting right now.")
