"""Facets of the quote and statistic lists: counts of items per speaker, kind, metric, unit,
qualifier, source, place, country and month, over the newest FACET_SAMPLE matches (as the
article facets are), in one statement."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, distinct, func, select
from sqlalchemy.orm import Session

from app.models import Article, ArticleLocation, Location, Quote, Source, Speaker, Statistic
from app.repositories import common, dates
from app.repositories.articles import FACET_SAMPLE
from app.repositories.common import Buckets
from app.search import engine as search


def facets(
    session: Session | Connection,
    model: type[Quote] | type[Statistic],
    conditions: Sequence[Any],
    f: Any,
    names: Sequence[str],
) -> tuple[Buckets, bool]:
    """(value, label, count) buckets per facet over the items matching `conditions` and the
    search of `f`, and whether more than FACET_SAMPLE matched (then the counts are over the
    newest FACET_SAMPLE)."""
    dialect = common.dialect_of(session)
    conn = session if isinstance(session, Connection) else session.connection()
    table = model.__tablename__
    order = (model.sort_at.desc(), model.id.desc())
    query = f.parsed()
    plan = None if query is None else search.plan(conn, table, query, FACET_SAMPLE)
    found = select(model.id).where(*conditions)
    if query is not None:
        strategy = plan.strategy if plan is not None else None
        found = found.where(search.condition(dialect, table, query, model.id, strategy))
    picked = search.newest(found, table, order, FACET_SAMPLE + 1, plan).subquery("picked")
    columns: list[Any] = [model.id, model.article_id]
    if model is Quote:
        columns += [Quote.speaker_id, Quote.kind]
    else:
        columns += [Statistic.metric, Statistic.unit, Statistic.qualifier, Statistic.location_id]
    rank = func.row_number().over(order_by=order).label("rank")
    hits = (
        select(*columns, rank)
        .where(model.id.in_(select(picked.c[0])))
        .cte(f"{table}_facet_hits")
        .prefix_with("MATERIALIZED")
    )
    kept = select(hits).where(hits.c.rank <= FACET_SAMPLE).subquery(f"{table}_facet_kept")
    branches = [_branch(name, dialect, kept, model is Quote) for name in names]
    return common.count_facets(conn, names, branches, hits, FACET_SAMPLE)


def _branch(name: str, dialect: str, kept: Any, quotes: bool) -> Any:
    """One facet's rows (facet, value, label, n): items counted per bucket."""
    joined: Any = None  # the directory table that names the values
    on_article = Article.id == kept.c.article_id
    if name in ("speaker", "kind", "metric", "unit", "qualifier"):
        column = kept.c["speaker_id" if name == "speaker" else name]
        top = common.top_buckets(column, [column.is_not(None)])
        joined = Speaker if name == "speaker" else None
    elif name == "source":
        top = common.top_buckets(Article.source_id, [on_article, Article.source_id.is_not(None)])
        joined = Source
    elif name == "month":
        month = dates.month(dialect, Article.published_at)
        top = common.top_buckets(month, [on_article, Article.published_at.is_not(None)], size=120)
    elif quotes:  # location, country: the places the quote's article mentions
        places = [ArticleLocation.article_id == kept.c.article_id]
        counted = func.count(distinct(kept.c.id))
        if name == "location":
            top = common.top_buckets(ArticleLocation.location_id, places, counted=counted)
            joined = Location
        else:
            linked = [*places, ArticleLocation.location_id == Location.id]
            country = Location.country_code
            top = common.top_buckets(country, [*linked, country.is_not(None)], counted=counted)
    elif name == "location":  # the figure's own place
        top = common.top_buckets(kept.c.location_id, [kept.c.location_id.is_not(None)])
        joined = Location
    else:  # country of the figure's place
        country = Location.country_code
        top = common.top_buckets(country, [Location.id == kept.c.location_id, country.is_not(None)])
    return common.facet_branch(name, top, joined)
