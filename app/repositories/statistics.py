"""Statistic queries and the figure series (the daily rollup plus partial days)."""

from __future__ import annotations

import heapq
import json
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from itertools import chain
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, Text, func, select
from sqlalchemy.orm import Session

from app.core.normalise import name_key
from app.core.pagination import CursorCodec, PageResult, keyset_page
from app.models import Article, Location, Statistic, StatisticDaily
from app.models.rollup import ALL_PLACES
from app.repositories import common, dates
from app.repositories.common import dialect_of, list_scope
from app.schemas.filters import (
    SeriesFilter,
    StatisticFilter,
)
from app.search import engine as search


def get_statistic(session: Session, statistic_id: str) -> Statistic | None:
    return session.get(Statistic, statistic_id)


def _series_conditions(f: SeriesFilter) -> list[ColumnElement[bool]]:
    """What the series filters figures on: metric, unit, place."""
    conds: list[ColumnElement[bool]] = [Statistic.metric == f.metric.lower()]
    if f.unit:
        conds.append(Statistic.unit == f.unit.lower())
    if f.location:
        conds.append(
            Statistic.location_id.in_(
                select(Location.id).where(Location.name_key == name_key(f.location))
            )
        )
    if f.location_id:
        conds.append(Statistic.location_id == f.location_id)
    return conds


def statistic_conditions(f: StatisticFilter) -> list[ColumnElement[bool]]:
    """Every filter of the statistics list but the search."""
    conds = common.selection(f, Statistic.id, Statistic.updated_at)
    if f.metric:
        conds.append(Statistic.metric.in_([m.lower() for m in f.metric]))
    if f.unit:
        conds.append(Statistic.unit.in_([u.lower() for u in f.unit]))
    if f.qualifier:
        conds.append(Statistic.qualifier.in_([q.value for q in f.qualifier]))
    places = common.location_ids(f.location, f.location_id, f.country)
    if places is not None:
        conds.append(Statistic.location_id.in_(places))
    if f.article_id:
        conds.append(Statistic.article_id.in_(f.article_id))
    if f.value_min is not None:
        conds.append(Statistic.value >= f.value_min)
    if f.value_max is not None:
        conds.append(Statistic.value <= f.value_max)
    if f.nature:
        conds.append(Statistic.nature == f.nature)
    if f.reference_from:
        conds.append(Statistic.reference_time >= f.reference_from)
    if f.reference_to:
        conds.append(Statistic.reference_time < f.reference_to)
    on_article = common.article_conditions(f, common.source_ids(f.source, f.source_id))
    if on_article:
        conds.append(Statistic.article_id.in_(select(Article.id).where(*on_article)))
    return conds


ORDER = (Statistic.sort_at.desc(), Statistic.id.desc())


def statistic_statement(
    f: StatisticFilter, dialect: str, plan: search.Plan | None = None
) -> Select[Statistic]:
    stmt = select(Statistic).where(*statistic_conditions(f))
    return common.ordered(stmt, f, dialect, "statistic", ORDER, Statistic.id, plan)


def known_units(session: Session | Connection, units: list[str]) -> set[str]:
    """Which of these units some stored figure has (the unit index)."""
    return set(session.scalars(select(Statistic.unit).where(Statistic.unit.in_(units)).distinct()))


def stored_units(session: Session | Connection, limit: int = 200) -> list[str]:
    """The units stored figures have, alphabetically (for the error listing them)."""
    return list(
        session.scalars(select(Statistic.unit).distinct().order_by(Statistic.unit).limit(limit))
    )


def statistic_page(session: Session, f: StatisticFilter, codec: CursorCodec) -> PageResult:
    return keyset_page(
        session,
        statistic_statement(
            f, dialect_of(session), common.search_plan(session, f, "statistic", f.limit)
        ),
        codec=codec,
        scope=list_scope("statistics", f),
        limit=f.limit,
        cursor=f.cursor,
    )


SERIES_TOP = 5
SERIES_MAX_POINTS = 2000

SeriesPoints = tuple[list[Any], dict[str, list[tuple[str, str]]]]


def series(session: Session, f: SeriesFilter) -> SeriesPoints:
    """Per period: (period, count, min, max, sum) rows, and the top statistics (largest
    values first, as (statistic_id, article_id)) of each period.

    Whole UTC days come from the daily rollup (`statistic_daily`, one row per day instead of
    one per figure); the figures of a partial first or last day (bounds off midnight) from
    `statistic`, so every answer is exact and reads at most two days of figures."""
    start, end = f.published_from, f.published_to
    first, last = _whole_days(start, end)
    if start and end and first and last and first >= last:
        # No whole day in [start, end): only its figures, of at most two partial days.
        return _fold(_figure_days(session, f, start, end), f.interval)
    parts = [_rollup_days(session, f, first, last)]
    if start and first and start < first:
        parts.append(_figure_days(session, f, start, first))
    if end and last and last < end:
        parts.append(_figure_days(session, f, last, end))
    return _fold(chain.from_iterable(parts), f.interval)


# One day's share of a point: (day 'YYYY-MM-DD', count, min, max, sum, top triples).
_Day = tuple[str, int, Any, Any, Any, list[Any]]


