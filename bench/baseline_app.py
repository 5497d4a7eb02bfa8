"""The minimal endpoint doing the same queries: the benchmark's reference for our API.

A bare FastAPI app with `async def` routes and hand-written SQL: raw `sqlite3` (called
inline on the event loop, as in PERF-NOTES variant c2) for SQLite, an `asyncpg` pool for
PostgreSQL, and orjson for JSON. It serves the same JSON as our API for the same request
(bench/run.py checks that before timing), but skips everything else our API does
(auth, rate limits, ETags, validation of query models, ORM loading).

    BENCH_DATABASE_URL=sqlite:////tmp/bench/100k.db \
        .venv/bin/uvicorn bench.baseline_app:app --port 8101 --loop uvloop --http httptools

Routes (add new ones next to their entry in bench/run.py's ROUTES table):

* GET /v1/articles/{id}       -> ArticleRead
* GET /v1/articles?limit=N&cursor=ID -> {"data": [ArticleSummary...], "next_cursor": ID}
  (keyset: the cursor is the id of the last item of the previous page)
* GET /v1/articles?q=WORD&sort=date  -> the same page, only articles matching WORD, each with
  a `snippet` (the same passage and `<mark>`s as ours); keyset cursor as above
* GET /v1/articles?q=WORD            -> by relevance, the naive full ranking of every match:
  SQLite `ORDER BY bm25(article_fts, 8.0, 1.0)`, PostgreSQL `ORDER BY ts_rank_cd(search, q,
  32) DESC` (ties newest first); first page only (the cursor is ignored)
* ...&facets=source,location,speaker,metric,month -> the page plus `facets` and
  `facets_sampled`: top 20 buckets per facet (months: up to 120) over **the same sample as
  ours**: every match when there are at most FACET_SAMPLE, else the newest FACET_SAMPLE
  (ours' app/repositories/articles.py FACET_SAMPLE, passed by bench/run.py as
  BENCH_FACET_SAMPLE: 1,000 as of this writing), so the counts compare one for one. One statement for all facets
  over a MATERIALIZED set of the matching ids, after a `LIMIT 10001` count probe.
* GET /v1/statistics/series?metric=M&interval=day|week|month[&location=NAME] -> the series
  aggregated from `statistic` directly (count/min/max/sum per period, top 5 ids by value
  desc, id asc), as our code did before the daily rollup
* GET /health

`q` must be one plain word (letters and digits): the bench searches single words only, and
the MATCH text is what ours renders for one word (app/search/syntax.py.py): FTS5
`(("word"))`, tsquery `(('word'))`.
"""

from __future__ import annotations

import os
import re
import sqlite3
import unicodedata
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import orjson
from fastapi import FastAPI, Response
from sqlalchemy.engine import make_url

from app.search.snippets import snippet as search_snippet
from app.search.syntax import Query
from app.search.syntax import parse as parse_query

URL = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
IS_SQLITE = URL.startswith("sqlite")

ARTICLE_COLS = (
    "a.id, a.title, a.url, a.published_at, a.language, a.authors, a.read_time_minutes, "
    "a.word_count, a.created_at, a.updated_at, s.id, s.name, s.domain"
)
LOC_SQL = (
    "SELECT al.article_id, l.id, l.name, l.kind, l.country_code, l.latitude, l.longitude, "
    "al.mentions, al.is_primary FROM article_location al JOIN location l ON l.id = al.location_id "
    "WHERE al.article_id IN ({ids})"
)
TAG_SQL = "SELECT article_id, tag FROM article_tag WHERE article_id IN ({ids}) ORDER BY tag"
QUOTE_SQL = (
    "SELECT q.id, q.article_id, q.text, q.kind, sp.id, sp.name, q.speaker_role, sp.organisation, "
    "q.cue, q.context, q.span_start, q.span_end FROM quote q "
    "LEFT JOIN speaker sp ON sp.id = q.speaker_id WHERE q.article_id = {p1} ORDER BY q.span_start"
)
STAT_SQL = (
    "SELECT id, article_id, value, value_max, unit, metric, qualifier, subject, location, "
    "cited_by, text, sentence, span_start, span_end FROM statistic "
    "WHERE article_id = {p1} ORDER BY span_start"
)
COUNT_SQL = (
    "SELECT article_id, count(*) FROM {table} WHERE article_id IN ({ids}) GROUP BY article_id"
)
DETAIL_SQL = (
    f"SELECT {ARTICLE_COLS}, a.body FROM article a LEFT JOIN source s ON s.id = a.source_id "
    "WHERE a.id = {p1}"
)
PAGE_SQL = (
    f"SELECT {ARTICLE_COLS} FROM article a LEFT JOIN source s ON s.id = a.source_id "
    "{where} ORDER BY a.sort_at DESC, a.id DESC LIMIT {limit}"
)
AFTER = "WHERE (a.sort_at, a.id) < ((SELECT sort_at FROM article WHERE id = {p1}), {p1})"

