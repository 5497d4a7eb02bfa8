"""Estimates' SQL: the reports of a bucket, the buckets a write touches, rewriting a bucket's
estimates, the list statement and the rows the series by estimates reads."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    Table,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from app.core.normalise import name_key
from app.models import (
    Article,
    ArticleLocation,
    Estimate,
    EstimateDecision,
    EstimateMember,
    Location,
    Source,
    Statistic,
)
from app.schemas.estimate import EstimateFilter

_STAT = cast(Table, Statistic.__table__)
_S = _STAT.c
_A = cast(Table, Article.__table__).c
_SRC = cast(Table, Source.__table__).c
_L = cast(Table, Location.__table__).c
_AL = cast(Table, ArticleLocation.__table__).c
_E = cast(Table, Estimate.__table__)
_M = cast(Table, EstimateMember.__table__)
_D = cast(Table, EstimateDecision.__table__).c
Rows = list[dict[str, Any]]  # estimate or estimate_member rows to insert

# The article's primary place: where a figure that names no place happened. Correlated, so
# a bucket's read looks up its own figures' articles (an aggregate over every article's
# places, joined, cost a write ~25 ms on 2,000 articles).
_PRIMARY = (
    select(func.min(_AL.location_id))
    .where(_AL.article_id == _S.article_id, _AL.is_primary.is_(True))
    .correlate(_STAT)
    .scalar_subquery()
)
_PLACE_ID = case((_S.location.is_(None), _PRIMARY), else_=_S.location_id)

REPORT_COLUMNS = (
    _S.id, _S.article_id, _A.source_id, _SRC.name, _S.metric, _S.unit, _S.nature, _S.value,
    _S.value_max, _S.qualifier, _S.text, _S.span_start, _S.span_end, _S.sort_at,
    _S.reference_time, _S.reference_precision, _L.id, func.coalesce(_L.name, _S.location),
    _L.kind, _L.country_code, _D.label, _D.kind, _D.bucket,
)  # fmt: skip
# An admin decision names its figure by article, metric and text (it outlives an edit).
_DECIDED = and_(_D.article_id == _S.article_id, _D.metric == _S.metric, _D.text == _S.text)


def _reports() -> Select[Any]:
    return (
        select(*REPORT_COLUMNS)
        .select_from(_STAT)
        .join(Article.__table__, _A.id == _S.article_id)
        .outerjoin(Source.__table__, _SRC.id == _A.source_id)
        .outerjoin(Location.__table__, _L.id == _PLACE_ID)
        .outerjoin(EstimateDecision.__table__, _DECIDED)
    )


def reports_by_id(conn: Connection, ids: Sequence[str]) -> list[Any]:
    """The report rows (REPORT_COLUMNS) of these statistics (those that still exist)."""
    out: list[Any] = []
    for chunk in _chunks(ids):
        out.extend(conn.execute(_reports().where(_S.id.in_(chunk))).all())
    return out


def bucket_reports(
    conn: Connection,
    bucket: str,
    metric: str,
    unit: str,
    place: str,
    start: datetime,
    end: datetime,
) -> list[Any]:
    """The report rows of a metric and unit whose anchor time (reference time, else
    publication) is in [start, end) and whose place may be of the bucket's place key (a
    country, `@` a place id, `-` none: see grouping.country_key), and those an admin
    decision pinned to `bucket`; the caller keeps those of its bucket."""
    # one statement per anchor (an OR of the two ranges read every figure of the metric):
    # ix_statistic_metric_reference_time, then ix_statistic_metric_series
    anchors = (
        and_(_S.reference_time >= start, _S.reference_time < end),
        and_(_S.sort_at >= start, _S.sort_at < end, _S.reference_time.is_(None)),
    )
    if place.startswith("@"):
        placed = _L.id == place[1:]
    elif place == "-":
        placed = _L.id.is_(None)
    else:  # a place only named is matched to its country in Python
        placed = or_(_L.country_code == place, _L.id.is_(None))
    rows: list[Any] = []
    for anchored in anchors:
        wanted = _reports().where(_S.metric == metric, _S.unit == unit, anchored, placed)
        rows += conn.execute(wanted)
    # and the pinned ones, apart: an OR across tables would lose the indexes
    seen = {row[0] for row in rows}
    pinned = conn.execute(_reports().where(_D.bucket == bucket))
    return rows + [row for row in pinned if row[0] not in seen]


def buckets_of(conn: Connection, column: str, value: str) -> set[str]:
    """The buckets of the estimates holding a statistic whose `column` equals `value`."""
    stmt = (
        select(_E.c.bucket)
        .distinct()
        .join(_M, _M.c.estimate_id == _E.c.id)
        .join(_STAT, _S.id == _M.c.statistic_id)
        .where(_S[column] == value)
    )
    return set(conn.execute(stmt).scalars())


def buckets_of_location(conn: Connection, location_id: str) -> set[str]:
    return set(conn.execute(select(_E.c.bucket).where(_E.c.location_id == location_id)).scalars())


def statistic_ids(conn: Connection, column: str, value: str) -> list[str]:
    return list(conn.execute(select(_S.id).where(_S[column] == value)).scalars())


def replace_changed(
    conn: Connection, buckets: Iterable[str], estimates: Rows, members: Rows
) -> None:
    """Make these buckets' estimates exactly `estimates` and `members`, rewriting only the
    estimates that differ (a write changes one or two of a bucket's estimates; rewriting all
    of them was most of its cost)."""
    old: dict[str, dict[str, Any]] = {}
    old_members: dict[str, list[dict[str, Any]]] = {}
    for chunk in _chunks(sorted(buckets)):
        for row in conn.execute(select(_E).where(_E.c.bucket.in_(chunk))).mappings():
            old[row["id"]] = dict(row)
        ids = select(_E.c.id).where(_E.c.bucket.in_(chunk))
        found = select(_M).where(_M.c.estimate_id.in_(ids)).order_by(_M.c.position)
        for row in conn.execute(found).mappings():
            old_members.setdefault(row["estimate_id"], []).append(dict(row))
    new_members: dict[str, list[dict[str, Any]]] = {}
    for m in members:
        new_members.setdefault(m["estimate_id"], []).append(m)
    new = {e["id"]: e for e in estimates}
    same = {
        i
        for i, e in new.items()
        if old.get(i) == e and old_members.get(i, []) == new_members.get(i, [])
    }
    fresh = [e for i, e in new.items() if i not in same]
    rewrite(conn, set(old) - same, fresh, [m for e in fresh for m in new_members.get(e["id"], [])])


def rewrite(conn: Connection, ids: Iterable[str], estimates: Rows, members: Rows) -> None:
    """Delete the estimates of these ids (and their members), insert these."""
    for chunk in _chunks(sorted(ids)):
        conn.execute(delete(_M).where(_M.c.estimate_id.in_(chunk)))
        conn.execute(delete(_E).where(_E.c.id.in_(chunk)))
    if estimates:
        conn.execute(insert(_E), estimates)
    if members:
        conn.execute(insert(_M), members)


def _chunks(keys: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    for i in range(0, len(keys), size):
        yield keys[i : i + size]


def members_of_any(conn: Connection, statistic_ids: Sequence[str]) -> set[str]:
    """Those of these statistics that are a report of an estimate."""
    found: set[str] = set()
    for chunk in _chunks(statistic_ids):
        stmt = select(_M.c.statistic_id).where(_M.c.statistic_id.in_(chunk))
        found.update(conn.execute(stmt).scalars())
    return found


def decided_buckets(conn: Connection, buckets: Sequence[str]) -> set[str]:
    """Those of these buckets an admin decision pinned figures to."""
    found: set[str] = set()
    for chunk in _chunks(buckets):
        stmt = select(_D.bucket).distinct().where(_D.bucket.in_(chunk))
        found.update(conn.execute(stmt).scalars())
    return found


def heads(conn: Connection, buckets: Sequence[str]) -> list[Any]:
    """(bucket, id, nature, reference_time, reference_precision, location_id, location,
    last_reported_at) of these buckets' estimates: what tells which a new report may join."""
    e = _E.c
    columns = (e.bucket, e.id, e.nature, e.reference_time, e.reference_precision)
    rows: list[Any] = []
    for chunk in _chunks(buckets):
        stmt = select(*columns, e.location_id, e.location, e.last_reported_at)
        rows.extend(conn.execute(stmt.where(e.bucket.in_(chunk))))
    return rows


