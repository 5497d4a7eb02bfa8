"""Statistics: the list (with search), one figure, and the series of a metric over time."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.models import Statistic
from app.reconciliation import service as reconciliation
from app.repositories import statistics as repo
from app.schemas.article import Series, SeriesPoint, StatisticHit, StatisticRead
from app.schemas.filters import SeriesFilter, StatisticFilter
from app.search.snippets import snippet
from app.search.syntax import Query
from app.services.listing import ListEndpoint, one_or_404


def get_statistic(session: Session, statistic_id: str) -> StatisticRead:
    return StatisticRead.model_validate(
        one_or_404(repo.get_statistic(session, statistic_id), "statistic", statistic_id)
    )


def get_series(session: Session, filters: SeriesFilter) -> Series:
    """Per period of the interval: count, min, max, sum and the largest figures' ids."""
    if filters.basis == "estimates":
        return reconciliation.series(session, filters)
    points, top = repo.series(session, filters)
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


def _hits(rows: list[Statistic], query: Query | None) -> list[StatisticHit]:
    hits = [StatisticHit.model_validate(s) for s in rows]
    if query is not None:
        for hit, s in zip(hits, rows, strict=True):
            hit.snippet = snippet(s.sentence or s.text, query)
    return hits


def _render(_session: Any, rows: list[Any], filters: StatisticFilter) -> list[StatisticHit]:
    return _hits(rows, filters.parsed())


STATISTICS = ListEndpoint(
    "statistics", StatisticHit, repo.statistic_statement, _render, repo.statistic_page
)
