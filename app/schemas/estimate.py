"""Estimates on the wire: one quantity reconciled from many reports, and its list filter."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from app.schemas.article import Strict
from app.schemas.common import (
    Figure,
    MetricName,
    Qualifier,
    ReadModel,
    UtcDatetime,
    metric_help,
    ordered,
)
from app.schemas.filters import Faceted, Id, ListParams, Name
from app.schemas.filters import _facet_help as facet_help
from app.schemas.filters import _Many as Many

Nature = Literal["event", "cumulative"]
Precision = Literal["day", "week", "month", "year"]
ESTIMATE_FACETS = ("metric", "unit", "nature", "source", "location", "country", "month")
EstimateFacet = Literal["metric", "unit", "nature", "source", "location", "country", "month"]


class EstimateReport(ReadModel):
    """One report behind an estimate, and the rule that put it in this estimate."""

    statistic_id: str = Field(examples=["sta_0195c1a2b3c47d8e9f00112233445566"])
    article_id: str = Field(examples=["art_0195c1a2b3c47d8e9f00112233445566"])
    source_id: str | None
    source: str | None = Field(examples=["Eastern Courier"])
    value: Figure = Field(examples=[7])
    value_max: Figure | None
    qualifier: Qualifier
    text: str = Field(examples=["7 people were killed"])
    start: int = Field(description="Span of `text` in the article body.", examples=[52])
    end: int = Field(examples=[72])
    reported_at: UtcDatetime = Field(description="When the article was published.")
    rule: str = Field(
        description=(
            "Why the report is here: `<nature>.first_report` (it started the estimate) or "
            "`<nature>.<place>+<time>`, place `same_place`, `place_within` (a country and a "
            "place in it) or `no_place`; time `reference_time`, `published_within_a_day` or "
            "`same_month`."
        ),
        examples=["event.same_place+published_within_a_day"],
    )


class EstimateRead(ReadModel):
    """The same quantity reported by one or more articles, reconciled: `low`, `best`,
    `high` and every report behind them."""

    id: str = Field(examples=["est_0195c1a2b3c47d8e9f00112233445566"])
    metric: str = Field(examples=["killed"])
    unit: str = Field(examples=["people"])
    nature: Nature = Field(
        description="`event` (one incident's count) or `cumulative` (a stock as of a date)."
    )
    location: str | None = Field(examples=["Kupiansk"])
    location_id: str | None
    country_code: str | None = Field(examples=["UA"])
    reference_time: UtcDatetime = Field(
        description="When it happened (events) or the date it stands as of (cumulative)."
    )
    reference_precision: Precision
    low: Figure = Field(description="Smallest value reported.", examples=[3])
    best: Figure = Field(
        description=(
            "Events: among the reports of the last 3 hours of reporting (a toll only rises), "
            "the most conservative, exact figures before vague ones; cumulative: among the "
            "reports of the latest day it was reported, the smallest."
        ),
        examples=[9],
    )
    high: Figure = Field(description="Largest value reported (a range's upper bound counts).")
    best_rule: str = Field(
        description="`latest_report` / `latest_as_of`, with `_lowest` when those disagreed.",
        examples=["latest_report"],
    )
    best_statistic_id: str = Field(description="The report whose value is `best`.")
    report_count: int = Field(description="Reports (statistics) grouped.", examples=[4])
    source_count: int = Field(description="Distinct sources among them.", examples=[3])
    first_reported_at: UtcDatetime
    last_reported_at: UtcDatetime
    reports: list[EstimateReport] = Field(validation_alias="members")


class EstimateFilter(ListParams, Faceted):
    metric: MetricName | None = Field(
        default=None,
        examples=["killed"],
        description="What is counted, one of the metric registry's names:\n\n" + metric_help(),
    )
    unit: Annotated[str, StringConstraints(max_length=32)] | None = Field(
        default=None, examples=["people"], description="people, percent, usd, years..."
    )
    nature: Nature | None = Field(default=None, description="`event` or `cumulative`.")
    location: Name | None = Field(default=None, description="Place name, case-insensitive.")
    location_id: Id | None = Field(default=None, description="Location id.")
    country: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")] | None = Field(
        default=None, description="ISO 3166-1 alpha-2 code of the estimate's place."
    )
    reference_from: UtcDatetime | None = Field(
        default=None, description="Reference time at or after (RFC 3339)."
    )
    reference_to: UtcDatetime | None = Field(
        default=None, description="Reference time before (RFC 3339, exclusive)."
    )
    best_min: float | None = Field(default=None, description="Smallest `best` (inclusive).")
    best_max: float | None = Field(default=None, description="Largest `best` (inclusive).")
    min_reports: int | None = Field(
        default=None, ge=1, le=1_000_000, description="Only estimates with this many reports."
    )
    statistic_id: Id | None = Field(
        default=None, description="The estimate that holds this statistic."
    )
    facets: Annotated[list[EstimateFacet], Many] | None = Field(
        default=None,
        description=facet_help(
            ESTIMATE_FACETS,
            " Counts are of estimates; an estimate counts once for each source among its "
            "reports; months are of the reference time.",
        ),
        examples=["metric,country,month"],
    )

    @model_validator(mode="after")
    def _ranges(self) -> EstimateFilter:
        ordered(self, "reference_from", "reference_to")
        ordered(self, "best_min", "best_max", "smaller than")
        return self


class EstimateSplitIn(Strict):
    """The reports to move out of an estimate into a new one of their own."""

    statistic_ids: list[Id] = Field(
        min_length=1,
        max_length=1000,
        description="Ids of statistics among the estimate's reports (not all of them).",
        examples=[["sta_0195c1a2b3c47d8e9f00112233445566"]],
    )


class EstimateMergeIn(Strict):
    """The estimate to merge into this one (same metric, unit and nature)."""

    estimate_id: Id = Field(examples=["est_0195c1a2b3c47d8e9f00112233445566"])


class EstimateSplit(ReadModel):
    """The two estimates a split leaves: the reports kept and the reports moved out."""

    remaining: EstimateRead
    moved: EstimateRead
