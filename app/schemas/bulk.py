"""The result of one line (or array item) of a bulk import."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class BulkStatus(StrEnum):
    created = "created"
    duplicate = "duplicate"
    error = "error"
    not_processed = "not_processed"


class BulkResult(BaseModel):
    """What became of one article of a bulk import."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"line": 1, "status": "created", "id": "art_0195c1a2b3c47d8e9f00112233445566"}
            ]
        }
    )

    line: int = Field(
        description="1-based: the NDJSON line, or the position of the item in a JSON array."
    )
    status: BulkStatus = Field(
        description="`created`, `duplicate` (`id` is the article already stored), `error`, or "
        "`not_processed` (the server was shutting down: send this item and the ones after it "
        "again)."
    )
    id: str | None = Field(None, description="The article's id (created or duplicate).")
    detail: str | None = Field(None, description="Why the item was not stored.")
    errors: list[dict[str, Any]] | None = Field(
        None, description="The validation errors (`loc`, `msg`, `type`) of an `error`."
    )
