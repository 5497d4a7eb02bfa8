"""What the quote and figure lists share: facets counted over a model's rows, and pages
assembled from the stored items (those not stored rendered live), searched pages with
the snippet cut from the text each kind is searched by."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from app.core.pagination import CursorCodec, PageResult
from app.models import Quote, Statistic
from app.projections import list_items
from app.repositories import item_facets
from app.schemas.filters import ItemFilter
from app.search.snippets import snippet
from app.services.stored_pages import StoredPage, assemble

F = TypeVar("F", bound=ItemFilter)


def facets_of(
    model: type[Quote] | type[Statistic], conditions: Callable[[F], Sequence[Any]]
) -> Callable[[Session, F, list[str]], tuple[dict[str, Any], bool]]:
    """The facets of the `model` list: buckets over the rows its filters' `conditions` match."""

    def facets(session: Session, f: F, names: list[str]) -> tuple[dict[str, Any], bool]:
        return item_facets.facets(session, model, conditions(f), f, names)

    return facets


def stored_of(
    kind: str,
    page: Callable[[Connection, F, CursorCodec], PageResult],
    text: Callable[[Any], str],
) -> Callable[[Connection, F, CursorCodec], StoredPage]:
    """A page of the `kind` list from the stored items (one keyset read by `page`), those
    not stored rendered live; when searched, each with the snippet cut from `text(row)`."""

    def stored(conn: Connection, f: F, codec: CursorCodec) -> StoredPage:
        query = f.parsed()
        return assemble(
            page(conn, f, codec),
            lambda rows: list_items.live_items(conn, kind, {r.id: r.article_id for r in rows}),
            None if query is None else lambda row: snippet(text(row), query),
        )

    return stored
