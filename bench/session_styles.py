"""Sync vs async SQLAlchemy session styles for a detail endpoint.

Throwaway measurement harness (not project code). One file does everything:

    .venv/bin/python bench/session_styles.py all      # ~7-9 min, prints markdown tables

Phases
  1. setup     - SQLite temp file (WAL) + PostgreSQL database `bench_sessions`,
                 20,000 articles (~300-word body) + 5 quotes each.
  2. inproc    - fetch one article by public_id + its 5 quotes, serialize through a
                 Pydantic v2 model to JSON bytes; sequential calls in one process,
                 variants interleaved in blocks of random ids, median us/call.
  3. http      - one uvicorn process per variant (1 worker, uvloop, httptools,
                 --no-access-log), wrk 1 thread / 16 connections / 5 s, 3 repeats,
                 variant order rotated per repeat, random public ids via Lua.
  4. cleanup   - drop the PostgreSQL database and delete the SQLite file.

Also used as the uvicorn app factory (`session_styles:make_app --factory`), the
variant being chosen by SS_* environment variables.

Raw results go to /tmp (JSON); nothing outside bench/ is written in the repo.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, TypeAdapter
from sqlalchemy import (
    DateTime,
    ForeignKey,
    String,
    Text,
    create_engine,
    event,
    insert,
    select,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    relationship,
    selectinload,
    sessionmaker,
)

N_ARTICLES = 20_000
QUOTES_PER_ARTICLE = 5
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_DB = "bench_sessions"
PG_SYNC_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_DB}"
PG_ASYNC_URLS = {
    "asyncpg": f"postgresql+asyncpg://postgres@127.0.0.1:5432/{PG_DB}",
    "psycopg": f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_DB}",  # -> psycopg_async
}
POOL = dict(pool_size=20, max_overflow=20)


# --------------------------------------------------------------------------- schema
class Base(DeclarativeBase):
    pass


class Article(Base):
    __tablename__ = "article"
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(DateTime)
    quotes: Mapped[list[Quote]] = relationship(back_populates="article", order_by="Quote.id")


class Quote(Base):
    __tablename__ = "quote"
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    speaker: Mapped[str] = mapped_column(String(100))
    article: Mapped[Article] = relationship(back_populates="quotes")


A = Article.__table__
Q = Quote.__table__


class QuoteOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    speaker: str
    text: str


class ArticleOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    public_id: str
    title: str
    published_at: datetime
    body: str
    quotes: list[QuoteOut]


ADAPTER = TypeAdapter(ArticleOut)


def to_json(obj) -> bytes:
    """What FastAPI does with a response_model: validate, then dump_json."""
    return ADAPTER.dump_json(ADAPTER.validate_python(obj, from_attributes=True))


# --------------------------------------------------------------------------- queries
def orm_stmt(pid: str):
    return select(Article).where(Article.public_id == pid).options(selectinload(Article.quotes))


def core_article_stmt(pid: str):
    return select(A.c.id, A.c.public_id, A.c.title, A.c.published_at, A.c.body).where(
        A.c.public_id == pid
    )


def core_quotes_stmt(aid: int):
    return select(Q.c.id, Q.c.speaker, Q.c.text).where(Q.c.article_id == aid).order_by(Q.c.id)


def sync_orm_fetch(s: Session, pid: str):
    return s.execute(orm_stmt(pid)).scalar_one_or_none()


def sync_core_fetch(conn, pid: str):  # conn: Session or Connection
    row = conn.execute(core_article_stmt(pid)).mappings().one_or_none()
    if row is None:
        return None
    d = dict(row)
    d["quotes"] = [dict(r) for r in conn.execute(core_quotes_stmt(d["id"])).mappings()]
    return d


async def async_orm_fetch(s, pid: str):
    return (await s.execute(orm_stmt(pid))).scalar_one_or_none()


async def async_core_fetch(s, pid: str):
    row = (await s.execute(core_article_stmt(pid))).mappings().one_or_none()
    if row is None:
        return None
    d = dict(row)
    res = await s.execute(core_quotes_stmt(d["id"]))
    d["quotes"] = [dict(r) for r in res.mappings()]
    return d


# --------------------------------------------------------------------------- engines
def _sqlite_pragmas(dbapi_conn, _rec):
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA mmap_size=1073741824")
    cur.close()


def sync_engine(db: str, sqlite_path: str):
    if db == "sqlite":
        eng = create_engine(
            f"sqlite:///{sqlite_path}",
            connect_args={"check_same_thread": False},
            **POOL,
        )
        event.listen(eng, "connect", _sqlite_pragmas)
        return eng
    return create_engine(PG_SYNC_URL, **POOL)


def async_engine(db: str, sqlite_path: str, driver: str):
    from sqlalchemy.ext.asyncio import create_async_engine

    if db == "sqlite":
        eng = create_async_engine(f"sqlite+aiosqlite:///{sqlite_path}", **POOL)
        event.listen(eng.sync_engine, "connect", _sqlite_pragmas)
        return eng
    return create_async_engine(PG_ASYNC_URLS[driver], **POOL)


# --------------------------------------------------------------------------- data
def gen_data(seed: int = 20240601):
    rng = random.Random(seed)
    letters = "etaoinshrdlcumwfgypbvkjxqz"
    vocab: list[str] = []
    seen = set()
    while len(vocab) < 5000:  # pseudo-words, frequent ones shortest (Zipf-like)
        n = 2 + min(10, int(len(vocab) ** 0.3)) + rng.randint(0, 2)
        w = "".join(rng.choice(letters) for _ in range(n))
        if w not in seen:
            seen.add(w)
            vocab.append(w)
    cum, acc = [], 0.0
    for r in range(1, len(vocab) + 1):
        acc += 1.0 / r
        cum.append(acc)
    words = rng.choices(vocab, cum_weights=cum, k=N_ARTICLES * (300 + 8 + 5 * 25))
    speakers = [f"Speaker {rng.randint(1000, 9999)} {w.title()}" for w in vocab[100:300]]
    base = datetime(2024, 1, 1)  # noqa: DTZ001 - naive on purpose, as the schema stores it
    pos = 0
    articles, quotes, pids = [], [], []
    qid = 0
    for i in range(1, N_ARTICLES + 1):
        pid = f"{rng.getrandbits(128):032x}"
        pids.append(pid)
        title = " ".join(words[pos : pos + 8]).capitalize()
        pos += 8
        body = " ".join(words[pos : pos + 300])
        pos += 300
        articles.append(
            dict(
                id=i,
                public_id=pid,
                title=title,
                body=body,
                published_at=base + timedelta(seconds=i * 97),
            )
        )
        for _ in range(QUOTES_PER_ARTICLE):
            qid += 1
            quotes.append(
                dict(
                    id=qid,
                    article_id=i,
                    text=" ".join(words[pos : pos + 25]).capitalize() + ".",
                    speaker=rng.choice(speakers),
                )
            )
            pos += 25
    return articles, quotes, pids


def setup(workdir: str) -> dict:
    t0 = time.perf_counter()
    articles, quotes, pids = gen_data()
    t_gen = time.perf_counter() - t0
    sqlite_path = os.path.join(workdir, "bench.db")
    timings = {"generate_s": round(t_gen, 1)}

    # SQLite
    t0 = time.perf_counter()
    eng = sync_engine("sqlite", sqlite_path)
    Base.metadata.create_all(eng)
    with eng.begin() as c:
        c.execute(insert(A), articles)
        c.execute(insert(Q), quotes)
    with eng.connect() as c:
        c.exec_driver_sql("ANALYZE")
    eng.dispose()
    timings["sqlite_load_s"] = round(time.perf_counter() - t0, 1)

    # PostgreSQL
    t0 = time.perf_counter()
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.exec_driver_sql(f"DROP DATABASE IF EXISTS {PG_DB}")
        c.exec_driver_sql(f"CREATE DATABASE {PG_DB}")
        c.exec_driver_sql(f"ALTER DATABASE {PG_DB} SET jit = off")
    admin.dispose()
    eng = sync_engine("pg", sqlite_path)
    Base.metadata.create_all(eng)
    with eng.begin() as c:
        raw = c.connection.driver_connection  # psycopg 3 connection: COPY
        with raw.cursor() as cur:
            with cur.copy(
                "COPY article (id, public_id, title, body, published_at) FROM STDIN"
            ) as cp:
                for a in articles:
                    cp.write_row(
                        (a["id"], a["public_id"], a["title"], a["body"], a["published_at"])
                    )
            with cur.copy("COPY quote (id, article_id, text, speaker) FROM STDIN") as cp:
                for q in quotes:
                    cp.write_row((q["id"], q["article_id"], q["text"], q["speaker"]))
    eng.dispose()
    eng = create_engine(PG_SYNC_URL, isolation_level="AUTOCOMMIT")
    with eng.connect() as c:
        c.exec_driver_sql("VACUUM ANALYZE")
        size = c.exec_driver_sql(f"SELECT pg_database_size('{PG_DB}')").scalar()
    eng.dispose()
    timings["pg_load_s"] = round(time.perf_counter() - t0, 1)
    timings["pg_db_mb"] = round(size / 2**20)
    timings["sqlite_db_mb"] = round(os.path.getsize(sqlite_path) / 2**20)
    avg_body = statistics.mean(len(a["body"].split()) for a in articles[:200])
    timings["body_words"] = avg_body

    ids_path = os.path.join(workdir, "ids.txt")
    with open(ids_path, "w") as f:
        f.write("\n".join(pids) + "\n")
    return {"sqlite_path": sqlite_path, "ids_path": ids_path, "pids": pids, "timings": timings}


def cleanup(workdir: str):
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.exec_driver_sql(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    admin.dispose()
    shutil.rmtree(workdir, ignore_errors=True)


# --------------------------------------------------------------------------- load avg
class LoadSampler(threading.Thread):
    def __init__(self, every=2.0):
        super().__init__(daemon=True)
        self.every = every
        self.phase = "setup"
        self.samples: list[tuple[str, float]] = []
        self._stop = threading.Event()

    def run(self):
        while not self._stop.is_set():
            with open("/proc/loadavg") as f:
                self.samples.append((self.phase, float(f.read().split()[0])))
            self._stop.wait(self.every)

    def stop(self):
        self._stop.set()

    def summary(self, phase=None):
        xs = [v for p, v in self.samples if phase is None or p == phase]
        if not xs:
            return {}
        return {"median": statistics.median(xs), "max": max(xs), "n": len(xs)}


# --------------------------------------------------------------------------- in-process
INPROC_VARIANTS = [
    # (key, db, label)
    ("sqlite:1-sync-orm", "sqlite", "1 sync Session + ORM selectinload"),
    ("sqlite:2-sync-core", "sqlite", "2 sync Session + Core select().mappings()"),
    ("sqlite:2c-conn-core", "sqlite", "2c sync Connection + Core (no Session)"),
    ("sqlite:3-async-orm", "sqlite", "3 AsyncSession + ORM (aiosqlite)"),
    ("sqlite:4-async-core", "sqlite", "4 AsyncSession + Core (aiosqlite)"),
    ("pg:1-sync-orm", "pg", "1 sync Session + ORM selectinload (psycopg)"),
    ("pg:2-sync-core", "pg", "2 sync Session + Core (psycopg)"),
    ("pg:2c-conn-core", "pg", "2c sync Connection + Core (psycopg)"),
    ("pg:3-async-orm-psycopg", "pg", "3 AsyncSession + ORM (psycopg async)"),
    ("pg:3-async-orm-asyncpg", "pg", "3 AsyncSession + ORM (asyncpg)"),
    ("pg:4-async-core-psycopg", "pg", "4 AsyncSession + Core (psycopg async)"),
    ("pg:4-async-core-asyncpg", "pg", "4 AsyncSession + Core (asyncpg)"),
]


async def inproc(sqlite_path: str, pids: list[str], blocks=7, per_block=400):
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    engines = {}
    calls = {}
    for db in ("sqlite", "pg"):
        se = sync_engine(db, sqlite_path)
        engines[(db, "sync")] = se
        SL = sessionmaker(se, expire_on_commit=False)

        def mk_sync_orm(SL=SL):
            def f(pid):
                with SL() as s:
                    return to_json(sync_orm_fetch(s, pid))

            return f

        def mk_sync_core(SL=SL):
            def f(pid):
                with SL() as s:
                    return to_json(sync_core_fetch(s, pid))

            return f

        def mk_conn_core(se=se):
            def f(pid):
                with se.connect() as c:
                    return to_json(sync_core_fetch(c, pid))

            return f

        calls[f"{db}:1-sync-orm"] = (False, mk_sync_orm())
        calls[f"{db}:2-sync-core"] = (False, mk_sync_core())
        calls[f"{db}:2c-conn-core"] = (False, mk_conn_core())
        drivers = ["aiosqlite"] if db == "sqlite" else ["psycopg", "asyncpg"]
        for drv in drivers:
            ae = async_engine(db, sqlite_path, drv)
            engines[(db, drv)] = ae
            ASL = async_sessionmaker(ae, class_=AsyncSession, expire_on_commit=False)

            def mk_async_orm(ASL=ASL):
                async def f(pid):
                    async with ASL() as s:
                        return to_json(await async_orm_fetch(s, pid))

                return f

            def mk_async_core(ASL=ASL):
                async def f(pid):
                    async with ASL() as s:
                        return to_json(await async_core_fetch(s, pid))

                return f

            sfx = "" if db == "sqlite" else f"-{drv}"
            calls[f"{db}:3-async-orm{sfx}"] = (True, mk_async_orm())
            calls[f"{db}:4-async-core{sfx}"] = (True, mk_async_core())

    # correctness: every variant returns identical bytes for the same id (across engines too)
    rng = random.Random(7)
    check_ids = rng.sample(pids, 25)
    ref = None
    for key, _db, _ in INPROC_VARIANTS:
        is_async, fn = calls[key]
        out = [await fn(p) if is_async else fn(p) for p in check_ids]
        if ref is None:
            ref = out
        assert out == ref, f"output mismatch in {key}"
    sample_len = len(ref[0])

    # warm-up
    for key, _db, _ in INPROC_VARIANTS:
        is_async, fn = calls[key]
        for p in pids[:200]:
            await fn(p) if is_async else fn(p)

    per_block_us: dict[str, list[float]] = {k: [] for k, *_ in INPROC_VARIANTS}
    order = [k for k, *_ in INPROC_VARIANTS]
    for b in range(blocks):
        ids = [rng.choice(pids) for _ in range(per_block)]
        rot = order[b % len(order) :] + order[: b % len(order)]
        for key in rot:
            is_async, fn = calls[key]
            t0 = time.perf_counter()
            if is_async:
                for p in ids:
                    await fn(p)
            else:
                for p in ids:
                    fn(p)
            per_block_us[key].append((time.perf_counter() - t0) / per_block * 1e6)
        print(f"  inproc block {b + 1}/{blocks} done", file=sys.stderr, flush=True)

    for (_db, kind), e in engines.items():
        if kind == "sync":
            e.dispose()
        else:
            await e.dispose()
    return {"per_block_us": per_block_us, "json_bytes": sample_len}


# --------------------------------------------------------------------------- HTTP app
HTTP_VARIANTS = [
    # key, db, route style, fetch, async driver, label
    ("sqlite:a-orm", "sqlite", "def-dep", "orm", None, "(a) `def` + sync Session dep + ORM"),
    ("sqlite:a-core", "sqlite", "def-dep", "core", None, "(a') `def` + sync Session dep + Core"),
    (
        "sqlite:b-orm",
        "sqlite",
        "async-dep",
        "orm",
        "aiosqlite",
        "(b) `async def` + AsyncSession + ORM (aiosqlite)",
    ),
    (
        "sqlite:b-core",
        "sqlite",
        "async-dep",
        "core",
        "aiosqlite",
        "(b') `async def` + AsyncSession + Core (aiosqlite)",
    ),
    (
        "sqlite:c-core",
        "sqlite",
        "async-inline",
        "core",
        None,
        "(c) `async def` + sync Session + Core inline",
    ),
    ("pg:a-orm", "pg", "def-dep", "orm", None, "(a) `def` + sync Session dep + ORM (psycopg)"),
    ("pg:a-core", "pg", "def-dep", "core", None, "(a') `def` + sync Session dep + Core (psycopg)"),
    (
        "pg:b-orm-asyncpg",
        "pg",
        "async-dep",
        "orm",
        "asyncpg",
        "(b) `async def` + AsyncSession + ORM (asyncpg)",
    ),
    (
        "pg:b-orm-psycopg",
        "pg",
        "async-dep",
        "orm",
        "psycopg",
        "(b) `async def` + AsyncSession + ORM (psycopg async)",
    ),
    (
        "pg:b-core-asyncpg",
        "pg",
        "async-dep",
        "core",
        "asyncpg",
        "(b') `async def` + AsyncSession + Core (asyncpg)",
    ),
    (
        "pg:b-core-psycopg",
        "pg",
        "async-dep",
        "core",
        "psycopg",
        "(b') `async def` + AsyncSession + Core (psycopg async)",
    ),
    (
        "pg:c-core",
        "pg",
        "async-inline",
        "core",
        None,
        "(c) `async def` + sync Session + Core inline (psycopg)",
    ),
]


def make_app():
    from fastapi import Depends, FastAPI, HTTPException

    key = os.environ["SS_VARIANT"]
    sqlite_path = os.environ["SS_SQLITE_PATH"]
    _, db, style, fetch, drv, _label = next(v for v in HTTP_VARIANTS if v[0] == key)
    app = FastAPI()

    if style in ("def-dep", "async-inline"):
        eng = sync_engine(db, sqlite_path)
        SL = sessionmaker(eng, expire_on_commit=False)
        fetch_fn = sync_orm_fetch if fetch == "orm" else sync_core_fetch

        async def dispose():
            eng.dispose()

        if style == "def-dep":

            def get_session():
                with SL() as s:
                    yield s

            @app.get("/articles/{pid}", response_model=ArticleOut)
            def detail(pid: str, s: Session = Depends(get_session)):
                obj = fetch_fn(s, pid)
                if obj is None:
                    raise HTTPException(404)
                return obj

        else:

            @app.get("/articles/{pid}", response_model=ArticleOut)
            async def detail(pid: str):
                with SL() as s:  # blocks the event loop for the query
                    obj = fetch_fn(s, pid)
                if obj is None:
                    raise HTTPException(404)
                return obj

    else:
        from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

        aeng = async_engine(db, sqlite_path, drv)
        ASL = async_sessionmaker(aeng, class_=AsyncSession, expire_on_commit=False)
        afetch = async_orm_fetch if fetch == "orm" else async_core_fetch

        async def dispose():
            await aeng.dispose()

        async def get_asession():
            async with ASL() as s:
                yield s

        @app.get("/articles/{pid}", response_model=ArticleOut)
        async def detail(pid: str, s: AsyncSession = Depends(get_asession)):
            obj = await afetch(s, pid)
            if obj is None:
                raise HTTPException(404)
            return obj

    @app.post("/_dispose")
    async def _dispose():  # harness only: release PG connections between runs
        await dispose()
        return {"ok": True}

    return app


# --------------------------------------------------------------------------- HTTP driver
LUA = r"""
local ids = {}
for line in io.lines("%(ids)s") do ids[#ids + 1] = line end
local n = #ids
init = function(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end
request = function()
  return wrk.format("GET", "/articles/" .. ids[math.random(n)])
end
done = function(summary, latency, requests)
  io.write(string.format(
    'JSON:{"requests":%%d,"duration_us":%%d,"e_connect":%%d,"e_read":%%d,"e_write":%%d,"e_status":%%d,"e_timeout":%%d,"p50_us":%%d,"p99_us":%%d,"mean_us":%%.1f}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean))
end
"""


def http_get(url, data=None, timeout=10):
    req = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.read()


def run_wrk(port, lua, seconds, conns=16):
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{conns}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            lua,
            f"http://127.0.0.1:{port}/",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("JSON:"))
    r = json.loads(line[5:])
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    r["errors"] = sum(r[k] for k in ("e_connect", "e_read", "e_write", "e_status", "e_timeout"))
    return r


def http_bench(setup_info, workdir, sampler, repeats=3, seconds=5, warm=1):
    lua = os.path.join(workdir, "ids.lua")
    with open(lua, "w") as f:
        f.write(LUA % {"ids": setup_info["ids_path"]})
    here = os.path.dirname(os.path.abspath(__file__))
    env = dict(os.environ, SS_SQLITE_PATH=setup_info["sqlite_path"], PYTHONDONTWRITEBYTECODE="1")
    procs, ports = {}, {}
    try:
        for i, (key, *_rest) in enumerate(HTTP_VARIANTS):
            port = 18700 + i
            ports[key] = port
            procs[key] = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "--app-dir",
                    here,
                    "--factory",
                    "session_styles:make_app",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--workers",
                    "1",
                    "--loop",
                    "uvloop",
                    "--http",
                    "httptools",
                    "--no-access-log",
                    "--log-level",
                    "warning",
                ],
                env=dict(env, SS_VARIANT=key),
                stdout=subprocess.DEVNULL,
                stderr=open(os.path.join(workdir, f"srv{i}.log"), "w"),  # noqa: SIM115 - lives as long as the server
            )
        pids = setup_info["pids"]
        check_ids = random.Random(11).sample(pids, 20)
        deadline = time.time() + 60
        for key, port in ports.items():
            while True:
                try:
                    http_get(f"http://127.0.0.1:{port}/articles/{pids[0]}")
                    break
                except Exception:
                    if time.time() > deadline:
                        raise RuntimeError(f"server {key} did not start") from None
                    time.sleep(0.3)
        # byte-identical responses across all variants (both engines)
        ref = None
        for key, port in ports.items():
            out = [http_get(f"http://127.0.0.1:{port}/articles/{p}") for p in check_ids]
            if ref is None:
                ref = out
            assert out == ref, f"HTTP output mismatch for {key}"
            http_get(f"http://127.0.0.1:{port}/_dispose", data=b"")
        resp_len = statistics.median(len(x) for x in ref)

        sampler.phase = "http"
        results = {k: [] for k in ports}
        keys = list(ports)
        for rep in range(repeats):
            shift = (rep * 5) % len(keys)
            order = keys[shift:] + keys[:shift]
            for key in order:
                port = ports[key]
                run_wrk(port, lua, warm)  # warm-up (refills the pool)
                r = run_wrk(port, lua, seconds)
                r["rep"] = rep
                with open("/proc/loadavg") as f:
                    r["load1"] = float(f.read().split()[0])
                results[key].append(r)
                http_get(f"http://127.0.0.1:{port}/_dispose", data=b"")
                print(
                    f"  rep {rep + 1} {key:22s} {r['rps']:8.0f} rps  p50 {r['p50_us'] / 1000:6.2f}"
                    f"  p99 {r['p99_us'] / 1000:7.2f} ms  err {r['errors']}  load {r['load1']}",
                    file=sys.stderr,
                    flush=True,
                )
        return {"runs": results, "resp_bytes": resp_len, "order_rotation": 5}
    finally:
        for p in procs.values():
            p.terminate()
        for p in procs.values():
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()


# --------------------------------------------------------------------------- report
def med(xs):
    return statistics.median(xs)


def report(res) -> str:
    lines = []
    ip = res["inproc"]["per_block_us"]
    lines.append("### In-process, µs per call (fetch + Pydantic → JSON bytes)\n")
    lines.append(
        "| engine | variant | median µs | min–max of block medians | ÷ variant 1 (median of per-block ratios) |"
    )
    lines.append("|---|---|---|---|---|")
    for key, db, label in INPROC_VARIANTS:
        refk = f"{db}:1-sync-orm"
        ratios = [a / b for a, b in zip(ip[key], ip[refk])]
        lines.append(
            f"| {'SQLite' if db == 'sqlite' else 'PostgreSQL'} | {label} | {med(ip[key]):.0f} | "
            f"{min(ip[key]):.0f}–{max(ip[key]):.0f} | {med(ratios):.2f} |"
        )
    h = res["http"]["runs"]
    lines.append("\n### HTTP, wrk 1 thread, 16 connections, 5 s × 3 repeats\n")
    lines.append(
        "| engine | variant | rps | p50 ms | p99 ms | rps spread | rps ÷ (a), per repeat | median | p99 ÷ (a) median |"
    )
    lines.append("|---|---|---|---|---|---|---|---|---|")
    for key, db, _s, _f, _d, label in HTTP_VARIANTS:
        runs = sorted(h[key], key=lambda r: r["rep"])
        refruns = sorted(h[f"{db}:a-orm"], key=lambda r: r["rep"])
        rps = [r["rps"] for r in runs]
        ratios = [r["rps"] / q["rps"] for r, q in zip(runs, refruns)]
        p99r = [r["p99_us"] / q["p99_us"] for r, q in zip(runs, refruns)]
        lines.append(
            f"| {'SQLite' if db == 'sqlite' else 'PostgreSQL'} | {label} | {med(rps):.0f} | "
            f"{med([r['p50_us'] for r in runs]) / 1000:.2f} | {med([r['p99_us'] for r in runs]) / 1000:.1f} | "
            f"{(max(rps) - min(rps)) / med(rps) * 100:.0f}% | "
            f"{' / '.join(f'{x:.2f}' for x in ratios)} | {med(ratios):.2f} | {med(p99r):.2f} |"
        )
    nerr = sum(r["errors"] for rs in h.values() for r in rs)
    nruns = sum(len(rs) for rs in h.values())
    lines.append(f"\n{nruns} runs, {nerr} errors; response {res['http']['resp_bytes']:.0f} bytes.")
    return "\n".join(lines)


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else "all"
    if cmd != "all":
        sys.exit("usage: session_styles.py all")
    import sqlite3

    import aiosqlite
    import asyncpg
    import fastapi
    import greenlet
    import psycopg
    import pydantic
    import pydantic_core
    import sqlalchemy
    import starlette
    import uvicorn
    import uvloop

    sampler = LoadSampler()
    sampler.start()
    workdir = tempfile.mkdtemp(prefix="bench_sessions_")
    res = {"started": datetime.now().isoformat(timespec="seconds")}
    wrk_v = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0]
    with create_engine(PG_ADMIN_URL).connect() as c:
        pg_v = c.exec_driver_sql("SHOW server_version").scalar()
    res["versions"] = {
        "python": sys.version.split()[0],
        "sqlalchemy": sqlalchemy.__version__,
        "fastapi": fastapi.__version__,
        "starlette": starlette.__version__,
        "pydantic": pydantic.VERSION,
        "pydantic_core": pydantic_core.__version__,
        "uvicorn": uvicorn.__version__,
        "uvloop": uvloop.__version__,
        "greenlet": greenlet.__version__,
        "aiosqlite": aiosqlite.__version__,
        "asyncpg": asyncpg.__version__,
        "psycopg": psycopg.__version__,
        "sqlite": sqlite3.sqlite_version,
        "postgresql": pg_v,
        "wrk": wrk_v,
    }
    t_all = time.perf_counter()
    try:
        print("setup ...", file=sys.stderr, flush=True)
        info = setup(workdir)
        res["setup"] = info["timings"]
        print(f"  {info['timings']}", file=sys.stderr, flush=True)
        sampler.phase = "inproc"
        print("in-process ...", file=sys.stderr, flush=True)
        import uvloop as _uv

        quick = os.environ.get("SS_QUICK") == "1"  # smoke test of the harness only
        ip_kw = dict(blocks=2, per_block=30) if quick else {}
        http_kw = dict(repeats=1, seconds=1) if quick else {}
        res["inproc"] = _uv.run(inproc(info["sqlite_path"], info["pids"], **ip_kw))
        print("http ...", file=sys.stderr, flush=True)
        res["http"] = http_bench(info, workdir, sampler, **http_kw)
    finally:
        sampler.phase = "cleanup"
        cleanup(workdir)
        sampler.stop()
    res["elapsed_s"] = round(time.perf_counter() - t_all)
    res["finished"] = datetime.now().isoformat(timespec="seconds")
    res["load"] = {p: sampler.summary(p) for p in ("setup", "inproc", "http")}
    res["load"]["all"] = sampler.summary()
    out = f"/tmp/session_styles_{datetime.now():%Y%m%d_%H%M%S}.json"
    with open(out, "w") as f:
        json.dump(res, f, indent=1, default=str)
    print(
        json.dumps(
            {k: res[k] for k in ("started", "finished", "elapsed_s", "versions", "setup", "load")},
            indent=1,
        )
    )
    print(report(res))
    print(f"\nraw results: {out}")


if __name__ == "__main__":
    main()
