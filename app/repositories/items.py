"""Quote and statistic queries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, joinedload

from app.core.keys import name_key
from app.core.pagination import CursorCodec, PageResult, keyset_page
from app.models import Article, Location, Quote, Statistic
from app.repositories import search
from app.repositories.common import dialect_of, list_scope
from app.repositories.directory import speaker_ids_for
from app.schemas.filters import (
    PublishedRange,
    QuoteFilter,
    Searchable,
    SeriesFilter,
    StatisticFilter,
)


def _published(f: PublishedRange) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.published_from:
        conds.append(Article.published_at >= f.published_from)
    if f.published_to:
        conds.append(Article.published_at < f.published_to)
    return conds


def get_quote(session: Session, quote_id: str) -> Quote | None:
    return session.scalars(
        select(Quote).options(joinedload(Quote.speaker)).where(Quote.id == quote_id)
    ).one_or_none()


def quote_statement(f: QuoteFilter, dialect: str) -> Select[Quote]:
    conds: list[ColumnElement[bool]] = []
    ids = speaker_ids_for(f.speaker, f.speaker_id)
    if ids is not None:
        conds.append(Quote.speaker_id.in_(ids))
    if f.article_id:
        conds.append(Quote.article_id == f.article_id)
    if f.kind:
        conds.append(Quote.kind == f.kind.value)
    published = _published(f)
    if published:
        conds.append(Quote.article_id.in_(select(Article.id).where(*published)))
    stmt = select(Quote).options(joinedload(Quote.speaker)).where(*conds)
    return _ordered(stmt, f, dialect, "quote", (Quote.sort_at.desc(), Quote.id.desc()), Quote.id)


def _ordered(
    stmt: Select[Any], f: Searchable, dialect: str, name: str, order: Any, key: Any
) -> Select[Any]:
    query = f.parsed()
    if query is None:
        return stmt.order_by(*order)
    return search.apply(
        stmt, dialect, name, query, by_relevance=f.by_relevance, order=order, key=key
    )


def quote_page(session: Session, f: QuoteFilter, codec: CursorCodec) -> PageResult:
    return keyset_page(
        session,
        quote_statement(f, dialect_of(session)),
        codec=codec,
        scope=list_scope("quotes", f),
        limit=f.limit,
        cursor=f.cursor,
    )


def get_statistic(session: Session, statistic_id: str) -> Statistic | None:
    return session.get(Statistic, statistic_id)


def _figure_conditions(f: StatisticFilter | SeriesFilter) -> list[ColumnElement[bool]]:
    """What the statistics list and the series filter on alike: metric, unit, place."""
    conds: list[ColumnElement[bool]] = []
    if f.metric:
        conds.append(Statistic.metric == f.metric.lower())
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


def statistic_statement(f: StatisticFilter, dialect: str) -> Select[Statistic]:
    conds = _figure_conditions(f)
    if f.article_id:
        conds.append(Statistic.article_id == f.article_id)
    if f.value_min is not None:
        conds.append(Statistic.value >= f.value_min)
    if f.value_max is not None:
        conds.append(Statistic.value <= f.value_max)
    published = _published(f)
    if published:
        conds.append(Statistic.article_id.in_(select(Article.id).where(*published)))
    stmt = select(Statistic).where(*conds)
    order = (Statistic.sort_at.desc(), Statistic.id.desc())
    return _ordered(stmt, f, dialect, "statistic", order, Statistic.id)


def statistic_page(session: Session, f: StatisticFilter, codec: CursorCodec) -> PageResult:
    return keyset_page(
        session,
        statistic_statement(f, dialect_of(session)),
        codec=codec,
        scope=list_scope("statistics", f),
        limit=f.limit,
        cursor=f.cursor,
    )


SERIES_TOP = 5
SERIES_MAX_POINTS = 2000


def series(session: Session, f: SeriesFilter) -> tuple[list[Any], dict[str, list[tuple[str, str]]]]:
    """Per period: (period, count, min, max, sum) rows, and the top statistics (largest
    values first, as (statistic_id, article_id)) of each period."""
    dialect = dialect_of(session)
    conds = _figure_conditions(f)
    # The series reads figures by their own date column, which the covering index holds.
    if f.published_from:
        conds.append(Statistic.sort_at >= f.published_from)
    if f.published_to:
        conds.append(Statistic.sort_at < f.published_to)
    period = search.period(dialect, Statistic.sort_at, f.interval).label("period")
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
