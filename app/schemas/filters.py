"""Query-parameter models: one per list, passed whole from router to repository."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from app.schemas.common import Kind, UtcDatetime

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Id = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class ListParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=20, ge=1, le=100, description="Page size, 1-100.")
    cursor: Annotated[str, StringConstraints(max_length=2000)] | None = Field(
        default=None, description="`next_cursor` from the previous page."
    )


class PublishedRange(ListParams):
    published_from: UtcDatetime | None = Field(
        default=None, description="Published at or after (RFC 3339)."
    )
    published_to: UtcDatetime | None = Field(
        default=None, description="Published before (RFC 3339, exclusive)."
    )

    @model_validator(mode="after")
    def _range(self) -> PublishedRange:
        if self.published_from and self.published_to and self.published_to < self.published_from:
            raise ValueError("`published_to` must not be before `published_from`")
        return self


class ArticleFilter(PublishedRange):
    source: Name | None = Field(default=None, description="Publisher name (case-insensitive).")
    source_id: Id | None = None
    language: Annotated[str, StringConstraints(max_length=16)] | None = Field(
        default=None, examples=["en"]
    )
    speaker: Name | None = Field(
        default=None, description="Speaker name or alias, case-insensitive."
    )
    speaker_id: Id | None = None
    location: Name | None = Field(default=None, description="Place name, case-insensitive.")
    location_id: Id | None = None
    country: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")] | None = Field(
        default=None, description="ISO 3166-1 alpha-2 code of a place mentioned."
    )
    tag: Annotated[str, StringConstraints(max_length=64)] | None = None
    has_quotes: bool | None = None
    has_statistics: bool | None = None
    include: Annotated[str, StringConstraints(max_length=100)] | None = Field(
        default=None,
        description="Comma-separated extras to embed in each item: `body`, `quotes`, `statistics`.",
        examples=["quotes,statistics"],
    )

    def includes(self) -> set[str]:
        return {part.strip() for part in (self.include or "").split(",") if part.strip()}

    @model_validator(mode="after")
    def _known_includes(self) -> ArticleFilter:
        unknown = self.includes() - {"body", "quotes", "statistics"}
        if unknown:
            raise ValueError(f"unknown `include` value(s): {', '.join(sorted(unknown))}")
        return self


class QuoteFilter(PublishedRange):
    speaker: Name | None = Field(
        default=None, description="Speaker name or alias, case-insensitive."
    )
    speaker_id: Id | None = None
    article_id: Id | None = None
    kind: Kind | None = None


class StatisticFilter(PublishedRange):
    metric: Annotated[str, StringConstraints(max_length=64)] | None = Field(
        default=None, examples=["killed"]
    )
    unit: Annotated[str, StringConstraints(max_length=32)] | None = Field(
        default=None, examples=["people"]
    )
    location: Name | None = Field(default=None, description="Place name, case-insensitive.")
    location_id: Id | None = None
    article_id: Id | None = None
    value_min: float | None = None
    value_max: float | None = None

    @model_validator(mode="after")
    def _values(self) -> StatisticFilter:
        if (
            self.value_min is not None
            and self.value_max is not None
            and self.value_max < self.value_min
        ):
            raise ValueError("`value_max` must not be smaller than `value_min`")
        return self


class SpeakerFilter(ListParams):
    name: Name | None = Field(default=None, description="Name or alias, case-insensitive.")


class SourceFilter(ListParams):
    name: Name | None = None
    domain: Annotated[str, StringConstraints(max_length=255)] | None = None


class LocationFilter(ListParams):
    name: Name | None = None
    country: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")] | None = None
    kind: Annotated[str, StringConstraints(max_length=32)] | None = None
