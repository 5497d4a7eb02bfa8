"""Quotes: the list (with search) and one quote."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.repositories import quotes as repo
from app.schemas.article import QuoteHit, QuoteRead
from app.schemas.filters import QuoteFilter
from app.services.listing import ListEndpoint, one_or_404
from app.services.views import quote_hits, quote_read

QUOTES: ListEndpoint[QuoteFilter] = ListEndpoint(
    "quotes",
    QuoteHit,
    statement=repo.quote_statement,
    render=lambda _session, rows, f: quote_hits(rows, f.parsed()),
    page=repo.quote_page,
)


def get_quote(session: Session, quote_id: str) -> QuoteRead:
    return quote_read(one_or_404(repo.get_quote(session, quote_id), "quote", quote_id))
