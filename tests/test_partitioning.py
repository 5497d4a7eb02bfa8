"""`conflict-news db partition` (PostgreSQL): a seeded database is cloned, the clone
partitioned by month, and the API answers the same on both, reads, searches, exports and
writes alike; the constraints the partitioned tables cannot hold themselves (a unique URL,
foreign keys to an article, cascading deletes) still hold. SQLite refuses, saying why."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.core.db import make_engine
from app.core.migrate import upgrade
from app.main import create_app
from app.services import api_keys as key_service
from app.services import partitioning
from tests.dbutil import fresh_database, make_settings
from tests.factories import article_payload

pytestmark = pytest.mark.slow

PG_ONLY = "declarative partitioning is PostgreSQL's; set TEST_DATABASE_URL to run this"

READS = [
    "/v1/articles?limit=50",
    "/v1/articles?published_from=2024-03-01T00:00:00Z&published_to=2024-05-01T00:00:00Z",
    "/v1/articles?q=humanitarian&published_from=2024-01-01T00:00:00Z&limit=30",
    "/v1/articles?q=ceasefire&sort=relevance&facets=source,month,tag",
    '/v1/articles?q="humanitarian corridor" OR cease*&limit=40',
    "/v1/quotes?limit=60&published_from=2023-06-01T00:00:00Z",
    "/v1/quotes?q=humanitarian OR ceasefire&sort=relevance",
    "/v1/statistics?metric=killed&limit=80",
    "/v1/statistics/series?metric=killed&interval=month",
    "/v1/speakers?limit=20",
    "/v1/sources",
    "/v1/locations?limit=30",
]
EXPORTS = [
    "/v1/articles?format=ndjson",
    "/v1/quotes?format=ndjson&published_to=2024-01-01T00:00:00Z",
    "/v1/statistics?format=csv",
]


def test_sqlite_refuses(tmp_path: Path) -> None:
    with fresh_database("sqlite", tmp_path) as url:
        upgrade(url)
        engine = make_engine(url)
        try:
            with engine.begin() as conn, pytest.raises(partitioning.PartitionError, match="SQLite"):
                partitioning.partition(conn)
        finally:
            engine.dispose()


def test_months_span_years() -> None:
    from datetime import date

    got = partitioning.months(date(2025, 11, 20), date(2026, 2, 1))
    assert got == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """Two PostgreSQL databases with the same rows (ids included): the second partitioned."""
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip(PG_ONLY)
    from bench.synthetic import seed

    with fresh_database("postgresql", tmp_path_factory.mktemp("pg")) as plain:
        upgrade(plain)
        engine = make_engine(plain)
        try:
            seed(engine, 400, batch=200, seed=7)
        finally:
            engine.dispose()
        clone = _clone(plain)
        try:
            yield plain, clone
        finally:
            _drop(clone)


def _admin(url: str) -> str:
    return (
        make_url(url)
        .set(drivername="postgresql", database="postgres")
        .render_as_string(hide_password=False)
    )


def _clone(url: str) -> str:
    name = f"cn_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_admin(url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{make_url(url).database}"')
    clone = make_url(url).set(database=name).render_as_string(hide_password=False)
    os.environ["DATABASE_URL"] = clone
    try:
        from app.cli import cli
        from app.core.config import get_settings

        get_settings.cache_clear()
        result = CliRunner().invoke(cli, ["db", "partition", "--months-ahead", "2"])
        assert result.exit_code == 0, result.output
        assert "article: converted, 400 rows copied" in result.output
        again = CliRunner().invoke(cli, ["db", "partition", "--months-ahead", "3"])
        assert again.exit_code == 0, again.output
        assert "article: already partitioned" in again.output
    finally:
        del os.environ["DATABASE_URL"]
        get_settings.cache_clear()
    return clone


def _drop(url: str) -> None:
    with psycopg.connect(_admin(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


@pytest.fixture(scope="module")
def clients(twins: tuple[str, str]) -> Iterator[tuple[TestClient, TestClient]]:
    plain, clone = twins
    with _client(plain) as a, _client(clone) as b:
        yield a, b


def _client(url: str) -> TestClient:
    engine = make_engine(url)
    with Session(engine) as session:
        _, new = key_service.create_key(session, "partition tests", "read,write")
        session.commit()
    engine.dispose()
    client = TestClient(create_app(make_settings(url, rate_limits_enabled=False)))
    client.headers["Authorization"] = f"Bearer {new.plaintext}"
    return client


def _engine(url: str) -> Engine:
    return make_engine(url)


def test_the_tables_are_partitioned_by_month(twins: tuple[str, str]) -> None:
    engine = _engine(twins[1])
    try:
        with engine.connect() as conn:
            kinds = dict(
                conn.execute(
                    text(
                        "SELECT relname, relkind FROM pg_class WHERE relname IN "
                        "('article', 'quote', 'statistic', 'article_key', 'quote_key')"
                    )
                ).all()
            )
            span = conn.execute(
                text("SELECT count(DISTINCT date_trunc('month', sort_at, 'UTC')) FROM article")
            ).scalar_one()
            holding = conn.execute(
                text(
                    "SELECT count(DISTINCT tableoid) FROM article WHERE tableoid <> "
                    "to_regclass('article_default')"
                )
            ).scalar_one()
    finally:
        engine.dispose()
    assert kinds == {
        "article": "p",
        "quote": "p",
        "statistic": "p",
        "article_key": "r",
        "quote_key": "r",
    }
    assert holding == span  # every row in its month's partition, none in the default


def test_reads_searches_and_exports_are_the_same(clients: tuple[TestClient, TestClient]) -> None:
    plain, parted = clients
    for path in READS + EXPORTS:
        a, b = plain.get(path), parted.get(path)
        assert (a.status_code, path) == (200, path)
        assert b.status_code == 200, path
        assert a.content == b.content, path
    some = plain.get("/v1/articles?limit=5").json()["data"]
    for item in some:
        for path in (f"/v1/articles/{item['id']}", f"/v1/articles/{item['id']}?include=quotes"):
            assert plain.get(path).json() == parted.get(path).json()


def _without_ids(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: _without_ids(v)
            for k, v in value.items()
            if k not in {"id", "created_at", "updated_at", "etag", "article_id"}
        }
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def _writes(client: TestClient, payload: dict[str, Any]) -> list[tuple[int, Any]]:
    """Create, duplicate, move to another month, delete: each answer, ids left out."""
    out: list[tuple[int, Any]] = []
    created = client.post("/v1/articles", json=payload)
    out.append((created.status_code, _without_ids(created.json())))
    article_id = created.json()["id"]
    duplicate = client.post("/v1/articles", json=payload)
    out.append((duplicate.status_code, duplicate.json()["existing_id"] == article_id))
    etag = created.headers["ETag"]
    moved = client.patch(
        f"/v1/articles/{article_id}",
        json={"published_at": "2025-07-04T12:00:00Z"},
        headers={"If-Match": etag},
    )
    out.append((moved.status_code, _without_ids(moved.json())))
    read = client.get(f"/v1/articles/{article_id}?include=quotes,statistics")
    out.append((read.status_code, _without_ids(read.json())))
    july = client.get(
        "/v1/quotes?published_from=2025-07-01T00:00:00Z&published_to=2025-08-01T00:00:00Z"
    )
    out.append((july.status_code, _without_ids(july.json())))
    out.append((client.delete(f"/v1/articles/{article_id}").status_code, None))
    out.append((client.get(f"/v1/articles/{article_id}").status_code, None))
    again = client.post("/v1/articles", json=payload)  # its URL is free again
    out.append((again.status_code, _without_ids(again.json())))
    client.delete(f"/v1/articles/{again.json()['id']}")
    return out


def test_writes_answer_the_same(clients: tuple[TestClient, TestClient]) -> None:
    plain, parted = clients
    payload = article_payload(
        url="https://partition.example/one", published_at="2024-03-10T08:00:00Z"
    )
    first = _writes(plain, payload)
    assert [s for s, _ in first] == [201, 409, 200, 200, 200, 204, 404, 201]
    assert first == _writes(parted, payload)
    after = [json.loads(line) for line in plain.get("/v1/articles?format=ndjson").text.splitlines()]
    assert after == [
        json.loads(line) for line in parted.get("/v1/articles?format=ndjson").text.splitlines()
    ]


def test_the_key_tables_keep_the_constraints(twins: tuple[str, str]) -> None:
    """What the database still refuses and cascades, with no unique index of its own."""
    engine = _engine(twins[1])
    try:
        with engine.connect() as conn:
            row = conn.execute(text("SELECT id, canonical_url FROM article LIMIT 1")).one()
            quotes = conn.execute(
                text("SELECT count(*) FROM quote WHERE article_id = :a"), {"a": row.id}
            ).scalar_one()
            assert quotes > 0
            orphan = (
                "INSERT INTO quote (id, article_id, text, kind, span_start, span_end, sort_at, "
                "created_at, updated_at) VALUES ('quo_x', 'art_missing', 't', 'direct', 0, 1, "
                "now(), now(), now())"
            )
            for sql in (orphan, _same_url(conn)):
                with pytest.raises(IntegrityError), conn.begin_nested():
                    conn.execute(text(sql), {"a": row.id})
            conn.execute(text("DELETE FROM article WHERE id = :a"), {"a": row.id})
            left = {
                t: conn.execute(
                    text(f"SELECT count(*) FROM {t} WHERE {c} = :a"), {"a": row.id}
                ).scalar_one()
                for t, c in [
                    ("quote", "article_id"),
                    ("statistic", "article_id"),
                    ("article_tag", "article_id"),
                    ("article_key", "id"),
                ]
            }
            conn.rollback()
    finally:
        engine.dispose()
    assert left == {"quote": 0, "statistic": 0, "article_tag": 0, "article_key": 0}


def _same_url(conn: Any) -> str:
    """An INSERT of a copy of article :a under another id: the same canonical URL."""
    from app.repositories import partitioning as repo

    columns = [c for c in repo.stored_columns(conn, "article") if c != "id"]
    names = ", ".join(columns)
    return (
        f"INSERT INTO article (id, {names}) SELECT 'art_copy', {names} FROM article WHERE id = :a"
    )
