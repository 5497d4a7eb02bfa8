"""What the extraction dry run returns."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from app.schemas.common import Figure, Kind, Qualifier, UtcDatetime

Rules = Annotated[
    list[str] | None,
    Field(
        description="Only with `explain=true`: the names of the extraction rules that produced "
        "this item, in the order they applied.",
        examples=[["number.numeral", "metric.predicate:killed", "place.in_clause"]],
    ),
]


class ExtractedSpeakerRead(BaseModel):
    name: str = Field(examples=["Halyna Shevchuk"])
    role: str | None = Field(examples=["spokeswoman for the regional grid operator"])
    organisation: str | None = None
    named: bool = Field(
        default=True, description="False when `name` is a description, not a proper name."
    )


class ExtractedQuoteRead(BaseModel):
    text: str = Field(examples=["Crews will need two days at least,"])
    kind: Kind
    speaker: ExtractedSpeakerRead | None
    cue: str | None = Field(examples=["said"])
    context: str | None
    start: int
    end: int
    rules: Rules = None


class ExtractedStatisticRead(BaseModel):
    value: Figure = Field(examples=[8000])
    value_max: Figure | None
    unit: str = Field(examples=["homes"])
    metric: str = Field(examples=["without_power"])
    qualifier: Qualifier
    subject: str | None
    location: str | None
    cited_by: str | None
    text: str = Field(examples=["about 8,000 homes without electricity"])
    sentence: str
    start: int
    end: int
    rules: Rules = None


class ExtractedPlaceRead(BaseModel):
    name: str = Field(examples=["Nikopol"])
    text: str = Field(description="The words as they appear in the body.")
    kind: str = Field(examples=["city"])
    country_code: str | None = Field(examples=["UA"])
    latitude: float | None
    longitude: float | None
    mentions: int
    primary: bool
    start: int
    end: int


class ExtractRead(BaseModel):
    """Everything extraction finds; offsets index `body`. Nothing is stored."""

    title: str | None = Field(examples=["Shelling cuts power across Nikopol"])
    source: str | None = Field(examples=["Riverside Herald"], description="Publisher name.")
    read_time_minutes: int | None = Field(examples=[3])
    authors: list[str]
    published_at: UtcDatetime | None
    body: str
    quotes: list[ExtractedQuoteRead]
    statistics: list[ExtractedStatisticRead]
    locations: list[ExtractedPlaceRead]
    speakers: list[ExtractedSpeakerRead]
