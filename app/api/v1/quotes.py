"""/v1/quotes: what articles say, as a first-class list."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.api.deps import CodecDep, DatabaseDep, QuoteId, ReadKey, SessionDep
from app.api.listing import export_responses, serve_list
from app.schemas.article import QuoteHit, QuoteRead
from app.schemas.common import READ_PROBLEMS, Page, problems
from app.schemas.filters import QuoteFilter
from app.services import quotes as service

router = APIRouter(prefix="/quotes", tags=["quotes"])


@router.get(
    "",
    response_model=Page[QuoteHit],
    response_model_exclude_unset=True,
    summary="List quotes",
    responses={**export_responses(QuoteRead), **problems(400, 422, *READ_PROBLEMS)},
)
def list_quotes(
    filters: Annotated[QuoteFilter, Query()],
    request: Request,
    response: Response,
    session: SessionDep,
    codec: CodecDep,
    database: DatabaseDep,
    _: ReadKey,
) -> Any:
    """Quotes across articles, newest article first. `speaker` matches a speaker's name or any
    known alias case-insensitively (`speaker=Umerov` finds Rustem Umerov); `kind` is `direct`
    (in quotation marks) or `indirect` (reported speech). `q` searches the quoted words and
    the speaker's name and role (same syntax as for articles)."""
    return serve_list(service.QUOTES, filters, request, response, session, codec, database)


@router.get(
    "/{quote_id}",
    response_model=QuoteRead,
    summary="Get a quote",
    responses=problems(404, 422, *READ_PROBLEMS),
)
def get_quote(
    quote_id: QuoteId,
    session: SessionDep,
    _: ReadKey,
) -> QuoteRead:
    """One quote with its speaker (name and the role given in that article) and its span in
    the article body."""
    return service.get_quote(session, quote_id)
