"""Source (publisher) queries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from app.models import Article, Source
from app.repositories import common
from app.schemas.filters import SourceFilter


def _source_count() -> Any:
    return common.article_count(Article.id, Article.source_id == Source.id)


def source_statement(f: SourceFilter, _dialect: str = "") -> Select[Any]:
    conds: list[ColumnElement[bool]] = common.selection(f, Source.id, Source.updated_at)
    if f.name:
        conds.append(Source.name_key.in_(common.keys_of(f.name)))
    if f.domain:
        conds.append(Source.domain.in_([d.lower() for d in f.domain]))
    conds.extend(common.name_search(Source.name_key, f.q_words()))
    return select(Source, _source_count()).where(*conds).order_by(Source.name_key, Source.id)


def source_with_count(session: Session, source_id: str) -> Any:
    return session.execute(
        select(Source, _source_count()).where(Source.id == source_id)
    ).one_or_none()


def get_source(session: Session, source_id: str) -> Source | None:
    return session.get(Source, source_id)


def find_source(session: Session, key: str) -> Source | None:
    return session.scalars(select(Source).where(Source.name_key == key)).first()
