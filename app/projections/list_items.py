"""The list read model: every article's, quote's and figure's list item as stored JSON
(`article_item`, `quote_item`, `statistic_item`), rendered
from the same document dict as its detail (`read_model._store`), so whatever writes and
refreshes documents (the ORM hooks, a batching writer, the seeder, `rebuild()`) keeps the
items too. A list page is then one keyset read of these bytes with the envelope written
around them (app/services/stored_pages.py).

What an item shows beside its article's own rows: its source and its places (an article),
its speaker (a quote) or its place (a figure), and its article's title, date and source. A directory
row whose shown fields change deletes the items showing it (`forget_showing`), which are
rendered live until the article's next write or `conflict-news db reindex --documents`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection

from app.repositories import documents, items
from app.schemas.article import ArticleSummary, QuoteHit, StatisticHit

_NOT_LISTED = ("body", "quotes", "statistics")


def article_item(doc: dict[str, Any]) -> bytes:
    """A document dict (`documents.fetch_many`) as its list item's JSON: the summary as
    `GET /v1/articles` serialises it (unset fields left out), without a snippet."""
    summary = {k: v for k, v in doc.items() if k not in _NOT_LISTED}
    summary["quote_count"] = len(doc["quotes"])
    summary["statistic_count"] = len(doc["statistics"])
    return ArticleSummary.model_validate(summary).model_dump_json(exclude_unset=True).encode()


def article_ref(doc: dict[str, Any]) -> dict[str, Any]:
    """What a quote's or figure's item shows of its article (`documents.article_refs`)."""
    source = doc["source"]
    return {
        "id": doc["id"],
        "title": doc["title"],
        "published_at": doc["published_at"],
        "source": None if source is None else {k: source[k] for k in ("id", "name", "domain")},
    }


def quote_item(quote: dict[str, Any], ref: dict[str, Any]) -> bytes:
    """A quote dict (`documents.quotes`) and its article's reference as the quote list's
    item JSON, without a snippet."""
    hit = QuoteHit.model_validate({**quote, "article": ref})
    return hit.model_dump_json(exclude_unset=True).encode()


def statistic_item(figure: dict[str, Any], ref: dict[str, Any]) -> bytes:
    """A figure dict (`documents.statistics`, with its place) and its article's reference
    as the figure list's item JSON, without a snippet."""
    hit = StatisticHit.model_validate({**figure, "article": ref})
    return hit.model_dump_json(exclude_unset=True).encode()


def live_items(conn: Connection, kind: str, refs: dict[str, str]) -> dict[str, bytes]:
    """Items of quotes or figures (`kind`) not stored ({id: article id}), rendered from
    their rows."""
    fetch, render = _LIVE[kind]
    article_ids = list(dict.fromkeys(refs.values()))
    articles = documents.article_refs(conn, article_ids)
    out = {}
    for article_id, found in fetch(conn, article_ids).items():
        for row in found:
            if row["id"] in refs:
                out[row["id"]] = render(row, articles[article_id])
    return out


_LIVE: dict[str, tuple[Callable[..., dict[str, list[dict[str, Any]]]], Callable[..., bytes]]] = {
    "quote": (documents.quotes, quote_item),
    "statistic": (documents.statistics, statistic_item),
}


def store(conn: Connection, ids: Sequence[str], docs: Sequence[dict[str, Any]]) -> None:
    """Replace the items of the articles `ids` (and of their quotes and figures) by those of `docs`
    (the existing ones among them)."""
    rows = [{"article_id": doc["id"], "content": article_item(doc)} for doc in docs]
    items.replace(conn, "article", ids, rows)
    quoted: list[dict[str, Any]] = []
    figures: list[dict[str, Any]] = []
    for doc in docs:
        ref = article_ref(doc)
        quoted.extend({"quote_id": q["id"], "content": quote_item(q, ref)} for q in doc["quotes"])
        figures.extend(
            {"statistic_id": s["id"], "content": statistic_item(s, ref)} for s in doc["statistics"]
        )
    items.replace(conn, "quote", ids, quoted)
    items.replace(conn, "statistic", ids, figures)


def forget_showing(conn: Connection, kind: type[Any], id_: str) -> None:
    """A directory row's shown fields changed: its items are rendered live until rewritten."""
    items.delete_showing(conn, kind, id_)
