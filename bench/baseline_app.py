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
* GET /health
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import orjson
from fastapi import FastAPI, Response
from sqlalchemy.engine import make_url

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

    async def close(self) -> None:
        self.conn.close()


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
async def list_articles(limit: int = 20, cursor: str | None = None) -> Response:
    limit = max(1, min(limit, 100))
    if cursor:
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
            data.append(doc)
    return json_response({"data": data, "next_cursor": ids[-1] if has_next and ids else None})
