"""Query-parameter models: one per list, passed whole from router to repository.

One grammar on every list: a filter that names things takes several values, as a repeated
parameter or a comma list (`metric=killed&metric=injured` = `metric=killed,injured`), and
matches any of them; filters combine with AND. Every list takes `ids=` (up to 100) and
`updated_since=`. An enum value it does not know (metric, kind, qualifier, sort, facet,
include) is a 422 whose message lists the allowed values."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from app.core.normalise import name_key
from app.extraction.lexicon.titles import ROLE_WORDS
from app.schemas.common import Kind, MetricName, Qualifier, UtcDatetime, metric_help, ordered
from app.search.syntax import Query, QuerySyntaxError
from app.search.syntax import parse as parse_query

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Country = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z]{2}$")
]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]

MAX_VALUES = 100


def _values(raw: Any) -> Any:
    """Repeated parameters and comma lists as one list of distinct values, in order."""
    if raw is None:
        return None
    items = raw if isinstance(raw, list | tuple) else [raw]
    out: list[Any] = []
    for item in items:
        parts = item.split(",") if isinstance(item, str) else [item]
        out.extend(p.strip() if isinstance(p, str) else p for p in parts)
    values = list(dict.fromkeys(v for v in out if v != ""))
    if not values:
        raise ValueError("give at least one value")
    return values


_Many = BeforeValidator(_values)
_AtMost = Field(max_length=MAX_VALUES)
Names = Annotated[list[Name], _Many, _AtMost]
Ids = Annotated[list[Id], _Many, _AtMost]
Countries = Annotated[list[Country], _Many, _AtMost]
Shorts = Annotated[list[Short], _Many, _AtMost]
Kinds = Annotated[list[Kind], _Many, _AtMost]
Qualifiers = Annotated[list[Qualifier], _Many, _AtMost]
Metrics = Annotated[list[MetricName], _Many, _AtMost]

_SEVERAL = " Several values: repeat the parameter or separate them by commas (any matches)."


def several(text: str) -> str:
    """A filter's description, with the one sentence on several values."""
    return text + _SEVERAL


def lowered(values: list[str] | None) -> list[str] | None:
    return None if values is None else [v.lower() for v in values]


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


class Selection(ListParams):
    """What every list takes to fetch known rows, or what changed, in few requests."""

    ids: Ids | None = Field(
        default=None,
        description=several(f"Only the rows with these ids (at most {MAX_VALUES})."),
    )
    updated_since: UtcDatetime | None = Field(
        default=None,
        description=(
            "Only rows created or changed at or after this time (RFC 3339; each row's "
            "`updated_at` for articles). A mirror passes the time it last synced."
        ),
        examples=["2026-11-01T00:00:00Z"],
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


class NameSearch(BaseModel):
    """`q` on a directory: every word a prefix of a word of the name or of an alias; titles
    and role words are ignored ("Defense Minister Rustem Umerov" finds Rustem Umerov)."""

    q: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
        | None
    ) = Field(
        default=None,
        description=(
            "Find by name or alias: each word is a prefix of a word of the name "
            '(`umer` finds "Rustem Umerov"); titles and role words are ignored '
            '("Defense Minister Rustem Umerov" finds Rustem Umerov).'
        ),
        examples=["umer"],
    )

    def q_words(self) -> list[str]:
        """The query's name words: normalised, titles and role words dropped (unless that
        would leave none)."""
        words = name_key(self.q or "").replace("'", " ").split()
        named = [w for w in words if w not in ROLE_WORDS]
        return named or words


class PublishedRange(BaseModel):
    published_from: UtcDatetime | None = Field(
        default=None, description="Published at or after (RFC 3339)."
    )
    published_to: UtcDatetime | None = Field(
        default=None, description="Published before (RFC 3339, exclusive)."
    )

    @model_validator(mode="after")
    def _range(self) -> PublishedRange:
        ordered(self, "published_from", "published_to")
        return self


class Faceted(BaseModel):
    """`facets=` and `include=` as lists; each list declares what it allows."""

    def facet_names(self) -> list[str]:
        return list(getattr(self, "facets", None) or [])

    def includes(self) -> set[str]:
        return set(getattr(self, "include", None) or [])


def _facet_help(names: tuple[str, ...], extra: str = "") -> str:
    return several(
        "Counts to return with the page, for the whole filtered result: "
        + ", ".join(f"`{f}`" for f in names)
        + "."
        + extra
    )


FACETS = ("source", "location", "country", "speaker", "metric", "language", "tag", "month")
ArticleFacet = Literal[
    "source", "location", "country", "speaker", "metric", "language", "tag", "month"
]
QUOTE_FACETS = ("speaker", "kind", "source", "location", "country", "month")
QuoteFacet = Literal["speaker", "kind", "source", "location", "country", "month"]
STATISTIC_FACETS = ("metric", "unit", "qualifier", "source", "location", "country", "month")
StatisticFacet = Literal["metric", "unit", "qualifier", "source", "location", "country", "month"]

_SOURCE = several("Publisher name, case-insensitive.")
_SOURCE_ID = several("Publisher id.")
_SPEAKER = several("Speaker name or alias, case-insensitive (`Umerov` finds Rustem Umerov).")
_SPEAKER_ID = several("Speaker id.")
_LOCATION_ID = several("Location id.")


