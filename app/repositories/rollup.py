"""The daily figure rollup's SQL (`statistic_daily`): the figures of one day, replacing
rows, and the set-based rebuild (its aggregate is engine-specific: `json_agg ... ORDER BY`
on PostgreSQL, `json_group_array` on SQLite). Kept current by app/projections/rollups.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    bindparam,
    delete,
    func,
    insert,
    literal,
    select,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by

from app.models import Statistic, StatisticDaily
from app.models.rollup import ALL_PLACES, NO_PLACE
from app.repositories.dates import period

_S = cast(Table, Statistic.__table__).c
_DAILY = cast(Table, StatisticDaily.__table__)
_D = _DAILY.c


def figures(conn: Connection, metric: str, start: datetime, end: datetime) -> Any:
    """(location_id, unit, value, id, article_id) of a metric's figures in [start, end)."""
    return conn.execute(
        select(_S.location_id, _S.unit, _S.value, _S.id, _S.article_id).where(
            _S.metric == metric, _S.sort_at >= start, _S.sort_at < end
        )
    )


def figure_keys(conn: Connection, column: str, value: str) -> Any:
    """(metric, location_id, unit, sort_at) of the figures whose `column` equals `value`."""
    return conn.execute(
        select(_S.metric, _S.location_id, _S.unit, _S.sort_at).where(_S[column] == value)
    )


def replace(
    conn: Connection,
    metric: str,
    day: str,
    places: Sequence[tuple[str, str]],
    rows: list[dict[str, Any]],
) -> None:
    """Delete the rollup rows of (metric, place, unit, day) for these places, insert `rows`."""
    conn.execute(
        delete(_DAILY).where(
            _D.metric == bindparam("m"),
            _D.location_id == bindparam("p"),
            _D.unit == bindparam("u"),
            _D.day == bindparam("d"),
        ),
        [{"m": metric, "p": place, "u": unit, "d": day} for place, unit in places],
    )
    if rows:
        conn.execute(insert(_DAILY), rows)


def _rollup_select(dialect: str, top_n: int, *, all_places: bool) -> Any:
    """One INSERT ... SELECT's worth of rollup rows, aggregated from `statistic`."""
    day = period(dialect, _S.sort_at, "day")
    place: ColumnElement[str] = (
        literal(ALL_PLACES) if all_places else func.coalesce(_S.location_id, NO_PLACE)
    )
    partition = (_S.metric, _S.unit, day) if all_places else (_S.metric, place, _S.unit, day)
    ranked = select(
        _S.metric,
        place.label("location_id"),
        _S.unit,
        day.label("day"),
        _S.value,
        _S.id,
        _S.article_id,
        func.row_number()
        .over(partition_by=partition, order_by=(_S.value.desc(), _S.id))
        .label("rn"),
    ).subquery()
    r = ranked.c
    if dialect == "postgresql":
        triple = func.json_build_array(r.value, r.id, r.article_id)
        top: Any = func.json_agg(aggregate_order_by(triple, r.value.desc(), r.id))
    else:  # the reader sorts each row's top again: SQLite 3.40 cannot order an aggregate
        top = func.json_group_array(func.json_array(r.value, r.id, r.article_id))
    return select(
        r.metric,
        r.location_id,
        r.unit,
        r.day,
        func.count(),
        func.min(r.value),
        func.max(r.value),
        func.sum(r.value),
        top.filter(r.rn <= top_n),
    ).group_by(r.metric, r.location_id, r.unit, r.day)


def rebuild(conn: Connection, top_n: int) -> int:
    """Recompute the whole table in two INSERT ... SELECTs; returns the rows written."""
    dialect = conn.dialect.name
    conn.execute(delete(_DAILY))
    columns = ["metric", "location_id", "unit", "day", "count", "min", "max", "sum", "top"]
    for all_places in (False, True):
        select_rows = _rollup_select(dialect, top_n, all_places=all_places)
        conn.execute(insert(_DAILY).from_select(columns, select_rows))
    return int(conn.scalar(select(func.count()).select_from(_DAILY)) or 0)
