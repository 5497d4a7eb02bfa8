"""All article queries, keyset pages included."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    distinct,
    exists,
    func,
    select,
)
from sqlalchemy.orm import Session, selectinload

from app import models
from app.core.pagination import CursorCodec, PageResult, seek_page
from app.models import Article, ArticleLocation, ArticleTag, Location, Quote, Statistic
from app.repositories import common, dates, documents, items, speakers
from app.repositories.common import dialect_of, list_scope
from app.schemas.filters import ArticleFilter
from app.search import engine as search

SCOPE = "articles"


def get(session: Session, article_id: str) -> Article | None:
    """An article with its quotes (and speakers) and statistics loaded, for a write."""
    stmt = (
        select(Article)
        .where(Article.id == article_id)
        .options(
            selectinload(Article.quotes).joinedload(Quote.speaker),
            selectinload(Article.statistics),
        )
    )
    return session.scalars(stmt).one_or_none()


def find_duplicate(session: Session, canonical: str | None, digest: str) -> Article | None:
    """An existing article with the same canonical URL or, without a URL, the same content."""
    if canonical:
        cond: ColumnElement[bool] = Article.canonical_url == canonical
    else:
        cond = and_(Article.canonical_url.is_(None), Article.content_hash == digest)
    return session.scalars(select(Article).where(cond).limit(1)).first()


def _where(f: ArticleFilter) -> list[ColumnElement[bool]]:
    conds = common.selection(f, Article.id, Article.updated_at)
    sources = common.source_ids(f.source, f.source_id)
    if sources is not None:
        conds.append(Article.source_id.in_(sources))
    if f.language:
        conds.append(Article.language.in_([code.lower() for code in f.language]))
    conds.extend(common.published(f))
    speaker_ids = speakers.speaker_ids_for(f.speaker, f.speaker_id)
    if speaker_ids is not None:
        conds.append(
            exists().where(Quote.article_id == Article.id, Quote.speaker_id.in_(speaker_ids))
        )
    places = common.location_ids(f.location, f.location_id, f.country)
    if places is not None:
        conds.append(
            exists().where(
                ArticleLocation.article_id == Article.id, ArticleLocation.location_id.in_(places)
            )
        )
    if f.tag:
        tags = [tag.lower() for tag in f.tag]
        conds.append(exists().where(ArticleTag.article_id == Article.id, ArticleTag.tag.in_(tags)))
    if f.has_quotes is not None:
        has = exists().where(Quote.article_id == Article.id)
        conds.append(has if f.has_quotes else ~has)
    if f.has_statistics is not None:
        has = exists().where(Statistic.article_id == Article.id)
        conds.append(has if f.has_statistics else ~has)
    return conds


def conditions(
    f: ArticleFilter, dialect: str, plan: search.Plan | None = None
) -> list[ColumnElement[bool]]:
    """Every filter of the list, the search query included (found the way `plan` says)."""
    conds = _where(f)
    query = f.parsed()
    if query is not None:
        strategy = plan.strategy if plan is not None else None
        conds.append(search.condition(dialect, "article", query, Article.id, strategy))
    return conds


FACET_SIZE = 20


# Facets of a larger result count its newest FACET_SAMPLE articles. Each sampled article
# costs ~13 row reads (source, places, 5 quotes, 5 figures, month): ~0.1 ms on SQLite,
# ~0.2 ms on PostgreSQL, plus finding it (a walk of the date index for a common word), so
# 10,000 took 0.4-2 s; 1,000 keeps five facets near 200 ms (bench/search_bench.py).
FACET_SAMPLE = 1_000
_ORDER = (Article.sort_at.desc(), Article.id.desc())


def facets(
    session: Session | Connection, f: ArticleFilter, names: Sequence[str]
) -> tuple[dict[str, list[tuple[str | None, str | None, int]]], bool]:
    """(value, label, count) buckets per facet, over the filtered result, and whether the
    result was larger than FACET_SAMPLE (1,000) articles, in which case the counts are over
    its newest 1,000 (counting a word found in 40% of the articles took seconds)."""
    dialect = dialect_of(session)
    conn = session if isinstance(session, Connection) else session.connection()
    query = f.parsed()
    plan = None if query is None else search.plan(conn, "article", query, FACET_SAMPLE)
    # The newest FACET_SAMPLE + 1 matches, found the way the plan says (as a page would
    # be): all of them when there are no more than FACET_SAMPLE, so no separate count, and
    # the search is evaluated once. One MATERIALIZED set, with the columns facets count (so
    # that source, month and language read no article rows again), numbered newest first.
    found = select(Article.id).where(*conditions(f, dialect, plan))
    picked = search.newest(found, "article", _ORDER, FACET_SAMPLE + 1, plan).subquery("picked")
    rank = func.row_number().over(order_by=_ORDER).label("rank")
    hits = (
        select(Article.id, Article.source_id, Article.published_at, Article.language, rank)
        .where(Article.id.in_(select(picked.c[0])))
        .cte("facet_hits")
        .prefix_with("MATERIALIZED")
    )
    kept = select(hits).where(hits.c.rank <= FACET_SAMPLE).subquery("facet_kept")
    ids = select(kept.c.id)
    # Every facet in one statement; each counts on ids first and looks up the names of its
    # top buckets only. A last row counts the set: FACET_SAMPLE + 1 means "sampled".
    branches: list[Any] = [_facet_branch(name, dialect, kept, ids) for name in names]
    return common.count_facets(session, names, branches, hits, FACET_SAMPLE)


def _facet_branch(name: str, dialect: str, hits: Any, ids: Select[Any]) -> Select[Any]:
    """One facet's rows (facet, value, label, n) over the sampled articles `hits`."""
    joined: Any = None  # the directory table that names the values
    if name == "source":
        top = common.top_buckets(hits.c.source_id, [hits.c.source_id.is_not(None)])
        joined = models.Source
    elif name == "location":
        top = common.top_buckets(ArticleLocation.location_id, [ArticleLocation.article_id.in_(ids)])
        joined = Location
    elif name == "country":
        linked = ArticleLocation.location_id == Location.id
        places = [linked, ArticleLocation.article_id.in_(ids), Location.country_code.is_not(None)]
        counted = func.count(distinct(ArticleLocation.article_id))
        top = common.top_buckets(Location.country_code, places, counted=counted)
    elif name == "speaker":
        # (article, speaker) pairs once each, then counted: a hash aggregate on PostgreSQL,
        # where count(DISTINCT) sorts every group.
        pairs = (
            select(Quote.article_id, Quote.speaker_id)
            .where(Quote.article_id.in_(ids), Quote.speaker_id.is_not(None))
            .distinct()
            .subquery()
        )
        top = common.top_buckets(pairs.c.speaker_id, [])
        joined = models.Speaker
    elif name == "metric":
        pairs = (
            select(Statistic.article_id, Statistic.metric)
            .where(Statistic.article_id.in_(ids))
            .distinct()
            .subquery()
        )
        top = common.top_buckets(pairs.c.metric, [])
    elif name == "language":
        top = common.top_buckets(hits.c.language, [])
    elif name == "tag":
        top = common.top_buckets(ArticleTag.tag, [ArticleTag.article_id.in_(ids)])
    else:  # month
        month = dates.month(dialect, hits.c.published_at)
        top = common.top_buckets(month, [hits.c.published_at.is_not(None)], size=120)
    return common.facet_branch(name, top, joined)


