"""The list read model: every article's list item as stored JSON (`article_item`), rendered
from the same document dict as its detail (`read_model._store`), so whatever writes and
refreshes documents (the ORM hooks, a batching writer, the seeder, `rebuild()`) keeps the
items too. A list page is then one keyset read of these bytes with the envelope written
around them (app/services/stored_pages.py).

What an item shows beside its article's own rows: its source and its places. A directory
row whose shown fields change deletes the items showing it (`forget_showing`), which are
rendered live until the article's next write or `conflict-news db reindex --documents`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from app.repositories import items
from app.schemas.article import ArticleSummary

_NOT_LISTED = ("body", "quotes", "statistics")


def article_item(doc: dict[str, Any]) -> bytes:
    """A document dict (`documents.fetch_many`) as its list item's JSON: the summary as
    `GET /v1/articles` serialises it (unset fields left out), without a snippet."""
    summary = {k: v for k, v in doc.items() if k not in _NOT_LISTED}
    summary["quote_count"] = len(doc["quotes"])
    summary["statistic_count"] = len(doc["statistics"])
    return ArticleSummary.model_validate(summary).model_dump_json(exclude_unset=True).encode()


def store(conn: Connection, ids: Sequence[str], docs: Sequence[dict[str, Any]]) -> None:
    """Replace the items of `ids` by those of `docs` (the existing ones among them)."""
    rows = [{"article_id": doc["id"], "content": article_item(doc)} for doc in docs]
    items.replace_articles(conn, ids, rows)


def forget_showing(conn: Connection, kind: type[Any], id_: str) -> None:
    """A directory row's shown fields changed: its items are rendered live until rewritten."""
    items.delete_showing(conn, kind, id_)
