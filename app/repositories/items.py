"""The stored list items (`article_item`, `quote_item`, `statistic_item`, kept by
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
    Statistic,
    StatisticItem,
)
from app.repositories import common, quotes, statistics
from app.schemas.filters import QuoteFilter, StatisticFilter
from app.search import engine as search

_ARTICLE = cast(Table, ArticleItem.__table__)
_QUOTE = cast(Table, QuoteItem.__table__)
_STATISTIC = cast(Table, StatisticItem.__table__)


def _of_source(id_: str) -> Any:
    return select(Article.id).where(Article.source_id == id_)


# Which stored items show a directory row: (table, its key column, the keys showing it).
_SHOWING: dict[type[Any], list[tuple[Table, Any, Callable[[str], Any]]]] = {
    Source: [
        (_ARTICLE, _ARTICLE.c.article_id, _of_source),
        (_QUOTE, _QUOTE.c.quote_id, lambda id_: select(Quote.id).where(
            Quote.article_id.in_(_of_source(id_))
        )),
        (_STATISTIC, _STATISTIC.c.statistic_id, lambda id_: select(Statistic.id).where(
            Statistic.article_id.in_(_of_source(id_))
        )),
    ],
    Location: [
        (_ARTICLE, _ARTICLE.c.article_id, lambda id_: select(ArticleLocation.article_id).where(
            ArticleLocation.location_id == id_
        )),
        (_STATISTIC, _STATISTIC.c.statistic_id, lambda id_: select(Statistic.id).where(
            Statistic.location_id == id_
        )),
    ],
    Speaker: [
        (_QUOTE, _QUOTE.c.quote_id, lambda id_: select(Quote.id).where(Quote.speaker_id == id_)),
    ],
}  # fmt: skip


# Each stored item table: its key column, and the rows of it an article owns.
_OWNED: dict[str, tuple[Table, Any, Callable[[Sequence[str]], Any]]] = {
    "article": (_ARTICLE, _ARTICLE.c.article_id, lambda ids: select(Article.id).where(
        Article.id.in_(ids)
    )),
    "quote": (_QUOTE, _QUOTE.c.quote_id, lambda ids: select(Quote.id).where(
        Quote.article_id.in_(ids)
    )),
    "statistic": (_STATISTIC, _STATISTIC.c.statistic_id, lambda ids: select(Statistic.id).where(
        Statistic.article_id.in_(ids)
    )),
}  # fmt: skip


def replace(conn: Connection, kind: str, article_ids: Sequence[str], rows: list[Any]) -> None:
    """Delete the stored `kind` items (`article`, `quote`, `statistic`) of these articles,
    then insert `rows` ({"<kind>_id", "content"})."""
    table, key, owned = _OWNED[kind]
    conn.execute(delete(table).where(key.in_(owned(article_ids))))
    if rows:
        conn.execute(insert(table), rows)


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


def _page_statement(
    conn: Connection, f: Any, table: Table, item: Any, conditions: list[Any], order: Any
) -> tuple[Select[Any], list[Any]]:
    """A quote or figure list's statement (filters, search, order) selecting the stored
    item (`table`) and the row's id, article and words (`item`: the model; a search's
    snippet is cut from its words); and the keys it is ordered by."""
    name = item.__tablename__
    query = f.parsed()
    dialect = conn.dialect.name
    plan = None
    if query is not None:
        needed = search.RANK_CANDIDATES if f.by_relevance else f.limit + 1
        plan = search.plan(conn, name, query, needed)
    words = [item.text] + ([item.sentence] if item is Statistic else [])
    stmt = (
        select(table.c.content, item.id, item.article_id, *words)
        .outerjoin(table, table.c[f"{name}_id"] == item.id)
        .where(*conditions)
    )
    stmt = common.ordered(stmt, f, dialect, name, order, item.id, plan)
    keys: list[Any] = [item.sort_at, item.id]
    if query is not None and f.by_relevance:
        keys.insert(0, search.score(dialect, name, query))
    return stmt, keys


def _page(
    conn: Connection,
    f: Any,
    scope: str,
    statement: tuple[Select[Any], list[Any]],
    codec: CursorCodec,
) -> PageResult:
    stmt, keys = statement
    return seek_page(
        conn,
        stmt,
        keys,
        codec=codec,
        scope=common.list_scope(scope, f),
        limit=f.limit,
        cursor=f.cursor,
        bookmarks="sqlakeyset",
    )


def quote_page(conn: Connection, f: QuoteFilter, codec: CursorCodec) -> PageResult:
    """One keyset page of (stored item, id, article_id, text) rows of the quote list, its
    cursors those `quotes.quote_page` writes."""
    statement = _page_statement(conn, f, _QUOTE, Quote, quotes.quote_conditions(f), quotes.ORDER)
    return _page(conn, f, "quotes", statement, codec)


def statistic_page(conn: Connection, f: StatisticFilter, codec: CursorCodec) -> PageResult:
    """One keyset page of (stored item, id, article_id, text, sentence) rows of the figure
    list, its cursors those `statistics.statistic_page` writes."""
    statement = _page_statement(
        conn, f, _STATISTIC, Statistic, statistics.statistic_conditions(f), statistics.ORDER
    )
    return _page(conn, f, "statistics", statement, codec)
