"""GET /v1/search: the old name of an article search, kept as a deprecated alias of
`GET /v1/articles?q=` until its sunset (docs/versioning.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.api.deprecation import SEARCH_ALIAS, deprecated_route
from app.api.deps import CodecDep, DatabaseDep, ReadKey
from app.api.v1.articles import LIST_ROUTE, list_articles
from app.core.errors import Unprocessable
from app.schemas.filters import ArticleFilter

router = APIRouter(tags=["articles"])


@router.get(
    "/search",
    summary="Search articles (deprecated alias)",
    description=(
        "The same as `GET /v1/articles?q=`, with the same parameters and answers; `q` is "
        "required. Every response carries `Deprecation`, `Sunset` and "
        '`Link: rel="deprecation"` headers.' + SEARCH_ALIAS.note()
    ),
    **LIST_ROUTE,
    **deprecated_route(SEARCH_ALIAS),
)
async def search_articles(
    request: Request,
    response: Response,
    filters: Annotated[ArticleFilter, Query()],
    codec: CodecDep,
    database: DatabaseDep,
    _: ReadKey,
) -> Any:
    if filters.q is None:
        raise Unprocessable(
            "`q` is required here; to list without a search use GET /v1/articles.",
            errors=[{"loc": ["query", "q"], "msg": "Field required", "type": "missing"}],
        )
    return await list_articles(filters, request, response, codec, database, _)