def _midnight(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def _whole_days(
    start: datetime | None, end: datetime | None
) -> tuple[datetime | None, datetime | None]:
    """The midnights that bound the whole days of [start, end): start rounded up, end down."""
    first = None
    if start is not None:
        first = _midnight(start)
        if first < start:
            first += timedelta(days=1)
    return first, (_midnight(end) if end is not None else None)


def _rollup_days(
    session: Session, f: SeriesFilter, first: datetime | None, last: datetime | None
) -> Iterable[_Day]:
    d = StatisticDaily
    conds: list[ColumnElement[bool]] = [d.metric == f.metric.lower()]
    if f.unit:
        conds.append(d.unit == f.unit.lower())
    if f.location:
        conds.append(
            d.location_id.in_(select(Location.id).where(Location.name_key == name_key(f.location)))
        )
    if f.location_id:
        conds.append(d.location_id == f.location_id)
    if not f.location and not f.location_id:
        conds.append(d.location_id == ALL_PLACES)
    if first is not None:
        conds.append(d.day >= first.date().isoformat())
    if last is not None:
        conds.append(d.day < last.date().isoformat())
    # The tops as text, parsed in one go: per-row JSON decoding costs more than the query.
    rows = session.execute(
        select(d.day, d.count, d.min, d.max, d.sum, d.top.cast(Text)).where(*conds)
    ).all()
    tops = json.loads("[" + ",".join(row[5] for row in rows) + "]")
    return [(*row[:5], top) for row, top in zip(rows, tops, strict=True)]


def _figure_days(session: Session, f: SeriesFilter, start: datetime, end: datetime) -> list[_Day]:
    """Figures of [start, end) (at most two partial days), each as a day of its own."""
    rows = session.execute(
        select(Statistic.sort_at, Statistic.value, Statistic.id, Statistic.article_id).where(
            *_series_conditions(f), Statistic.sort_at >= start, Statistic.sort_at < end
        )
    )
    return [
        (sort_at.astimezone(UTC).date().isoformat(), 1, value, value, value, [[value, sid, aid]])
        for sort_at, value, sid, aid in rows
    ]


def _period_of(interval: str) -> Callable[[str], str]:
    """'YYYY-MM-DD' of a day -> the same for the start of its day, week (Monday) or month."""
    if interval == "day":
        return lambda day: day
    if interval == "month":
        return lambda day: day[:8] + "01"
    starts: dict[str, str] = {}

    def week(day: str) -> str:
        start = starts.get(day)
        if start is None:
            d = date.fromisoformat(day)
            start = starts[day] = (d - timedelta(days=d.weekday())).isoformat()
        return start

    return week


def _fold(days: Iterable[_Day], interval: str) -> SeriesPoints:
    """Add the days up per period: counts and sums add, min/max compare, and the top of a
    period is the top of its days' tops."""
    period_of = _period_of(interval)
    acc: dict[str, list[Any]] = {}
    for day, count, low, high, total, top in days:
        p = period_of(day)
        a = acc.get(p)
        if a is None:
            acc[p] = [count, low, high, total, list(top)]
        else:
            a[0] += count
            a[1] = low if low < a[1] else a[1]
            a[2] = high if high > a[2] else a[2]
            a[3] += total
            a[4].extend(top)
    points: list[Any] = []
    tops: dict[str, list[tuple[str, str]]] = {}
    for p in sorted(acc)[:SERIES_MAX_POINTS]:
        count, low, high, total, top = acc[p]
        points.append((p, count, low, high, total))
        tops[p] = [(sid, aid) for _, sid, aid in heapq.nsmallest(SERIES_TOP, top, _by_size)]
    return points, tops


def _by_size(figure: list[Any]) -> tuple[Any, str]:
    return -figure[0], figure[1]


def series_from_figures(session: Session, f: SeriesFilter) -> SeriesPoints:
    """`series()` aggregated from every figure of the metric (the reference the rollup is
    tested against; seconds on a million articles)."""
    dialect = dialect_of(session)
    conds = _series_conditions(f)
    # The series reads figures by their own date column, which the covering index holds.
    if f.published_from:
        conds.append(Statistic.sort_at >= f.published_from)
    if f.published_to:
        conds.append(Statistic.sort_at < f.published_to)
    period = dates.period(dialect, Statistic.sort_at, f.interval).label("period")
    points = session.execute(
        select(
            period,
            func.count(Statistic.id),
            func.min(Statistic.value),
            func.max(Statistic.value),
            func.sum(Statistic.value),
        )
        .where(*conds)
        .group_by(period)
        .order_by(period)
        .limit(SERIES_MAX_POINTS)
    ).all()
    ranked = (
        select(
            period,
            Statistic.id.label("statistic_id"),
            Statistic.article_id,
            func.row_number()
            .over(partition_by=period, order_by=(Statistic.value.desc(), Statistic.id))
            .label("rn"),
        )
        .where(*conds)
        .subquery()
    )
    top: dict[str, list[tuple[str, str]]] = {}
    for p, sid, aid in session.execute(
        select(ranked.c.period, ranked.c.statistic_id, ranked.c.article_id)
        .where(ranked.c.rn <= SERIES_TOP)
        .order_by(ranked.c.period, ranked.c.rn)
    ):
        top.setdefault(p, []).append((sid, aid))
    return list(points), top
