"""/v1/statistics: the figures articles report, their list and their series."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.api.deps import ReadKey, ReadListsDep, SessionDep, StatisticId
from app.api.listing import ListRoute, get_route, list_route
from app.schemas.article import StatisticHit
from app.schemas.filters import SeriesFilter, StatisticFilter
from app.schemas.series import Series
from app.services import statistics as service

router = APIRouter(prefix="/statistics", tags=["statistics"], route_class=ListRoute)


@router.get("", **list_route(StatisticHit, "List statistics", exclude_unset=True, faceted=True))
async def list_statistics(
    filters: Annotated[StatisticFilter, Query()], lists: ReadListsDep, _: ReadKey
) -> Any:
    """Figures reported in articles, newest article first, each with its place (`place`:
    country and coordinates) and its article's id, title, source and `published_at`
    (`include=article`: the article's whole summary).

    Filter by `metric` (`killed`, `injured`, `displaced_internal`...), `unit`, `qualifier`,
    the figure's place (`location`, `location_id`, `country`), the article's `source` and
    publication dates, and a value range. Every name, id or enum filter takes several values
    (`metric=killed&metric=injured` or `metric=killed,injured`: any of them); an unknown
    metric, qualifier or unit is a 422 listing the allowed values. `ids=` fetches up to 100
    known figures, `updated_since=` what changed. `q` searches the figure's sentence.
    `facets=` adds counts over the whole filtered result (`metric`, `unit`, `qualifier`,
    `source`, `location`, `country`, `month`), shaped as the article facets.

    For a chart of one metric over time use `GET /v1/statistics/series`."""
    return await lists.serve(service.STATISTICS, filters)


@router.get("/series", **get_route(Series, "Chart a metric over time", 400, 422))
def get_series(
    filters: Annotated[SeriesFilter, Query()], session: SessionDep, _: ReadKey
) -> Series:
    """One metric (optionally one unit and place) bucketed by day, week or month: count, min,
    max and sum per bucket, and the ids of the largest figures and their articles so every
    point can be traced to its source. By default (`basis=estimates`) each quantity counts
    once, in the period it refers to: an event metric sums its estimates' `best`, a
    cumulative one adds the latest estimate per place. `basis=reports` counts every figure as
    reported, in the period of its article's publication."""
    return service.get_series(session, filters)


@router.get(
    "/{statistic_id}",
    **get_route(StatisticHit, "Get a statistic"),
    response_model_exclude_unset=True,
)
def get_statistic(statistic_id: StatisticId, session: SessionDep, _: ReadKey) -> StatisticHit:
    """One figure: value (and upper bound for ranges), unit, metric, qualifier, the place
    (with country and coordinates) and who it is attributed to, its span in the article
    body, and its article (id, title, source, `published_at`), as lists show it."""
    return service.get_statistic(session, statistic_id)
