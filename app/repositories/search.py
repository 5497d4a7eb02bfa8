"""Full-text search: the only module with engine-specific SQL. SQLite uses the FTS5 tables
of migration 0003 (BM25 ranking); PostgreSQL the generated `search` tsvector columns and
their GIN indexes (`ts_rank_cd`). Both get the same parsed query (app/core/query_syntax)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
    Integer,
    Select,
    String,
    cast,
    func,
    literal,
    literal_column,
    select,
    table,
)

from app.core.query_syntax import Query, to_fts5, to_tsquery

SEARCHED_TABLES = ("article", "quote", "statistic")

_COLUMNS = {
    "article": ("title", "body"),
    "quote": ("text", "speaker_name", "speaker_role"),
    "statistic": ("text", "sentence"),
}
# Column weights for relevance: earlier columns (title, quote text) count more.
_BM25_WEIGHTS = {"article": (8.0, 1.0), "quote": (4.0, 2.0, 1.0), "statistic": (2.0, 1.0)}


def _fts(name: str) -> Any:
    return table(f"{name}_fts", literal_column("rowid"))


def matches(dialect: str, name: str, query: Query) -> ColumnElement[bool]:
    """`<name>` rows matching the query (used for filtering, facets and date order)."""
    if dialect == "sqlite":
        fts = _fts(name)
        hits: Select[Any] = (
            select(literal_column("rowid"))
            .select_from(fts)
            .where(literal_column(f"{name}_fts").op("MATCH")(to_fts5(query)))
        )
        return literal_column(f"{name}.rowid").in_(hits)
    tsq = func.to_tsquery("english", to_tsquery(query))
    return literal_column(f"{name}.search").op("@@")(tsq)


def _stem(word: str) -> str:
    """A crude stem for counting occurrences: 'talks' and 'talking' both count 'talk'."""
    return word[: max(4, len(word) - 2)] if len(word) > 5 else word


def score(dialect: str, name: str, query: Query) -> ColumnElement[float]:
    """Relevance of a matching `<name>` row, higher is better.

    PostgreSQL: `ts_rank_cd` on the stored tsvector. SQLite: weighted term frequency
    (occurrences of each query word's stem, the first column weighted like BM25's weights),
    computed from the row itself: FTS5's bm25() needs one index lookup per row, which took
    ~1 ms a row for a common word, so ranking even 1,000 candidates took a second."""
    if dialect == "sqlite":
        stems = sorted({_stem(w) for group in query.groups for t in group for w in t.words})
        total: ColumnElement[float] = literal(0.0)
        for column, weight in zip(_COLUMNS[name], _BM25_WEIGHTS[name], strict=True):
            text = func.lower(func.coalesce(literal_column(f"{name}.{column}"), ""))
            for stem in stems:
                hits = (func.length(text) - func.length(func.replace(text, stem, ""))) / len(stem)
                total = total + hits * weight
        return total.label("score")
    tsq = func.to_tsquery("english", to_tsquery(query))
    # ts_rank_cd is a float4; as text it rounds, so a cursor holding it would not compare
    # equal to the column again. As float8 the value survives the round trip exactly.
    rank = cast(func.ts_rank_cd(literal_column(f"{name}.search"), tsq, 32), Float(53))
    return rank.label("score")


# Relevance is computed for the newest matches only: ranking every match of a word found in
# 40% of a million articles takes seconds (bm25 ~0.5 s, ts_rank ~5 s measured here).
RANK_CANDIDATES = 1000


# Below this many matches, PostgreSQL is told to collect them from the GIN index and sort
# them; above it, its own plan (walk the date index, test each row) finds a page sooner.
FEW_MATCHES = 2000


def few_matches(conn: Connection, name: str, query: Query) -> bool:
    """A cheap probe: does the query match at most FEW_MATCHES rows? (PostgreSQL's planner
    lacks statistics for a rare word and walks the whole date index to fill a page.)"""
    probe = select(literal(1)).select_from(table(name)).where(matches("postgresql", name, query))
    n = conn.execute(select(func.count()).select_from(probe.limit(FEW_MATCHES + 1).subquery()))
    return int(n.scalar_one()) <= FEW_MATCHES


def matches_materialized(name: str, key: Any, query: Query) -> ColumnElement[bool]:
    """The same condition, forced through the GIN index: a MATERIALIZED CTE of the matches."""
    hits = (
        select(key.label("hit"))
        .where(matches("postgresql", name, query))
        .cte(f"{name}_hits")
        .prefix_with("MATERIALIZED")
    )
    return key.in_(select(hits.c.hit))  # type: ignore[no-any-return]


def apply(
    stmt: Select[Any],
    dialect: str,
    name: str,
    query: Query,
    *,
    by_relevance: bool,
    order: Any,
    key: Any,
    materialize: bool = False,
) -> Select[Any]:
    """Restrict `stmt` to matches, newest first (`order`), or by relevance among the newest
    RANK_CANDIDATES matches (exact relevance whenever there are fewer matches than that).
    `materialize` (PostgreSQL, few matches) collects the matches through the index first."""
    condition = (
        matches_materialized(name, key, query) if materialize else matches(dialect, name, query)
    )
    stmt = stmt.where(condition)
    if not by_relevance:
        return stmt.order_by(*order)
    where = stmt.whereclause
    assert where is not None  # the match condition, at least
    newest = select(key).where(where).order_by(*order).limit(RANK_CANDIDATES)
    return stmt.where(key.in_(newest)).order_by(score(dialect, name, query).desc(), *order)


def month(dialect: str, column: Any) -> ColumnElement[str]:
    """'YYYY-MM' of a timestamp, for facets."""
    if dialect == "sqlite":
        return func.strftime("%Y-%m", column)
    return func.to_char(column, "YYYY-MM")


def period(dialect: str, column: Any, interval: str) -> ColumnElement[str]:
    """Start of the day/week (Monday)/month of a UTC timestamp, as 'YYYY-MM-DD'."""
    if dialect == "sqlite":
        if interval == "day":
            return func.strftime("%Y-%m-%d", column)
        if interval == "week":
            # back to Monday: strftime('%w') is 0 for Sunday
            back = cast((cast(func.strftime("%w", column), Integer) + 6) % 7, String)
            return func.date(column, literal("-").concat(back).concat(" days"))
        return func.strftime("%Y-%m-01", column)
    return func.to_char(func.date_trunc(interval, func.timezone("UTC", column)), "YYYY-MM-DD")
