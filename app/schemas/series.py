"""The shape of `GET /v1/statistics/series`: figures of one metric bucketed over time."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.schemas.common import Figure


class SeriesPoint(BaseModel):
    period: str = Field(
        description="Start of the bucket (YYYY-MM-DD, UTC).", examples=["2026-10-01"]
    )
    count: int = Field(
        description="Estimates (`basis=estimates`) or figures reported (`basis=reports`) in the "
        "bucket.",
        examples=[12],
    )
    min: Figure
    max: Figure
    sum: Figure
    statistics: list[str] = Field(
        description="Ids of the largest figures (up to 5; by estimates, the reports that gave "
        "their `best`)."
    )
    articles: list[str] = Field(description="Their articles, in the same order.")


class Series(BaseModel):
    """Figures for one metric over time; each point names the statistics behind it."""

    metric: str = Field(examples=["killed"])
    interval: str = Field(examples=["month"])
    basis: Literal["estimates", "reports"] = Field(
        description="What was counted: each quantity once (estimates) or every report."
    )
    unit: str | None = None
    location: str | None = None
    data: list[SeriesPoint]