def member_ids(conn: Connection, estimate_ids: Sequence[str]) -> list[Any]:
    """(estimate_id, statistic_id) of these estimates' reports."""
    rows: list[Any] = []
    for chunk in _chunks(estimate_ids):
        stmt = select(_M.c.estimate_id, _M.c.statistic_id).where(_M.c.estimate_id.in_(chunk))
        rows.extend(conn.execute(stmt))
    return rows


def clear(conn: Connection) -> None:
    conn.execute(delete(_M))
    conn.execute(delete(_E))


def unresolved_statistics(conn: Connection, after: str, limit: int) -> list[Any]:
    """(id, metric, sentence, text, sort_at, article body, start, end) of figures without a
    nature, by id."""
    return list(
        conn.execute(
            select(_S.id, _S.metric, _S.sentence, _S.text, _S.sort_at, _A.body)
            .add_columns(_S.span_start, _S.span_end)
            .join(Article.__table__, _A.id == _S.article_id)
            .where(_S.nature.is_(None), _S.id > after)
            .order_by(_S.id)
            .limit(limit)
        )
    )


def set_references(conn: Connection, rows: list[dict[str, Any]]) -> None:
    conn.execute(
        update(_STAT)
        .where(_S.id == bindparam("sid"))
        .values(
            reference_time=bindparam("rt"),
            reference_precision=bindparam("rp"),
            nature=bindparam("nat"),
        ),
        rows,
    )


