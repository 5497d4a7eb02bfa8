"""The article document (what GET /v1/articles/{id} returns), read with SQLAlchemy Core:
five indexed queries and plain rows, no ORM identity map on the hot read path."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from app.models import (
    Article,
    ArticleLocation,
    ArticleTag,
    Location,
    Quote,
    Source,
    Speaker,
    Statistic,
)

_A = Article.__table__.c
_S = Source.__table__.c
_Q = Quote.__table__.c
_SP = Speaker.__table__.c
_ST = Statistic.__table__.c
_L = Location.__table__.c
_AL = ArticleLocation.__table__.c
_T = ArticleTag.__table__.c

_ARTICLE = select(
    _A.id, _A.title, _A.url, _A.published_at, _A.language, _A.authors, _A.read_time_minutes,
    _A.body, _A.word_count, _A.created_at, _A.updated_at, _A.source_id,
    _S.name.label("source_name"), _S.domain.label("source_domain"),
).select_from(Article.__table__.outerjoin(Source.__table__, _S.id == _A.source_id))  # fmt: skip

_QUOTES = (
    select(
        _Q.id,
        _Q.article_id,
        _Q.text,
        _Q.kind,
        _Q.cue,
        _Q.context,
        _Q.span_start,
        _Q.span_end,
        _Q.speaker_id,
        _Q.speaker_role,
        _SP.name.label("speaker_name"),
        _SP.organisation.label("speaker_organisation"),
    )
    .select_from(Quote.__table__.outerjoin(Speaker.__table__, _SP.id == _Q.speaker_id))
    .order_by(_Q.span_start, _Q.id)
)
_STATS = select(Statistic.__table__).order_by(_ST.span_start, _ST.id)
_LOCATIONS = select(
    _L.id, _L.name, _L.kind, _L.country_code, _L.latitude, _L.longitude, _AL.mentions,
    _AL.is_primary,
).select_from(
    ArticleLocation.__table__.join(Location.__table__, _L.id == _AL.location_id)
)  # fmt: skip
_TAGS = select(_T.tag).order_by(_T.tag)


def fetch(conn: Connection, article_id: str) -> dict[str, Any] | None:
    """The article as a dict shaped like `ArticleRead`, or None."""
    row = conn.execute(_ARTICLE.where(_A.id == article_id)).mappings().first()
    if row is None:
        return None
    doc = dict(row)
    source_id = doc.pop("source_id")
    name, domain = doc.pop("source_name"), doc.pop("source_domain")
    doc["source"] = None if source_id is None else {"id": source_id, "name": name, "domain": domain}
    doc["authors"] = list(doc["authors"] or [])
    doc["tags"] = list(conn.execute(_TAGS.where(_T.article_id == article_id)).scalars())
    locations = [
        {
            "id": r.id, "name": r.name, "kind": r.kind, "country_code": r.country_code,
            "latitude": r.latitude, "longitude": r.longitude, "mentions": r.mentions,
            "primary": r.is_primary,
        }
        for r in conn.execute(_LOCATIONS.where(_AL.article_id == article_id))
    ]  # fmt: skip
    locations.sort(key=lambda loc: (not loc["primary"], -loc["mentions"], loc["name"]))
    doc["locations"] = locations
    doc["quotes"] = [
        {
            "id": r.id, "article_id": r.article_id, "text": r.text, "kind": r.kind,
            "speaker": None if r.speaker_id is None else {
                "id": r.speaker_id, "name": r.speaker_name, "role": r.speaker_role,
                "organisation": r.speaker_organisation,
            },
            "cue": r.cue, "context": r.context, "start": r.span_start, "end": r.span_end,
        }
        for r in conn.execute(_QUOTES.where(_Q.article_id == article_id))
    ]  # fmt: skip
    doc["statistics"] = [
        {**r, "start": r["span_start"], "end": r["span_end"]}
        for r in conn.execute(_STATS.where(_ST.article_id == article_id)).mappings()
    ]
    return doc
