"""Reads bounded by READ_TIMEOUT_MS, on every engine: a read that runs out is stopped
(PostgreSQL's statement_timeout, a progress handler on SQLite) and answered with a 503
problem+json and Retry-After that says how to narrow it; the connection serves the next
read; writes and exports are not bounded."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, text

from app.core.db import Database, make_engine
from app.core.errors import QueryTooExpensive
from app.core.migrate import upgrade
from app.main import create_app
from tests.dbutil import ENGINES, fresh_database, make_settings

REPO_ROOT = Path(__file__).resolve().parents[1]
HEAVY = "/v1/articles?q=humanitarian&facets=source,location,month,speaker,tag,language"

pytestmark = pytest.mark.slow


def _endless(conn: Connection) -> int:
    """A deliberately slow statement: minutes of work unless something stops it."""
    if conn.dialect.name == "sqlite":
        sql = (
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
            "WHERE i < 5000000000) SELECT count(*) FROM n"
        )
    else:
        sql = "SELECT count(*) FROM generate_series(1, 2000000000)"
    return int(conn.execute(text(sql)).scalar_one())


def _backend(conn: Connection) -> object:
    if conn.dialect.name == "sqlite":
        return id(conn.connection.driver_connection)
    return conn.execute(text("SELECT pg_backend_pid()")).scalar_one()


@pytest.fixture(scope="module", params=ENGINES)
def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """5,000 synthetic articles: a facet search of a common word takes ~100-200 ms."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from bench.synthetic import seed

    with fresh_database(request.param, tmp_path_factory.mktemp("timeouts")) as url:
        upgrade(url)
        engine = make_engine(url)
        try:
            seed(engine, 5000, batch=2500, seed=3)
        finally:
            engine.dispose()
        yield url


@pytest.fixture
def small_pool(seeded: str) -> Iterator[Engine]:
    engine = make_engine(seeded, pool_size=1)
    yield engine
    engine.dispose()


def test_a_read_is_stopped_at_its_timeout_and_the_connection_serves_on(
    small_pool: Engine,
) -> None:
    database = Database(small_pool, 1, read_timeout_ms=150)
    first = anyio.run(database.read, _backend)
    started = time.monotonic()
    with pytest.raises(QueryTooExpensive) as caught:
        anyio.run(database.read, _endless)
    elapsed = time.monotonic() - started
    assert 0.15 <= elapsed < 0.15 + 0.5, elapsed
    assert caught.value.status == 503
    assert caught.value.headers["Retry-After"] == "5"
    assert "150 ms" in caught.value.detail
    # The same connection (one in the pool) answers the next read, with a fresh deadline.
    assert anyio.run(database.read, _backend) == first
    count = anyio.run(database.read, _article_count)
    assert count == 5000


def _article_count(conn: Connection) -> int:
    return int(conn.execute(text("SELECT count(*) FROM article")).scalar_one())


def test_writes_and_exports_are_not_bounded(small_pool: Engine) -> None:
    database = Database(small_pool, 1, read_timeout_ms=50)
    slow = "SELECT count(*) FROM article a JOIN quote q ON q.article_id = a.id"
    with database.transaction(write=True) as session:
        started = time.monotonic()
        session.execute(text(_slow_sql(session.connection(), 0.2)))
        assert time.monotonic() - started >= 0.2
    with database.stream() as session:
        session.execute(text(_slow_sql(session.connection(), 0.2)))
        assert session.execute(text(slow)).scalar() == 25000


def _slow_sql(conn: Connection, seconds: float) -> str:
    """A statement that takes at least `seconds` (a busy loop on SQLite)."""
    if conn.dialect.name == "postgresql":
        return f"SELECT pg_sleep({seconds})"
    started = time.monotonic()
    n = 200_000
    while True:  # calibrate: how many recursive steps take `seconds` here
        t = time.monotonic()
        conn.execute(text(_count_to(n)))
        if time.monotonic() - t >= seconds:
            return _count_to(n)
        n *= 2
        assert time.monotonic() - started < 30


def _count_to(n: int) -> str:
    return (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
        f"WHERE i < {n}) SELECT count(*) FROM n"
    )


def test_a_heavy_search_answers_503_problem_with_advice(seeded: str) -> None:
    settings = make_settings(seeded, read_timeout_ms=5, rate_limits_enabled=False)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        some = client.get("/v1/articles?limit=1")
        assert some.status_code == 200, some.text
        heavy = client.get(HEAVY)
        assert heavy.status_code == 503, heavy.text
        assert heavy.headers["content-type"] == "application/problem+json"
        assert heavy.headers["retry-after"] == "5"
        problem = heavy.json()
        assert problem["type"].endswith("/query-too-expensive")
        assert problem["title"] == "Query too expensive"
        assert problem["timeout_ms"] == 5
        assert "read timeout (5 ms)" in problem["detail"]
        assert "published_from" in problem["detail"]
        assert "SELECT" not in problem["detail"]
        # The service goes on: a primary-key read of an article answers.
        article_id = some.json()["data"][0]["id"]
        assert client.get(f"/v1/articles/{article_id}").status_code == 200
        # ...and without the timeout the same search succeeds.
    relaxed = make_settings(seeded, read_timeout_ms=0, rate_limits_enabled=False)
    with TestClient(create_app(relaxed)) as client:
        assert client.get(HEAVY).status_code == 200


def test_an_orm_read_session_is_bounded_too(seeded: str) -> None:
    """GET routes on the request's ORM session (quote and figure searches) are bounded."""
    settings = make_settings(seeded, read_timeout_ms=1, rate_limits_enabled=False)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        broad = "the OR humanitarian OR a OR of"
        found = client.get(f"/v1/quotes?q={broad}&limit=100&sort=relevance")
        assert found.status_code == 503, found.text
        assert found.json()["type"].endswith("/query-too-expensive")
