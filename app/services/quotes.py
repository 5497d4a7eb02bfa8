"""Quotes: the list (with search, facets and each quote's article) and one quote."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from app.core.pagination import CursorCodec
from app.models import Quote
from app.projections import list_items
from app.repositories import item_facets, items
from app.repositories import quotes as repo
from app.schemas.article import QuoteHit, QuoteRead
from app.schemas.filters import QuoteFilter
from app.search.snippets import snippet
from app.services import item_context
from app.services.listing import ListEndpoint, one_or_404
from app.services.stored_pages import StoredPage, assemble


def get_quote(session: Session, quote_id: str) -> QuoteHit:
    """One quote with its article, as a list shows it."""
    found = one_or_404(repo.get_quote(session, quote_id), "quote", quote_id)
    return _render(session, [found], QuoteFilter())[0]


def _render(session: Session | Connection, rows: list[Quote], f: QuoteFilter) -> list[QuoteHit]:
    """Quote rows -> list items with their articles, in two queries (five with
    `include=article`) whatever the number of rows."""
    conn = session if isinstance(session, Connection) else session.connection()
    articles = item_context.articles(conn, [q.article_id for q in rows], f.includes())
    query = f.parsed()
    hits = []
    for q in rows:
        hit = QuoteHit(**QuoteRead.from_row(q).__dict__, article=articles[q.article_id])
        if query is not None:
            hit.snippet = snippet(q.text, query)
        hits.append(hit)
    return hits


def _facets(session: Session, f: QuoteFilter, names: list[str]) -> tuple[dict[str, Any], bool]:
    return item_facets.facets(session, Quote, repo.quote_conditions(f), f, names)


def _stored(conn: Connection, f: QuoteFilter, codec: CursorCodec) -> StoredPage:
    """A page from the stored items (one keyset read), those not stored rendered live."""
    query = f.parsed()
    return assemble(
        items.quote_page(conn, f, codec),
        lambda rows: list_items.live_items(conn, "quote", {r.id: r.article_id for r in rows}),
        None if query is None else lambda row: snippet(row.text, query),
    )


QUOTES = ListEndpoint(
    "quotes",
    QuoteHit,
    repo.quote_statement,
    _render,
    repo.quote_page,
    facets=_facets,
    stored=_stored,
)
