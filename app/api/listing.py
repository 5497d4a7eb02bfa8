"""One way to serve every list: a keyset page as JSON, or the whole result as an NDJSON or
CSV stream (`format=` or `Accept`), ignoring `limit`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from sqlalchemy import Connection, Select
from sqlalchemy.orm import Session

from app.core.db import Database, DriverReads, driver_sql
from app.core.pagination import CursorCodec, PageResult, apply_link
from app.schemas.common import Page
from app.schemas.filters import ListParams
from app.services import export

T = TypeVar("T")

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
    statement: Callable[[Any, str], Select[Any]]  # (filters, dialect)
    render: Callable[[Session, list[Any], Any], list[Any]]


def _transactions(
    request: Request, *, write: bool
) -> Callable[[], AbstractContextManager[Session]]:
    database: Database = request.app.state.database

    @contextmanager
    def open_session() -> Iterator[Session]:
        with database.session(write=write) as session, session.begin():
            yield session

    return open_session


async def get_stream_sessions(
    request: Request,
) -> Callable[[], AbstractContextManager[Session]]:
    """Exports outlive the request's session, so they open their own read transaction."""
    return _transactions(request, write=False)


StreamSessions = Annotated[
    Callable[[], AbstractContextManager[Session]], Depends(get_stream_sessions)
]


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
    sessions: Callable[[], AbstractContextManager[Session]],
) -> StreamingResponse | None:
    """The whole result as an NDJSON or CSV stream, when that is what was asked for."""
    fmt = negotiate(filters, request)
    if fmt == "json":
        return None
    database: Database = request.app.state.database
    body = export.stream(
        sessions,
        listing.statement(filters, database.engine.dialect.name),
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
    sessions: Callable[[], AbstractContextManager[Session]],
) -> Any:
    stream = export_response(listing, filters, request, sessions)
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


async def get_line_sessions(
    request: Request,
) -> Callable[[], AbstractContextManager[Session]]:
    """Bulk import commits each line on its own: a write transaction per line."""
    return _transactions(request, write=True)


LineSessionsDep = Annotated[
    Callable[[], AbstractContextManager[Session]], Depends(get_line_sessions)
]


class Reader:
    """Runs a read on a Core connection: inline on SQLite (bounded, index-backed queries
    cost less than the thread-pool hop), in the thread pool on a networked database.
    `row()` runs one statement on the driver itself when the database offers it."""

    def __init__(
        self,
        connect: Callable[[], AbstractContextManager[Connection]],
        *,
        inline: bool,
        driver: DriverReads | None = None,
    ) -> None:
        self.connect, self.inline, self.driver = connect, inline, driver

    async def __call__(self, read: Callable[[Connection], T]) -> T:
        def run() -> T:
            with self.connect() as conn:
                return read(conn)

        return run() if self.inline else await run_in_threadpool(run)

    async def row(self, sql: str, *args: Any) -> tuple[Any, ...] | None:
        """The first row of one statement with `$1, $2...` placeholders, or None."""
        if self.driver is not None and self.driver.ready:
            return await self.driver.row(sql, *args)

        def read(conn: Connection) -> tuple[Any, ...] | None:
            style = conn.dialect.paramstyle
            found = conn.exec_driver_sql(driver_sql(sql, style), tuple(args)).first()
            return None if found is None else tuple(found)

        return await self(read)


async def get_reader(request: Request) -> Reader:
    database: Database = request.app.state.database
    return Reader(
        database.engine.connect,
        inline=database.engine.dialect.name == "sqlite",
        driver=database.driver,
    )


ReaderDep = Annotated[Reader, Depends(get_reader)]
