"""Full-text search's engine-specific SQL and its per-query plans. SQLite uses the FTS5
tables of migration 0003; PostgreSQL the generated `search` tsvector columns and their GIN
indexes (`ts_rank_cd`). Both get the same parsed query (app/search/syntax.py).

The other engine-specific SQL has one place per concern too: date buckets in
app/repositories/dates.py, advisory locks in app/repositories/locks.py, the rollup's
aggregate in app/repositories/rollup.py, the SQLite pragmas in app/core/db.py."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
    Select,
    cast,
    exists,
    func,
    literal,
    literal_column,
    select,
    table,
    text,
    union_all,
)

from app.search.stemming import stem
from app.search.syntax import Query, Term, to_fts5, to_tsquery

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


def _fts_hits(name: str, query: Query) -> Select[Any]:
    """SQLite: the rowids of the `<name>` rows matching the query, from its FTS5 table."""
    return (
        select(literal_column(f"{name}_fts.rowid"))
        .select_from(_fts(name))
        .where(literal_column(f"{name}_fts").op("MATCH")(to_fts5(query)))
    )


def matches(dialect: str, name: str, query: Query) -> ColumnElement[bool]:
    """`<name>` rows matching the query (used for filtering, facets and date order)."""
    if dialect == "sqlite":
        return literal_column(f"{name}.rowid").in_(_fts_hits(name, query))
    tsq = func.to_tsquery("english", to_tsquery(query))
    return literal_column(f"{name}.search").op("@@")(tsq)


def score(dialect: str, name: str, query: Query) -> ColumnElement[float]:
    """Relevance of a matching `<name>` row, higher is better.

    PostgreSQL: `ts_rank_cd` on the stored tsvector. SQLite: weighted term frequency
    (occurrences of each query word's stem, the first column weighted like BM25's weights),
    computed from the row itself: FTS5's bm25() needs one index lookup per row, which took
    ~1 ms a row for a common word, so ranking even 1,000 candidates took a second."""
    if dialect == "sqlite":
        stems = sorted({stem(w) for group in query.groups for t in group for w in t.words})
        total: ColumnElement[float] = literal(0.0)
        for column, weight in zip(_COLUMNS[name], _BM25_WEIGHTS[name], strict=True):
            text = func.lower(func.coalesce(literal_column(f"{name}.{column}"), ""))
            for root in stems:
                hits = (func.length(text) - func.length(func.replace(text, root, ""))) / len(root)
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

# How the matches of a query are put in date order (each strategy returns the same rows):
#   "collect"  find every match through the full-text index, then sort them (few matches)
#   "set"      SQLite: the matches' rowids as a temporary set; walk the date index newest
#              first and keep the rows in the set (a word in a few percent of the rows)
#   "walk"     walk the date index newest first and test each row: a correlated FTS5
#              lookup by rowid on SQLite, PostgreSQL's own plan (a word in many rows)
#   "window"   PostgreSQL, for many rows (relevance candidates, facet samples) of a word in
#              a few percent of the rows: the matches among the newest rows only (a
#              BitmapAnd of the GIN index and the date index), then, only if those were too
#              few, a walk of the older rows for the rest (`newest()`)
Strategy = Literal["collect", "set", "walk", "window"]


@dataclass(frozen=True)
class Plan:
    """The strategy for one query, and what the probe learnt of its number of matches:
    at least `low`, at most `high` (None: unknown; both are the count when it is exact)."""

    strategy: Strategy
    low: int
    high: int | None
    # "window": rows from this `sort_at` on probably hold the matches wanted
    since: datetime | None = None

    @property
    def few(self) -> bool:
        """Every match fits among the relevance candidates: rank them all, unsorted."""
        return self.high is not None and self.high <= RANK_CANDIDATES


def _choose(costs: dict[Strategy, float]) -> Strategy:
    return min(costs, key=costs.__getitem__)


# SQLite cost model, in microseconds (bench/search_bench.py --plans, 150,000 articles, FTS5
# index merged by 'optimize'; only the ratios matter): a match fetched by rowid and sorted; a
# match put in the temporary set; a row of the date index tested against that set; a row of
# the date index probed in FTS5 (~10x more with an unmerged index of ~20 segments).
_COLLECT_US = 5.0
_SET_US = 0.4
_SCAN_US = 0.5
_PROBE_US = 18.0


def _sqlite_plan(conn: Connection, name: str, query: Query, needed: int) -> Plan:
    """Costs assume matches spread evenly over time: a word bursting in a past month only
    makes the walk read more of the date index before it finds the page."""
    rowids: Select[Any] = select(func.max(literal_column("rowid"))).select_from(table(name))
    total = int(conn.execute(rowids).scalar() or 0)
    # Beyond `cap` matches, walking with FTS5 probes beats the other two whatever the count.
    cap = max(needed, int(math.sqrt(max(0.0, _PROBE_US - _SCAN_US) * needed * total / _SET_US)))
    hits = _fts_hits(name, query).limit(cap + 1).subquery()
    found = int(conn.execute(select(func.count()).select_from(hits)).scalar_one())
    # FTS5 expands a prefix (merges the postings of every word it starts) for each probe:
    # a walk of 1,000 probes of `hum*` took 49 s at 1M articles. A prefix is never walked;
    # expanded once into the set, the date-index walk only tests membership.
    probes = not any(term.prefix for term in _terms(query))
    if found > cap:
        return Plan("walk" if probes else "set", found, None)
    # Rows of the date index walked to find `needed` matches, if matches are spread evenly.
    walked = min(total, needed * total / max(found, 1))
    costs: dict[Strategy, float] = {
        "collect": _COLLECT_US * found,
        "set": _SET_US * found + _SCAN_US * walked,
    }
    if probes:
        costs["walk"] = _PROBE_US * walked
    return Plan(_choose(costs), found, found)


# PostgreSQL cost model, in microseconds (bench/search_bench.py --plans): a match collected
# through GIN and sorted; a row of the date index tested with `@@` (its tsvector read).
# Measured 9-19 and 10-23 with 128 MB of shared_buffers (40,000 articles, a busy machine);
# ../shared/PERF-NOTES.md (h) has 1.1 and 4.6 with 2 GB (1,000,000 articles).
_PG_COLLECT_US = 10.0
_PG_WALK_US = 20.0
# The planner's estimate of a word's matches is good once the word is in the column's
# most-common-elements statistics; below this many estimated matches, or below the least
# common element's (see _pg_plan), it may be a default (~5,000 at 1M articles for a word in
# 0.1% and one in 3% alike with the default statistics target): count them exactly instead,
# up to _PG_COUNT_CAP (the count reads a heap row per match, ~10 µs each with a cold cache).
_PG_COUNT_BELOW = 50_000
_PG_COUNT_CAP = 2000


def _pg_plan(conn: Connection, name: str, query: Query, needed: int) -> Plan:
    """PostgreSQL's planner lacks statistics for a rare word and walks the whole date index
    to fill a page; for a common one, collecting its matches through GIN costs seconds."""
    probe = select(literal(1)).select_from(table(name)).where(matches("postgresql", name, query))
    compiled = probe.compile(conn)
    explained = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params)
    estimate = int(explained.scalar_one()[0]["Plan"]["Plan Rows"])
    sizes = conn.execute(
        text(
            # The least common element's frequency (the array's third value from the
            # end: then come min, max and the null fraction), picked out in SQL: the
            # whole array is ~10,000 floats to send and parse (0.6 ms against 0.1).
            "SELECT greatest(c.reltuples, 0), (SELECT f[array_length(f, 1) - 2] FROM "
            "(SELECT s.most_common_elem_freqs AS f FROM pg_stats s "
            "WHERE s.schemaname = current_schema() AND s.tablename = :t "
            "AND s.attname = 'search') x WHERE array_length(f, 1) > 3) "
            "FROM pg_class c WHERE c.oid = CAST(:t AS regclass)"
        ),
        {"t": name},
    ).one()
    total = max(int(sizes[0] or 0), estimate)  # reltuples is 0 before an ANALYZE
    # Words among the column's most common elements are estimated at least at the least
    # frequent one's share; any other word at half that share, a default. Migration 0007
    # keeps ~10,000 elements.
    known = float(sizes[1]) * total if sizes[1] is not None else math.inf
    if _rechecked(query) and estimate > needed:
        # A phrase is estimated like its words together, but only a recheck of each row's
        # positions finds it: two common words rarely side by side made the walk read the
        # whole date index (28 s at 1M articles). Its density among the newest rows says
        # whether a walk finds a page soon; if not, collecting the candidates through GIN
        # costs a recheck each, bounded by their number (2.7 s for 290,000).
        seen = _pg_newest_matches(conn, name, query, needed)
        if seen < needed:
            found = round(seen * total / _PG_PHRASE_WINDOW)
            walked = min(total, needed * total / max(found, 1))
            costs: dict[Strategy, float] = {
                "walk": _PG_WALK_US * walked,
                "collect": _PG_COLLECT_US * estimate,
            }
            return Plan(_choose(costs), seen, None)
    if estimate >= _PG_COUNT_BELOW or estimate >= max(known, 2 * _PG_COUNT_CAP):
        found, low, high = estimate, 0, None
    else:
        # Beyond `cap` matches walking the date index wins whatever the count.
        cap = int(math.sqrt(_PG_WALK_US / _PG_COLLECT_US * needed * total))
        cap = min(max(needed, cap), max(_PG_COUNT_CAP, RANK_CANDIDATES))
        limited = probe.limit(cap + 1).subquery()
        found = int(conn.execute(select(func.count()).select_from(limited)).scalar_one())
        if found > cap:
            # More than counted: the planner's estimate, when larger, is the better guess.
            found, low, high = max(found, estimate), found, None
        else:
            low = high = found
    total = max(total, found)
    walked = min(total, needed * total / max(found, 1))
    costs = {"walk": _PG_WALK_US * walked}
    if high is not None or low == 0:
        # Not when the count stopped at its cap: there may be any number more.
        costs["collect"] = _PG_COLLECT_US * found
    since = None
    if high is None and needed >= _PG_WINDOW_MIN_NEEDED:
        since, share = _pg_newest_share(conn, name, _PG_WINDOW_MARGIN * needed / max(found, 1))
        # A wide window is no filter the planner would intersect indexes for.
        if since is not None and share <= _PG_WINDOW_MAX_SHARE:
            costs["window"] = _PG_BITMAP_US * (found + share * total)
            costs["window"] += _PG_COLLECT_US * share * found
    strategy = _choose(costs)
    return Plan(strategy, low, high, since if strategy == "window" else None)


# Rows of the date index, newest first, in which a phrase's density is sampled (~30-100 ms).
_PG_PHRASE_WINDOW = 5000


def _terms(query: Query, *, excluded: bool = True) -> list[Term]:
    """Every term of the query (the excluded ones too, unless told not to)."""
    found = [term for group in query.groups for term in group]
    return found + list(query.excluded) if excluded else found


def _rechecked(query: Query) -> bool:
    """Whether a match needs more than the GIN index: word positions (a phrase)."""
    return any(len(term.words) > 1 for term in _terms(query, excluded=False))


def _pg_newest_matches(conn: Connection, name: str, query: Query, needed: int) -> int:
    """Matches among the newest _PG_PHRASE_WINDOW rows, counted up to `needed`."""
    rows = table(name, literal_column("search"), literal_column("sort_at"), literal_column("id"))
    newest_rows = (
        select(rows.c.search)
        .order_by(rows.c.sort_at.desc(), rows.c.id.desc())
        .limit(_PG_PHRASE_WINDOW)
        .subquery()
    )
    tsq = func.to_tsquery("english", to_tsquery(query))
    hits = select(literal(1)).where(newest_rows.c.search.op("@@")(tsq)).limit(needed).subquery()
    return int(conn.execute(select(func.count()).select_from(hits)).scalar_one())


# "window": a posting of the GIN index or an entry of the date index put in a bitmap (the
# BitmapAnd reads the word's whole posting list and the window's date range); the window
# holds this many times the matches wanted, so that one pass finds them all nearly always.
# At 1M articles, the newest 1,000 of a word in 3%: window 36 ms, collect 555 ms, walk
# 779 ms (one query, warm, while another job wrote to the disk).
_PG_BITMAP_US = 0.2
_PG_WINDOW_MARGIN = 2.0
# Below this many rows wanted (a page), walking the date index is short anyway.
_PG_WINDOW_MIN_NEEDED = 200
_PG_WINDOW_MAX_SHARE = 0.25


def _pg_newest_share(conn: Connection, name: str, share: float) -> tuple[datetime | None, float]:
    """The `sort_at` from which on lie about `share` (a fraction) of the rows, rounded up to
    the next bound of the column's histogram (ANALYZE's statistics), and that fraction;
    (None, 1.0) when there is no such bound (no statistics, or the whole table)."""
    row = conn.execute(
        text(
            "SELECT CAST(CAST(histogram_bounds AS text) AS timestamptz[]) FROM pg_stats "
            "WHERE schemaname = current_schema() AND tablename = :t AND attname = 'sort_at'"
        ),
        {"t": name},
    ).first()
    bounds: list[datetime] = list(row[0]) if row is not None and row[0] else []
    buckets = len(bounds) - 1
    if buckets < 2 or share >= 1:
        return None, 1.0
    back = math.ceil(share * buckets)  # buckets, counted from the newest bound
    if back >= buckets:
        return None, 1.0
    return bounds[buckets - back], back / buckets


def plan(conn: Connection, name: str, query: Query, needed: int) -> Plan:
    """How to find the newest `needed` matches of `query` in `<name>`, from a probe of about
    a millisecond: a count through the full-text index that stops once the answer is clear
    (SQLite); the planner's estimate and, when it is small, an exact count (PostgreSQL)."""
    if conn.dialect.name == "sqlite":
        return _sqlite_plan(conn, name, query, needed)
    return _pg_plan(conn, name, query, needed)


