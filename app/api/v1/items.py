"""/v1/quotes and /v1/statistics: first-class lists of what articles say and report."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.api.deps import (
    CodecDep,
    DatabaseDep,
    QuoteId,
    ReadKey,
    SessionDep,
    StatisticId,
)
from app.api.listing import Listing, export_responses, serve_list
from app.core.errors import NotFound
from app.repositories import items as items_repo
from app.schemas.article import (
    QuoteHit,
    QuoteRead,
    Series,
    SeriesPoint,
    StatisticHit,
    StatisticRead,
)
from app.schemas.common import READ_PROBLEMS, Page, problems
from app.schemas.filters import QuoteFilter, SeriesFilter, StatisticFilter
from app.services.views import quote_hits, quote_read, statistic_hits, statistic_read

quotes = APIRouter(prefix="/quotes", tags=["quotes"])
statistics = APIRouter(prefix="/statistics", tags=["statistics"])

QUOTES = Listing(
    "quotes",
    QuoteHit,
    items_repo.quote_page,
    items_repo.quote_statement,
    lambda _session, rows, f: quote_hits(rows, f.parsed()),
)
STATISTICS = Listing(
    "statistics",
    StatisticHit,
    items_repo.statistic_page,
    items_repo.statistic_statement,
    lambda _session, rows, f: statistic_hits(rows, f.parsed()),
)


@quotes.get(
    "",
    response_model=Page[QuoteHit],
    response_model_exclude_unset=True,
    summary="List quotes",
    responses={**export_responses(QuoteRead), **problems(400, 422, *READ_PROBLEMS)},
)
def list_quotes(
    filters: Annotated[QuoteFilter, Query()],
    request: Request,
    response: Response,
    session: SessionDep,
    codec: CodecDep,
    database: DatabaseDep,
    _: ReadKey,
) -> Any:
    """Quotes across articles, newest article first. `speaker` matches a speaker's name or any
    known alias case-insensitively (`speaker=Umerov` finds Rustem Umerov); `kind` is `direct`
    (in quotation marks) or `indirect` (reported speech). `q` searches the quoted words and
    the speaker's name and role (same syntax as for articles)."""
    return serve_list(QUOTES, filters, request, response, session, codec, database)


@quotes.get(
    "/{quote_id}",
    response_model=QuoteRead,
    summary="Get a quote",
    responses=problems(404, 422, *READ_PROBLEMS),
)
def get_quote(
    quote_id: QuoteId,
    session: SessionDep,
    _: ReadKey,
) -> QuoteRead:
    """One quote with its speaker (name and the role given in that article) and its span in
    the article body."""
    quote = items_repo.get_quote(session, quote_id)
    if quote is None:
        raise NotFound(f"No quote with id {quote_id}.")
    return quote_read(quote)


@statistics.get(
    "",
    response_model=Page[StatisticHit],
    response_model_exclude_unset=True,
    summary="List statistics",
    responses={**export_responses(StatisticRead), **problems(400, 422, *READ_PROBLEMS)},
)
def list_statistics(
    filters: Annotated[StatisticFilter, Query()],
    request: Request,
    response: Response,
    session: SessionDep,
    codec: CodecDep,
    database: DatabaseDep,
    _: ReadKey,
) -> Any:
    """Figures reported in articles, newest article first. Filter by `metric` (`killed`,
    `injured`, `displaced_internal`...), `unit`, place (`location` name or `location_id`),
    a value range and the article's publication dates. `q` searches the figure's sentence.

    For a chart of one metric over time use `GET /v1/statistics/series`."""
    return serve_list(STATISTICS, filters, request, response, session, codec, database)


@statistics.get(
    "/series",
    response_model=Series,
    summary="Chart a metric over time",
    responses=problems(400, 422, *READ_PROBLEMS),
)
def get_series(
    filters: Annotated[SeriesFilter, Query()], session: SessionDep, _: ReadKey
) -> Series:
    """The figures reported for one metric (optionally one unit and place), bucketed by day,
    week or month of the article's publication: count, min, max and sum per bucket, and the
    ids of the largest figures and their articles so every point can be traced to its
    source. What a dashboard charts."""
    points, top = items_repo.series(session, filters)
    return Series(
        metric=filters.metric.lower(),
        interval=filters.interval,
        unit=filters.unit,
        location=filters.location,
        data=[
            SeriesPoint(
                period=str(period),
                count=count,
                min=lo,
                max=hi,
                sum=total,
                statistics=[sid for sid, _ in top.get(period, [])],
                articles=[aid for _, aid in top.get(period, [])],
            )
            for period, count, lo, hi, total in points
        ],
    )


@statistics.get(
    "/{statistic_id}",
    response_model=StatisticRead,
    summary="Get a statistic",
    responses=problems(404, 422, *READ_PROBLEMS),
)
def get_statistic(
    statistic_id: StatisticId,
    session: SessionDep,
    _: ReadKey,
) -> StatisticRead:
    """One figure: value (and upper bound for ranges), unit, metric, qualifier, the place and
    who it is attributed to, and its span in the article body."""
    stat = items_repo.get_statistic(session, statistic_id)
    if stat is None:
        raise NotFound(f"No statistic with id {statistic_id}.")
    return statistic_read(stat)
