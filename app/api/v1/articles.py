"""/v1/articles: list, read, create, update, delete."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response

from app.api.body import ArticlePayload, payload_openapi, read_article_payload
from app.api.deps import (
    ArticleDep,
    ArticleId,
    CodecDep,
    DatabaseDep,
    IdempotencyDep,
    ReadKey,
    SessionDep,
    WriteKey,
)
from app.api.listing import ListRoute, export_response, export_responses, write_route
from app.core.pagination import apply_link
from app.schemas.article import (
    ArticlePage,
    ArticleRead,
    ArticleSummary,
    ArticleUpdate,
)
from app.schemas.common import READ_PROBLEMS, WRITE_PROBLEMS, problems
from app.schemas.filters import ArticleFilter
from app.services import article_reads, listing
from app.services import articles as article_service
from app.services.stored_pages import StoredPage

router = APIRouter(prefix="/articles", tags=["articles"], route_class=ListRoute)

IfMatch = Annotated[
    str | None,
    Header(
        description="ETag from a previous read; the write applies only if it still matches.",
        examples=['"3f2a9c0d1b7e4a56b8c9d0e1f2a3b4c5"'],
    ),
]


class JSONResponseBytes(Response):
    """Pre-rendered JSON: the same bytes the ETag was computed from."""

    media_type = "application/json"


# The list's route arguments, shared by its deprecated alias (`GET /v1/search`).
LIST_ROUTE: dict[str, Any] = {
    "response_model": ArticlePage,
    "response_model_exclude_unset": True,
    "responses": {**export_responses(ArticleSummary), **problems(400, 422, *READ_PROBLEMS)},
}


@router.get("", summary="List articles", **LIST_ROUTE)
async def list_articles(
    filters: Annotated[ArticleFilter, Query()],
    request: Request,
    response: Response,
    codec: CodecDep,
    database: DatabaseDep,
    _: ReadKey,
) -> Any:
    """Articles, newest first (by `published_at`, else the time they were stored).

    Filters combine with AND. Names (`source`, `speaker`, `location`) match case-insensitively,
    speakers also by alias. Every name or id filter takes several values, repeated or
    comma-separated (`source=A&source=B` or `source=A,B`: any of them); `ids=` fetches up to
    100 known articles, `updated_since=` those changed since a time. Pages are keyset
    cursors: pass `next_cursor` back as `cursor`; the `Link` header carries the same URL.
    `include=body,quotes,statistics` embeds more in each item.

    `q` searches titles and bodies (see its syntax below) and adds a highlighted `snippet`
    to each item; results come by relevance unless `sort=date`. `facets=` adds counts over
    the whole filtered result, e.g. `facets=source,location,month`. `format=ndjson|csv`
    streams every matching row instead of a page."""
    stream = export_response(article_reads.ARTICLES, filters, request, database)
    if stream is not None:
        return stream
    plain = await listing.plain_page("articles", database, filters, codec)
    page = await article_reads.list_page(database, filters, codec) if plain is None else plain
    apply_link(response, request.url, page.next_cursor)
    if isinstance(page, StoredPage):  # the JSON bytes, assembled from the stored items
        out = JSONResponseBytes(page.content)
        out.raw_headers.extend(response.raw_headers)  # Link (and a deprecated alias' headers)
        return out
    return page


@router.get(
    "/{article_id}",
    response_model=ArticleRead,
    summary="Get an article",
    responses=problems(404, 422, *READ_PROBLEMS),
)
async def get_article(article_id: ArticleId, database: DatabaseDep, _: ReadKey) -> Response:
    """One article with its clean body, places, tags, quotes and statistics. Every quote and
    statistic carries `start`/`end` offsets such that `body[start:end] == text`.

    The response has a strong `ETag`; send it back in `If-None-Match` for a 304, or in
    `If-Match` on PATCH/DELETE so a concurrent edit is never silently lost."""
    doc = await article_reads.get_document(database, article_id)
    return JSONResponseBytes(doc.content, headers={"ETag": doc.etag})


@router.post(
    "",
    status_code=201,
    response_model=ArticleRead,
    summary="Create an article",
    responses=problems(400, 409, 413, 415, 422, *WRITE_PROBLEMS),
    openapi_extra=payload_openapi(),
)
def create_article(
    payload: Annotated[ArticlePayload, Depends(read_article_payload)],
    session: SessionDep,
    _: WriteKey,
    idempotency: IdempotencyDep,
) -> Response:
    """Store an article, sent either **structured** (`title`, `body`, optional `quotes`,
    `statistics`, `locations`...) or **raw** (`{"text": ...}` or a `text/plain` body, parsed,
    cleaned and extracted).

    Quotes and statistics sent are stored as given after a provenance check
    (`body[start:end]` must equal `text`, else 422). A structured article sent without quotes
    and statistics has them extracted from its body unless `extract` is false. An article
    whose canonical URL (or, without a URL, whose title and body) is already stored is
    refused with 409 and its `existing_id`.

    Send an `Idempotency-Key` to make retries safe: a retry replays the first response
    (with `Idempotent-Replayed: true`)."""
    replay = idempotency.replay(session)
    if replay is not None:
        return replay
    doc = article_service.store(session, payload)
    response = JSONResponseBytes(
        doc.content,
        status_code=201,
        headers={"Location": f"/v1/articles/{doc.id}", "ETag": doc.etag},
    )
    return idempotency.complete(session, response)


@router.patch(
    "/{article_id}",
    response_model=ArticleRead,
    summary="Update an article",
    responses={
        200: {
            "description": "Successful Response",
            "headers": {
                "X-Extracted": {
                    "description": (
                        "When the new body's quotes/statistics were re-extracted: how many "
                        "were stored, e.g. `quotes=3; statistics=2`."
                    ),
                    "schema": {"type": "string"},
                }
            },
        },
        **problems(400, 404, 409, 412, 413, 422, *WRITE_PROBLEMS),
    },
)
def update_article(
    article: ArticleDep,
    body: ArticleUpdate,
    session: SessionDep,
    _: WriteKey,
    if_match: IfMatch = None,
) -> Response:
    """Change only the fields sent. Sending `quotes`, `statistics`, `tags` or `locations`
    replaces that list. A new `body` sent without new quotes/statistics has them
    re-extracted, so offsets always index the stored body; the response then says how many
    were stored in `X-Extracted: quotes=3; statistics=2` (only the lists not sent).

    With `If-Match: <ETag>` the update applies only if the article is unchanged since that
    ETag was read (else 412); concurrent updates without it never interleave either: the
    loser gets 412 and must re-read."""
    doc, extracted = article_service.change(session, article, body, if_match)
    headers = {"ETag": doc.etag}
    if extracted is not None:
        headers["X-Extracted"] = extracted.header()
    return JSONResponseBytes(doc.content, headers=headers)


@router.delete(
    "/{article_id}", **write_route(None, "Delete an article", 404, 412, 422, status_code=204)
)
def delete_article(
    article: ArticleDep, session: SessionDep, _: WriteKey, if_match: IfMatch = None
) -> Response:
    """Delete an article with its quotes and statistics. Speakers, sources and places stay in
    their directories. Honours `If-Match` like PATCH."""
    article_service.remove(session, article, if_match)
    return Response(status_code=204)
