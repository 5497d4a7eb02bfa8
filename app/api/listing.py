"""Serving a declared list over HTTP: a keyset page as JSON (with a `Link` header), or the
whole result as an NDJSON or CSV stream (`format=` or `Accept`), ignoring `limit`. What a
list reads is declared once, as a `ListEndpoint` in its service (app/services/listing.py)."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from app.core.db import Database, Session
from app.core.pagination import CursorCodec, apply_link
from app.schemas.filters import ListParams
from app.services import listing
from app.services.listing import F, ListEndpoint

MEDIA = {"ndjson": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}
_ACCEPT = {
    "application/x-ndjson": "ndjson",
    "application/ndjson": "ndjson",
    "application/jsonl": "ndjson",
    "text/csv": "csv",
}


def negotiate(params: ListParams, request: Request) -> str:
    if params.format:
        return params.format
    for part in request.headers.get("accept", "").split(","):
        fmt = _ACCEPT.get(part.split(";")[0].strip().lower())
        if fmt:
            return fmt
    return "json"


def export_response(
    endpoint: ListEndpoint[F], filters: F, request: Request, database: Database
) -> StreamingResponse | None:
    """The whole result as an NDJSON or CSV stream, when that is what was asked for."""
    fmt = negotiate(filters, request)
    if fmt == "json":
        return None
    return StreamingResponse(
        listing.export_rows(endpoint, filters, database, fmt),
        media_type=MEDIA[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{endpoint.name}.{fmt}"',
            "Cache-Control": "no-store",
        },
    )


def serve_list(
    endpoint: ListEndpoint[F],
    filters: F,
    request: Request,
    response: Response,
    session: Session,
    codec: CursorCodec,
    database: Database,
) -> Any:
    """A declared list: the stream when one was asked for, else one page."""
    stream = export_response(endpoint, filters, request, database)
    if stream is not None:
        return stream
    page = listing.page(endpoint, session, filters, codec)
    apply_link(response, request.url, page.next_cursor)
    return page


def export_responses(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    """Document the stream media types next to the JSON page."""
    return {
        200: {
            "description": (
                "A page of results, or with `format=ndjson|csv` (or `Accept`) every matching "
                "row as a stream."
            ),
            "content": {
                "application/x-ndjson": {"schema": {"type": "string"}},
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    }
