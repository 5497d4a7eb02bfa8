"""No N+1: the statements a request runs do not grow with the rows it returns."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, event
from sqlalchemy.orm import Session

from app.models import ArticleDocument
from tests.factories import make_article


@contextmanager
def counting(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def before(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "BEGIN")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


PATHS = [
    "/v1/articles?limit=100",
    "/v1/articles?limit=100&include=quotes,statistics,body",
    "/v1/articles?limit=100&q=water&facets=source,location,speaker,metric,month",
    "/v1/quotes?limit=100",
    "/v1/statistics?limit=100&q=injured",
    "/v1/speakers?limit=100",
    "/v1/sources?limit=100",
    "/v1/locations?limit=100",
    "/v1/statistics/series?metric=injured",
]


@pytest.mark.parametrize("path", PATHS)
def test_statement_count_is_constant(
    client: TestClient, session: Session, engine: Engine, path: str
) -> None:
    make_article(session)
    make_article(session)
    client.get(path)  # warm-up: the key's first use of the minute also records last_used_at
    with counting(engine) as few:
        assert client.get(path).status_code == 200
    for _ in range(10):
        make_article(session, source=f"Paper {_}", authors=[f"Writer {_}"])
    with counting(engine) as many:
        assert client.get(path).status_code == 200
    assert len(many) == len(few), (len(few), len(many))


def test_anonymous_article_detail_is_one_query(
    anon: TestClient, session: Session, engine: Engine
) -> None:
    art = make_article(session)
    with counting(engine) as statements:
        assert anon.get(f"/v1/articles/{art.id}").status_code == 200
    assert len(statements) == 1  # the stored document and its ETag


def test_article_detail_without_stored_document_is_six_queries(
    anon: TestClient, session: Session, engine: Engine
) -> None:
    art = make_article(session)
    session.execute(delete(ArticleDocument))
    session.commit()
    with counting(engine) as statements:
        assert anon.get(f"/v1/articles/{art.id}").status_code == 200
    # the (missing) document, then article+source, tags, places, quotes+speakers, statistics
    assert len(statements) == 6
