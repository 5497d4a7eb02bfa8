"""Quotes: the list (with search, facets and each quote's article) and one quote."""

from __future__ import annotations

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from app.models import Quote
from app.repositories import items
from app.repositories import quotes as repo
from app.schemas.article import QuoteHit, QuoteRead
from app.schemas.filters import QuoteFilter
from app.search.snippets import snippet
from app.services import item_context, item_lists
from app.services.listing import ListEndpoint, one_or_404


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


_facets = item_lists.facets_of(Quote, repo.quote_conditions)
_stored = item_lists.stored_of("quote", items.quote_page, lambda row: row.text)


QUOTES = ListEndpoint(
    "quotes",
    QuoteHit,
    repo.quote_statement,
    _render,
    repo.quote_page,
    facets=_facets,
    stored=_stored,
)