def summary_statement(
    f: ArticleFilter, dialect: str, *, plan: search.Plan | None = None
) -> tuple[Select[Any], list[Any]]:
    """The article list as plain rows (no ORM): filters, search and order, and the keys it
    is ordered by (all descending). `plan` (search.plan) says how to find the matches."""
    query = f.parsed()
    stmt = documents.list_statement(
        _where(f), with_body=query is not None or "body" in f.includes()
    )
    keys: list[Any] = [Article.sort_at, Article.id]
    if query is None:
        return stmt.order_by(*_ORDER), keys
    stmt = search.apply(
        stmt,
        dialect,
        "article",
        query,
        by_relevance=f.by_relevance,
        order=_ORDER,
        key=Article.id,
        plan=plan,
    )
    if f.by_relevance:
        keys.insert(0, search.score(dialect, "article", query))
    return stmt, keys


def summary_page(
    conn: Connection, f: ArticleFilter, codec: CursorCodec, *, stored: bool = False
) -> PageResult:
    """One keyset page of summary rows, or with `stored` of (stored item, id[, body]) rows
    (`items.with_stored_item`)."""
    query = f.parsed()
    plan = None
    if query is not None:
        needed = search.RANK_CANDIDATES if f.by_relevance else f.limit + 1
        plan = search.plan(conn, "article", query, needed)
    stmt, keys = summary_statement(f, conn.dialect.name, plan=plan)
    if stored:
        stmt = items.with_stored_item(stmt, query is not None)
    return seek_page(
        conn, stmt, keys, codec=codec, scope=list_scope(SCOPE, f), limit=f.limit, cursor=f.cursor
    )
