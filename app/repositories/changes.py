"""Queries of the change log, and the current state of the rows its entries name (the
feed's `include=document`), a few batched queries per page."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from app.models import ArticleDocument, Change, Location, Source, Speaker, SyncState
from app.repositories import locations, sources, speakers
from app.schemas.filters import LocationFilter, SourceFilter, SpeakerFilter


def after(
    session: Session, seq: int, limit: int, resources: Collection[str] | None = None
) -> list[Change]:
    """Up to `limit` changes after `seq`, in commit order, of these resources (all: None)."""
    stmt = select(Change).where(Change.seq > seq)
    if resources:
        stmt = stmt.where(Change.resource.in_(sorted(resources)))
    return list(session.scalars(stmt.order_by(Change.seq).limit(limit)))


def stored_documents(session: Session, article_ids: Sequence[str]) -> dict[str, bytes]:
    """The stored documents of these articles (those that have one), in one query."""
    if not article_ids:
        return {}
    doc = ArticleDocument.__table__.c
    rows = session.execute(
        select(doc.article_id, doc.content).where(doc.article_id.in_(article_ids))
    )
    return {article_id: bytes(content) for article_id, content in rows}


def sources_with_count(session: Session, ids: Sequence[str]) -> list[Any]:
    stmt = sources.source_statement(SourceFilter()).where(Source.id.in_(ids))
    return list(session.execute(stmt))


def speakers_with_counts(session: Session, ids: Sequence[str]) -> list[Any]:
    stmt = speakers.speaker_statement(SpeakerFilter(include_descriptions=True))
    return list(session.execute(stmt.where(Speaker.id.in_(ids))))


def locations_with_count(session: Session, ids: Sequence[str]) -> list[Any]:
    stmt = locations.location_statement(LocationFilter()).where(Location.id.in_(ids))
    return list(session.execute(stmt))


def sync_state(session: Session, remote: str) -> SyncState | None:
    return session.get(SyncState, remote)


def newest(conn: Connection) -> tuple[int, datetime] | None:
    """The newest entry's sequence number and time, or None when the log is empty."""
    row = conn.execute(select(Change.seq, Change.at).order_by(Change.seq.desc()).limit(1)).first()
    return None if row is None else (int(row[0]), row[1])
