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


def quote_conditions(f: QuoteFilter) -> list[ColumnElement[bool]]:
    """Every filter of the quote list but the search."""
    conds = common.selection(f, Quote.id, Quote.updated_at)
    ids = speaker_ids_for(f.speaker, f.speaker_id)
    if ids is not None:
        conds.append(Quote.speaker_id.in_(ids))
    if f.article_id:
        conds.append(Quote.article_id.in_(f.article_id))
    if f.kind:
        conds.append(Quote.kind.in_([k.value for k in f.kind]))
    on_article = common.article_conditions(
        f,
        common.source_ids(f.source, f.source_id),
        common.location_ids(f.location, f.location_id, f.country),
    )
    if on_article:
        conds.append(Quote.article_id.in_(select(Article.id).where(*on_article)))
    return conds


ORDER = (Quote.sort_at.desc(), Quote.id.desc())


def quote_statement(f: QuoteFilter, dialect: str, plan: search.Plan | None = None) -> Select[Quote]:
    stmt = select(Quote).options(joinedload(Quote.speaker)).where(*quote_conditions(f))
    return common.ordered(stmt, f, dialect, "quote", ORDER, Quote.id, plan)


def quote_page(session: Session, f: QuoteFilter, codec: CursorCodec) -> PageResult:
    return keyset_page(
        session,
        quote_statement(f, dialect_of(session), common.search_plan(session, f, "quote", f.limit)),
        codec=codec,
        scope=list_scope("quotes", f),
        limit=f.limit,
        cursor=f.cursor,
    )
