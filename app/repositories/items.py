"""The stored list items (`article_item`, `quote_item`, kept by
app/projections/list_items.py) and the keyset pages that read them: each list's own
filtered, ordered statement with the stored bytes as its columns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from sqlalchemy import Connection, Select, Table, delete, insert, select

from app.core.pagination import CursorCodec, PageResult, seek_page
from app.models import (
    Article,
    ArticleItem,
    ArticleLocation,
    Location,
    Quote,
    QuoteItem,
    Source,
    Speaker,
)
from app.repositories import common, quotes
from app.schemas.filters import QuoteFilter
from app.search import engine as search

_ARTICLE = cast(Table, ArticleItem.__table__)
_QUOTE = cast(Table, QuoteItem.__table__)


def _of_source(id_: str) -> Any:
    return select(Article.id).where(Article.source_id == id_)


# Which stored items show a directory row: (table, its key column, the keys showing it).
_SHOWING: dict[type[Any], list[tuple[Table, Any, Callable[[str], Any]]]] = {
    Source: [
        (_ARTICLE, _ARTICLE.c.article_id, _of_source),
        (_QUOTE, _QUOTE.c.quote_id, lambda id_: select(Quote.id).where(
            Quote.article_id.in_(_of_source(id_))
        )),
    ],
    Location: [
        (_ARTICLE, _ARTICLE.c.article_id, lambda id_: select(ArticleLocation.article_id).where(
            ArticleLocation.location_id == id_
        )),
    ],
    Speaker: [
        (_QUOTE, _QUOTE.c.quote_id, lambda id_: select(Quote.id).where(Quote.speaker_id == id_)),
    ],
}  # fmt: skip


def replace_articles(conn: Connection, ids: Sequence[str], rows: list[dict[str, Any]]) -> None:
    """Delete the stored items of `ids`, then insert `rows` (article_id, content)."""
    conn.execute(delete(_ARTICLE).where(_ARTICLE.c.article_id.in_(ids)))
    if rows:
        conn.execute(insert(_ARTICLE), rows)


def replace_quotes(
    conn: Connection, article_ids: Sequence[str], rows: list[dict[str, Any]]
) -> None:
    """Delete the stored items of these articles' quotes, then insert `rows` (quote_id,
    content)."""
    of_articles = select(Quote.id).where(Quote.article_id.in_(article_ids))
    conn.execute(delete(_QUOTE).where(_QUOTE.c.quote_id.in_(of_articles)))
    if rows:
        conn.execute(insert(_QUOTE), rows)


def delete_showing(conn: Connection, kind: type[Any], id_: str) -> None:
    """Delete the stored items that show this directory row (rendered live until written
    again: by the article's next write or `conflict-news db reindex --documents`)."""
    for table, key, showing in _SHOWING.get(kind, []):
        conn.execute(delete(table).where(key.in_(showing(id_))))


def with_stored_item(stmt: Select[Any], searched: bool) -> Select[Any]:
    """The article list's statement (filters, search, order) selecting the stored item and
    the id instead, and with a search the body (the snippet is cut from it)."""
    columns: list[Any] = [_ARTICLE.c.content, Article.id]
    if searched:
        columns.append(Article.body)
    return stmt.with_only_columns(*columns).outerjoin(_ARTICLE, _ARTICLE.c.article_id == Article.id)


def quote_page_statement(conn: Connection, f: QuoteFilter) -> tuple[Select[Any], list[Any]]:
    """The quote list's statement (filters, search, order) selecting the stored item, the
    quote's id, article and words (a search's snippet is cut from them); and its keys."""
    query = f.parsed()
    dialect = conn.dialect.name
    plan = None
    if query is not None:
        needed = search.RANK_CANDIDATES if f.by_relevance else f.limit + 1
        plan = search.plan(conn, "quote", query, needed)
    stmt = (
        select(_QUOTE.c.content, Quote.id, Quote.article_id, Quote.text)
        .outerjoin(_QUOTE, _QUOTE.c.quote_id == Quote.id)
        .where(*quotes.quote_conditions(f))
    )
    stmt = common.ordered(stmt, f, dialect, "quote", quotes.ORDER, Quote.id, plan)
    keys: list[Any] = [Quote.sort_at, Quote.id]
    if query is not None and f.by_relevance:
        keys.insert(0, search.score(dialect, "quote", query))
    return stmt, keys


def quote_page(conn: Connection, f: QuoteFilter, codec: CursorCodec) -> PageResult:
    """One keyset page of (stored item, id, article_id, text) rows of the quote list, its
    cursors those `quotes.quote_page` writes."""
    stmt, keys = quote_page_statement(conn, f)
    return seek_page(
        conn,
        stmt,
        keys,
        codec=codec,
        scope=common.list_scope("quotes", f),
        limit=f.limit,
        cursor=f.cursor,
        bookmarks="sqlakeyset",
    )