def matches_materialized(name: str, key: Any, query: Query) -> ColumnElement[bool]:
    """The same condition, forced through the GIN index: a MATERIALIZED CTE of the matches."""
    hits = (
        select(key.label("hit"))
        .where(matches("postgresql", name, query))
        .cte(f"{name}_hits")
        .prefix_with("MATERIALIZED")
    )
    return key.in_(select(hits.c.hit))  # type: ignore[no-any-return]


def condition(
    dialect: str, name: str, query: Query, key: Any, strategy: Strategy | None
) -> ColumnElement[bool]:
    """`matches()` written for a strategy (None: let the engine choose)."""
    if dialect == "sqlite":
        if strategy == "walk":
            probe = _fts_hits(name, query).where(
                literal_column(f"{name}_fts.rowid") == literal_column(f"{name}.rowid")
            )
            return exists(probe)
        if strategy == "set":
            # `+` keeps SQLite from driving the query by rowid: it walks the date index.
            return literal_column(f"+{name}.rowid").in_(_fts_hits(name, query))
        return matches(dialect, name, query)
    if strategy == "collect":
        return matches_materialized(name, key, query)
    return matches(dialect, name, query)  # "window" is applied by `newest()`


def newest(ids: Select[Any], name: str, order: Any, needed: int, plan: Plan | None) -> Select[Any]:
    """The newest `needed` rows of `ids` (a select of one key column whose WHERE holds the
    filters and the match condition), newest first; `order` is `(sort_at desc, key desc)`.

    With a "window" plan: the matches from `plan.since` on (one MATERIALIZED set), and the
    newest older ones only for as many as that set falls short of `needed` (usually none,
    so that walk stops at once). Exact whatever the window: the window only decides cost.
    The bound is written into the SQL (it is our value, from the statistics) so that the
    planner sees how few rows it keeps, as it would not with a parameter of a generic plan."""
    if plan is None or plan.strategy != "window" or plan.since is None:
        return ids.order_by(*order).limit(needed)
    sort: ColumnElement[Any] = literal_column(f"{name}.sort_at")
    bound: ColumnElement[Any] = literal_column(f"CAST('{plan.since.isoformat()}' AS timestamptz)")
    keyed = ids.with_only_columns(ids.selected_columns[0].label("k"), sort.label("s"))
    recent = keyed.where(sort >= bound).cte(f"{name}_recent").prefix_with("MATERIALIZED")
    short = func.greatest(0, needed - select(func.count()).select_from(recent).scalar_subquery())
    older = keyed.where(sort < bound).order_by(*order).limit(short).subquery(f"{name}_older")
    both = union_all(select(recent.c.k, recent.c.s), select(older.c.k, older.c.s)).subquery()
    named = both.c.k.label(ids.selected_columns[0].name)  # as `ids` named it
    return select(named).order_by(both.c.s.desc(), both.c.k.desc()).limit(needed)


