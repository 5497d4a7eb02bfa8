"""/v1/quotes: what articles say, as a first-class list."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.api.deps import ListsDep, QuoteId, ReadKey, SessionDep
from app.api.listing import get_route, list_route
from app.schemas.article import QuoteHit, QuoteRead
from app.schemas.filters import QuoteFilter
from app.services import quotes as service

router = APIRouter(prefix="/quotes", tags=["quotes"])


@router.get("", **list_route(QuoteHit, "List quotes", exclude_unset=True))
def list_quotes(filters: Annotated[QuoteFilter, Query()], lists: ListsDep, _: ReadKey) -> Any:
    """Quotes across articles, newest article first. `speaker` matches a speaker's name or any
    known alias case-insensitively (`speaker=Umerov` finds Rustem Umerov); `kind` is `direct`
    (in quotation marks) or `indirect` (reported speech). `q` searches the quoted words and
    the speaker's name and role (same syntax as for articles)."""
    return lists.serve(service.QUOTES, filters)


@router.get("/{quote_id}", **get_route(QuoteRead, "Get a quote"))
def get_quote(quote_id: QuoteId, session: SessionDep, _: ReadKey) -> QuoteRead:
    """One quote with its speaker (name and the role given in that article) and its span in
    the article body."""
    return service.get_quote(session, quote_id)
