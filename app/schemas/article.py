"""Article, quote and statistic wire schemas."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic import Tag as FormTag

from app.core.normalise import check_url
from app.schemas.common import (
    FacetBucket,
    Figure,
    Kind,
    MetricName,
    Qualifier,
    ReadModel,
    UtcDatetime,
    facets_field,
    ordered,
    sampled_field,
    strict_example,
)
from app.schemas.licence import Attribution, Licence, attribution_field, licence_field

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Tag = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=64)
]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
Offset = Annotated[int, Field(ge=0, le=10_000_000)]

WebUrl = Annotated[
    str,
    StringConstraints(pattern=r"^https?://\S+$", max_length=2000),
    AfterValidator(check_url),
]
"""An absolute http(s) URL that splits cleanly (host, numeric port, brackets)."""

MAX_BODY_CHARS = 1_000_000


class Strict(BaseModel):
    """Client input: unknown fields are refused, and so is U+0000 in any string (PostgreSQL
    text cannot hold it, so it is refused on every engine alike). Other characters,
    control characters included, are stored as sent."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        strings = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and "\x00" in v for v in strings):
            raise ValueError("must not contain the NUL character (U+0000)")
        return value


# --- input -----------------------------------------------------------------


class SpeakerIn(Strict):
    name: ShortText = Field(examples=["Amara Okafor"])
    role: ShortText | None = Field(default=None, examples=["UNHCR spokesperson"])
    organisation: ShortText | None = Field(default=None, examples=["UNHCR"])
    named: bool = Field(
        default=True,
        description='False when `name` is a description ("a senior UN official", '
        '"authorities") rather than a proper name: the quote keeps it, the speaker '
        "directory lists it only with `include_descriptions=true`.",
    )


class SpanIn(Strict):
    text: Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
    start: Offset
    end: Offset

    @model_validator(mode="after")
    def _span_order(self) -> SpanIn:
        if self.end <= self.start:
            raise ValueError("`end` must be greater than `start`")
        if self.end - self.start != len(self.text):
            raise ValueError("`end - start` must equal the length of `text`")
        return self


class QuoteIn(SpanIn):
    """A quote as a client sends it; `body[start:end]` must equal `text`."""

    kind: Kind = Kind.direct
    speaker: SpeakerIn | None = None
    cue: Annotated[str, StringConstraints(max_length=64)] | None = Field(
        default=None, examples=["said"]
    )
    context: Annotated[str, StringConstraints(max_length=500)] | None = Field(
        default=None, examples=["at a briefing in Geneva"]
    )


class StatisticIn(SpanIn):
    """A figure as a client sends it; `body[start:end]` must equal `text`."""

    value: Figure = Field(examples=[14])
    value_max: Figure | None = Field(default=None, description="Upper bound of a range.")
    unit: Annotated[str, StringConstraints(min_length=1, max_length=32)] = Field(
        examples=["people"]
    )
    metric: MetricName = Field(
        examples=["injured"],
        description="What is counted: a metric of the registry (see `GET /v1/statistics`).",
    )
    qualifier: Qualifier = Qualifier.exact
    subject: ShortText | None = Field(default=None, examples=["civilians"])
    location: ShortText | None = Field(default=None, examples=["Kharkiv"])
    cited_by: ShortText | None = Field(default=None, description="Who the figure is attributed to.")
    sentence: Annotated[str, StringConstraints(max_length=20_000)] | None = None

    @model_validator(mode="after")
    def _range(self) -> StatisticIn:
        ordered(self, "value", "value_max", "smaller than")
        return self


class LocationIn(Strict):
    name: ShortText = Field(examples=["Kharkiv"])
    kind: Annotated[str, StringConstraints(max_length=32)] = Field(
        default="other", examples=["city"]
    )
    country_code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = Field(
        default=None, examples=["UA"]
    )
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    primary: bool = False


