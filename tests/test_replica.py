"""Read replicas for real: the set-up builds a private PostgreSQL primary and a streaming
standby of it (initdb, pg_basebackup -R -X stream, pg_ctl) in a temporary folder, checks that
replication is live, and runs `conflict-news serve` with DATABASE_URL on the primary and
DATABASE_READ_URL on the standby.

A private primary rather than the suite's server: a base backup copies a whole cluster (every
database on it, benchmark ones included), and the suite's server need not allow replication
connections. Skips when the PostgreSQL server binaries are missing, unless REQUIRE_REPLICA is
set (CI), where it fails instead."""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from app.core.migrate import upgrade
from tests.factories import article_payload
from tests.live import call, cli, free_port, live_env, serve

pytestmark = pytest.mark.slow


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if os.environ.get("PG_BINDIR"):
        found.append(str(Path(os.environ["PG_BINDIR"]) / "pg_ctl"))
    usable = [Path(p).parent for p in found if Path(p).is_file()]
    return usable[-1] if usable else None


def _missing(reason: str) -> None:
    if os.environ.get("REQUIRE_REPLICA"):
        pytest.fail(f"REQUIRE_REPLICA is set but {reason}")
    pytest.skip(reason)


@dataclass
class Cluster:
    bindir: Path
    root: Path
    as_postgres: list[str]

    def run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.as_postgres, str(self.bindir / tool), *args],
            capture_output=True,
            text=True,
            check=check,
            timeout=120,
        )

    def start(self, name: str, port: int) -> None:
        self.run(
            "pg_ctl",
            "-D",
            str(self.root / name),
            "-o",
            f"-p {port} -k {self.root}",
            "-l",
            str(self.root / f"{name}.log"),
            "-w",
            "start",
        )

    def stop(self, name: str, mode: str = "fast") -> None:
        self.run("pg_ctl", "-D", str(self.root / name), "-m", mode, "-w", "stop", check=False)


@dataclass
class Pair:
    primary_port: int
    replica_port: int
    cluster: Cluster

    def url(self, port: int, db: str = "cn") -> str:
        return f"postgresql://postgres@127.0.0.1:{port}/{db}"

    @property
    def primary(self) -> str:
        return self.url(self.primary_port)

    @property
    def replica(self) -> str:
        return self.url(self.replica_port)

    def sql(self, port: int, statement: str, db: str = "cn") -> list[tuple[object, ...]]:
        with psycopg.connect(self.url(port, db), autocommit=True, connect_timeout=5) as conn:
            cur = conn.execute(statement)
            return list(cur.fetchall()) if cur.description else []


def _wait(what: str, check: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (psycopg.Error, OSError):
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def pair() -> Iterator[Pair]:
    bindir = _bindir()
    if bindir is None:
        _missing("the PostgreSQL server binaries (/usr/lib/postgresql/*/bin/pg_ctl) are absent")
    assert bindir is not None
    as_postgres: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="cn-replica-"))
    if os.geteuid() == 0:  # pg_ctl refuses to run as root: the clusters belong to postgres
        runuser = shutil.which("runuser")
        if runuser is None:
            _missing("running as root without runuser to start PostgreSQL as postgres")
        shutil.chown(root, "postgres", "postgres")
        as_postgres = [str(runuser), "-u", "postgres", "--"]
    cluster = Cluster(bindir, root, as_postgres)
    primary_port, replica_port = free_port(), free_port()
    try:
        cluster.run(
            "initdb", "-D", str(root / "primary"), "-U", "postgres", "--auth=trust", "-E",
            "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        with (root / "primary" / "postgresql.conf").open("a") as conf:
            conf.write(
                "listen_addresses = '127.0.0.1'\nfsync = off\nshared_buffers = 32MB\n"
                "wal_level = replica\nmax_wal_senders = 4\nmax_connections = 60\n"
            )
        cluster.start("primary", primary_port)
        p = Pair(primary_port, replica_port, cluster)
        p.sql(primary_port, "CREATE DATABASE cn", db="postgres")
        cluster.run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(primary_port), "-U", "postgres",
            "-D", str(root / "replica"), "-R", "-X", "stream", "-c", "fast",
        )  # fmt: skip
        cluster.start("replica", replica_port)
        _wait(
            "the standby to stream",
            lambda: (
                p.sql(primary_port, "SELECT state FROM pg_stat_replication") == [("streaming",)]
            ),
        )
        upgrade(p.primary)  # the schema reaches the standby by replication, like any write
        _wait(
            "the schema on the standby",
            lambda: bool(p.sql(replica_port, "SELECT version_num FROM alembic_version")),
        )
        yield p
    finally:
        cluster.stop("replica", "immediate")
        cluster.stop("primary", "immediate")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def server(pair: Pair, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict]]:
    cwd = tmp_path_factory.mktemp("replica-serve")
    env = live_env(
        pair.primary,
        DATABASE_READ_URL=pair.replica,
        READ_YOUR_WRITES_SECONDS="30",
        REPLICA_RETRY_SECONDS="1",
        RATE_LIMITS_ENABLED="false",
    )
    key = cli(["keys", "create", "--name", "replica", "--scopes", "read,write"], env, cwd)
    auth = {"Authorization": f"Bearer {key.strip().splitlines()[-1]}"}
    with serve(env, cwd) as base:
        yield base, auth


