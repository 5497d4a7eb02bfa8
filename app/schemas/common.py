"""Shared wire types: problems, the list envelope, figures and timestamps."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
)

from app.extraction.lexicon import metrics as metric_registry

T = TypeVar("T")


def same_named(obj: Any, *names: str) -> dict[str, Any]:
    """`obj`'s attributes of these names, as keyword arguments of a schema."""
    return {name: getattr(obj, name) for name in names}


def strict_example(example: dict[str, Any]) -> ConfigDict:
    """A request body's config: unknown fields refused, `example` shown in the OpenAPI
    document."""
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [example]})


def _to_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _rfc3339(value: datetime) -> str:
    return _to_utc(value).isoformat().replace("+00:00", "Z")


UtcDatetime = Annotated[
    datetime,
    AfterValidator(_to_utc),
    PlainSerializer(_rfc3339, return_type=str, when_used="json"),
]
"""A timestamp: naive input is taken as UTC; output is RFC 3339 in UTC (`...Z`)."""


def _compact_number(value: float | int) -> float | int:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


Figure = Annotated[int | float, AfterValidator(_compact_number)]
"""A JSON number; whole values are written without a fractional part (14, not 14.0)."""

METRIC_NAMES: tuple[str, ...] = metric_registry.names()


def _known_metric(value: str) -> str:
    """A metric must be one of the registry's (`app/extraction/lexicon/metrics.py`)."""
    if "\x00" in value:
        raise ValueError("must not contain the NUL character (U+0000)")
    if metric_registry.get(value) is None:
        raise ValueError(f"unknown metric {value!r}; allowed: {', '.join(METRIC_NAMES)}")
    return value


MetricName = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64),
    AfterValidator(_known_metric),
    Field(json_schema_extra={"enum": list(METRIC_NAMES)}),
]
"""A metric of the registry; any other value is a 422 that lists the allowed ones."""


def metric_help() -> str:
    """One line per metric, for parameter descriptions: `name` (class, nature): description."""
    return "\n".join(
        f"* `{m.name}` ({m.metric_class}, {m.nature}): {m.description}"
        for m in metric_registry.METRICS
    )


def ordered(model: BaseModel, low: str, high: str, word: str = "before") -> None:
    """Refuse a range whose `high` end, when both ends are given, is below its `low` end."""
    lo, hi = getattr(model, low), getattr(model, high)
    if lo is not None and hi is not None and hi < lo:
        raise ValueError(f"`{high}` must not be {word} `{low}`")


class Kind(StrEnum):
    direct = "direct"
    indirect = "indirect"


class Qualifier(StrEnum):
    exact = "exact"
    approximately = "approximately"
    over = "over"
    at_least = "at_least"
    nearly = "nearly"
    up_to = "up_to"
    vague = "vague"


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class FieldError(BaseModel):
    loc: list[str | int] = Field(description="Path to the offending field.")
    msg: str
    type: str


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = Field(examples=["https://conflict-news.example/problems/not-found"])
    title: str = Field(examples=["Resource not found"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["No article with id art_0195c1a2b3c47d8e9f00112233445566."])
    instance: str = Field(examples=["/v1/articles/art_0195c1a2b3c47d8e9f00112233445566"])
    errors: list[FieldError] | None = Field(
        default=None, description="Field errors, for validation problems."
    )


class Page(BaseModel, Generic[T]):
    """The list envelope shared by every list endpoint."""

    data: list[T]
    next_cursor: str | None = Field(
        description="Opaque cursor for the next page; null on the last page."
    )


class FacetBucket(BaseModel):
    value: str | None = Field(description="What is counted: an id, a code, a month...")
    label: str | None = Field(description="Its display name.")
    count: int


def facets_field() -> Any:
    """The `facets` field of a page."""
    return Field(
        default=None, description="Counts over the whole filtered result (not just this page)."
    )


def sampled_field(what: str) -> Any:
    """The `facets_sampled` field of a page of `what` (rows, articles)."""
    return Field(
        default=None,
        description=(
            f"True when more than 1,000 {what} matched: the counts are then over the newest "
            "1,000 of them."
        ),
    )


class FacetedPage(Page[T], Generic[T]):
    """A page of a list; `facets` appears when asked for with `facets=`."""

    facets: dict[str, list[FacetBucket]] | None = facets_field()
    facets_sampled: bool | None = sampled_field("rows")


_PROBLEM_TEXT = {
    400: "Malformed request (bad JSON, bad cursor, bad parameter combination).",
    401: "No API key, or an unknown or revoked one (see `WWW-Authenticate`).",
    403: "The API key lacks the scope this operation needs.",
    404: "No such resource.",
    405: "Method not allowed on this path.",
    409: "Conflicts with an existing resource.",
    412: "The `If-Match` precondition failed.",
    413: "Request body too large.",
    415: "Unsupported content type.",
    422: "The request was well-formed but failed validation; see `errors`.",
    429: "Rate limit exceeded; retry after `Retry-After` seconds.",
    501: "Not implemented.",
}


READ_PROBLEMS = (401, 403, 429)
WRITE_PROBLEMS = (401, 403, 429)


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for the problems an operation can return."""
    return {
        code: {
            "model": Problem,
            "description": _PROBLEM_TEXT.get(code, "Problem"),
            # The schema on the media type actually sent, so generated clients parse it.
            "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
        for code in codes
    }
