"""All article queries, keyset pages included."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.core.keys import name_key
from app.core.pagination import CursorCodec, PageResult, keyset_page
from app.models import (
    Article,
    ArticleLocation,
    ArticleTag,
    Location,
    Quote,
    Source,
    Statistic,
)
from app.repositories import directory
from app.schemas.filters import ArticleFilter

SCOPE = "articles"


def _full_options() -> list[Any]:
    return [
        selectinload(Article.quotes).joinedload(Quote.speaker),
        selectinload(Article.statistics),
    ]


def get(session: Session, article_id: str, *, full: bool = True) -> Article | None:
    stmt = select(Article).where(Article.id == article_id)
    if full:
        stmt = stmt.options(*_full_options())
    return session.scalars(stmt).one_or_none()


def find_duplicate(session: Session, canonical: str | None, digest: str) -> Article | None:
    """An existing article with the same canonical URL or, without a URL, the same content."""
    if canonical:
        cond: ColumnElement[bool] = Article.canonical_url == canonical
    else:
        cond = and_(Article.canonical_url.is_(None), Article.content_hash == digest)
    return session.scalars(select(Article).where(cond).limit(1)).first()


def _where(f: ArticleFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.source:
        conds.append(
            Article.source_id.in_(select(Source.id).where(Source.name_key == name_key(f.source)))
        )
    if f.source_id:
        conds.append(Article.source_id == f.source_id)
    if f.language:
        conds.append(Article.language == f.language.lower())
    if f.published_from:
        conds.append(Article.published_at >= f.published_from)
    if f.published_to:
        conds.append(Article.published_at < f.published_to)
    speaker_ids = directory.speaker_ids_for(f.speaker, f.speaker_id)
    if speaker_ids is not None:
        conds.append(
            exists().where(Quote.article_id == Article.id, Quote.speaker_id.in_(speaker_ids))
        )
    if f.location or f.location_id or f.country:
        loc = select(Location.id)
        if f.location:
            loc = loc.where(Location.name_key == name_key(f.location))
        if f.location_id:
            loc = loc.where(Location.id == f.location_id)
        if f.country:
            loc = loc.where(Location.country_code == f.country.upper())
        conds.append(
            exists().where(
                ArticleLocation.article_id == Article.id, ArticleLocation.location_id.in_(loc)
            )
        )
    if f.tag:
        conds.append(
            exists().where(ArticleTag.article_id == Article.id, ArticleTag.tag == f.tag.lower())
        )
    if f.has_quotes is not None:
        has = exists().where(Quote.article_id == Article.id)
        conds.append(has if f.has_quotes else ~has)
    if f.has_statistics is not None:
        has = exists().where(Statistic.article_id == Article.id)
        conds.append(has if f.has_statistics else ~has)
    return conds


def article_statement(f: ArticleFilter) -> Select[Article]:
    stmt = select(Article).where(*_where(f)).order_by(Article.sort_at.desc(), Article.id.desc())
    includes = f.includes()
    if "quotes" in includes:
        stmt = stmt.options(selectinload(Article.quotes).options(joinedload(Quote.speaker)))
    if "statistics" in includes:
        stmt = stmt.options(selectinload(Article.statistics))
    return stmt


def article_page(session: Session, f: ArticleFilter, codec: CursorCodec) -> PageResult:
    return keyset_page(
        session, article_statement(f), codec=codec, scope=SCOPE, limit=f.limit, cursor=f.cursor
    )


def child_counts(session: Session, article_ids: Sequence[str]) -> dict[str, tuple[int, int]]:
    """(quote_count, statistic_count) per article, in two grouped queries."""
    if not article_ids:
        return {}
    quotes: dict[str, int] = dict(
        session.execute(
            select(Quote.article_id, func.count())
            .where(Quote.article_id.in_(article_ids))
            .group_by(Quote.article_id)
        ).all()
    )
    stats: dict[str, int] = dict(
        session.execute(
            select(Statistic.article_id, func.count())
            .where(Statistic.article_id.in_(article_ids))
            .group_by(Statistic.article_id)
        ).all()
    )
    return {aid: (quotes.get(aid, 0), stats.get(aid, 0)) for aid in article_ids}
