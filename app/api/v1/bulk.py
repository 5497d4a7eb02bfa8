"""POST /v1/articles/bulk: many articles as a JSON array or NDJSON, one result per article."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from starlette.requests import ClientDisconnect
from starlette.types import Receive, Scope, Send

from app.api.body import RAW_TEXT_EXTENSION
from app.api.deps import DatabaseDep, WriteKey
from app.core.errors import UnsupportedMediaType
from app.schemas.bulk import BulkResult
from app.schemas.common import WRITE_PROBLEMS, problems
from app.services import bulk

router = APIRouter(prefix="/articles", tags=["articles"])


class RequestFedStream(StreamingResponse):
    """A stream produced while the request body is still being read. Starlette's default
    (before ASGI 2.4) listens for a disconnect on `receive` at the same time, which would
    swallow body chunks; here only the body reader calls `receive`, and a client that goes
    away surfaces as a failed send."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.stream_response(send)
        except OSError as exc:
            raise ClientDisconnect from exc


BULK_MAX_BYTES = 64 * 1024 * 1024
# In the order the OpenAPI document lists them.
_NDJSON = ("application/x-ndjson", "application/ndjson", "application/jsonl", "text/plain")

_EXAMPLE_IN = (
    '{"title": "Convoy reaches Sumy", "body": "An aid convoy of 14 trucks reached Sumy.", '
    '"url": "https://north-wire.example/sumy-convoy", "source": "North Wire"}\n'
    '{"text": "Dam breach floods villages\\n\\nRiver Post\\n\\nAt least 3,000 people..."}\n'
    '{"title": 42}\n'
)
_EXAMPLE_OUT = (
    '{"line": 1, "status": "created", "id": "art_0195c1a2b3c47d8e9f00112233445566"}\n'
    '{"line": 2, "status": "duplicate", "id": "art_0195c1a2b3c47d8e9f00112233445577"}\n'
    '{"line": 3, "status": "error", "detail": "validation failed", "errors": [...]}\n'
)


_EXAMPLE_JSON_IN = [
    {
        "title": "Convoy reaches Sumy",
        "body": "An aid convoy of 14 trucks reached Sumy.",
        "url": "https://north-wire.example/sumy-convoy",
        "source": "North Wire",
    },
    {"text": "Dam breach floods villages\n\nRiver Post\n\nAt least 3,000 people..."},
    {"title": 42},
]
_EXAMPLE_JSON_OUT = [
    {"line": 1, "status": "created", "id": "art_0195c1a2b3c47d8e9f00112233445566"},
    {"line": 2, "status": "duplicate", "id": "art_0195c1a2b3c47d8e9f00112233445577"},
    {
        "line": 3,
        "status": "error",
        "detail": "validation failed",
        "errors": [
            {"loc": ["title"], "msg": "Input should be a valid string", "type": "string_type"}
        ],
    },
]
_ITEMS = {
    "type": "array",
    "items": {
        "oneOf": [
            {"$ref": "#/components/schemas/ArticleCreate"},
            {"$ref": "#/components/schemas/RawArticleCreate"},
        ]
    },
}


@router.post(
    "/bulk",
    summary="Import articles in bulk",
    response_model=list[BulkResult],
    responses={
        200: {
            "description": "One result per article, in order: a JSON array for a JSON body; "
            "for NDJSON, one JSON line per input line, streamed as they commit.",
            "content": {
                "application/json": {"example": _EXAMPLE_JSON_OUT},
                "application/x-ndjson": {"schema": {"type": "string"}, "example": _EXAMPLE_OUT},
            },
        },
        **problems(400, 413, 415, 422, *WRITE_PROBLEMS),
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": 'The articles, structured or `{"text": ...}` raw text: a JSON '
            "array of them. The same objects may instead be sent as NDJSON, one per line, "
            "with `Content-Type: application/x-ndjson` (also `application/ndjson`, "
            "`application/jsonl`, `text/plain`); the results then stream back as NDJSON.",
            "content": {"application/json": {"schema": _ITEMS, "example": _EXAMPLE_JSON_IN}},
            # NDJSON is named in the extension, not in `content`: client generators warn on a
            # body type they cannot model, and the JSON array says the same thing.
            RAW_TEXT_EXTENSION: {
                "application/x-ndjson": {"schema": {"type": "string"}, "example": _EXAMPLE_IN},
                **{media: {"schema": {"type": "string"}} for media in _NDJSON[1:]},
            },
        }
    },
    max_body_size=BULK_MAX_BYTES,
)
async def import_articles(
    request: Request, database: DatabaseDep, _: WriteKey
) -> StreamingResponse:
    """Each article is validated and stored whole or not at all, and its result is sent once
    it has committed: `created` with the new id, `duplicate` with the id of the article
    already stored (same canonical URL or same content), or `error` with the line (the
    item's 1-based position in a JSON array) and the reasons. A bad article never spoils the
    others, and an article is never stored without its quotes and statistics. Articles are
    written in batches of the lines already received, one transaction per batch.

    Send a JSON array (`application/json`; the answer is a JSON array of results, in the
    same order) or NDJSON (`application/x-ndjson`, one article per line; the answer is one
    result line per input line, streamed as they commit, and blank lines are skipped).
    Limits: 64 MiB per request, 10,000 articles, 1 MB per article. Re-sending a file is safe:
    stored articles come back as `duplicate`. If the server is shutting down, the import
    ends after the batch in progress with a `not_processed` result naming the first article
    not read."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/json":
        items = bulk.array_items(await request.body())
        return StreamingResponse(
            bulk.import_array(items, database.line_session), media_type="application/json"
        )
    if media not in _NDJSON:
        raise UnsupportedMediaType(
            "Send the articles as a JSON array (application/json) or as "
            "application/x-ndjson, one per line."
        )
    return RequestFedStream(
        bulk.import_stream(request.stream(), database.line_session),
        media_type="application/x-ndjson",
    )
