"""/v1/quotes: what articles say, as a first-class list."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.api.deps import QuoteId, ReadKey, ReadListsDep, SessionDep
from app.api.listing import ListRoute, get_route, list_route
from app.schemas.article import QuoteHit
from app.schemas.filters import QuoteFilter
from app.services import quotes as service

router = APIRouter(prefix="/quotes", tags=["quotes"], route_class=ListRoute)


@router.get("", **list_route(QuoteHit, "List quotes", exclude_unset=True, faceted=True))
async def list_quotes(
    filters: Annotated[QuoteFilter, Query()], lists: ReadListsDep, _: ReadKey
) -> Any:
    """Quotes across articles, newest article first, each with its article's id, title,
    source and `published_at` (`include=article`: the article's whole summary, places with
    coordinates included), so a list row needs no other request.

    `speaker` matches a speaker's name or any known alias case-insensitively
    (`speaker=Umerov` finds Rustem Umerov); `kind` is `direct` (in quotation marks) or
    `indirect` (reported speech); `source`, `location` and `country` filter on the quote's
    article, as on `GET /v1/articles`. Every name or id filter takes several values
    (`speaker=Umerov&speaker=Schmale` or `speaker=Umerov,Schmale`: any of them); `ids=`
    fetches up to 100 known quotes, `updated_since=` what changed. `q` searches the quoted
    words and the speaker's name and role (same syntax as for articles). `facets=` adds
    counts over the whole filtered result (`speaker`, `kind`, `source`, `location`,
    `country`, `month`), shaped as the article facets."""
    return await lists.serve(service.QUOTES, filters)


@router.get("/{quote_id}", **get_route(QuoteHit, "Get a quote"), response_model_exclude_unset=True)
def get_quote(quote_id: QuoteId, session: SessionDep, _: ReadKey) -> QuoteHit:
    """One quote with its speaker (name and the role given in that article), its span in
    the article body and its article (id, title, source, `published_at`), as lists show it."""
    return service.get_quote(session, quote_id)
