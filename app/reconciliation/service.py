"""Estimates served: the list, one estimate, and the series that counts each thing once."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.reconciliation.grouping import month_after
from app.reconciliation.projection import registry_nature
from app.repositories import estimate_facets
from app.repositories import estimates as repo
from app.schemas.estimate import EstimateFilter, EstimateRead
from app.schemas.filters import SeriesFilter
from app.schemas.series import Series, SeriesPoint
from app.services.listing import ListEndpoint, one_or_404

SERIES_TOP = 5
STOCK_CURRENT_FOR = timedelta(days=92)
"""How long a stock stands as of later periods when no newer estimate of its place comes."""

ESTIMATES: ListEndpoint[EstimateFilter] = ListEndpoint(
    "estimates",
    EstimateRead,
    statement=lambda f, _dialect: repo.estimate_statement(f),
    render=lambda _session, rows, _: [EstimateRead.model_validate(r) for r in rows],
    facets=estimate_facets.facets,
)


def get_estimate(session: Session, estimate_id: str) -> EstimateRead:
    found = one_or_404(repo.get_estimate(session, estimate_id), "estimate", estimate_id)
    return EstimateRead.model_validate(found)


def _period_start(moment: datetime, interval: str) -> datetime:
    day = moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if interval == "week":
        return day - timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day


def _period_end(start: datetime, interval: str) -> datetime:
    if interval == "month":
        return month_after(start)
    return start + timedelta(days=7 if interval == "week" else 1)


def _point(period: datetime, chosen: list[Any]) -> SeriesPoint:
    """A point from its estimates' rows (series_rows): the sum of their `best`."""
    bests = [row[5] for row in chosen]
    top = heapq.nsmallest(SERIES_TOP, chosen, key=lambda row: (-row[5], row[6]))
    return SeriesPoint(
        period=period.date().isoformat(),
        count=len(chosen),
        min=min(bests),
        max=max(bests),
        sum=sum(bests),
        statistics=[row[7] for row in top],
        articles=[row[8] for row in top],
    )


def _events(rows: Iterable[Any], interval: str) -> list[SeriesPoint]:
    by_period: dict[datetime, list[Any]] = {}
    for row in rows:
        by_period.setdefault(_period_start(row[0], interval), []).append(row)
    return [_point(p, by_period[p]) for p in sorted(by_period)]


def _without_covered(latest: dict[str, Any]) -> list[Any]:
    """A country's stock covers its places: their own stocks are not added on top of it."""
    countries = {row[2] for row in latest.values() if _is_country(row)}
    return [row for row in latest.values() if _is_country(row) or row[2] not in countries]


def _is_country(row: Any) -> bool:
    # a place in the directory of kind country, or a country named but not in the directory
    return bool(row[2]) and (row[3] == "country" or row[1] is None)


def _stocks(rows: list[Any], interval: str, start: datetime | None) -> list[SeriesPoint]:
    periods = sorted({_period_start(row[0], interval) for row in rows})
    if start is not None:
        periods = [p for p in periods if _period_end(p, interval) > start]
    points: list[SeriesPoint] = []
    latest: dict[str, Any] = {}
    i = 0
    for p in periods:
        end = _period_end(p, interval)
        while i < len(rows) and rows[i][0] < end:
            row = rows[i]  # rows come by time: a later one replaces
            latest[row[1] or f"name:{row[9]}"] = row
            i += 1
        current = {k: r for k, r in latest.items() if r[0] >= end - STOCK_CURRENT_FOR}
        if current:
            points.append(_point(p, _without_covered(current)))
    return points


def series(session: Session, f: SeriesFilter) -> Series:
    """The series over estimates: an event metric's points sum each period's estimates'
    `best` (each incident once); a cumulative metric's points add, per place, the latest
    estimate as of the period's end, if at most STOCK_CURRENT_FOR old (a stock is never
    summed over its reports), a country's stock standing for the places in it."""
    metric = f.metric.lower()
    nature = registry_nature(metric)
    places: list[str] | None = None
    if f.location_id:
        places = [f.location_id]
    elif f.location:
        places = repo.location_ids_named(session, f.location)
    rows = [
        row
        for row in repo.series_rows(
            session,
            metric,
            f.unit.lower() if f.unit else None,
            places,
            f.published_from,
            f.published_to,
        )
        if row[4] == nature
    ]
    data = (
        _stocks(rows, f.interval, f.published_from)
        if nature == "cumulative"
        else (_events(rows, f.interval))
    )
    return Series(
        metric=metric,
        interval=f.interval,
        basis="estimates",
        unit=f.unit,
        location=f.location,
        data=data,
    )
