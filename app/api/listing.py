"""Serving a declared list over HTTP: a keyset page as JSON (with a `Link` header), or the
whole result as an NDJSON or CSV stream (`format=` or `Accept`), ignoring `limit`. What a
list reads is declared once, as a `ListEndpoint` in its service (app/services/listing.py)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from typing import Any

from fastapi import Request, Response
from fastapi import routing as fastapi_routing
from fastapi.responses import StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel

from app.core.db import Database, Session
from app.core.pagination import CursorCodec, apply_link
from app.schemas.common import READ_PROBLEMS, WRITE_PROBLEMS, FacetedPage, Page, problems
from app.schemas.filters import ListParams
from app.services import listing
from app.services.listing import F, ListEndpoint
from app.services.stored_pages import StoredPage

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


class Lists:
    """Serves a declared list for this request: the stream when one was asked for, else one
    page with its `Link` header (built by `get_lists` in app/api/deps.py)."""

    def __init__(
        self,
        request: Request,
        response: Response,
        session: Session,
        codec: CursorCodec,
        database: Database,
    ) -> None:
        self.request, self.response, self.session = request, response, session
        self.codec, self.database = codec, database

    def serve(self, endpoint: ListEndpoint[F], filters: F) -> Any:
        stream = export_response(endpoint, filters, self.request, self.database)
        if stream is not None:
            return stream
        page = listing.page(endpoint, self.session, filters, self.codec)
        apply_link(self.response, self.request.url, page.next_cursor)
        return page


class StoredJSON(Response):
    """A page's JSON bytes, assembled from stored items."""

    media_type = "application/json"


class ReadLists:
    """Serves a declared list with no thread-pool hop (built by `get_read_lists` in
    app/api/deps.py): the stream when one was asked for, else one page (the stored items'
    bytes when the list has them) with its `Link` header."""

    def __init__(
        self, request: Request, response: Response, codec: CursorCodec, database: Database
    ) -> None:
        self.request, self.response = request, response
        self.codec, self.database = codec, database

    async def serve(self, endpoint: ListEndpoint[F], filters: F) -> Any:
        stream = export_response(endpoint, filters, self.request, self.database)
        if stream is not None:
            return stream
        page = await listing.serve_page(endpoint, self.database, filters, self.codec)
        apply_link(self.response, self.request.url, page.next_cursor)
        if isinstance(page, StoredPage):
            out = StoredJSON(page.content)
            out.raw_headers.extend(self.response.raw_headers)  # the Link header set above
            return out
        return page


# A part of a query string that needs no decoding and is valid as it stands.
_PLAIN_PART = re.compile(rb"limit=(?:[1-9][0-9]?|100)|cursor=[A-Za-z0-9_.-]{1,2000}")
_PLAIN_FILTERS: ContextVar[ListParams] = ContextVar("plain_filters")


def plain_query(query: bytes) -> dict[str, Any] | None:
    """The parameters of a query string giving nothing but a valid `limit` and/or `cursor`
    (each once, nothing to decode), else None."""
    given: dict[bytes, bytes] = {}
    for part in query.split(b"&") if query else ():
        if not _PLAIN_PART.fullmatch(part):
            return None
        key, _, value = part.partition(b"=")
        if key in given:
            return None
        given[key] = value
    out: dict[str, Any] = {}
    if b"limit" in given:
        out["limit"] = int(given[b"limit"])
    if b"cursor" in given:
        out["cursor"] = given[b"cursor"].decode()
    return out


Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class ListRoute(APIRoute):
    """A route whose list query model (a `ListParams`) FastAPI need not solve when the
    request gives only `limit`/`cursor` (the pages every client walks): those filters are
    validated from the two values alone and the endpoint runs with every other dependency
    solved as declared (key, rate limit, ...). Any other query string takes the declared
    path, so its answers and errors, and the OpenAPI document, are unchanged."""

    def get_route_handler(self) -> Handler:
        full = super().get_route_handler()
        route = _being_built(self)
        found = _list_model(route.dependant)
        if found is None:
            return full
        name, model = found
        declared = route.dependant
        route.dependant = dataclasses.replace(
            declared,
            query_params=[q for q in declared.query_params if q.name != name],
            call=_given_filters(declared.call, name),
        )
        try:
            plain = super().get_route_handler()
        finally:
            route.dependant = declared

        async def handler(request: Request) -> Response:
            given = plain_query(request.scope["query_string"])
            if given is None:
                return await full(request)
            token = _PLAIN_FILTERS.set(model.model_validate(given))
            try:
                return await plain(request)
            finally:
                _PLAIN_FILTERS.reset(token)

        return handler


def _being_built(route: APIRoute) -> Any:
    """The route, or the inclusion of it (under a prefix, with the including routers'
    dependencies) whose handler FastAPI is building now: FastAPI says which in a context
    variable of its own (fastapi/routing.py, `APIRoute.get_route_handler`)."""
    context = getattr(fastapi_routing, "_effective_route_context_var", None)
    building = None if context is None else context.get()
    return building if building is not None and building.original_route is route else route


def _list_model(dependant: Any) -> tuple[str, type[ListParams]] | None:
    for param in dependant.query_params:
        kind = param.field_info.annotation
        if isinstance(kind, type) and issubclass(kind, ListParams):
            return param.name, kind
    return None


def _given_filters(call: Any, name: str) -> Callable[..., Coroutine[Any, Any, Any]]:
    async def with_filters(**values: Any) -> Any:
        return await call(**{name: _PLAIN_FILTERS.get()}, **values)

    return with_filters


def list_route(
    item: type[BaseModel], summary: str, *, exclude_unset: bool = False, faceted: bool = False
) -> Any:
    """The `router.get` arguments of a list: a page of `item` (with `facets` when the list
    has them), or a stream."""
    extra = {"response_model_exclude_unset": True} if exclude_unset else {}
    envelope = FacetedPage if faceted else Page
    return {
        "response_model": envelope[item],
        **extra,
        "summary": summary,
        "responses": {**export_responses(item), **problems(400, 422, *READ_PROBLEMS)},
    }


def get_route(model: type[BaseModel], summary: str, *codes: int) -> Any:
    """The `router.get` arguments of a read answering `model`: by default one resource by
    id (404, 422), else the problem codes given."""
    return {
        "response_model": model,
        "summary": summary,
        "responses": problems(*(codes or (404, 422)), *READ_PROBLEMS),
    }


def write_route(
    model: type[BaseModel] | None, summary: str, *codes: int, status_code: int | None = None
) -> Any:
    """The route arguments of a write answering `model` (None: no body) with the problem
    codes given and those of every write."""
    args: dict[str, Any] = {"summary": summary, "responses": problems(*codes, *WRITE_PROBLEMS)}
    if model is not None:
        args["response_model"] = model
    if status_code is not None:
        args["status_code"] = status_code
    return args


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
