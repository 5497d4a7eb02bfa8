"""Quote and statistic queries."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session, joinedload

from app.core.keys import name_key
from app.core.pagination import CursorCodec, PageResult, keyset_page
from app.models import Article, Location, Quote, Statistic
from app.repositories.directory import speaker_ids_for
from app.schemas.filters import PublishedRange, QuoteFilter, StatisticFilter


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


def quote_statement(f: QuoteFilter) -> Select[Quote]:
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
    return (
        select(Quote)
        .options(joinedload(Quote.speaker))
        .where(*conds)
        .order_by(Quote.sort_at.desc(), Quote.id.desc())
    )


def quote_page(session: Session, f: QuoteFilter, codec: CursorCodec) -> PageResult:
    return keyset_page(
        session, quote_statement(f), codec=codec, scope="quotes", limit=f.limit, cursor=f.cursor
    )


def get_statistic(session: Session, statistic_id: str) -> Statistic | None:
    return session.get(Statistic, statistic_id)


def statistic_statement(f: StatisticFilter) -> Select[Statistic]:
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
    if f.article_id:
        conds.append(Statistic.article_id == f.article_id)
    if f.value_min is not None:
        conds.append(Statistic.value >= f.value_min)
    if f.value_max is not None:
        conds.append(Statistic.value <= f.value_max)
    published = _published(f)
    if published:
        conds.append(Statistic.article_id.in_(select(Article.id).where(*published)))
    return select(Statistic).where(*conds).order_by(Statistic.sort_at.desc(), Statistic.id.desc())


def statistic_page(session: Session, f: StatisticFilter, codec: CursorCodec) -> PageResult:
    return keyset_page(
        session,
        statistic_statement(f),
        codec=codec,
        scope="statistics",
        limit=f.limit,
        cursor=f.cursor,
    )
