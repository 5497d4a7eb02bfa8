"""/v1/statistics: the figures articles report, their list and their series."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.api.deps import ListsDep, ReadKey, SessionDep, StatisticId
from app.api.listing import get_route, list_route
from app.schemas.article import Series, StatisticHit, StatisticRead
from app.schemas.filters import SeriesFilter, StatisticFilter
from app.services import statistics as service

router = APIRouter(prefix="/statistics", tags=["statistics"])


@router.get("", **list_route(StatisticHit, "List statistics", exclude_unset=True))
def list_statistics(
    filters: Annotated[StatisticFilter, Query()], lists: ListsDep, _: ReadKey
) -> Any:
    """Figures reported in articles, newest article first. Filter by `metric` (`killed`,
    `injured`, `displaced_internal`...), `unit`, place (`location` name or `location_id`),
    a value range and the article's publication dates. `q` searches the figure's sentence.

    For a chart of one metric over time use `GET /v1/statistics/series`."""
    return lists.serve(service.STATISTICS, filters)


@router.get("/series", **get_route(Series, "Chart a metric over time", 400, 422))
def get_series(
    filters: Annotated[SeriesFilter, Query()], session: SessionDep, _: ReadKey
) -> Series:
    """The figures reported for one metric (optionally one unit and place), bucketed by day,
    week or month of the article's publication: count, min, max and sum per bucket, and the
    ids of the largest figures and their articles so every point can be traced to its
    source. What a dashboard charts."""
    return service.get_series(session, filters)


@router.get("/{statistic_id}", **get_route(StatisticRead, "Get a statistic"))
def get_statistic(statistic_id: StatisticId, session: SessionDep, _: ReadKey) -> StatisticRead:
    """One figure: value (and upper bound for ranges), unit, metric, qualifier, the place and
    who it is attributed to, and its span in the article body."""
    return service.get_statistic(session, statistic_id)
