"""Small helpers shared by the repositories."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, func, select
from sqlalchemy.orm import Session

from app.core.pagination import PageResult, keyset_page
from app.models import Article
from app.schemas.filters import PublishedRange, Searchable
from app.search import engine as search


def dialect_of(session: Session | Connection) -> str:
    if isinstance(session, Connection):
        return session.dialect.name
    return session.get_bind().dialect.name


def list_scope(name: str, filters: Any) -> str:
    """The cursor scope of a list: a relevance cursor holds a score, so it is bound to its
    query; a date cursor fits any query on that list."""
    if getattr(filters, "by_relevance", False):
        return f"{name}:relevance:{hashlib.sha256(filters.q.encode()).hexdigest()[:12]}"
    return name


def page(
    session: Session | Connection, statement: Select[Any], name: str, filters: Any, codec: Any
) -> PageResult:
    """One keyset page of an ordered statement, for the list called `name`."""
    return keyset_page(
        session,
        statement,
        codec=codec,
        scope=list_scope(name, filters),
        limit=filters.limit,
        cursor=filters.cursor,
    )


def published(f: PublishedRange) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.published_from:
        conds.append(Article.published_at >= f.published_from)
    if f.published_to:
        conds.append(Article.published_at < f.published_to)
    return conds


def search_plan(session: Session, f: Searchable, name: str, limit: int) -> search.Plan | None:
    """How to find the matches of a list's search (None without one)."""
    query = f.parsed()
    if query is None:
        return None
    needed = search.RANK_CANDIDATES if f.by_relevance else limit + 1
    return search.plan(session.connection(), name, query, needed)


def ordered(
    stmt: Select[Any],
    f: Searchable,
    dialect: str,
    name: str,
    order: Any,
    key: Any,
    plan: search.Plan | None = None,
) -> Select[Any]:
    query = f.parsed()
    if query is None:
        return stmt.order_by(*order)
    return search.apply(
        stmt, dialect, name, query, by_relevance=f.by_relevance, order=order, key=key, plan=plan
    )


def article_count(counted: Any, condition: ColumnElement[bool]) -> Any:
    """A directory row's `article_count` column: a correlated COUNT sub-select."""
    return select(func.count(counted)).where(condition).scalar_subquery().label("article_count")