_EXAMPLE_BODY = (
    "A drone strike on a grain terminal outside Izmail set two warehouses alight overnight. "
    "\u201cThe fire crews worked until dawn,\u201d said Oksana Hrytsenko, a port official. "
    "At least 3 people were injured."
)


class ArticleCreate(Strict):
    """A structured article. Quotes and statistics, when sent, are stored as given."""

    model_config = strict_example(
        {
            "title": "Drone strike sets grain terminal alight near Izmail",
            "body": _EXAMPLE_BODY,
            "url": "https://danube-dispatch.example/2026/11/izmail-terminal-fire",
            "source": "Danube Dispatch",
            "published_at": "2026-11-18T06:40:00Z",
            "language": "en",
            "authors": ["Lena Moroz"],
            "tags": ["infrastructure", "grain"],
            "quotes": [
                {
                    "text": "The fire crews worked until dawn,",
                    "kind": "direct",
                    "speaker": {"name": "Oksana Hrytsenko", "role": "port official"},
                    "cue": "said",
                    "start": 88,
                    "end": 121,
                }
            ],
            "statistics": [
                {
                    "value": 3,
                    "unit": "people",
                    "metric": "injured",
                    "qualifier": "at_least",
                    "text": "At least 3 people were injured",
                    "start": 163,
                    "end": 193,
                }
            ],
        }
    )

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
    body: Annotated[str, StringConstraints(min_length=1, max_length=MAX_BODY_CHARS)]
    url: WebUrl | None = None
    source: ShortText | None = Field(default=None, description="Publisher name.")
    source_domain: Annotated[str, StringConstraints(max_length=255)] | None = None
    published_at: UtcDatetime | None = None
    language: LanguageCode | None = Field(default=None, examples=["en"])
    authors: list[ShortText] = Field(default_factory=list, max_length=50)
    tags: list[Tag] = Field(default_factory=list, max_length=50)
    read_time_minutes: Annotated[int, Field(ge=0, le=1000)] | None = None
    quotes: list[QuoteIn] | None = Field(default=None, max_length=2000)
    statistics: list[StatisticIn] | None = Field(default=None, max_length=2000)
    locations: list[LocationIn] | None = Field(default=None, max_length=500)
    extract: bool = Field(
        default=True,
        description="When no quotes/statistics are sent, find them in the body automatically.",
    )
    licence: Licence | None = Field(
        default=None, description="Reuse licence; without it and `attribution`, the source's."
    )
    attribution: Attribution | None = None


class RawArticleCreate(Strict):
    """Raw scraped text; the service parses, cleans and extracts it."""

    text: Annotated[str, StringConstraints(min_length=1, max_length=MAX_BODY_CHARS)]
    url: WebUrl | None = None
    published_at: UtcDatetime | None = None
    language: LanguageCode | None = None
    tags: list[Tag] = Field(default_factory=list, max_length=50)
    licence: Licence | None = Field(
        default=None, description="Reuse licence; without it and `attribution`, the source's."
    )
    attribution: Attribution | None = None


def article_form(data: Any) -> str:
    """The form a create body is meant in: `raw` when it has `text` and neither `title` nor
    `body`, else `structured`; only that form's errors are reported."""
    if isinstance(data, dict) and "text" in data and not {"title", "body"} & data.keys():
        return "raw"
    return "structured"


ArticleInput = Annotated[
    Annotated[ArticleCreate, FormTag("structured")] | Annotated[RawArticleCreate, FormTag("raw")],
    Discriminator(article_form),
]
"""A create body, structured or raw, validated as the form `article_form` picks; its errors'
`loc` starts with that form's tag."""
ARTICLE_FORMS = ("structured", "raw")


