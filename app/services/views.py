"""Rows -> wire models, built inside the request (before the session or connection closes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from app.models import Quote, Statistic
from app.repositories import documents
from app.repositories import speakers as speakers_repo
from app.schemas.article import (
    ArticleSummary,
    QuoteHit,
    QuoteRead,
    SpeakerRef,
    StatisticHit,
    StatisticRead,
)
from app.schemas.common import Kind
from app.schemas.directory import LocationRead, SourceRead, SpeakerRead
from app.search.snippets import snippet
from app.search.syntax import Query


def quote_read(q: Quote) -> QuoteRead:
    speaker = None
    if q.speaker is not None:
        speaker = SpeakerRef(
            id=q.speaker.id,
            name=q.speaker.name,
            role=q.speaker_role,
            organisation=q.speaker.organisation,
        )
    return QuoteRead(
        id=q.id,
        article_id=q.article_id,
        text=q.text,
        kind=Kind(q.kind),
        speaker=speaker,
        cue=q.cue,
        context=q.context,
        start=q.start,
        end=q.end,
    )


def statistic_read(s: Statistic) -> StatisticRead:
    return StatisticRead.model_validate(s)


def article_summaries(
    conn: Connection, rows: Sequence[Any], includes: set[str], query: Query | None
) -> list[ArticleSummary]:
    """Plain article rows (`documents.list_statement`) -> list items, in at most five
    queries whatever the number of rows; with a search query, a `<mark>`ed snippet."""
    items = []
    for doc in documents.summaries(conn, rows, includes):
        body = doc["body"] if "body" in includes else doc.pop("body", None)
        item = ArticleSummary.model_validate(doc)
        if query is not None and body is not None:
            item.snippet = snippet(body, query)
        items.append(item)
    return items


def quote_hits(rows: list[Quote], query: Query | None) -> list[QuoteHit]:
    hits = [QuoteHit(**quote_read(q).__dict__) for q in rows]
    if query is not None:
        for hit, q in zip(hits, rows, strict=True):
            hit.snippet = snippet(q.text, query)
    return hits


def statistic_hits(rows: list[Statistic], query: Query | None) -> list[StatisticHit]:
    hits = [StatisticHit.model_validate(s) for s in rows]
    if query is not None:
        for hit, s in zip(hits, rows, strict=True):
            hit.snippet = snippet(s.sentence or s.text, query)
    return hits


def speaker_reads(session: Session, rows: Sequence[Any]) -> list[SpeakerRead]:
    """Rows of (Speaker, quote_count, article_count)."""
    roles = speakers_repo.speaker_roles(session, [row[0].id for row in rows])
    return [
        SpeakerRead(
            id=sp.id,
            name=sp.name,
            organisation=sp.organisation,
            aliases=sorted(a.alias for a in sp.aliases),
            roles=roles.get(sp.id, []),
            quote_count=qc,
            article_count=ac,
        )
        for sp, qc, ac in rows
    ]


def source_reads(rows: Sequence[Any]) -> list[SourceRead]:
    """Rows of (Source, article_count)."""
    return [SourceRead(id=s.id, name=s.name, domain=s.domain, article_count=n) for s, n in rows]


def location_reads(rows: Sequence[Any]) -> list[LocationRead]:
    """Rows of (Location, article_count)."""
    return [
        LocationRead(
            id=loc.id,
            name=loc.name,
            kind=loc.kind,
            country_code=loc.country_code,
            latitude=loc.latitude,
            longitude=loc.longitude,
            article_count=n,
        )
        for loc, n in rows
    ]
