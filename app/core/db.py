"""Engine and session handling: one code path for SQLite and PostgreSQL."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from functools import partial
from typing import Any, TypeVar

import anyio.to_thread
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from app.core.config import Settings
from app.core.errors import QueryTooExpensive
from app.core.replicas import Replica, ReplicaLost, ReplicaSet, primary_reads

# Session is re-exported for the routers' type hints (app.api does not import sqlalchemy).
__all__ = [
    "Database",
    "DriverReads",
    "ReplicaLost",
    "Session",
    "driver_sql",
    "first_row",
    "make_engine",
    "normalise_url",
    "primary_reads",
]

T = TypeVar("T")


def normalise_url(url: str) -> str:
    """Map plain `postgresql://` / `postgres://` URLs to the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def make_engine(
    url: str, *, busy_timeout_ms: int = 5000, pool_size: int = 10, connect_timeout: int = 0
) -> Engine:
    """Create an engine. SQLite gets WAL, foreign keys, a busy timeout and real SAVEPOINTs.

    Transactions begun with the execution option `read_timeout_ms` (the `Database`'s reads)
    are bounded: `SET LOCAL statement_timeout` on PostgreSQL, a progress handler on SQLite
    (see `_bound_sqlite_read`)."""
    url = normalise_url(url)
    if make_url(url).get_backend_name() != "sqlite":
        args = {"connect_timeout": connect_timeout} if connect_timeout else {}
        engine = create_engine(
            url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True, connect_args=args
        )

        @event.listens_for(engine, "begin")
        def _on_pg_begin(conn: Any) -> None:
            timeout = conn.get_execution_options().get("read_timeout_ms", 0)
            if timeout:
                conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(timeout)}")

        return engine

    memory = make_url(url).database in (None, "", ":memory:")
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
        poolclass=NullPool if memory else None,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Stop pysqlite's implicit BEGIN so SQLAlchemy controls transactions (and SAVEPOINTs).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the write lock up front: a deferred read-then-write transaction in WAL
        # mode fails with SQLITE_BUSY instead of waiting on the busy timeout.
        options = conn.get_execution_options()
        immediate = options.get("sqlite_immediate", False)
        _bound_sqlite_read(conn.connection.driver_connection, options.get("read_timeout_ms", 0))
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection: Any, _record: Any) -> None:
        # A pooled connection never carries a past read's deadline to its next user.
        if dbapi_connection is not None:
            _bound_sqlite_read(dbapi_connection, 0)

    return engine


# How many SQLite VM instructions run between two looks at the clock: ~0.1-1 ms of work, so
# the check costs well under 1% and a query overruns its deadline by about that much.
_PROGRESS_STEPS = 20_000


def _bound_sqlite_read(dbapi_connection: Any, timeout_ms: int) -> None:
    """SQLite has no statement timeout: a progress handler that answers "stop" once the
    transaction's deadline has passed interrupts the running statement (`interrupted`), the
    equivalent of PostgreSQL's `statement_timeout` for the whole read transaction. Reads run
    inline on the event loop (see `Database.read`), so this also bounds how long one read
    can hold the loop."""
    if not timeout_ms:
        dbapi_connection.set_progress_handler(None, 0)
        return
    deadline = time.monotonic() + timeout_ms / 1000

    def past_deadline() -> int:
        return 1 if time.monotonic() > deadline else 0

    dbapi_connection.set_progress_handler(past_deadline, _PROGRESS_STEPS)