class ArticleUpdate(Strict):
    """Partial update: only the fields sent change. Sending `quotes` or `statistics` replaces
    that whole list."""

    title: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
        | None
    ) = None
    body: Annotated[str, StringConstraints(min_length=1, max_length=MAX_BODY_CHARS)] | None = None
    url: WebUrl | None = None
    source: ShortText | None = None
    published_at: UtcDatetime | None = None
    language: LanguageCode | None = None
    authors: list[ShortText] | None = Field(default=None, max_length=50)
    tags: list[Tag] | None = Field(default=None, max_length=50)
    read_time_minutes: Annotated[int, Field(ge=0, le=1000)] | None = None
    quotes: list[QuoteIn] | None = Field(default=None, max_length=2000)
    statistics: list[StatisticIn] | None = Field(default=None, max_length=2000)
    locations: list[LocationIn] | None = Field(default=None, max_length=500)
    licence: Licence | None = Field(
        default=None, description="Reuse licence; null (with `attribution`) inherits the source's."
    )
    attribution: Attribution | None = None

    @model_validator(mode="before")
    @classmethod
    def _no_nulls_for_required(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in ("title", "body"):
                if key in data and data[key] is None:
                    raise ValueError(f"`{key}` cannot be null")
        return data


# --- output ----------------------------------------------------------------


class SourceRef(ReadModel):
    id: str = Field(examples=["src_0195c1a2b3c47d8e9f00112233445566"])
    name: str = Field(examples=["Danube Dispatch"])
    domain: str | None = Field(examples=["danube-dispatch.example"])
    licence: str | None = licence_field()
    attribution: str | None = attribution_field()


class SpeakerRef(ReadModel):
    id: str = Field(examples=["spk_0195c1a2b3c47d8e9f00112233445566"])
    name: str = Field(examples=["Oksana Hrytsenko"])
    role: str | None = Field(examples=["port official"])
    organisation: str | None = None


class QuoteRead(ReadModel):
    id: str = Field(examples=["quo_0195c1a2b3c47d8e9f00112233445566"])
    article_id: str
    text: str = Field(examples=["The fire crews worked until dawn,"])
    kind: Kind
    speaker: SpeakerRef | None
    cue: str | None = Field(examples=["said"])
    context: str | None = Field(examples=["at a briefing in Odesa"])
    start: int = Field(examples=[88])
    end: int = Field(examples=[121])

    @classmethod
    def from_row(cls, q: Any) -> Self:
        """From a stored quote (its `speaker` loaded): the role is the one in this article."""
        speaker = None
        if q.speaker is not None:
            speaker = SpeakerRef(
                id=q.speaker.id,
                name=q.speaker.name,
                role=q.speaker_role,
                organisation=q.speaker.organisation,
            )
        return cls(
            id=q.id,
            article_id=q.article_id,
            text=q.text,
            kind=Kind(q.kind),
            speaker=speaker,
            cue=q.cue,
            context=q.context,
            start=q.start,
            end=q.end,
        )


class PlaceRef(ReadModel):
    """A place of the directory, as an item shows it: enough for a map."""

    id: str = Field(examples=["loc_0195c1a2b3c47d8e9f00112233445566"])
    name: str = Field(examples=["Izmail"])
    kind: str = Field(examples=["city"])
    country_code: str | None = Field(examples=["UA"])
    latitude: float | None = Field(examples=[45.35])
    longitude: float | None = Field(examples=[28.84])


class StatisticRead(ReadModel):
    id: str = Field(examples=["sta_0195c1a2b3c47d8e9f00112233445566"])
    article_id: str
    value: Figure = Field(examples=[3])
    value_max: Figure | None
    unit: str = Field(examples=["people"])
    metric: str = Field(examples=["injured"])
    qualifier: Qualifier
    subject: str | None
    location: str | None = Field(description="The place as the text names it.")
    place: PlaceRef | None = Field(
        description="That place in the directory, with country and coordinates (null when "
        "the figure names none, or none the directory knows)."
    )
    cited_by: str | None
    text: str = Field(examples=["At least 3 people were injured"])
    sentence: str | None
    start: int = Field(examples=[163])
    end: int = Field(examples=[193])
    reference_time: UtcDatetime | None = Field(
        default=None,
        description="When it happened (or the date it stands as of), from the text resolved "
        'against `published_at`: "overnight", "on Friday", "in March"...',
    )
    reference_precision: Literal["day", "week", "month", "year"] | None = None
    nature: Literal["event", "cumulative"] | None = Field(
        default=None, description="`event` (one incident's count) or `cumulative` (a stock)."
    )

    @classmethod
    def from_row(cls, s: Any, place: Any) -> Self:
        """From a stored statistic and its place (a `Location`, or None)."""
        data = {name: getattr(s, name) for name in cls.model_fields if name != "place"}
        return cls(**data, place=None if place is None else PlaceRef.model_validate(place))


class ArticleLocationRead(ReadModel):
    id: str = Field(examples=["loc_0195c1a2b3c47d8e9f00112233445566"])
    name: str = Field(examples=["Izmail"])
    kind: str = Field(examples=["city"])
    country_code: str | None = Field(examples=["UA"])
    latitude: float | None
    longitude: float | None
    mentions: int = 1
    primary: bool = False


class ArticleBase(ReadModel):
    id: str = Field(examples=["art_0195c1a2b3c47d8e9f00112233445566"])
    title: str
    url: str | None
    source: SourceRef | None
    published_at: UtcDatetime | None
    language: str | None
    authors: list[str]
    read_time_minutes: int | None
    word_count: int
    locations: list[ArticleLocationRead]
    tags: list[str]
    created_at: UtcDatetime
    updated_at: UtcDatetime
    licence: str | None = Field(
        default=None,
        examples=["CC-BY-4.0"],
        description="Reuse licence: an SPDX expression or a URL (see `licence_from`).",
    )
    attribution: str | None = Field(
        default=None, examples=["© Danube Dispatch, reused under CC BY 4.0"]
    )
    licence_from: Literal["article", "source"] | None = Field(
        default=None,
        description="`article`: sent with the article; `source`: inherited from its source; "
        "null: no terms are known (docs/licence.md).",
    )


class ArticleRead(ArticleBase):
    """An article with its body, quotes and statistics."""

    body: str
    quotes: list[QuoteRead]
    statistics: list[StatisticRead]


class ArticleSummary(ArticleBase):
    """An article in a list. `body`, `quotes` and `statistics` appear only when asked for
    with `include=`."""

    quote_count: int
    statistic_count: int
    snippet: str | None = Field(
        default=None, description="With `q`: the passage that matched, hits in `<mark>`."
    )
    body: str | None = None
    quotes: list[QuoteRead] | None = None
    statistics: list[StatisticRead] | None = None


class ArticleRef(ReadModel):
    """The article an item comes from, as a list row shows it."""

    id: str = Field(examples=["art_0195c1a2b3c47d8e9f00112233445566"])
    title: str = Field(examples=["Drone strike sets grain terminal alight near Izmail"])
    source: SourceRef | None
    published_at: UtcDatetime | None


_ARTICLE_HELP = (
    "The item's article: id, title, source and `published_at`; with `include=article`, its "
    "whole summary (places with coordinates, tags, counts...)."
)


class QuoteHit(QuoteRead):
    """A quote in a list, with its article; `snippet` appears with `q`."""

    article: ArticleRef | ArticleSummary = Field(description=_ARTICLE_HELP)
    snippet: str | None = Field(default=None, description="With `q`: hits in `<mark>`.")


class StatisticHit(StatisticRead):
    """A statistic in a list, with its article; `snippet` appears with `q` (from its
    sentence)."""

    article: ArticleRef | ArticleSummary = Field(description=_ARTICLE_HELP)
    snippet: str | None = Field(default=None, description="With `q`: hits in `<mark>`.")


class ArticlePage(BaseModel):
    """A page of articles; `facets` appears when asked for with `facets=`."""

    data: list[ArticleSummary]
    next_cursor: str | None
    facets: dict[str, list[FacetBucket]] | None = facets_field()
    facets_sampled: bool | None = sampled_field("articles")
