"""Reading articles as the routes return them: the detail's stored JSON document (one
primary-key read on the driver), list pages assembled from the stored list items (one keyset
read on a Core connection), or rendered from plain rows when they embed more or count
facets, and the list's export declaration."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import Connection

from app.core.db import Database
from app.core.errors import NotFound
from app.core.pagination import CursorCodec
from app.projections import read_model
from app.repositories import articles as repo
from app.repositories import documents
from app.schemas.article import ArticlePage, ArticleSummary
from app.schemas.common import FacetBucket
from app.schemas.filters import ArticleFilter
from app.search.snippets import snippet
from app.search.syntax import Query
from app.services.listing import ListEndpoint
from app.services.stored_pages import StoredPage, assemble

ARTICLES: ListEndpoint[ArticleFilter] = ListEndpoint(
    "articles",
    ArticleSummary,
    statement=lambda f, dialect: repo.summary_statement(f, dialect)[0],
    render=lambda session, rows, f: article_summaries(
        session.connection(), rows, f.includes(), f.parsed()
    ),
)
"""The export of the list (its pages are `list_page`)."""


@dataclass(frozen=True)
class Document:
    """An article's JSON as every route returns it, with its strong ETag."""

    id: str
    content: bytes
    etag: str


async def get_document(database: Database, article_id: str) -> Document:
    """The stored document on the driver (one primary-key read), else rendered live."""
    found = await database.row(read_model.STORED, article_id)
    if found is None:  # not stored (yet): rendered live, or absent
        found = await database.read(partial(read_model.render_live, article_id=article_id))
    if found is None:
        raise NotFound(f"No article with id {article_id}.")
    return Document(article_id, bytes(found[0]), found[1])


async def list_page(
    database: Database, filters: ArticleFilter, codec: CursorCodec
) -> ArticlePage | StoredPage:
    """One page on a Core connection: the JSON bytes assembled from the stored items, or,
    when the page embeds more (`include=`) or counts `facets=`, the summaries rendered."""
    if filters.includes() or filters.facet_names():
        return await database.read(partial(_summary_page, filters=filters, codec=codec))
    return await database.read(partial(_stored_page, filters=filters, codec=codec))


def _stored_page(conn: Connection, *, filters: ArticleFilter, codec: CursorCodec) -> StoredPage:
    """One keyset read of the stored items (those not stored are rendered live), with the
    snippet appended when searched, in the envelope."""
    query = filters.parsed()

    def live(rows: list[Any]) -> dict[str, bytes]:
        found = documents.article_rows(conn, [row.id for row in rows])
        return {
            item.id: item.model_dump_json(exclude_unset=True).encode()
            for item in article_summaries(conn, found, set(), None)
        }

    return assemble(
        repo.summary_page(conn, filters, codec, stored=True),
        live,
        None if query is None else lambda row: snippet(row.body, query),
    )


def _summary_page(conn: Connection, *, filters: ArticleFilter, codec: CursorCodec) -> ArticlePage:
    result = repo.summary_page(conn, filters, codec)
    items = article_summaries(conn, result.rows, filters.includes(), filters.parsed())
    page = ArticlePage(data=items, next_cursor=result.next_cursor)
    names = filters.facet_names()
    if not names:
        return page
    counted, sampled = repo.facets(conn, filters, names)
    page.facets = {
        name: [FacetBucket(value=v, label=label, count=c) for v, label, c in found]
        for name, found in counted.items()
    }
    page.facets_sampled = sampled
    return page


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
