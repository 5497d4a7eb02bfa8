"""Quotes: the list (with search) and one quote."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.core.errors import NotFound
from app.repositories import quotes as repo
from app.schemas.article import QuoteHit, QuoteRead
from app.schemas.filters import QuoteFilter
from app.services.listing import ListEndpoint
from app.services.views import quote_hits, quote_read

QUOTES: ListEndpoint[QuoteFilter] = ListEndpoint(
    "quotes",
    QuoteHit,
    statement=repo.quote_statement,
    render=lambda _session, rows, f: quote_hits(rows, f.parsed()),
    page=repo.quote_page,
)


def get_quote(session: Session, quote_id: str) -> QuoteRead:
    quote = repo.get_quote(session, quote_id)
    if quote is None:
        raise NotFound(f"No quote with id {quote_id}.")
    return quote_read(quote)