class ArticleFilter(Selection, PublishedRange, Searchable, Faceted):
    source: Names | None = Field(default=None, description=_SOURCE)
    source_id: Ids | None = Field(default=None, description=_SOURCE_ID)
    language: Shorts | None = Field(
        default=None, examples=["en"], description=several("Language code of the article.")
    )
    speaker: Names | None = Field(default=None, description=_SPEAKER)
    speaker_id: Ids | None = Field(default=None, description=_SPEAKER_ID)
    location: Names | None = Field(
        default=None, description=several("Name of a place the article mentions.")
    )
    location_id: Ids | None = Field(default=None, description=_LOCATION_ID)
    country: Countries | None = Field(
        default=None, description=several("ISO 3166-1 alpha-2 code of a place mentioned.")
    )
    tag: Shorts | None = Field(
        default=None, description=several("Articles carrying this tag."), examples=["energy"]
    )
    has_quotes: bool | None = Field(
        default=None, description="Only articles with (or without) quotes."
    )
    has_statistics: bool | None = Field(
        default=None, description="Only articles with (or without) statistics."
    )
    include: Annotated[list[Literal["body", "quotes", "statistics"]], _Many] | None = Field(
        default=None,
        description=several("Extras to embed in each item: `body`, `quotes`, `statistics`."),
        examples=["quotes,statistics"],
    )
    facets: Annotated[list[ArticleFacet], _Many] | None = Field(
        default=None, description=_facet_help(FACETS), examples=["source,location,month"]
    )


class ItemFilter(Selection, PublishedRange, Searchable, Faceted):
    """What quotes and statistics filter on alike: their article's source and dates."""

    source: Names | None = Field(default=None, description=_SOURCE)
    source_id: Ids | None = Field(default=None, description=_SOURCE_ID)
    article_id: Ids | None = Field(default=None, description=several("Items of these articles."))
    include: Annotated[list[Literal["article"]], _Many] | None = Field(
        default=None,
        description=(
            "`article`: each item's `article` is the article's whole summary (places with "
            "coordinates, tags, counts...) instead of its id, title, source and date."
        ),
        examples=["article"],
    )


class QuoteFilter(ItemFilter):
    speaker: Names | None = Field(default=None, description=_SPEAKER)
    speaker_id: Ids | None = Field(default=None, description=_SPEAKER_ID)
    kind: Kinds | None = Field(
        default=None,
        description=several("`direct` (in quotation marks) or `indirect` (reported)."),
    )
    location: Names | None = Field(
        default=None, description=several("Name of a place the quote's article mentions.")
    )
    location_id: Ids | None = Field(
        default=None, description=several("Id of a place the quote's article mentions.")
    )
    country: Countries | None = Field(
        default=None,
        description=several("ISO 3166-1 alpha-2 code of a place the quote's article mentions."),
    )
    facets: Annotated[list[QuoteFacet], _Many] | None = Field(
        default=None,
        description=_facet_help(
            QUOTE_FACETS, " Counts are of quotes; places and months are their articles'."
        ),
        examples=["speaker,month"],
    )


class StatisticFilter(ItemFilter):
    metric: Metrics | None = Field(
        default=None,
        examples=["killed"],
        description=several("What is counted, one of the metric registry's names:")
        + "\n\n"
        + metric_help(),
    )
    unit: Shorts | None = Field(
        default=None,
        examples=["people"],
        description=several(
            "people, percent, usd, years...: a unit no stored figure has is a 422 listing "
            "the stored ones."
        ),
    )
    qualifier: Qualifiers | None = Field(
        default=None, description=several("How the figure is qualified.")
    )
    location: Names | None = Field(
        default=None, description=several("Name of the figure's place, case-insensitive.")
    )
    location_id: Ids | None = Field(default=None, description=several("Id of the figure's place."))
    country: Countries | None = Field(
        default=None, description=several("ISO 3166-1 alpha-2 code of the figure's place.")
    )
    value_min: float | None = Field(default=None, description="Smallest value (inclusive).")
    value_max: float | None = Field(default=None, description="Largest value (inclusive).")
    facets: Annotated[list[StatisticFacet], _Many] | None = Field(
        default=None,
        description=_facet_help(
            STATISTIC_FACETS,
            " Counts are of figures; places are the figures' own, months their articles'.",
        ),
        examples=["metric,country,month"],
    )
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
        ordered(self, "reference_from", "reference_to")
        ordered(self, "value_min", "value_max", "smaller than")
        return self


class SpeakerFilter(Selection, NameSearch):
    name: Names | None = Field(
        default=None, description=several("Name or alias, case-insensitive, whole.")
    )
    include_descriptions: bool = Field(
        default=False,
        description="Also list speakers that are descriptions rather than names "
        '("local officials", "a senior UN official"); they are always on their quotes.',
    )
    sort: Literal["name", "quote_count", "latest_quote"] = Field(
        default="name",
        description=(
            "`name` (alphabetical), `quote_count` (most quoted first) or `latest_quote` "
            "(most recently quoted first, by the article's date)."
        ),
    )


class SourceFilter(Selection, NameSearch):
    name: Names | None = Field(
        default=None, description=several("Publisher name, case-insensitive.")
    )
    domain: (
        Annotated[list[Annotated[str, StringConstraints(max_length=255)]], _Many, _AtMost] | None
    ) = Field(
        default=None,
        description=several("Publisher web domain."),
        examples=["meridianwire.example"],
    )


class LocationFilter(Selection, NameSearch):
    name: Names | None = Field(default=None, description=several("Place name, case-insensitive."))
    country: Countries | None = Field(
        default=None, description=several("ISO 3166-1 alpha-2 country code."), examples=["UA"]
    )
    kind: Shorts | None = Field(
        default=None, description=several("city, region, country, sea..."), examples=["city"]
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
        default="estimates",
        description=(
            "`estimates` (the default): each quantity once (`GET /v1/estimates`), bucketed by "
            "the time it refers to (`published_from`/`published_to` then bound that time): an "
            "event metric sums the estimates' `best`, a cumulative one adds the latest "
            "estimate per place as of each period. `reports`: every figure as reported, "
            "bucketed by publication (a repeated figure counts each time)."
        ),
    )
