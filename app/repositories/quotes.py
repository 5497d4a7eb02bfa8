"""Quote queries."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session, joinedload

from app.core.pagination import CursorCodec, PageResult, keyset_page
from app.models import Article, Quote
from app.repositories import common
from app.repositories.common import dialect_of, list_scope
from app.repositories.speakers import speaker_ids_for
from app.schemas.filters import QuoteFilter
from app.search import engine as search


def get_quote(session: Session, quote_id: str) -> Quote | None:
    return session.scalars(
        select(Quote).options(joinedload(Quote.speaker)).where(Quote.id == quote_id)
    ).one_or_none()


def quote_statement(f: QuoteFilter, dialect: str, plan: search.Plan | None = None) -> Select[Quote]:
    conds: list[ColumnElement[bool]] = []
    ids = speaker_ids_for(f.speaker, f.speaker_id)
    if ids is not None:
        conds.append(Quote.speaker_id.in_(ids))
    if f.article_id:
        conds.append(Quote.article_id == f.article_id)
    if f.kind:
        conds.append(Quote.kind == f.kind.value)
    published = common.published(f)
    if published:
        conds.append(Quote.article_id.in_(select(Article.id).where(*published)))
    stmt = select(Quote).options(joinedload(Quote.speaker)).where(*conds)
    order = (Quote.sort_at.desc(), Quote.id.desc())
    return common.ordered(stmt, f, dialect, "quote", order, Quote.id, plan)


def quote_page(session: Session, f: QuoteFilter, codec: CursorCodec) -> PageResult:
    return keyset_page(
        session,
        quote_statement(f, dialect_of(session), common.search_plan(session, f, "quote", f.limit)),
        codec=codec,
        scope=list_scope("quotes", f),
        limit=f.limit,
        cursor=f.cursor,
    )
