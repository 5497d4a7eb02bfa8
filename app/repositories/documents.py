"""The article document (what GET /v1/articles/{id} returns), read with SQLAlchemy Core:
five indexed queries and plain rows, no ORM identity map on the hot read path."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, cast

from sqlalchemy import Connection, Select, Table, delete, func, insert, select, union

from app import models
from app.models import Article, ArticleLocation, Location, Quote, Source, Speaker, Statistic
from app.schemas.licence import effective

_A = Article.__table__.c
_S = Source.__table__.c
_Q = Quote.__table__.c
_SP = Speaker.__table__.c
_ST = Statistic.__table__.c
_L = Location.__table__.c
_AL = ArticleLocation.__table__.c
_T = models.ArticleTag.__table__.c

_ARTICLE = select(
    _A.id, _A.title, _A.url, _A.published_at, _A.language, _A.authors, _A.read_time_minutes,
    _A.body, _A.word_count, _A.created_at, _A.updated_at, _A.source_id,
    _S.name.label("source_name"), _S.domain.label("source_domain"),
    _A.licence, _A.attribution, _S.licence.label("source_licence"),
    _S.attribution.label("source_attribution"),
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
_PLACE = (_L.name, _L.kind, _L.country_code, _L.latitude, _L.longitude)
_STATS = (
    select(Statistic.__table__, *(c.label(f"place_{c.key}") for c in _PLACE))
    .select_from(Statistic.__table__.outerjoin(Location.__table__, _L.id == _ST.location_id))
    .order_by(_ST.span_start, _ST.id)
)
_LOCATIONS = select(
    _L.id, _L.name, _L.kind, _L.country_code, _L.latitude, _L.longitude, _AL.mentions,
    _AL.is_primary,
).select_from(
    ArticleLocation.__table__.join(Location.__table__, _L.id == _AL.location_id)
)  # fmt: skip


def _ids(column: Any, ids: Sequence[str]) -> Any:
    # One id (the detail page) compares directly: an expanding IN re-renders its SQL.
    return column == ids[0] if len(ids) == 1 else column.in_(ids)


def _article(row: Any) -> dict[str, Any]:
    doc = dict(row)
    source_id = doc.pop("source_id")
    name, domain = doc.pop("source_name"), doc.pop("source_domain")
    terms = doc.pop("source_licence"), doc.pop("source_attribution")
    doc["source"] = (
        None
        if source_id is None
        else {
            "id": source_id,
            "name": name,
            "domain": domain,
            "licence": terms[0],
            "attribution": terms[1],
        }
    )
    doc.update(effective((doc.pop("licence"), doc.pop("attribution")), terms))
    doc["authors"] = list(doc["authors"] or [])
    return doc


def tags(conn: Connection, ids: Sequence[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for article_id, tag in conn.execute(
        select(_T.article_id, _T.tag).where(_ids(_T.article_id, ids)).order_by(_T.tag)
    ):
        out[article_id].append(tag)
    return out


def locations(conn: Connection, ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in conn.execute(_LOCATIONS.add_columns(_AL.article_id).where(_ids(_AL.article_id, ids))):
        out[r.article_id].append(
            {
                "id": r.id, "name": r.name, "kind": r.kind, "country_code": r.country_code,
                "latitude": r.latitude, "longitude": r.longitude, "mentions": r.mentions,
                "primary": r.is_primary,
            }
        )  # fmt: skip
    for places in out.values():
        places.sort(key=lambda loc: (not loc["primary"], -loc["mentions"], loc["name"]))
    return out


def quotes(conn: Connection, ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in conn.execute(_QUOTES.where(_ids(_Q.article_id, ids))):
        out[r.article_id].append(
            {
                "id": r.id, "article_id": r.article_id, "text": r.text, "kind": r.kind,
                "speaker": None if r.speaker_id is None else {
                    "id": r.speaker_id, "name": r.speaker_name, "role": r.speaker_role,
                    "organisation": r.speaker_organisation,
                },
                "cue": r.cue, "context": r.context, "start": r.span_start, "end": r.span_end,
            }
        )  # fmt: skip
    return out


def statistics(conn: Connection, ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in conn.execute(_STATS.where(_ids(_ST.article_id, ids))).mappings():
        doc = {k: v for k, v in r.items() if not k.startswith("place_")}
        out[r["article_id"]].append(
            {**doc, "start": r["span_start"], "end": r["span_end"], "place": _place(r)}
        )
    return out


def _place(r: Any) -> dict[str, Any] | None:
    if r["location_id"] is None or r["place_name"] is None:
        return None
    return {"id": r["location_id"], **{c.key: r[f"place_{c.key}"] for c in _PLACE}}


def article_refs(conn: Connection, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Id, title, source and `published_at` of these articles (what an item's row shows)."""
    if not ids:
        return {}
    stmt = select(
        _A.id, _A.title, _A.published_at, _A.source_id,
        _S.name.label("source_name"), _S.domain.label("source_domain"),
    ).select_from(Article.__table__.outerjoin(Source.__table__, _S.id == _A.source_id))  # fmt: skip
    out = {}
    for row in conn.execute(stmt.where(_ids(_A.id, list(dict.fromkeys(ids))))).mappings():
        doc = dict(row)
        source_id, name, domain = (
            doc.pop("source_id"),
            doc.pop("source_name"),
            doc.pop("source_domain"),
        )
        doc["source"] = (
            None if source_id is None else {"id": source_id, "name": name, "domain": domain}
        )
        out[doc["id"]] = doc
    return out


def article_rows(conn: Connection, ids: Sequence[str]) -> list[Any]:
    """These articles as rows of `list_statement` (no body), for `summaries`."""
    if not ids:
        return []
    return list(
        conn.execute(list_statement([_ids(_A.id, list(dict.fromkeys(ids)))], with_body=False))
    )


