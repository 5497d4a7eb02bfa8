"""The plain pages of the article, quote and figure lists (no filter, no search: newest
first), as driver statements (`$1, $2...`) on the stored list items: the rows, in the order,
of each list's own keyset statement (`items.with_stored_item`, `items.quote_page`,
`items.statistic_page`), without building it per request. The article list's statement
also joins `source` (LEFT OUTER, on its primary key): the same rows; left out here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Dialect

from app.models import Article, ArticleItem, Quote, QuoteItem, Statistic, StatisticItem
from app.models.base import UtcDateTime


@dataclass(frozen=True)
class PlainList:
    """One list's plain page: its cursor scope and bookmark format (those `seek_page`
    writes for it), the first page's statement (`LIMIT $1`) and the one after a cursor
    (`$1, $2`: the last row's `sort_at` and id; `LIMIT $3`). Rows: (stored item or None,
    id, sort_at)."""

    scope: str
    bookmarks: str
    first: str
    after: str


def _plain(scope: str, bookmarks: str, model: Any, item: Any) -> PlainList:
    table, items = model.__tablename__, item.__tablename__
    head = (
        f"SELECT i.content, t.id, t.sort_at FROM {table} t"
        f" LEFT OUTER JOIN {items} i ON i.{table}_id = t.id"
    )
    order = " ORDER BY t.sort_at DESC, t.id DESC LIMIT "
    return PlainList(
        scope,
        bookmarks,
        head + order + "$1",
        head + " WHERE (t.sort_at, t.id) < ($1, $2)" + order + "$3",
    )


LISTS = {
    "articles": _plain("articles", "json", Article, ArticleItem),
    "quotes": _plain("quotes", "sqlakeyset", Quote, QuoteItem),
    "statistics": _plain("statistics", "sqlakeyset", Statistic, StatisticItem),
}

_SORT_AT = UtcDateTime()


def sort_key_io(dialect: Dialect) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """How a `sort_at` value goes to the driver and comes back from it, as SQLAlchemy
    converts it: sqlite3 through the dialect's own processors (text in the database),
    asyncpg (aware datetimes both ways) through the column type alone."""
    if dialect.name == "sqlite":
        kind = _SORT_AT.dialect_impl(dialect)
        to_db = kind.bind_processor(dialect)
        from_db = kind.result_processor(dialect, None)
        assert to_db is not None
        assert from_db is not None
        return to_db, from_db
    return (
        lambda value: _SORT_AT.process_bind_param(value, dialect),
        lambda value: _SORT_AT.process_result_value(value, dialect),
    )