def is_statement_timeout(exc: BaseException) -> bool:
    """Whether a driver error (raw, or wrapped by SQLAlchemy) is a read stopped by its
    timeout: SQLite's `interrupted`, PostgreSQL's `query_canceled` (SQLSTATE 57014)."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(orig, sqlite3.OperationalError):
        return str(orig) == "interrupted"
    return getattr(orig, "sqlstate", None) == "57014"


_PLACEHOLDER = re.compile(r"\$\d+")


def driver_sql(sql: str, paramstyle: str) -> str:
    """`$1, $2...` placeholders (asyncpg's) in the engine's own style (`?` for sqlite3,
    `%s` for psycopg); each placeholder used once, in order."""
    return _PLACEHOLDER.sub("?" if paramstyle == "qmark" else "%s", sql)


class DriverReads:
    """Single-statement reads straight on the database driver, for the hottest endpoint
    (GET /v1/articles/{id}: one primary-key read). SQLAlchemy's Core connection + implicit
    transaction cost ~10x the driver call itself here (see bench/RESULTS.md).

    SQLite: a pooled sqlite3 connection, called inline (a B-tree lookup is cheaper than a
    thread hop; one statement is its own consistent snapshot). PostgreSQL: an asyncpg pool,
    awaited, opened by `start()` in the app's lifespan (its sessions carry the read
    `statement_timeout`); until then it is not `ready` and callers read through SQLAlchemy."""

    def __init__(self, engine: Engine, pool_size: int = 10, read_timeout_ms: int = 0) -> None:
        self.engine = engine
        self.pool_size = pool_size
        self.read_timeout_ms = read_timeout_ms
        self.sqlite = engine.dialect.name == "sqlite"
        self.pool: Any = None

    @property
    def ready(self) -> bool:
        return self.sqlite or self.pool is not None

    async def start(self) -> None:
        if self.sqlite or self.pool is not None:
            return
        import asyncpg

        url = self.engine.url.set(drivername="postgresql")
        settings = {"statement_timeout": str(self.read_timeout_ms)} if self.read_timeout_ms else {}
        self.pool = await asyncpg.create_pool(
            url.render_as_string(hide_password=False),
            min_size=1,
            max_size=self.pool_size,
            server_settings=settings,
        )

    async def close(self) -> None:
        if self.pool is not None:
            await self.pool.close()
            self.pool = None

    async def row(self, sql: str, *args: Any) -> tuple[Any, ...] | None:
        if self.sqlite:
            raw = self.engine.raw_connection()
            try:
                cursor = raw.cursor()
                cursor.execute(driver_sql(sql, "qmark"), args)
                found = cursor.fetchone()
                cursor.close()
            finally:
                raw.close()
            return None if found is None else tuple(found)
        assert self.pool is not None, "start() opens the PostgreSQL pool; check `ready` first"
        record = await self.pool.fetchrow(sql, *args)
        return None if record is None else tuple(record)


class Database:
    """Every way the app reads and writes, behind one object (the app's lifespan builds one;
    routes reach it through `DatabaseDep` in app/api/deps.py, tests replace it whole):

    * `request_session(write=)`: the request's ORM session, committed once or rolled back;
    * `transaction(write=)`: a short session of its own on the primary (API-key lookups);
    * `read(fn)`: `fn(connection)` on a Core connection, inline on SQLite (bounded,
      index-backed reads cost less than the thread-pool hop), in the thread pool on a
      networked database;
    * `row(sql, *args)`: one statement straight on the driver (`DriverReads`) when it is
      open, else through `read`;
    * `stream()`: a read transaction that outlives the request (exports);
    * `line_session()`: a write transaction per line (bulk import).

    Reads (`request_session(write=False)`, `read`, `row`) are bounded by `read_timeout_ms`
    (0: unbounded); one that runs out raises `QueryTooExpensive` (503). Exports are not
    bounded: they stream the whole result on purpose.

    With replicas (`DATABASE_READ_URL`), the reads above and exports go to a replica unless
    the request is pinned to the primary (app/core/replicas.py); a replica that fails to
    connect is left out for a while and the read runs on the primary instead."""

    def __init__(
        self,
        engine: Engine,
        pool_size: int = 10,
        *,
        read_timeout_ms: int = 0,
        replicas: Sequence[Engine] = (),
        replica_retry_seconds: float = 5.0,
    ) -> None:
        self.engine = engine
        self.read_timeout_ms = read_timeout_ms
        self.driver = DriverReads(engine, pool_size, read_timeout_ms)
        self.inline = engine.dialect.name == "sqlite"
        self.read_engine = engine.execution_options(read_timeout_ms=read_timeout_ms)
        self.read_sessions = sessionmaker(self.read_engine, expire_on_commit=False)
        self.export_sessions = sessionmaker(engine, expire_on_commit=False)
        writer = engine.execution_options(sqlite_immediate=True)
        self.write_sessions = sessionmaker(writer, expire_on_commit=False)
        self.replicas = ReplicaSet(
            [
                _replica(f"replica-{n}", eng, pool_size, read_timeout_ms)
                for n, eng in enumerate(replicas, start=1)
            ],
            replica_retry_seconds,
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        """The database of the settings: the primary, its replicas, the read timeout."""
        pool = settings.db_pool_size
        return cls(
            make_engine(
                settings.database_url,
                busy_timeout_ms=settings.sqlite_busy_timeout_ms,
                pool_size=pool,
            ),
            pool,
            read_timeout_ms=settings.read_timeout_ms,
            replicas=[
                make_engine(url, pool_size=pool, connect_timeout=2) for url in settings.read_urls
            ],
            replica_retry_seconds=settings.replica_retry_seconds,
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def session(self, *, write: bool) -> Session:
        return (self.write_sessions if write else self.read_sessions)()

    def request_session(self, *, write: bool) -> AbstractContextManager[Session]:
        """One session per request: commit once if the handler succeeded, else roll back."""
        if write:
            return _committed(self.session(write=True))
        return self._reading(export=False)

    @contextmanager
    def _reading(self, *, export: bool) -> Iterator[Session]:
        """A read session on a replica that answers (its connection is checked out and
        pinged now), else on the primary; bounded by the read timeout unless `export`. A
        replica failing after that raises `ReplicaLost` (the request is run again)."""
        replica = self.replicas.pick()
        if replica is not None:
            session = (replica.exports if export else replica.sessions)()
            try:
                session.connection()
            except DBAPIError as exc:
                session.close()
                self.replicas.failed(replica, exc)
            else:
                try:
                    with _committed(session, 0 if export else self.read_timeout_ms):
                        yield session
                    return
                except DBAPIError as exc:
                    # Lost, or a standby's recovery conflict: the request runs again on the
                    # primary. Only a lost connection leaves the replica out for a while.
                    if exc.connection_invalidated:
                        self.replicas.failed(replica, exc)
                    raise ReplicaLost(replica.name) from exc
        primary = (self.export_sessions if export else self.read_sessions)()
        with _committed(primary, 0 if export else self.read_timeout_ms):
            yield primary

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[Session]:
        # Always the primary: a key created or revoked a moment ago counts at once.
        with self.session(write=write) as session, session.begin():
            yield session

    @contextmanager
    def stream(self) -> Iterator[Session]:
        """Exports outlive the request's session, so they open their own read transaction
        (unbounded by the read timeout; on a replica when there is one)."""
        with self._reading(export=True) as session:
            yield session

    def line_session(self) -> AbstractContextManager[Session]:
        """Bulk import commits each line on its own: a write transaction per line."""
        return self.transaction(write=True)

    def connect(self) -> AbstractContextManager[Connection]:
        """A read connection on the primary, bounded by the read timeout."""
        return self.read_engine.connect()

    async def read(self, fn: Callable[[Connection], T]) -> T:
        def run() -> T:
            replica = self.replicas.pick()
            if replica is not None:
                try:
                    with replica.reader.connect() as conn:
                        return fn(conn)
                except DBAPIError as exc:
                    if is_statement_timeout(exc):
                        raise self._too_expensive() from exc
                    self.replicas.failed(replica, exc)
            try:
                with self.connect() as conn:
                    return fn(conn)
            except DBAPIError as exc:
                if is_statement_timeout(exc):
                    raise self._too_expensive() from exc
                raise

        return run() if self.inline else await anyio.to_thread.run_sync(run)

    async def rows(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        """Every row of one statement with `$1, $2...` placeholders (app/core/driver_rows.py:
        straight on the driver when it is open and no replica is set, else through `read`)."""
        from app.core.driver_rows import fetch_all

        return await fetch_all(self, sql, *args)

    async def row(self, sql: str, *args: Any) -> tuple[Any, ...] | None:
        """The first row of one statement with `$1, $2...` placeholders, or None."""
        replica = self.replicas.pick()
        if replica is not None and not replica.driver.ready:  # its pool failed to open
            return await self.read(partial(first_row, sql=sql, args=args))
        if replica is not None:
            try:
                return await replica.driver.row(sql, *args)
            except Exception as exc:  # a replica's failure of any kind: read the primary
                if is_statement_timeout(exc):
                    raise self._too_expensive() from exc
                self.replicas.failed(replica, exc)
        if self.driver.ready:
            try:
                return await self.driver.row(sql, *args)
            except Exception as exc:
                if is_statement_timeout(exc):
                    raise self._too_expensive() from exc
                raise
        return await self.read(partial(first_row, sql=sql, args=args))

    def _too_expensive(self) -> QueryTooExpensive:
        return QueryTooExpensive.after(self.read_timeout_ms)

    def replica_states(self) -> list[dict[str, Any]]:
        return self.replicas.states()

    async def start(self) -> None:
        await self.driver.start()
        for replica in self.replicas.replicas:
            try:
                await replica.driver.start()
            except Exception as exc:  # down at start: reads use the primary until it answers
                self.replicas.failed(replica, exc)

    async def close(self) -> None:
        await self.driver.close()
        for replica in self.replicas.replicas:
            await replica.driver.close()

    def dispose(self) -> None:
        self.engine.dispose()
        for replica in self.replicas.replicas:
            replica.engine.dispose()


def _replica(name: str, engine: Engine, pool_size: int, read_timeout_ms: int) -> Replica:
    reader = engine.execution_options(read_timeout_ms=read_timeout_ms)
    return Replica(
        name,
        engine,
        reader,
        sessionmaker(reader, expire_on_commit=False),
        sessionmaker(engine, expire_on_commit=False),
        DriverReads(engine, pool_size, read_timeout_ms),
    )


def all_rows(conn: Connection, *, sql: str, args: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """Every row of one `$1, $2...` statement, through SQLAlchemy's connection."""
    found = conn.exec_driver_sql(driver_sql(sql, conn.dialect.paramstyle), args)
    return [tuple(row) for row in found]


def first_row(conn: Connection, *, sql: str, args: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The first row of one `$1, $2...` statement, through SQLAlchemy's connection."""
    found = conn.exec_driver_sql(driver_sql(sql, conn.dialect.paramstyle), args).first()
    return None if found is None else tuple(found)


@contextmanager
def _committed(session: Session, read_timeout_ms: int = 0) -> Iterator[Session]:
    try:
        yield session
        session.commit()
    except DBAPIError as exc:
        session.rollback()
        if read_timeout_ms and is_statement_timeout(exc):
            raise QueryTooExpensive.after(read_timeout_ms) from exc
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
