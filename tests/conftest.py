"""Fixtures: one migrated database per engine per run; one rolled-back transaction per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from app import projections, reconciliation
from app.api.state import get_database
from app.core.config import Settings
from app.core.db import Database, all_rows, first_row, make_engine
from app.core.migrate import upgrade
from app.main import create_app
from app.services import api_keys as key_service
from tests.dbutil import ENGINES, fresh_database, make_settings

# The derived tables' ORM events, as create_app and the CLI register them: the tests that
# write through services without an app see the same projections.
projections.register()
reconciliation.register()

REPO_ROOT = Path(__file__).resolve().parents[1]
SEED = REPO_ROOT.parent / "shared" / "seeds" / "odesa-umerov.txt"


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("REQUIRE_POSTGRES") and "postgresql" not in ENGINES:
        raise pytest.UsageError("REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not")


@pytest.fixture(scope="session", params=ENGINES)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with fresh_database(request.param, tmp_path_factory.mktemp("db")) as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside an outer transaction that is rolled back after the test; code under
    test may commit (it only releases a SAVEPOINT)."""
    conn = engine.connect()
    outer = conn.begin()
    sess = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield sess
    finally:
        sess.close()
        outer.rollback()
        conn.close()


class TestDatabase(Database):
    """Every way the app reaches the database, bound to the test's session (whose outer
    transaction is rolled back after the test)."""

    def __init__(self, engine: Engine, session: Session) -> None:
        super().__init__(engine)
        self.bound = session
        self.inline = True

    @contextmanager
    def request_session(self, *, write: bool) -> Iterator[Session]:
        try:
            yield self.bound
            self.bound.commit()
        except BaseException:
            self.bound.rollback()
            raise

    def transaction(self, *, write: bool) -> AbstractContextManager[Session]:
        # API-key lookups: plain reads of the test's rows.
        return nullcontext(self.bound)

    def stream(self) -> AbstractContextManager[Session]:
        # Exports: the test's rows too.
        return nullcontext(self.bound)

    @contextmanager
    def line_session(self) -> Iterator[Session]:
        # Bulk import commits per line; in tests each line is a SAVEPOINT of the test session.
        with self.bound.begin_nested():
            yield self.bound

    def connect(self) -> AbstractContextManager[Connection]:
        return nullcontext(self.bound.connection())

    async def row(self, sql: str, *args: Any) -> tuple[Any, ...] | None:
        # Plain-row reads use the test's connection, not the driver's own connections.
        return await self.read(partial(first_row, sql=sql, args=args))

    async def rows(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        # Plain pages too: the test's uncommitted rows are only on its own connection.
        return await self.read(partial(all_rows, sql=sql, args=args))


def _make_client(settings: Settings, engine: Engine, session: Session) -> TestClient:
    app = create_app(settings, database=Database(engine))
    app.dependency_overrides[get_database] = lambda: TestDatabase(engine, session)
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def anon(settings: Settings, engine: Engine, session: Session) -> Iterator[TestClient]:
    """A client without an API key."""
    with _make_client(settings, engine, session) as c:
        yield c


@pytest.fixture
def client(settings: Settings, engine: Engine, session: Session) -> Iterator[TestClient]:
    """A client holding a read+write key."""
    _, new = key_service.create_key(session, "tests", "read,write")
    session.commit()  # releases a SAVEPOINT only; the outer transaction is rolled back later
    with _make_client(settings, engine, session) as c:
        c.headers["Authorization"] = f"Bearer {new.plaintext}"
        yield c


@pytest.fixture
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"seed article not present: {SEED} (it lives in ../shared/seeds)")
    return SEED.read_text(encoding="utf-8")
