"""What a quote or statistic row shows beside itself: its article (id, title, source and
date, or with `include=article` the whole summary) and its place, read in batches so a page
costs the same few queries whatever its size."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from app.repositories import documents
from app.schemas.article import ArticleRef, ArticleSummary, PlaceRef


def articles(
    conn: Connection, article_ids: Sequence[str], includes: set[str]
) -> dict[str, ArticleRef | ArticleSummary]:
    """The articles of these items, by id: one query, or four with `include=article`."""
    if "article" in includes:
        rows = documents.article_rows(conn, article_ids)
        return {
            doc["id"]: ArticleSummary.model_validate(doc)
            for doc in documents.summaries(conn, rows, set())
        }
    return {
        id_: ArticleRef.model_validate(doc)
        for id_, doc in documents.article_refs(conn, article_ids).items()
    }


def places(conn: Connection, location_ids: Sequence[str | None]) -> dict[str, PlaceRef]:
    """Directory places by id, in one query."""
    found = documents.places(conn, [i for i in location_ids if i is not None])
    return {id_: PlaceRef.model_validate(doc) for id_, doc in found.items()}