def places(conn: Connection, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Directory places by id: name, kind, country and coordinates."""
    wanted = [i for i in dict.fromkeys(ids) if i is not None]
    if not wanted:
        return {}
    stmt = select(_L.id, *_PLACE).where(_ids(_L.id, wanted))
    return {r["id"]: dict(r) for r in conn.execute(stmt).mappings()}


def counts(conn: Connection, ids: Sequence[str]) -> dict[str, tuple[int, int]]:
    """(quote_count, statistic_count) per article."""
    found: dict[str, list[int]] = {i: [0, 0] for i in ids}
    for slot, c in enumerate((_Q, _ST)):
        stmt = select(c.article_id, func.count()).where(_ids(c.article_id, ids))
        for article_id, n in conn.execute(stmt.group_by(c.article_id)):
            found[article_id][slot] = n
    return {i: (q, st) for i, (q, st) in found.items()}


def fetch(conn: Connection, article_id: str) -> dict[str, Any] | None:
    """The article as a dict shaped like `ArticleRead`, or None."""
    found = fetch_many(conn, [article_id])
    return found[0] if found else None


def fetch_many(conn: Connection, ids: Sequence[str]) -> list[dict[str, Any]]:
    """The articles (those that exist) as `ArticleRead`-shaped dicts, in five queries."""
    if not ids:
        return []
    docs = [_article(row) for row in conn.execute(_ARTICLE.where(_ids(_A.id, ids))).mappings()]
    found = [d["id"] for d in docs]
    if not found:
        return []
    by_tag, by_place = tags(conn, found), locations(conn, found)
    by_quote, by_stat = quotes(conn, found), statistics(conn, found)
    for doc in docs:
        doc["tags"] = by_tag.get(doc["id"], [])
        doc["locations"] = by_place.get(doc["id"], [])
        doc["quotes"] = by_quote.get(doc["id"], [])
        doc["statistics"] = by_stat.get(doc["id"], [])
    return docs


def list_statement(conditions: Sequence[Any], *, with_body: bool) -> Select[Any]:
    """Article summaries' columns (the body only when needed), filtered, unordered."""
    stmt = _ARTICLE.where(*conditions)
    return (
        stmt
        if with_body
        else stmt.with_only_columns(*(c for c in stmt.selected_columns if c.key != "body"))
    )


def summaries(conn: Connection, rows: Sequence[Any], includes: set[str]) -> list[dict[str, Any]]:
    """Rows of `list_statement` -> dicts shaped like `ArticleSummary`, in five queries at
    most, whatever the number of rows."""
    docs = [_article(row._mapping) for row in rows]
    ids = [d["id"] for d in docs]
    if not ids:
        return []
    found_tags, found_places, found_counts = (
        tags(conn, ids),
        locations(conn, ids),
        counts(conn, ids),
    )
    found_quotes = quotes(conn, ids) if "quotes" in includes else {}
    found_stats = statistics(conn, ids) if "statistics" in includes else {}
    for d in docs:
        d["tags"] = found_tags.get(d["id"], [])
        d["locations"] = found_places.get(d["id"], [])
        d["quote_count"], d["statistic_count"] = found_counts[d["id"]]
        if "quotes" in includes:
            d["quotes"] = found_quotes.get(d["id"], [])
        if "statistics" in includes:
            d["statistics"] = found_stats.get(d["id"], [])
    return docs


def article_count(conn: Connection) -> int:
    """How many articles there are (the read model's rebuild shows progress against it)."""
    return conn.scalar(select(func.count()).select_from(Article)) or 0


# --- the stored documents (`article_document`, kept by app/projections/read_model.py) ------

_DOC = cast(Table, models.ArticleDocument.__table__)

# The stored document, as one driver-level statement (app/core/db.py DriverReads).
STORED_SQL = "SELECT content, etag FROM article_document WHERE article_id = $1"

# Which articles show a directory row (a speaker, source or place) in their documents.
_SHOWING: dict[type[Any], Callable[[str], Any]] = {
    Speaker: lambda id_: select(Quote.article_id).where(Quote.speaker_id == id_),
    Source: lambda id_: select(Article.id).where(Article.source_id == id_),
    # Articles mention a place, and their figures show theirs.
    Location: lambda id_: union(
        select(ArticleLocation.article_id).where(ArticleLocation.location_id == id_),
        select(Statistic.article_id).where(Statistic.location_id == id_),
    ),
}


def stored(conn: Connection, article_id: str) -> tuple[bytes, str] | None:
    """(content, ETag) of the stored document, if there is one."""
    row = conn.execute(
        select(_DOC.c.content, _DOC.c.etag).where(_DOC.c.article_id == article_id)
    ).first()
    return None if row is None else (bytes(row[0]), row[1])


def replace_stored(conn: Connection, ids: Sequence[str], rows: list[dict[str, Any]]) -> None:
    """Delete the stored documents of `ids`, then insert `rows` (article_id, etag, content)."""
    conn.execute(delete(_DOC).where(_DOC.c.article_id.in_(ids)))
    if rows:
        conn.execute(insert(_DOC), rows)


def delete_showing(conn: Connection, kind: type[Any], id_: str) -> None:
    """Delete the stored documents of every article that shows this directory row."""
    conn.execute(delete(_DOC).where(_DOC.c.article_id.in_(_SHOWING[kind](id_))))


def article_ids_after(conn: Connection, last: str, limit: int) -> Sequence[str]:
    """The next `limit` article ids after `last`, in id order (for a full rebuild)."""
    return conn.scalars(
        select(Article.id).where(Article.id > last).order_by(Article.id).limit(limit)
    ).all()