def apply(
    stmt: Select[Any],
    dialect: str,
    name: str,
    query: Query,
    *,
    by_relevance: bool,
    order: Any,
    key: Any,
    plan: Plan | None = None,
) -> Select[Any]:
    """Restrict `stmt` to matches, newest first (`order`), or by relevance among the newest
    RANK_CANDIDATES matches (exact relevance whenever there are fewer matches than that).
    `plan` (from `plan()`) picks how the matches are found; every plan gives the same rows."""
    strategy = plan.strategy if plan is not None else None
    matching = stmt.where(condition(dialect, name, query, key, strategy))
    if not by_relevance:
        return matching.order_by(*order)
    where = matching.whereclause
    assert where is not None  # the match condition, at least
    # SQLite fetches candidates by rowid: no detour through the primary-key index.
    rk = literal_column(f"{name}.rowid") if dialect == "sqlite" else key
    candidates = select(key).where(where).with_only_columns(rk, maintain_column_froms=True)
    if plan is None or not plan.few:
        candidates = newest(candidates, name, order, RANK_CANDIDATES, plan)
    return stmt.where(rk.in_(candidates)).order_by(score(dialect, name, query).desc(), *order)


def optimize_full_text(conn: Connection) -> None:
    """Merge each FTS5 index into one b-tree. Batched inserts leave dozens of segments, and
    a search walking the date index probes every segment per row: ~8x slower per probe
    measured at 150k articles (53 s for the articles' index at 1M)."""
    for name in SEARCHED_TABLES:
        conn.exec_driver_sql(f"INSERT INTO {name}_fts({name}_fts) VALUES ('optimize')")


def rebuild_full_text(conn: Connection) -> None:
    """Rebuild every full-text index from its table: SQLite's FTS5 tables (needed after a
    VACUUM renumbers rowids), then merged; PostgreSQL's GIN indexes, reindexed."""
    for name in SEARCHED_TABLES:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql(f"INSERT INTO {name}_fts({name}_fts) VALUES ('rebuild')")
        else:
            conn.exec_driver_sql(f"REINDEX INDEX ix_{name}_search")
    if conn.dialect.name == "sqlite":
        optimize_full_text(conn)