# Search, facets and series: written once with numbered parameters ($1, $2: asyncpg; SQLite
# gets ?1, ?2), engine-specific parts picked below.
MATCH_SQL = (
    "a.rowid IN (SELECT rowid FROM article_fts WHERE article_fts MATCH $1)"
    if IS_SQLITE
    else "a.search @@ to_tsquery('english', $1)"
)
SEARCH_AFTER = "AND (a.sort_at, a.id) < ((SELECT sort_at FROM article WHERE id = $2), $2)"
SEARCH_DATE_SQL = (
    f"SELECT {ARTICLE_COLS}, a.body FROM article a LEFT JOIN source s ON s.id = a.source_id "
    f"WHERE {MATCH_SQL} {{after}} ORDER BY a.sort_at DESC, a.id DESC LIMIT {{limit}}"
)
if IS_SQLITE:
    SEARCH_RELEVANCE_SQL = (
        f"SELECT {ARTICLE_COLS}, a.body FROM article_fts "
        "JOIN article a ON a.rowid = article_fts.rowid LEFT JOIN source s ON s.id = a.source_id "
        "WHERE article_fts MATCH $1 "
        "ORDER BY bm25(article_fts, 8.0, 1.0), a.sort_at DESC, a.id DESC LIMIT {limit}"
    )
else:
    SEARCH_RELEVANCE_SQL = (
        f"SELECT {ARTICLE_COLS}, a.body FROM article a LEFT JOIN source s ON s.id = a.source_id, "
        "to_tsquery('english', $1) q WHERE a.search @@ q "
        "ORDER BY ts_rank_cd(a.search, q, 32) DESC, a.sort_at DESC, a.id DESC LIMIT {limit}"
    )

# ours: app/repositories/articles.py FACET_SAMPLE (bench/run.py passes its current value)
FACET_SAMPLE = int(os.environ.get("BENCH_FACET_SAMPLE") or 1000)
FACET_SIZE = 20
FACET_PROBE_SQL = (
    f"SELECT count(*) FROM (SELECT 1 FROM article a WHERE {MATCH_SQL} LIMIT {FACET_SAMPLE + 1}) t"
)
_MONTH = "strftime('%Y-%m', h.published_at)" if IS_SQLITE else "to_char(h.published_at, 'YYYY-MM')"
FACET_BRANCHES = {
    "source": "SELECT s.id AS v, s.name AS l, count(*) AS n FROM hits h "
    "JOIN source s ON s.id = h.source_id GROUP BY s.id, s.name",
    "location": "SELECT l.id AS v, l.name AS l, count(*) AS n FROM hits h "
    "JOIN article_location al ON al.article_id = h.id JOIN location l ON l.id = al.location_id "
    "GROUP BY l.id, l.name",
    "speaker": "SELECT sp.id AS v, sp.name AS l, count(DISTINCT q.article_id) AS n FROM hits h "
    "JOIN quote q ON q.article_id = h.id JOIN speaker sp ON sp.id = q.speaker_id "
    "GROUP BY sp.id, sp.name",
    "metric": "SELECT st.metric AS v, st.metric AS l, count(DISTINCT st.article_id) AS n "
    "FROM hits h JOIN statistic st ON st.article_id = h.id GROUP BY st.metric",
    "month": f"SELECT {_MONTH} AS v, {_MONTH} AS l, count(*) AS n FROM hits h "
    f"WHERE h.published_at IS NOT NULL GROUP BY {_MONTH}",
}