def _post(base: str, auth: dict[str, str], n: int) -> tuple[str, str]:
    status, headers, body = call(
        "POST", base + "/v1/articles", article_payload(url=f"https://replica.example/{n}"), auth
    )
    assert status == 201, body
    return json.loads(body)["id"], headers["set-cookie"].split(";")[0]


def test_replication_is_live(pair: Pair) -> None:
    assert pair.sql(pair.replica_port, "SELECT pg_is_in_recovery()") == [(True,)]
    pair.sql(pair.primary_port, "CREATE TABLE IF NOT EXISTS probe (n int)")
    pair.sql(pair.primary_port, "INSERT INTO probe VALUES (42)")
    _wait(
        "a row written on the primary to reach the standby",
        lambda: pair.sql(pair.replica_port, "SELECT n FROM probe") == [(42,)],
    )


def test_reads_go_to_the_replica_and_own_writes_to_the_primary(
    pair: Pair, server: tuple[str, dict[str, str]]
) -> None:
    base, auth = server
    # Freeze the standby's replay: whatever is written now, only the primary has.
    pair.sql(pair.replica_port, "SELECT pg_wal_replay_pause()")
    try:
        article_id, cookie = _post(base, auth, 1)
        assert cookie.startswith("cn_primary_until=")
        detail = f"{base}/v1/articles/{article_id}"
        # The writer, holding the cookie, reads its own write (primary)...
        assert call("GET", detail, headers={**auth, "Cookie": cookie})[0] == 200
        listed = call("GET", base + "/v1/articles", headers={"Cookie": cookie})[2]
        assert article_id in [a["id"] for a in json.loads(listed)["data"]]
        # ...a read without it is served by the (frozen) standby, which has not got it yet:
        assert call("GET", detail)[0] == 404
        listed = call("GET", base + "/v1/articles")[2]
        assert article_id not in [a["id"] for a in json.loads(listed)["data"]]
        # ...and the change feed always reads the primary.
        feed = json.loads(call("GET", base + "/v1/changes")[2])["data"]
        assert article_id in [c["id"] for c in feed]
        # A write's idempotent replay is a write: primary, the same first response.
        payload = article_payload(url="https://replica.example/idem")
        first = call("POST", base + "/v1/articles", payload, {**auth, "Idempotency-Key": "r1"})
        again = call("POST", base + "/v1/articles", payload, {**auth, "Idempotency-Key": "r1"})
        assert first[0] == again[0] == 201
        assert first[2] == again[2]
    finally:
        pair.sql(pair.replica_port, "SELECT pg_wal_replay_resume()")
    _wait("the standby to catch up", lambda: call("GET", detail)[0] == 200)


def test_replica_down_reads_fall_back_and_ready_says_so(
    pair: Pair, server: tuple[str, dict[str, str]]
) -> None:
    base, auth = server
    ids = [_post(base, auth, n)[0] for n in range(100, 105)]
    _wait("the standby to catch up", lambda: call("GET", f"{base}/v1/articles/{ids[-1]}")[0] == 200)
    ready = json.loads(call("GET", base + "/ready")[2])
    assert ready["status"] == "ok"
    assert [(r["name"], r["state"], r["standby"]) for r in ready["replicas"]] == [
        ("replica-1", "ok", True)
    ]

    statuses: Counter[int] = Counter()
    stop = threading.Event()
    paths = ["/v1/articles", f"/v1/articles/{ids[0]}", "/v1/quotes", "/v1/sources"]

    def reader() -> None:
        n = 0
        while not stop.is_set():
            statuses[call("GET", base + paths[n % len(paths)])[0]] += 1
            n += 1

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        time.sleep(1)
        pair.cluster.stop("replica")  # under read load
        time.sleep(1.5)
        down = json.loads(call("GET", base + "/ready")[2])
        during = sum(statuses.values())
        time.sleep(1)
        assert sum(statuses.values()) > during  # reads kept being answered meanwhile
        pair.cluster.start("replica", pair.replica_port)
        _wait(
            "/ready to see the standby again",
            lambda: json.loads(call("GET", base + "/ready")[2])["status"] == "ok",
        )
        time.sleep(1)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert down["status"] == "degraded"
    assert down["database"] == "ok"
    assert [(r["name"], r["state"]) for r in down["replicas"]] == [("replica-1", "down")]
    assert "primary" in down["replicas"][0]["detail"]
    assert sum(statuses.values()) > 100  # a real load: ~700 reads in this window here
    assert set(statuses) == {200}, statuses
    # Back in rotation: a read without the cookie is the standby's again (frozen: stale).
    pair.sql(pair.replica_port, "SELECT pg_wal_replay_pause()")
    try:
        fresh, _ = _post(base, auth, 200)
        _wait(
            "reads on the standby again",
            lambda: call("GET", f"{base}/v1/articles/{fresh}")[0] == 404,
            10,
        )
    finally:
        pair.sql(pair.replica_port, "SELECT pg_wal_replay_resume()")
