"""A bulk batch's articles written with Core statements: the batch's duplicate check in one
query, and multi-row inserts of the rows it builds (no ORM unit of work; the projections
are told of the rows by the service, `services/article_batch.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, and_, insert, or_, select
from sqlalchemy.orm import Session

from app.models import Article, ArticleLocation, ArticleTag, Quote, Statistic

# In foreign-key order: an article before what hangs off it.
TABLES: tuple[Table, ...] = tuple(
    cast(Table, m.__table__) for m in (Article, ArticleTag, ArticleLocation, Quote, Statistic)
)


def duplicates(
    session: Session, canonicals: Sequence[str], digests: Sequence[str]
) -> dict[tuple[str, str], str]:
    """Stored articles these would duplicate, in one query: by ("url", canonical URL), and
    by ("hash", content hash) among articles without a URL (as `articles.find_duplicate`)."""
    if not canonicals and not digests:
        return {}
    a = cast(Table, Article.__table__).c
    rows = session.execute(
        select(a.id, a.canonical_url, a.content_hash).where(
            or_(
                a.canonical_url.in_(canonicals),
                and_(a.canonical_url.is_(None), a.content_hash.in_(digests)),
            )
        )
    )
    found: dict[tuple[str, str], str] = {}
    for id_, canonical, digest in rows:
        key = ("url", canonical) if canonical is not None else ("hash", digest)
        found.setdefault(key, id_)
    return found


def insert_all(session: Session, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Insert the rows of each table (by table name), a multi-row statement per table."""
    for table in TABLES:
        if rows.get(table.name):
            session.execute(insert(table), rows[table.name])
