"""The shape of `GET /v1/statistics/series`: figures of one metric bucketed over time."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.schemas.common import Figure


class SeriesPoint(BaseModel):
    period: str = Field(
        description="Start of the bucket (YYYY-MM-DD, UTC).", examples=["2026-10-01"]
    )
    count: int = Field(description="Figures reported in the bucket.", examples=[12])
    min: Figure
    max: Figure
    sum: Figure
    statistics: list[str] = Field(description="Ids of the largest figures (up to 5).")
    articles: list[str] = Field(description="Their articles, in the same order.")


class Series(BaseModel):
    """Figures for one metric over time; each point names the statistics behind it."""

    metric: str = Field(examples=["killed"])
    interval: str = Field(examples=["month"])
    unit: str | None = None
    location: str | None = None
    data: list[SeriesPoint]