def facets_sql(names: list[str], sampled: bool) -> str:
    """One statement: the matching ids once (MATERIALIZED), then every facet's top buckets."""
    hits = f"SELECT a.id, a.source_id, a.published_at FROM article a WHERE {MATCH_SQL}"
    if sampled:
        hits += f" ORDER BY a.sort_at DESC, a.id DESC LIMIT {FACET_SAMPLE}"
    branches = [
        f"SELECT CAST('{name}' AS TEXT) AS facet, CAST(f{i}.v AS TEXT), CAST(f{i}.l AS TEXT), "
        f"f{i}.n FROM ({FACET_BRANCHES[name]} ORDER BY n DESC, v "
        f"LIMIT {120 if name == 'month' else FACET_SIZE}) f{i}"
        for i, name in enumerate(names)
    ]
    return f"WITH hits AS MATERIALIZED ({hits}) " + " UNION ALL ".join(branches)


SERIES_TOP = 5
SERIES_MAX_POINTS = 2000
if IS_SQLITE:
    PERIOD_SQL = {
        "day": "strftime('%Y-%m-%d', sort_at)",
        "week": "date(sort_at, '-' || CAST((CAST(strftime('%w', sort_at) AS INTEGER) + 6) % 7 "
        "AS TEXT) || ' days')",
        "month": "strftime('%Y-%m-01', sort_at)",
    }
else:
    PERIOD_SQL = {
        i: f"to_char(date_trunc('{i}', timezone('UTC', sort_at)), 'YYYY-MM-DD')"
        for i in ("day", "week", "month")
    }
SERIES_PLACE = "AND location_id IN (SELECT id FROM location WHERE name_key = $2)"
SERIES_POINTS_SQL = (
    "SELECT {period} AS p, count(id), min(value), max(value), sum(value) FROM statistic "
    "WHERE metric = $1 {place} GROUP BY p ORDER BY p LIMIT " + str(SERIES_MAX_POINTS)
)
SERIES_TOP_SQL = (
    "SELECT p, id, article_id FROM (SELECT {period} AS p, id, article_id, row_number() OVER "
    "(PARTITION BY {period} ORDER BY value DESC, id) AS rn FROM statistic "
    "WHERE metric = $1 {place}) t WHERE rn <= " + str(SERIES_TOP) + " ORDER BY p, rn"
)


# --- value conversion: the same wire format as app.schemas ------------------------------


def ts(value: Any) -> str | None:
    """RFC 3339 UTC like app.schemas.common.UtcDatetime."""
    if value is None:
        return None
    if isinstance(value, str):  # SQLite: 'YYYY-MM-DD HH:MM:SS.ffffff'
        frac = value[19:]
        if frac.strip(".0") == "":
            frac = ""
        return f"{value[:10]}T{value[11:19]}{frac}Z"
    dt: datetime = value
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


def figure(value: Any) -> int | float | None:
    if value is None:
        return None
    f = float(value)
    return int(f) if f.is_integer() and abs(f) < 2**53 else f


def opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