def all_reports(conn: Connection) -> Any:
    """Every report row, for a rebuild (streamed)."""
    return conn.execute(_reports().execution_options(yield_per=2000))


# --- reads --------------------------------------------------------------------------------


def estimate_conditions(f: EstimateFilter) -> list[ColumnElement[bool]]:
    e = Estimate
    conds: list[ColumnElement[bool]] = []
    if f.metric:
        conds.append(e.metric == f.metric.lower())
    if f.unit:
        conds.append(e.unit == f.unit.lower())
    if f.nature:
        conds.append(e.nature == f.nature)
    if f.location:
        conds.append(
            e.location_id.in_(select(Location.id).where(Location.name_key == name_key(f.location)))
        )
    if f.location_id:
        conds.append(e.location_id == f.location_id)
    if f.country:
        conds.append(e.country_code == f.country.upper())
    if f.reference_from:
        conds.append(e.reference_time >= f.reference_from)
    if f.reference_to:
        conds.append(e.reference_time < f.reference_to)
    if f.best_min is not None:
        conds.append(e.best >= f.best_min)
    if f.best_max is not None:
        conds.append(e.best <= f.best_max)
    if f.min_reports is not None:
        conds.append(e.report_count >= f.min_reports)
    if f.statistic_id:
        conds.append(
            e.id.in_(
                select(EstimateMember.estimate_id).where(
                    EstimateMember.statistic_id == f.statistic_id
                )
            )
        )
    return conds


def estimate_statement(f: EstimateFilter) -> Select[Any]:
    return (
        select(Estimate)
        .where(*estimate_conditions(f))
        .order_by(Estimate.sort_at.desc(), Estimate.id.desc())
    )


def get_estimate(session: Session, estimate_id: str) -> Estimate | None:
    return session.get(Estimate, estimate_id)


def series_rows(
    session: Session,
    metric: str,
    unit: str | None,
    location_ids: Sequence[str] | None,
    start: datetime | None,
    end: datetime | None,
) -> list[Any]:
    """(reference_time, location_id, country_code, location kind, nature, best, id,
    best_statistic_id, article id of that statistic, location name) of a metric's estimates,
    by time."""
    e = Estimate
    conds: list[ColumnElement[bool]] = [e.metric == metric]
    if unit:
        conds.append(e.unit == unit)
    if location_ids is not None:
        conds.append(e.location_id.in_(location_ids))
    if end is not None:
        conds.append(e.reference_time < end)
    if start is not None:
        # Stocks carry forward: a cumulative estimate before `start` still counts as of it.
        conds.append(or_(e.nature == "cumulative", e.reference_time >= start))
    best_article = select(_S.article_id).where(_S.id == e.best_statistic_id).scalar_subquery()
    return list(
        session.execute(
            select(
                e.reference_time,
                e.location_id,
                e.country_code,
                Location.kind,
                e.nature,
                e.best,
                e.id,
                e.best_statistic_id,
                best_article,
                e.location,
            )
            .outerjoin(Location, Location.id == e.location_id)
            .where(*conds)
            .order_by(e.reference_time, e.id)
        )
    )


def location_ids_named(session: Session, name: str) -> list[str]:
    return list(
        session.execute(select(Location.id).where(Location.name_key == name_key(name))).scalars()
    )


def estimate_holding(session: Session, statistic_id: str) -> Estimate | None:
    return session.scalars(
        select(Estimate)
        .join(EstimateMember, EstimateMember.estimate_id == Estimate.id)
        .where(EstimateMember.statistic_id == statistic_id)
    ).first()
