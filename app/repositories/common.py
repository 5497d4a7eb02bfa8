"""Small helpers shared by the repositories."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    String,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from app.core.normalise import name_key
from app.core.pagination import PageResult, keyset_page
from app.models import Article, ArticleLocation, Location, Source
from app.schemas.filters import PublishedRange, Searchable, Selection
from app.search import engine as search

Buckets = dict[str, list[tuple[str | None, str | None, int]]]
_SIZE = "_size"  # the facets statement's row that counts the sample (not a facet name)


def dialect_of(session: Session | Connection) -> str:
    if isinstance(session, Connection):
        return session.dialect.name
    return session.get_bind().dialect.name


def list_scope(name: str, filters: Any) -> str:
    """The cursor scope of a list: a relevance cursor holds a score, so it is bound to its
    query; a date cursor fits any query on that list."""
    if getattr(filters, "by_relevance", False):
        return f"{name}:relevance:{hashlib.sha256(filters.q.encode()).hexdigest()[:12]}"
    return name


def page(
    session: Session | Connection, statement: Select[Any], name: str, filters: Any, codec: Any
) -> PageResult:
    """One keyset page of an ordered statement, for the list called `name`."""
    return keyset_page(
        session,
        statement,
        codec=codec,
        scope=list_scope(name, filters),
        limit=filters.limit,
        cursor=filters.cursor,
    )


def published(f: PublishedRange) -> list[ColumnElement[bool]]:
    """The bounds on `published_at`, repeated on `sort_at` (equal to `published_at` when it is
    set, so the same rows): a partitioned `article` prunes to the months asked for
    (`conflict-news db partition`), and an unpartitioned one may walk its date index."""
    conds: list[ColumnElement[bool]] = []
    if f.published_from:
        conds += [Article.published_at >= f.published_from, Article.sort_at >= f.published_from]
    if f.published_to:
        conds += [Article.published_at < f.published_to, Article.sort_at < f.published_to]
    return conds


def search_plan(session: Session, f: Searchable, name: str, limit: int) -> search.Plan | None:
    """How to find the matches of a list's search (None without one)."""
    query = f.parsed()
    if query is None:
        return None
    needed = search.RANK_CANDIDATES if f.by_relevance else limit + 1
    return search.plan(session.connection(), name, query, needed)


def ordered(
    stmt: Select[Any],
    f: Searchable,
    dialect: str,
    name: str,
    order: Any,
    key: Any,
    plan: search.Plan | None = None,
) -> Select[Any]:
    query = f.parsed()
    if query is None:
        return stmt.order_by(*order)
    return search.apply(
        stmt, dialect, name, query, by_relevance=f.by_relevance, order=order, key=key, plan=plan
    )


def article_count(counted: Any, condition: ColumnElement[bool]) -> Any:
    """A directory row's `article_count` column: a correlated COUNT sub-select."""
    return select(func.count(counted)).where(condition).scalar_subquery().label("article_count")


def selection(f: Selection, id_column: Any, updated_column: Any) -> list[ColumnElement[bool]]:
    """`ids=` and `updated_since=`, which every list takes."""
    conds: list[ColumnElement[bool]] = []
    if f.ids:
        conds.append(id_column.in_(f.ids))
    if f.updated_since is not None:
        conds.append(updated_column >= f.updated_since)
    return conds


def keys_of(names: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(name_key(n) for n in names))


def source_ids(names: Sequence[str] | None, ids: Sequence[str] | None) -> Select[Any] | None:
    """Sub-select of the sources named (any of `names`) and/or given by id; None without."""
    if not names and not ids:
        return None
    return _named(Source, names, ids)


def location_ids(
    names: Sequence[str] | None, ids: Sequence[str] | None, countries: Sequence[str] | None
) -> Select[Any] | None:
    """Sub-select of the places named, given by id and/or in these countries; None without."""
    if not names and not ids and not countries:
        return None
    stmt = _named(Location, names, ids)
    if countries:
        stmt = stmt.where(Location.country_code.in_([c.upper() for c in countries]))
    return stmt


def _named(
    model: type[Source] | type[Location], names: Sequence[str] | None, ids: Sequence[str] | None
) -> Select[Any]:
    stmt = select(model.id)
    if names:
        stmt = stmt.where(model.name_key.in_(keys_of(names)))
    if ids:
        stmt = stmt.where(model.id.in_(ids))
    return stmt


def facet_branch(name: str, top: Any, joined: Any) -> Select[Any]:
    """One facet's rows (facet, value, label, n) from its `top` buckets, labelled by the
    name of the `joined` directory row when the values are its ids."""
    value = top.c.v
    branch = select(
        literal(name, String).label("facet"),
        cast(value, String).label("value"),
        cast(value if joined is None else joined.name, String).label("label"),
        top.c.n,
    )
    return branch if joined is None else branch.join(joined, joined.id == value)


def article_conditions(
    f: PublishedRange, sources: Select[Any] | None, places: Select[Any] | None = None
) -> list[ColumnElement[bool]]:
    """Conditions on an item's article: its dates, its source, a place it mentions."""
    conds = published(f)
    if sources is not None:
        conds.append(Article.source_id.in_(sources))
    if places is not None:
        conds.append(
            exists().where(
                ArticleLocation.article_id == Article.id, ArticleLocation.location_id.in_(places)
            )
        )
    return conds


def like_prefix(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"


def word_prefix(column: Any, word: str) -> ColumnElement[bool]:
    """`column` (a name key) has a word (after a space or a hyphen) starting with `word`."""
    pattern = like_prefix(word)
    return or_(*(column.like(f"{before}{pattern}", escape="\\") for before in ("", "% ", "%-")))


def name_search(column: Any, words: Sequence[str]) -> list[ColumnElement[bool]]:
    """Every word a prefix of a word of the name key `column`."""
    return [word_prefix(column, w) for w in words]


def top_buckets(value: Any, where: Sequence[Any], *, counted: Any = None, size: int = 20) -> Any:
    """The `size` largest buckets of `value`, counting rows unless told what (ties by value)."""
    n = (func.count() if counted is None else counted).label("n")
    return (
        select(value.label("v"), n)
        .where(*where)
        .group_by(value)
        .order_by(n.desc(), value)
        .limit(size)
        .subquery()
    )


def count_facets(
    conn: Session | Connection,
    names: Sequence[str],
    branches: Sequence[Any],
    hits: Any,
    sample: int,
) -> tuple[Buckets, bool]:
    """Every facet's branch (rows of facet, value, label, n) and a last row that counts
    `hits`, in one statement: the buckets per facet (months newest first, the others by
    count) and whether more than `sample` matched."""
    size = select(
        literal(_SIZE, String).label("facet"),
        cast(None, String).label("value"),
        cast(None, String).label("label"),
        func.count().label("n"),
    ).select_from(hits)
    out: Buckets = {name: [] for name in names}
    sampled = False
    for facet, value, label, count in conn.execute(union_all(*branches, size)):
        if facet == _SIZE:
            sampled = count > sample
        else:
            out[facet].append((value, label, count))
    for name, buckets in out.items():
        if name == "month":
            buckets.sort(key=lambda b: b[0] or "", reverse=True)
        else:
            buckets.sort(key=lambda b: (-b[2], b[0] or ""))
    return out, sampled