def authors(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        loaded: list[str] = orjson.loads(value)
        return loaded
    return list(value)


def base(row: Sequence[Any], locations: list[dict[str, Any]], tags: list[str]) -> dict[str, Any]:
    return {
        "id": row[0],
        "title": row[1],
        "url": row[2],
        "source": None if row[10] is None else {"id": row[10], "name": row[11], "domain": row[12]},
        "published_at": ts(row[3]),
        "language": row[4],
        "authors": authors(row[5]),
        "read_time_minutes": row[6],
        "word_count": row[7],
        "locations": locations,
        "tags": tags,
        "created_at": ts(row[8]),
        "updated_at": ts(row[9]),
    }


def group_locations(rows: Iterable[Sequence[Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(r[0], []).append(
            {
                "id": r[1],
                "name": r[2],
                "kind": r[3],
                "country_code": r[4],
                "latitude": opt_float(r[5]),
                "longitude": opt_float(r[6]),
                "mentions": r[7],
                "primary": bool(r[8]),
            }
        )
    for locs in out.values():
        locs.sort(key=lambda loc: (not loc["primary"], -loc["mentions"], loc["name"]))
    return out


def group_tags(rows: Iterable[Sequence[Any]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in rows:
        out.setdefault(r[0], []).append(r[1])
    return out


def quote(r: Sequence[Any]) -> dict[str, Any]:
    speaker = None
    if r[4] is not None:
        speaker = {"id": r[4], "name": r[5], "role": r[6], "organisation": r[7]}
    return {
        "id": r[0],
        "article_id": r[1],
        "text": r[2],
        "kind": r[3],
        "speaker": speaker,
        "cue": r[8],
        "context": r[9],
        "start": r[10],
        "end": r[11],
    }


_WORD = re.compile(r"[^\W_]+")
_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s'-]")


def name_key(name: str) -> str:
    """Like app.core.normalise.name_key: accents, punctuation, spacing and case ignored."""
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)
    )
    plain = plain.replace("\u2019", "'")
    return _SPACES.sub(" ", _PUNCT.sub(" ", plain)).strip().casefold()


def match_text(word: str) -> str:
    """What ours renders for one plain word (app/search/syntax.py.py to_fts5/to_tsquery)."""
    return f'(("{word}"))' if IS_SQLITE else f"(('{word}'))"


@lru_cache(maxsize=64)
def _one_word(word: str) -> Query:
    return parse_query(word)


def snippet(text: str, word: str) -> str:
    """The passage around the first hit, hits in <mark>: our own snippet code
    (app/search/snippets.py) for one word, so both variants pay the same for it."""
    return search_snippet(text, _one_word(word))


def statistic(r: Sequence[Any]) -> dict[str, Any]:
    return {
        "id": r[0],
        "article_id": r[1],
        "value": figure(r[2]),
        "value_max": figure(r[3]),
        "unit": r[4],
        "metric": r[5],
        "qualifier": r[6],
        "subject": r[7],
        "location": r[8],
        "cited_by": r[9],
        "text": r[10],
        "sentence": r[11],
        "start": r[12],
        "end": r[13],
    }


# --- database access ----------------------------------------------------------------------


class SqliteDB:
    def __init__(self, url: str) -> None:
        path = make_url(url).database or ""
        self.conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.conn.execute("PRAGMA query_only=ON")
        self.conn.execute("PRAGMA mmap_size=1073741824")

    @staticmethod
    def ph(n: int) -> str:
        return ", ".join("?" * n)

    async def all(self, sql: str, *args: Any) -> list[Any]:
        uses = sql.count("{p1}")
        if uses > 1:  # qmark parameters are positional: repeat the first one
            args = (args[0],) * uses + args[1:]
        return self.conn.execute(sql.replace("{p1}", "?"), args).fetchall()

    async def raw(self, sql: str, *args: Any) -> list[Any]:
        """Numbered parameters: $1, $2 (the same text as for asyncpg)."""
        return self.conn.execute(_numbered(sql), args).fetchall()

    async def close(self) -> None:
        self.conn.close()


@lru_cache(maxsize=256)
def _numbered(sql: str) -> str:
    return re.sub(r"\$(\d+)", r"?\1", sql)


class PostgresDB:
    def __init__(self, pool: Any) -> None:
        self.pool = pool

    @classmethod
    async def connect(cls, url: str) -> PostgresDB:
        import asyncpg

        u = make_url(url)
        pool = await asyncpg.create_pool(
            host=u.host,
            port=u.port or 5432,
            user=u.username,
            password=u.password,
            database=u.database,
            min_size=4,
            max_size=20,
        )
        return cls(pool)

    @staticmethod
    def ph(n: int) -> str:
        return ", ".join(f"${i + 1}" for i in range(n))

    async def all(self, sql: str, *args: Any) -> list[Any]:
        async with self.pool.acquire() as conn:
            return list(await conn.fetch(sql.replace("{p1}", "$1"), *args))

    async def raw(self, sql: str, *args: Any) -> list[Any]:
        async with self.pool.acquire() as conn:
            return list(await conn.fetch(sql, *args))

    async def close(self) -> None:
        await self.pool.close()


DB: Any = None


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    global DB
    DB = SqliteDB(URL) if IS_SQLITE else await PostgresDB.connect(URL)
    try:
        yield
    finally:
        await DB.close()


app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)


def json_response(doc: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(doc), status_code=status, media_type="application/json")


@app.get("/health")
async def health() -> Response:
    return json_response({"ok": True})


@app.get("/v1/articles/{article_id}")
async def get_article(article_id: str) -> Response:
    rows = await DB.all(DETAIL_SQL, article_id)
    if not rows:
        return json_response({"status": 404}, 404)
    row = rows[0]
    ph = DB.ph(1)
    locs = group_locations(await DB.all(LOC_SQL.format(ids=ph), article_id))
    tags = group_tags(await DB.all(TAG_SQL.format(ids=ph), article_id))
    quotes = [quote(r) for r in await DB.all(QUOTE_SQL, article_id)]
    stats = [statistic(r) for r in await DB.all(STAT_SQL, article_id)]
    doc = base(row, locs.get(article_id, []), tags.get(article_id, []))
    doc["body"] = row[13]
    doc["quotes"] = quotes
    doc["statistics"] = stats
    return json_response(doc)


@app.get("/v1/articles")
async def list_articles(
    limit: int = 20,
    cursor: str | None = None,
    q: str | None = None,
    sort: str | None = None,
    facets: str | None = None,
) -> Response:
    limit = max(1, min(limit, 100))
    word = None
    if q is not None:
        words = _WORD.findall(q)
        if len(words) != 1:
            return json_response({"status": 400, "detail": "one plain word only"}, 400)
        word = words[0].lower()
        term = match_text(word)
        if sort == "date":
            if cursor:
                sql = SEARCH_DATE_SQL.format(after=SEARCH_AFTER, limit=limit + 1)
                rows = await DB.raw(sql, term, cursor)
            else:
                rows = await DB.raw(SEARCH_DATE_SQL.format(after="", limit=limit + 1), term)
        else:
            rows = await DB.raw(SEARCH_RELEVANCE_SQL.format(limit=limit + 1), term)
    elif cursor:
        rows = await DB.all(PAGE_SQL.format(where=AFTER, limit=limit + 1), cursor)
    else:
        rows = await DB.all(PAGE_SQL.format(where="", limit=limit + 1))
    has_next = len(rows) > limit
    rows = rows[:limit]
    ids = [r[0] for r in rows]
    data: list[dict[str, Any]] = []
    if ids:
        ph = DB.ph(len(ids))
        locs = group_locations(await DB.all(LOC_SQL.format(ids=ph), *ids))
        tags = group_tags(await DB.all(TAG_SQL.format(ids=ph), *ids))
        qc = dict(await DB.all(COUNT_SQL.format(table="quote", ids=ph), *ids))
        sc = dict(await DB.all(COUNT_SQL.format(table="statistic", ids=ph), *ids))
        for r in rows:
            doc = base(r, locs.get(r[0], []), tags.get(r[0], []))
            doc["quote_count"] = qc.get(r[0], 0)
            doc["statistic_count"] = sc.get(r[0], 0)
            if word is not None:
                doc["snippet"] = snippet(r[13] or "", word)
            data.append(doc)
    page: dict[str, Any] = {"data": data, "next_cursor": ids[-1] if has_next and ids else None}
    if facets and word is not None:
        names = list(dict.fromkeys(n.strip() for n in facets.split(",") if n.strip()))
        if any(n not in FACET_BRANCHES for n in names):
            return json_response({"status": 400, "detail": "unknown facet"}, 400)
        page["facets"], page["facets_sampled"] = await facet_counts(match_text(word), names)
    return json_response(page)


async def facet_counts(term: str, names: list[str]) -> tuple[dict[str, Any], bool]:
    sampled = (await DB.raw(FACET_PROBE_SQL, term))[0][0] > FACET_SAMPLE
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    for facet, value, label, count in await DB.raw(facets_sql(names, sampled), term):
        out[facet].append({"value": value, "label": label, "count": count})
    for name, buckets in out.items():
        if name == "month":
            buckets.sort(key=lambda b: b["value"] or "", reverse=True)
        else:
            buckets.sort(key=lambda b: (-b["count"], b["value"] or ""))
    return out, sampled


@app.get("/v1/statistics/series")
async def series(metric: str, interval: str = "month", location: str | None = None) -> Response:
    if interval not in PERIOD_SQL:
        return json_response({"status": 422, "detail": "interval: day, week or month"}, 422)
    period = PERIOD_SQL[interval]
    args: list[Any] = [metric.lower()]
    place = ""
    if location is not None:
        place = SERIES_PLACE
        args.append(name_key(location))
    points = await DB.raw(SERIES_POINTS_SQL.format(period=period, place=place), *args)
    top: dict[str, list[tuple[str, str]]] = {}
    for p, sid, aid in await DB.raw(SERIES_TOP_SQL.format(period=period, place=place), *args):
        top.setdefault(p, []).append((sid, aid))
    data = []
    for p, count, lo, hi, total in points:
        ranked = top.get(p, [])
        data.append(
            {
                "period": p,
                "count": count,
                "min": figure(lo),
                "max": figure(hi),
                "sum": figure(total),
                "statistics": [sid for sid, _ in ranked],
                "articles": [aid for _, aid in ranked],
            }
        )
    doc = {
        "metric": metric.lower(),
        "interval": interval,
        "unit": None,
        "location": location,
        "data": data,
    }
    return json_response(doc)


# --- the quote and figure lists: one page query, then the page's articles ------------------

ITEM_PAGE_SQL = {
    "quote": (
        "SELECT q.id, q.article_id, q.text, q.kind, sp.id, sp.name, q.speaker_role, "
        "sp.organisation, q.cue, q.context, q.span_start, q.span_end FROM quote q "
        "LEFT JOIN speaker sp ON sp.id = q.speaker_id {where} "
        "ORDER BY q.sort_at DESC, q.id DESC LIMIT {limit}"
    ),
    "statistic": (
        "SELECT q.id, q.article_id, q.value, q.value_max, q.unit, q.metric, q.qualifier, "
        "q.subject, q.location, q.cited_by, q.text, q.sentence, q.span_start, q.span_end, "
        "q.reference_time, q.reference_precision, q.nature, l.id, l.name, l.kind, "
        "l.country_code, l.latitude, l.longitude FROM statistic q "
        "LEFT JOIN location l ON l.id = q.location_id {where} "
        "ORDER BY q.sort_at DESC, q.id DESC LIMIT {limit}"
    ),
}
ITEM_AFTER = "WHERE (q.sort_at, q.id) < ((SELECT sort_at FROM {table} WHERE id = {{p1}}), {{p1}})"
REF_SQL = (
    "SELECT a.id, a.title, a.published_at, s.id, s.name, s.domain FROM article a "
    "LEFT JOIN source s ON s.id = a.source_id WHERE a.id IN ({ids})"
)


def figure_item(r: Sequence[Any]) -> dict[str, Any]:
    doc = statistic(r)
    doc["reference_time"], doc["reference_precision"], doc["nature"] = ts(r[14]), r[15], r[16]
    doc["place"] = None if r[17] is None else {
        "id": r[17], "name": r[18], "kind": r[19], "country_code": r[20],
        "latitude": opt_float(r[21]), "longitude": opt_float(r[22]),
    }  # fmt: skip
    return doc


async def item_page(table: str, limit: int, cursor: str | None) -> Response:
    limit = max(1, min(limit, 100))
    sql = ITEM_PAGE_SQL[table]
    after = ITEM_AFTER.format(table=table)
    rows = await (
        DB.all(sql.format(where=after, limit=limit + 1), cursor)
        if cursor
        else DB.all(sql.format(where="", limit=limit + 1))
    )
    has_next = len(rows) > limit
    rows = rows[:limit]
    article_ids = list(dict.fromkeys(r[1] for r in rows))
    refs = {}
    if article_ids:
        for a in await DB.all(REF_SQL.format(ids=DB.ph(len(article_ids))), *article_ids):
            source = None if a[3] is None else {"id": a[3], "name": a[4], "domain": a[5]}
            refs[a[0]] = {"id": a[0], "title": a[1], "source": source, "published_at": ts(a[2])}
    render = quote if table == "quote" else figure_item
    data = [{**render(r), "article": refs[r[1]]} for r in rows]
    return json_response({"data": data, "next_cursor": rows[-1][0] if has_next else None})


@app.get("/v1/quotes")
async def list_quotes(limit: int = 20, cursor: str | None = None) -> Response:
    return await item_page("quote", limit, cursor)


@app.get("/v1/statistics")
async def list_statistics(limit: int = 20, cursor: str | None = None) -> Response:
    return await item_page("statistic", limit, cursor)
