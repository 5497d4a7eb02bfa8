"""Quotes: the list (with search) and one quote."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.models import Quote
from app.repositories import quotes as repo
from app.schemas.article import QuoteHit, QuoteRead
from app.schemas.filters import QuoteFilter
from app.search.snippets import snippet
from app.search.syntax import Query
from app.services.listing import ListEndpoint, one_or_404


def get_quote(session: Session, quote_id: str) -> QuoteRead:
    return QuoteRead.from_row(one_or_404(repo.get_quote(session, quote_id), "quote", quote_id))


def _hits(rows: list[Quote], query: Query | None) -> list[QuoteHit]:
    hits = [QuoteHit(**QuoteRead.from_row(q).__dict__) for q in rows]
    if query is not None:
        for hit, q in zip(hits, rows, strict=True):
            hit.snippet = snippet(q.text, query)
    return hits


def _render(_session: Any, rows: list[Any], filters: QuoteFilter) -> list[QuoteHit]:
    return _hits(rows, filters.parsed())


QUOTES = ListEndpoint("quotes", QuoteHit, repo.quote_statement, _render, repo.quote_page)
