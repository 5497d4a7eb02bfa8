"""ORM rows -> wire models. Built inside the request, before the session closes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from app.core.query_syntax import Query
from app.models import Article, ArticleLocation, Quote, Source, Statistic
from app.repositories import articles as articles_repo
from app.repositories import directory as directory_repo
from app.repositories import documents
from app.schemas.article import (
    ArticleLocationRead,
    ArticleRead,
    ArticleSummary,
    QuoteHit,
    QuoteRead,
    SourceRef,
    SpeakerRef,
    StatisticHit,
    StatisticRead,
)
from app.schemas.common import Kind
from app.schemas.directory import LocationRead, SourceRead, SpeakerRead
from app.services.highlight import snippet


def source_ref(source: Source | None) -> SourceRef | None:
    return None if source is None else SourceRef.model_validate(source)


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


def _locations(links: Iterable[ArticleLocation]) -> list[ArticleLocationRead]:
    out = [
        ArticleLocationRead(
            id=link.location.id,
            name=link.location.name,
            kind=link.location.kind,
            country_code=link.location.country_code,
            latitude=link.location.latitude,
            longitude=link.location.longitude,
            mentions=link.mentions,
            primary=link.is_primary,
        )
        for link in links
    ]
    out.sort(key=lambda loc: (not loc.primary, -loc.mentions, loc.name))
    return out


def _base(a: Article) -> dict[str, object]:
    return {
        "id": a.id,
        "title": a.title,
        "url": a.url,
        "source": source_ref(a.source),
        "published_at": a.published_at,
        "language": a.language,
        "authors": list(a.authors or []),
        "read_time_minutes": a.read_time_minutes,
        "word_count": a.word_count,
        "locations": _locations(a.locations),
        "tags": [t.tag for t in a.tags],
        "created_at": a.created_at,
        "updated_at": a.updated_at,
    }


def article_summary(a: Article, counts: tuple[int, int], includes: set[str]) -> ArticleSummary:
    data: dict[str, object] = {
        **_base(a),
        "quote_count": counts[0],
        "statistic_count": counts[1],
    }
    if "body" in includes:
        data["body"] = a.body
    if "quotes" in includes:
        data["quotes"] = [quote_read(q) for q in a.quotes]
    if "statistics" in includes:
        data["statistics"] = [statistic_read(s) for s in a.statistics]
    return ArticleSummary.model_validate(data)


def article_summaries(
    session: Session, rows: list[Article], includes: set[str], query: Query | None = None
) -> list[ArticleSummary]:
    counts = articles_repo.child_counts(session, [a.id for a in rows])
    out = [article_summary(a, counts[a.id], includes) for a in rows]
    if query is not None:
        for item, a in zip(out, rows, strict=True):
            item.snippet = snippet(a.body, query)
    return out


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
    roles = directory_repo.speaker_roles(session, [row[0].id for row in rows])
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


def article_document(conn: Connection, *, article_id: str) -> bytes | None:
    """The JSON bytes of an article, as every route returns it and its ETag is computed."""
    doc = documents.fetch(conn, article_id)
    return None if doc is None else ArticleRead.model_validate(doc).model_dump_json().encode()
