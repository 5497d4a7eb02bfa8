"""The stored list items (`article_item`, kept by app/projections/list_items.py) and the
keyset page that reads them: the list's own filtered, ordered statement with the stored
bytes as its columns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from sqlalchemy import Connection, Select, Table, delete, insert, select

from app.models import Article, ArticleItem, ArticleLocation, Location, Source

_ARTICLE = cast(Table, ArticleItem.__table__)

# Which articles' list items show a directory row (their source, a place they mention).
_SHOWING: dict[type[Any], Callable[[str], Any]] = {
    Source: lambda id_: select(Article.id).where(Article.source_id == id_),
    Location: lambda id_: select(ArticleLocation.article_id).where(
        ArticleLocation.location_id == id_
    ),
}


def replace_articles(conn: Connection, ids: Sequence[str], rows: list[dict[str, Any]]) -> None:
    """Delete the stored items of `ids`, then insert `rows` (article_id, content)."""
    conn.execute(delete(_ARTICLE).where(_ARTICLE.c.article_id.in_(ids)))
    if rows:
        conn.execute(insert(_ARTICLE), rows)


def delete_showing(conn: Connection, kind: type[Any], id_: str) -> None:
    """Delete the stored items that show this directory row (rendered live until written
    again: by the article's next write or `conflict-news db reindex --documents`)."""
    showing = _SHOWING.get(kind)
    if showing is not None:
        conn.execute(delete(_ARTICLE).where(_ARTICLE.c.article_id.in_(showing(id_))))


def with_stored_item(stmt: Select[Any], searched: bool) -> Select[Any]:
    """The article list's statement (filters, search, order) selecting the stored item and
    the id instead, and with a search the body (the snippet is cut from it)."""
    columns: list[Any] = [_ARTICLE.c.content, Article.id]
    if searched:
        columns.append(Article.body)
    return stmt.with_only_columns(*columns).outerjoin(_ARTICLE, _ARTICLE.c.article_id == Article.id)
