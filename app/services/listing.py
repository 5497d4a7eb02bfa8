"""List endpoints, declared once: what a list reads and how its rows become wire items.

A list resource is one `ListEndpoint`: its name (cursor scope and export file name), the
item schema, the repository statement (filters -> ordered SELECT) and how rows become
items. `page()` serves it as a keyset page, `export()` as an NDJSON/CSV stream of every
matching row. A list whose page is not a plain keyset page of its statement (a search
plan, the article list's plain-row fast path) passes its own `page`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import Connection, Select
from sqlalchemy.orm import Session

from app.core.db import Database
from app.core.errors import NotFound
from app.core.pagination import CursorCodec, PageResult
from app.repositories import common
from app.schemas.common import FacetBucket, FacetedPage, Page
from app.schemas.filters import Faceted, ListParams
from app.services import export, stored_pages
from app.services.stored_pages import StoredPage

F = TypeVar("F", bound=ListParams)
T = TypeVar("T")


@dataclass(frozen=True)
class ListEndpoint(Generic[F]):
    name: str
    item: type[BaseModel]
    statement: Callable[[F, str], Select[Any]]  # (filters, dialect) -> ordered SELECT
    render: Callable[[Any, list[Any], F], list[Any]]  # (session or connection, rows, filters)
    page: Callable[[Session, F, CursorCodec], PageResult] | None = None
    # (session, filters, facet names) -> ({name: [(value, label, count)]}, sampled)
    facets: Callable[[Session, F, list[str]], tuple[dict[str, Any], bool]] | None = None
    # Filters only the data can judge (a `unit=` must be one stored): raises a problem.
    # Run before a page and before an export starts, so every format refuses the same.
    check: Callable[[Session | Connection, F], None] | None = None
    # (connection, filters, codec) -> the page's JSON bytes from stored items, when the page
    # embeds nothing more (`include=`) and counts no facets
    stored: Callable[[Connection, F, CursorCodec], StoredPage] | None = None


async def serve_page(
    endpoint: ListEndpoint[F], database: Database, filters: F, codec: CursorCodec
) -> Any:
    """One page on a Core connection (inline on SQLite): assembled from the stored items
    when the list has them and the page needs nothing more, else rendered (`page`)."""
    plain = not (isinstance(filters, Faceted) and (filters.facet_names() or filters.includes()))
    stored = endpoint.stored
    if stored is not None and plain:
        # Only `limit`/`cursor`: no filter for `check` to judge, one pre-written statement.
        found = await plain_page(endpoint.name, database, filters, codec)
        if found is not None:
            return found
        return await database.read(lambda conn: _stored(endpoint, stored, conn, filters, codec))
    return await database.read(partial(_rendered, endpoint, filters=filters, codec=codec))


_DEFAULTS: dict[type[ListParams], dict[str, Any]] = {}


def is_plain(filters: ListParams) -> bool:
    """Only `limit` and `cursor` given: every other parameter at its default."""
    kind = type(filters)
    defaults = _DEFAULTS.get(kind)
    if defaults is None:
        defaults = _DEFAULTS[kind] = {
            name: field.get_default(call_default_factory=True)
            for name, field in kind.model_fields.items()
            if name not in ("limit", "cursor")
        }
    return all(getattr(filters, name) == value for name, value in defaults.items())


async def plain_page(
    name: str, database: Database, filters: ListParams, codec: CursorCodec
) -> StoredPage | None:
    """The list's page from its stored items on the driver when the request gives only
    `limit`/`cursor` (`stored_pages.plain_page`), else None."""
    if not is_plain(filters):
        return None
    return await stored_pages.plain_page(database, name, filters.limit, filters.cursor, codec)


def _stored(
    endpoint: ListEndpoint[F],
    stored: Callable[[Connection, F, CursorCodec], StoredPage],
    conn: Connection,
    filters: F,
    codec: CursorCodec,
) -> StoredPage:
    if endpoint.check is not None:
        endpoint.check(conn, filters)
    return stored(conn, filters, codec)


def _rendered(
    endpoint: ListEndpoint[F], conn: Connection, *, filters: F, codec: CursorCodec
) -> Any:
    with Session(bind=conn) as session:
        return page(endpoint, session, filters, codec)


def page(endpoint: ListEndpoint[F], session: Session, filters: F, codec: CursorCodec) -> Any:
    """One keyset page of the list, as `Page[item]`."""
    if endpoint.check is not None:
        endpoint.check(session, filters)
    if endpoint.page is not None:
        result = endpoint.page(session, filters, codec)
    else:
        statement = endpoint.statement(filters, common.dialect_of(session))
        result = common.page(session, statement, endpoint.name, filters, codec)
    data = endpoint.render(session, result.rows, filters)
    names: list[str] = filters.facet_names() if isinstance(filters, Faceted) else []
    if endpoint.facets is None or not names:
        return Page[endpoint.item](data=data, next_cursor=result.next_cursor)  # type: ignore[name-defined]
    counted, sampled = endpoint.facets(session, filters, names)
    return FacetedPage[endpoint.item](  # type: ignore[name-defined]
        data=data,
        next_cursor=result.next_cursor,
        facets={
            name: [FacetBucket(value=v, label=label, count=c) for v, label, c in found]
            for name, found in counted.items()
        },
        facets_sampled=sampled,
    )


def export_rows(
    endpoint: ListEndpoint[F], filters: F, database: Database, fmt: str
) -> Iterator[bytes]:
    """Every matching row as NDJSON lines or CSV rows, in its own read transaction; the
    filters are checked now, before the first byte, as a page checks them."""
    if endpoint.check is not None:
        with database.stream() as session:
            endpoint.check(session, filters)
    return export.stream(
        database.stream,
        endpoint.statement(filters, database.dialect),
        lambda session, rows: endpoint.render(session, rows, filters),
        fmt,
        endpoint.item,
    )


def one_or_404(found: T | None, what: str, id_: str) -> T:
    """What a read by id found, or NotFound ("No quote with id ...")."""
    if found is None:
        raise NotFound(f"No {what} with id {id_}.")
    return found
