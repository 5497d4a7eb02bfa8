"""Query-parameter models: one per list, passed whole from router to repository."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from app.schemas.common import Kind, MetricName, UtcDatetime, metric_help
from app.search.syntax import Query, QuerySyntaxError
from app.search.syntax import parse as parse_query

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Id = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class ListParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=20, ge=1, le=100, description="Page size, 1-100.")
    format: Literal["json", "ndjson", "csv"] | None = Field(
        default=None,
        description=(
            "`ndjson` or `csv` streams every matching row (ignoring `limit` and `cursor`); "
            "`Accept: application/x-ndjson` or `text/csv` does the same."
        ),
    )
    cursor: Annotated[str, StringConstraints(max_length=2000)] | None = Field(
        default=None, description="`next_cursor` from the previous page."
    )


class Searchable(BaseModel):
    q: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
        | None
    ) = Field(
        default=None,
        description=(
            'Full-text search. Words must all match; `"a phrase"`; `pre*` (3+ letters); `a OR b`; '
            "`-word` excludes. Other punctuation is ignored."
        ),
        examples=['ceasefire "grain corridor" -rumour'],
    )
    sort: Literal["date", "relevance"] | None = Field(
        default=None,
        description="`date` (newest first) or `relevance` (needs `q`; the default with `q`).",
    )

    @model_validator(mode="after")
    def _query(self) -> Searchable:
        if self.q is not None:
            try:
                parse_query(self.q)
            except QuerySyntaxError as exc:
                raise ValueError(f"q: {exc}") from exc
        if self.sort == "relevance" and self.q is None:
            raise ValueError("`sort=relevance` needs a search query `q`")
        return self

    def parsed(self) -> Query | None:
        return parse_query(self.q) if self.q else None

    @property
    def by_relevance(self) -> bool:
        return self.q is not None and self.sort != "date"


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


FACETS = ("source", "location", "country", "speaker", "metric", "language", "tag", "month")


class ArticleFilter(PublishedRange, Searchable):
    source: Name | None = Field(default=None, description="Publisher name (case-insensitive).")
    source_id: Id | None = Field(default=None, description="Publisher id.")
    language: Annotated[str, StringConstraints(max_length=16)] | None = Field(
        default=None, examples=["en"], description="Language code of the article."
    )
    speaker: Name | None = Field(
        default=None, description="Speaker name or alias, case-insensitive."
    )
    speaker_id: Id | None = Field(default=None, description="Speaker id.")
    location: Name | None = Field(default=None, description="Place name, case-insensitive.")
    location_id: Id | None = Field(default=None, description="Location id.")
    country: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")] | None = Field(
        default=None, description="ISO 3166-1 alpha-2 code of a place mentioned."
    )
    tag: Annotated[str, StringConstraints(max_length=64)] | None = Field(
        default=None, description="Articles carrying this tag.", examples=["energy"]
    )
    has_quotes: bool | None = Field(
        default=None, description="Only articles with (or without) quotes."
    )
    has_statistics: bool | None = Field(
        default=None, description="Only articles with (or without) statistics."
    )
    include: Annotated[str, StringConstraints(max_length=100)] | None = Field(
        default=None,
        description="Comma-separated extras to embed in each item: `body`, `quotes`, `statistics`.",
        examples=["quotes,statistics"],
    )

    facets: Annotated[str, StringConstraints(max_length=200)] | None = Field(
        default=None,
        description=(
            "Comma-separated counts to return with the page, for the whole filtered result: "
            + ", ".join(f"`{f}`" for f in FACETS)
            + "."
        ),
        examples=["source,location,month"],
    )

    def facet_names(self) -> list[str]:
        return list(dict.fromkeys(p.strip() for p in (self.facets or "").split(",") if p.strip()))

    @model_validator(mode="after")
    def _known_facets(self) -> ArticleFilter:
        unknown = set(self.facet_names()) - set(FACETS)
        if unknown:
            raise ValueError(f"unknown facet(s): {', '.join(sorted(unknown))}")
        return self

    def includes(self) -> set[str]:
        return {part.strip() for part in (self.include or "").split(",") if part.strip()}

    @model_validator(mode="after")
    def _known_includes(self) -> ArticleFilter:
        unknown = self.includes() - {"body", "quotes", "statistics"}
        if unknown:
            raise ValueError(f"unknown `include` value(s): {', '.join(sorted(unknown))}")
        return self


class QuoteFilter(PublishedRange, Searchable):
    speaker: Name | None = Field(
        default=None, description="Speaker name or alias, case-insensitive."
    )
    speaker_id: Id | None = Field(default=None, description="Speaker id.")
    article_id: Id | None = Field(default=None, description="Quotes of one article.")
    kind: Kind | None = Field(
        default=None, description="`direct` (in quotation marks) or `indirect` (reported)."
    )


class StatisticFilter(PublishedRange, Searchable):
    metric: MetricName | None = Field(
        default=None,
        examples=["killed"],
        description="What is counted, one of the metric registry's names:\n\n" + metric_help(),
    )
    unit: Annotated[str, StringConstraints(max_length=32)] | None = Field(
        default=None, examples=["people"], description="people, percent, usd, years..."
    )
    location: Name | None = Field(default=None, description="Place name, case-insensitive.")
    location_id: Id | None = Field(default=None, description="Location id.")
    article_id: Id | None = Field(default=None, description="Statistics of one article.")
    value_min: float | None = Field(default=None, description="Smallest value (inclusive).")
    value_max: float | None = Field(default=None, description="Largest value (inclusive).")
    nature: Literal["event", "cumulative"] | None = Field(
        default=None,
        description="`event` (one incident's count) or `cumulative` (a stock or running total).",
    )
    reference_from: UtcDatetime | None = Field(
        default=None, description="Figures referring to a time at or after this (RFC 3339)."
    )
    reference_to: UtcDatetime | None = Field(
        default=None, description="Figures referring to a time before this (RFC 3339)."
    )

    @model_validator(mode="after")
    def _values(self) -> StatisticFilter:
        if self.reference_from and self.reference_to and self.reference_to < self.reference_from:
            raise ValueError("`reference_to` must not be before `reference_from`")
        if (
            self.value_min is not None
            and self.value_max is not None
            and self.value_max < self.value_min
        ):
            raise ValueError("`value_max` must not be smaller than `value_min`")
        return self


class SpeakerFilter(ListParams):
    name: Name | None = Field(default=None, description="Name or alias, case-insensitive.")
    include_descriptions: bool = Field(
        default=False,
        description="Also list speakers that are descriptions rather than names "
        '("local officials", "a senior UN official"); they are always on their quotes.',
    )


class SourceFilter(ListParams):
    name: Name | None = Field(default=None, description="Publisher name, case-insensitive.")
    domain: Annotated[str, StringConstraints(max_length=255)] | None = Field(
        default=None, description="Publisher web domain.", examples=["meridianwire.example"]
    )


class LocationFilter(ListParams):
    name: Name | None = Field(default=None, description="Place name, case-insensitive.")
    country: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")] | None = Field(
        default=None, description="ISO 3166-1 alpha-2 country code.", examples=["UA"]
    )
    kind: Annotated[str, StringConstraints(max_length=32)] | None = Field(
        default=None, description="city, region, country, sea...", examples=["city"]
    )


class SeriesFilter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    metric: MetricName = Field(
        description="What is counted, one of the metric registry's names:\n\n" + metric_help(),
        examples=["killed"],
    )
    interval: Literal["day", "week", "month"] = Field(
        default="month", description="Bucket size; weeks start on Monday (UTC)."
    )
    unit: Annotated[str, StringConstraints(max_length=32)] | None = Field(
        default=None, description="Only figures in this unit.", examples=["people"]
    )
    location: Name | None = Field(default=None, description="Place name, case-insensitive.")
    location_id: Id | None = Field(default=None, description="Location id.")
    published_from: UtcDatetime | None = Field(
        default=None, description="Articles published at or after (RFC 3339)."
    )
    published_to: UtcDatetime | None = Field(
        default=None, description="Articles published before (RFC 3339, exclusive)."
    )
    basis: Literal["reports", "estimates"] = Field(
        default="reports",
        description=(
            "`reports`: every figure as reported, bucketed by publication. `estimates`: each "
            "quantity once (`GET /v1/estimates`), bucketed by the time it refers to "
            "(`published_from`/`published_to` then bound that time): an event metric sums "
            "the estimates' `best`, a cumulative one adds the latest estimate per place as "
            "of each period."
        ),
    )
