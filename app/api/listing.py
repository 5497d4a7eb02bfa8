"""One way to serve every list: a keyset page as JSON, or the whole result as an NDJSON or
CSV stream (`format=` or `Accept`), ignoring `limit`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from app.core.db import Database, Session
from app.core.pagination import CursorCodec, PageResult, apply_link
from app.schemas.common import Page
from app.schemas.filters import ListParams
from app.services import export

MEDIA = {"ndjson": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}
_ACCEPT = {
    "application/x-ndjson": "ndjson",
    "application/ndjson": "ndjson",
    "application/jsonl": "ndjson",
    "text/csv": "csv",
}


@dataclass(frozen=True)
class Listing:
    name: str
    model: type[BaseModel]
    page: Callable[[Any, Any, CursorCodec], PageResult]  # (session or connection, filters, codec)
    statement: Callable[[Any, str], Any]  # (filters, dialect) -> Select
    render: Callable[[Session, list[Any], Any], list[Any]]


def negotiate(params: ListParams, request: Request) -> str:
    if params.format:
        return params.format
    for part in request.headers.get("accept", "").split(","):
        fmt = _ACCEPT.get(part.split(";")[0].strip().lower())
        if fmt:
            return fmt
    return "json"


def export_response(
    listing: Listing,
    filters: ListParams,
    request: Request,
    database: Database,
) -> StreamingResponse | None:
    """The whole result as an NDJSON or CSV stream, when that is what was asked for."""
    fmt = negotiate(filters, request)
    if fmt == "json":
        return None
    body = export.stream(
        database.stream,
        listing.statement(filters, database.dialect),
        lambda s, rows: listing.render(s, rows, filters),
        fmt,
        listing.model,
    )
    return StreamingResponse(
        body,
        media_type=MEDIA[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{listing.name}.{fmt}"',
            "Cache-Control": "no-store",
        },
    )


def serve_list(
    listing: Listing,
    filters: ListParams,
    request: Request,
    response: Response,
    session: Session,
    codec: CursorCodec,
    database: Database,
) -> Any:
    stream = export_response(listing, filters, request, database)
    if stream is not None:
        return stream
    result = listing.page(session, filters, codec)
    apply_link(response, request.url, result.next_cursor)
    return Page[listing.model](  # type: ignore[name-defined]
        data=listing.render(session, result.rows, filters), next_cursor=result.next_cursor
    )


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
