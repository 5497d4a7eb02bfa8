"""Benchmark our API against a minimal endpoint doing the same queries (bench/baseline_app.py).

    .venv/bin/python bench/run.py --db sqlite:////tmp/bench/100k.db [--db postgresql://...] [--quick]

For each database (already seeded, see bench/README.md) it starts, on loopback:

* ours:     `conflict-news serve --no-migrate --port P` (1 worker, RATE_LIMITS_ENABLED=false,
            LOG_LEVEL=WARNING);
* baseline: `uvicorn bench.baseline_app:app` (1 worker, uvloop, httptools, no access log);
* limit:    `uvicorn bench.limit_app:app`, the "bytes limit": our own responses, recorded
            by URL after the checks, served from SQLite by a minimal FastAPI endpoint (one
            indexed read per request): the ceiling for serving exactly our bytes;

checks that ours and the baseline answer the same JSON for the same requests, then drives
every route of ROUTES with wrk (1 thread, 16 connections) for the three variants,
interleaved, in an order rotated per repeat, and writes medians and per-repeat ratios to bench/RESULTS.md. Finally it streams
`GET /v1/articles?format=ndjson` from a fresh server and records its RSS before and its peak
(VmHWM).

Routes (select with `--routes`, names or prefixes of these keys; default all):

    detail                      GET /v1/articles/{id}
    list-p1, list-p1000, ...    GET /v1/articles?limit=20 at page N (keyset cursors)
    search-{veryrare,rare,medium,common}-{date,relevance}
                                GET /v1/articles?q=WORD&sort=date / ?q=WORD
    facets-{common,medium}      GET /v1/articles?q=WORD&sort=date&facets=source,location,...
    series-month, series-week, series-month-place
                                GET /v1/statistics/series?metric=killed&interval=...
    export                      the ndjson export memory check (not a wrk route)

Adding a route: write a function `(ctx) -> list[RouteSpec]` that returns, per timed case, a
key, the paths each variant should request (lists of equal length; wrk picks one at random
per request) and how to compare the answers, implement the same route in
bench/baseline_app.py, append the function to ROUTES and its keys to planned_keys().
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import math
import os
import platform
import random
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "RESULTS.md"
CURSOR_SECRET = "bench-cursor-secret"
WRK_LUA = """
local paths = {}
init = function(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  math.randomseed(os.time())
end
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
done = function(summary, latency, requests)
  io.write(string.format("BENCH_LATENCY_US %d %d %d %d\\n", latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max))
end
"""


@functools.cache
def facet_sample() -> int:
    """Ours' facet sample size (app/repositories/articles.py), for the baseline to match."""
    try:
        from app.repositories import articles

        return int(articles.FACET_SAMPLE)
    except Exception as exc:  # the app is being edited: the value as of this writing
        print(f"  (could not import app.repositories.articles: {exc!r}; facet sample 2,000)")
        return 2000


def search_words() -> dict[str, str]:
    """The seeded words of known frequency (bench/synthetic.py): ~0.005%, ~0.1%, ~3%,
    ~40%."""
    try:
        import synthetic

        return {
            "veryrare": synthetic.VERY_RARE_WORD,
            "rare": synthetic.RARE_WORD,
            "medium": synthetic.MEDIUM_WORD,
            "common": synthetic.COMMON_WORD,
        }
    except Exception as exc:  # the app is being edited: the values as of this writing
        print(f"  (could not import bench.synthetic: {exc!r}; using the known words)")
        return {
            "veryrare": "dialysis",
            "rare": "desalination",
            "medium": "ceasefire",
            "common": "humanitarian",
        }


# --- helpers ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_get(url: str, timeout: float = 60.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return int(resp.status), resp.read()
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read()


def load_avg() -> float:
    return os.getloadavg()[0]


def rss_kib(pid: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


@dataclass
class Server:
    name: str
    port: int
    proc: subprocess.Popen[bytes]
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def start_server(name: str, db: str, workdir: Path, extra: dict[str, str] | None = None) -> Server:
    port = free_port()
    env = {
        **(extra or {}),
        **os.environ,
        "DATABASE_URL": db,
        "BENCH_DATABASE_URL": db,
        "RATE_LIMITS_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
        "CURSOR_SECRET": CURSOR_SECRET,
        "BENCH_FACET_SAMPLE": str(facet_sample()),
        "PYTHONPATH": str(ROOT),
    }
    if name == "ours":
        cmd = [str(VENV_BIN / "conflict-news"), "serve", "--no-migrate", "--port", str(port)]
        cmd += ["--host", "127.0.0.1"]
    else:
        module = "bench.limit_app:app" if name == "limit" else "bench.baseline_app:app"
        cmd = [str(VENV_BIN / "uvicorn"), module, "--port", str(port)]
        cmd += ["--host", "127.0.0.1", "--loop", "uvloop", "--http", "httptools"]
        cmd += ["--no-access-log", "--log-level", "warning"]
    log = workdir / f"{name}-{port}.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT)
    server = Server(name, port, proc, log)
    probe = "/v1/articles?limit=1" if name == "ours" else "/health"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited: {log.read_text()[-2000:]}")
        with contextlib.suppress(OSError):
            if http_get(server.base + probe, timeout=5)[0] == 200:
                return server
        time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"{name} did not start: {log.read_text()[-2000:]}")


# --- routes -------------------------------------------------------------------------------


FACETS = "source,location,speaker,metric,month"
SERIES_METRIC = "killed"


@dataclass
class Context:
    db: str
    ours: Server
    baseline: Server
    ids: list[str]
    total: int
    depths: list[int]
    quick: bool
    selected: list[str] | None = None  # --routes: keys or key prefixes; None: all
    cursors: dict[int, tuple[str, str]] = field(default_factory=dict)  # depth -> (ours, base)

    def wants(self, key: str) -> bool:
        return wanted(key, self.selected)


def wanted(key: str, selected: list[str] | None) -> bool:
    return selected is None or any(key == s or key.startswith(s) for s in selected)


@dataclass
class RouteSpec:
    name: str
    ours: list[str]
    baseline: list[str]
    # "bytes" | "json" | "data" (the `data` member of a list page) | "ids" (the ids of `data`
    # in order, then the items) | "ranked" (ids as a set, and whether the order agrees) |
    # "facets" (`data` ids, then buckets) | "series" (period/count/min/max/sum and top ids)
    compare: str
    check: int = 20  # how many of the paths to compare before timing
    key: str = ""  # what --routes selects (see the module docstring)
    # wrk connections for this route, both variants alike (0: --connections); lowered when
    # one request takes so long that --connections of them would not finish in a run
    connections: int = 0


def planned_keys(depths: list[int]) -> list[str]:
    """Every key ROUTES can produce (for --routes and the time estimate)."""
    keys = ["detail"] + [f"list-p{d}" for d in depths]
    keys += [
        f"search-{w}-{o}"
        for w in ("veryrare", "rare", "medium", "common")
        for o in ("date", "relevance")
    ]
    keys += ["facets-common", "facets-medium"]
    keys += ["series-month", "series-week", "series-month-place"]
    keys += ["quotes-p1", "statistics-p1"]
    return keys


def detail_route(ctx: Context) -> list[RouteSpec]:
    if not ctx.wants("detail"):
        return []
    paths = [f"/v1/articles/{i}" for i in ctx.ids]
    return [RouteSpec("GET /v1/articles/{id}", paths, paths, "bytes", key="detail")]


def walk_cursors(ctx: Context, depths: list[int]) -> None:
    """Our cursor for page N (limit 20) by walking our API (100 rows a step, then 20); the
    baseline's cursor for the same position is the id of the last row before it."""
    wanted = sorted(d for d in depths if d > 1)
    if not wanted:
        return
    started = time.monotonic()
    position, cursor, last_id = 0, None, None  # rows already skipped
    for depth in wanted:
        target = (depth - 1) * 20
        while position < target:
            step = 100 if target - position >= 100 else 20
            url = f"{ctx.ours.base}/v1/articles?limit={step}"
            if cursor:
                url += f"&cursor={quote(cursor)}"
            status, body = http_get(url)
            if status != 200:
                raise RuntimeError(
                    f"walking our list failed at {position}: {status} {body[:300]!r}"
                )
            page = json.loads(body)
            position += len(page["data"])
            last_id = page["data"][-1]["id"]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        if position == target and cursor and last_id:
            ctx.cursors[depth] = (cursor, last_id)
    print(f"  walked {position:,} rows of our list in {time.monotonic() - started:.0f} s")


def list_route(ctx: Context) -> list[RouteSpec]:
    specs = []
    if ctx.wants("list-p1"):
        specs.append(RouteSpec("GET /v1/articles?limit=20 (page 1)", ["/v1/articles?limit=20"],
                               ["/v1/articles?limit=20"], "data", 1, "list-p1"))  # fmt: skip
    walk_cursors(ctx, [d for d in ctx.depths if ctx.wants(f"list-p{d}")])
    for depth in sorted(ctx.cursors):
        ours_c, base_c = ctx.cursors[depth]
        specs.append(
            RouteSpec(
                f"GET /v1/articles?limit=20 (page {depth:,})",
                [f"/v1/articles?limit=20&cursor={quote(ours_c)}"],
                [f"/v1/articles?limit=20&cursor={quote(base_c)}"],
                "data",
                1,
                f"list-p{depth}",
            )
        )
    return specs


def item_list_route(ctx: Context) -> list[RouteSpec]:
    """Page 1 of the quote and figure lists (issue 15: lists at the limit)."""
    specs = []
    for name in ("quotes", "statistics"):
        if ctx.wants(f"{name}-p1"):
            path = f"/v1/{name}?limit=20"
            specs.append(RouteSpec(f"GET {path} (page 1)", [path], [path], "data", 1, f"{name}-p1"))
    return specs


def search_route(ctx: Context) -> list[RouteSpec]:
    """First page of a search for a rare, a medium and a common word, newest first and by
    relevance (ours: among the newest 1,000 matches; the baseline: every match ranked)."""
    specs = []
    for kind, word in search_words().items():
        for order in ("date", "relevance"):
            key = f"search-{kind}-{order}"
            if not ctx.wants(key):
                continue
            path = f"/v1/articles?q={quote(word)}" + ("&sort=date" if order == "date" else "")
            name = f"GET {path} ({kind})"
            compare = "ids" if order == "date" else "ranked"
            specs.append(RouteSpec(name, [path], [path], compare, 1, key))
    return specs


def facets_route(ctx: Context) -> list[RouteSpec]:
    """A search page by date with five facets (ours and the baseline both count over the
    newest FACET_SAMPLE matches when there are more: `facets_sampled`)."""
    specs = []
    words = search_words()
    for kind in ("common", "medium"):
        key = f"facets-{kind}"
        if ctx.wants(key):
            path = f"/v1/articles?q={quote(words[kind])}&sort=date&facets={FACETS}"
            name = f"GET /v1/articles?q={words[kind]}&sort=date&facets=source,…,month ({kind})"
            specs.append(RouteSpec(name, [path], [path], "facets", 1, key))
    return specs


def busy_place(db: str) -> str | None:
    """The place with the most figures of SERIES_METRIC (for the series of one place)."""
    sql = (
        "SELECT l.name FROM statistic st JOIN location l ON l.id = st.location_id "
        "WHERE st.metric = '" + SERIES_METRIC + "' GROUP BY l.id, l.name "
        "ORDER BY count(*) DESC, l.name LIMIT 1"
    )
    if db.startswith("sqlite"):
        conn = sqlite3.connect(db.split("///", 1)[1])
        try:
            row = conn.execute(sql).fetchone()
        finally:
            conn.close()
        return None if row is None else str(row[0])
    import psycopg

    with psycopg.connect(db.replace("postgresql+psycopg://", "postgresql://")) as pg:
        found = pg.execute(sql).fetchone()
        return None if found is None else str(found[0])


def series_route(ctx: Context) -> list[RouteSpec]:
    """The figure series of one metric by month and by week, and by month for one busy place
    (the baseline aggregates `statistic` directly, as our code did before the rollup)."""
    specs = []
    # basis=reports: the baseline adds up every report (the baseline ignores the parameter)
    base = f"/v1/statistics/series?metric={SERIES_METRIC}&basis=reports"
    for interval in ("month", "week"):
        key = f"series-{interval}"
        if ctx.wants(key):
            path = f"{base}&interval={interval}"
            specs.append(RouteSpec(f"GET {path}", [path], [path], "series", 1, key))
    if ctx.wants("series-month-place"):
        place = busy_place(ctx.db)
        if place is None:
            print("  no place with figures: series-month-place skipped")
        else:
            path = f"{base}&interval=month&location={quote(place)}"
            specs.append(
                RouteSpec(f"GET {path}", [path], [path], "series", 1, "series-month-place")
            )
    return specs


# The benchmark table: each entry yields one or more routes (keys: see planned_keys()).
ROUTES: list[Callable[[Context], list[RouteSpec]]] = [
    detail_route,
    list_route,
    item_list_route,
    search_route,
    facets_route,
    series_route,
]


# --- equality check -----------------------------------------------------------------------


@dataclass
class Check:
    """What the comparison before timing found: a one-line status, the differences (ours
    and the baseline disagree), and notes (expected, recorded: relevance order, sampling)."""

    status: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0  # a typical request of the slower variant, alone (not under load)


def compare(ctx: Context, spec: RouteSpec) -> Check:
    problems: list[str] = []
    notes: list[str] = []
    statuses: list[str] = []
    took: dict[str, list[float]] = {"ours": [], "baseline": []}
    for ours_path, base_path in list(zip(spec.ours, spec.baseline))[: spec.check]:
        s1, b1 = timed_get(ctx.ours.base + ours_path, took["ours"])
        s2, b2 = timed_get(ctx.baseline.base + base_path, took["baseline"])
        if s1 != 200 or s2 != 200:
            problems.append(f"{ours_path}: status ours {s1}, baseline {s2}: {b1[:200]!r}")
            continue
        if spec.compare == "bytes" and b1 == b2:
            continue
        j1, j2 = json.loads(b1), json.loads(b2)
        if spec.compare in ("ids", "ranked", "facets"):
            statuses.append(compare_page(ours_path, spec.compare, j1, j2, problems, notes, ctx.db))
            continue
        if spec.compare == "series":
            statuses.append(compare_series(ours_path, j1, j2, problems))
            continue
        if spec.compare == "data":
            j1, j2 = j1["data"], j2["data"]
        if j1 != j2:
            problems.append(f"{ours_path}: JSON differs: {json_diff(j1, j2)}")
        elif spec.compare == "bytes":
            problems.append(f"{ours_path}: same JSON, different bytes ({len(b1)} vs {len(b2)})")
    if problems:
        status = f"{len(problems)} DIFF"
    elif statuses:
        status = "; ".join(dict.fromkeys(statuses))
    else:
        status = {"bytes": "same bytes", "data": "same data"}.get(spec.compare, "same JSON")
    if len(spec.ours) == 1:  # one path: time a second, warm request of each
        timed_get(ctx.ours.base + spec.ours[0], took["ours"])
        timed_get(ctx.baseline.base + spec.baseline[0], took["baseline"])
    typical = max(statistics.median(v) if len(v) > 2 else min(v) for v in took.values() if v)
    return Check(status, problems, notes, typical)


def timed_get(url: str, took: list[float]) -> tuple[int, bytes]:
    started = time.monotonic()
    found = http_get(url)
    took.append(time.monotonic() - started)
    return found


RANKING_SQLITE = (
    "ours scores by weighted term frequency among the newest 1,000 matches; the baseline "
    "by bm25 among all of them"
)
RANKING_PG = "ours ranks the newest 1,000 matches by ts_rank_cd; the baseline all of them"


def compare_page(
    path: str, kind: str, ours: dict[str, Any], base: dict[str, Any], problems: list[str],
    notes: list[str], db: str,
) -> str:  # fmt: skip
    """A search page: its ids (in order, or as a set for relevance), then facets."""
    a = [d["id"] for d in ours["data"]]
    b = [d["id"] for d in base["data"]]
    if kind == "ranked":
        common = len(set(a) & set(b))
        if a == b:
            return f"same {len(a)} ids, same order"
        if set(a) == set(b):
            moved = sum(x != y for x, y in zip(a, b))
            notes.append(f"{path}: same {len(a)} ids, order differs at {moved} positions")
            return f"same {len(a)} ids, order differs ({moved} positions)"
        notes.append(
            f"{path}: {common} of {len(a)}/{len(b)} ids in common "
            f"({RANKING_SQLITE if db.startswith('sqlite') else RANKING_PG})"
        )
        return f"{common} of {max(len(a), len(b))} ids in common"
    if a != b:
        problems.append(f"{path}: ids of `data` differ: {json_diff(a, b)}")
        return "ids DIFF"
    status = f"same {len(a)} ids"
    if ours["data"] != base["data"]:  # the criterion is the ids; the items are recorded
        notes.append(f"{path}: same ids, items differ: {json_diff(ours['data'], base['data'])}")
        status += ", items differ"
    if kind != "facets":
        return status + " and items" if ours["data"] == base["data"] else status
    s1, s2 = ours.get("facets_sampled"), base.get("facets_sampled")
    if s1 != s2:
        notes.append(f"{path}: facets_sampled ours {s1}, baseline {s2}: counts not compared")
        return status + f"; sampled: ours {s1}, baseline {s2}"
    f1, f2 = ours.get("facets") or {}, base.get("facets") or {}
    bad = [name for name in sorted(set(f1) | set(f2)) if f1.get(name) != f2.get(name)]
    for name in bad:
        problems.append(f"{path}: facet {name}: {json_diff(f1.get(name), f2.get(name))}")
    how = f"both sampled (newest {facet_sample():,} matches)" if s1 else "both exact"
    if bad:
        return status + f"; facets {how}, DIFF in {', '.join(bad)}"
    return status + f"; facets {how}, same buckets"


def compare_series(
    path: str, ours: dict[str, Any], base: dict[str, Any], problems: list[str]
) -> str:
    """Period, count, min, max, sum (sums to 1e-9 relative) and the top statistics' ids."""
    for k in ("metric", "interval", "location"):
        if ours.get(k) != base.get(k):
            problems.append(f"{path}: {k}: ours {ours.get(k)!r}, baseline {base.get(k)!r}")
    p1 = {p["period"]: p for p in ours["data"]}
    p2 = {p["period"]: p for p in base["data"]}
    if list(p1) != list(p2):
        only = sorted(set(p1) ^ set(p2))
        problems.append(f"{path}: periods differ ({len(p1)} vs {len(p2)}; e.g. {only[:3]})")
    bad: dict[str, int] = {}
    first: list[str] = []
    for period in sorted(p1.keys() & p2.keys()):
        x, y = p1[period], p2[period]
        for k in ("count", "min", "max", "sum", "statistics", "articles"):
            same = x[k] == y[k]
            if not same and k == "sum":
                same = math.isclose(x[k], y[k], rel_tol=1e-9, abs_tol=1e-6)
            if not same:
                bad[k] = bad.get(k, 0) + 1
                if len(first) < 3:
                    first.append(f"{period} {k}: ours {x[k]!r:.80}, baseline {y[k]!r:.80}")
    if bad:
        counts = ", ".join(f"{k} in {n}" for k, n in bad.items())
        problems.append(f"{path}: {counts} of {len(p1)} periods differ, e.g. {'; '.join(first)}")
        return "DIFF"
    return f"same {len(p1)} periods"


def json_diff(a: Any, b: Any, path: str = "$") -> str:
    if type(a) is not type(b):
        return f"{path}: {a!r:.80} vs {b!r:.80}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}.{k}: missing on {'ours' if k not in a else 'baseline'}"
            if a[k] != b[k]:
                return json_diff(a[k], b[k], f"{path}.{k}")
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} vs {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return json_diff(x, y, f"{path}[{i}]")
    return f"{path}: {a!r:.80} vs {b!r:.80}"


# --- wrk ----------------------------------------------------------------------------------


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    load: float
    p95_ms: float = float("nan")
    idle_wait_s: float = 0.0  # how long the servers took to go idle after the previous run


def run_wrk(base: str, paths_file: Path, lua: Path, seconds: int, connections: int,
            timeout: int = 30) -> WrkResult:  # fmt: skip
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout",
           f"{timeout}s", "-s", str(lua), base, "--", str(paths_file)]  # fmt: skip
    load = load_avg()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + timeout + 60)
    out = done.stdout
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    rps = float(m.group(1)) if m else 0.0
    m = re.search(r"(\d+) requests in", out)
    requests = int(m.group(1)) if m else 0
    m = re.search(r"BENCH_LATENCY_US (\d+) (\d+) (\d+)", out)
    if m is None:  # without its script wrk requests "/" and reports 404s as throughput
        raise RuntimeError(f"wrk failed: {done.stderr[-1000:]} {out[-1000:]}")
    nan = float("nan")
    p50, p95, p99 = (int(x) / 1000 if requests else nan for x in m.groups())
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    return WrkResult(rps, p50, p99, requests, errors, load, p95)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads) and its reaped children."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


class IdleWaiter:
    """After a wrk run, requests wrk gave up on may still be running (a slow search on 16
    connections): wait until both servers use < 10% of a CPU and, on PostgreSQL, no query
    of the benchmarked database is active, so one run's leftovers do not slow the next."""

    def __init__(self, db: str, servers: list[Server], cap_s: float = 90.0) -> None:
        self.servers, self.cap_s = servers, cap_s
        self.pg: Any = None
        if not db.startswith("sqlite"):
            import psycopg

            url = db.replace("postgresql+psycopg://", "postgresql://")
            self.pg = psycopg.connect(url, autocommit=True)

    def active_queries(self) -> int:
        if self.pg is None:
            return 0
        row = self.pg.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        ).fetchone()
        return int(row[0]) if row else 0

    def wait(self) -> float:
        started = time.monotonic()
        while time.monotonic() - started < self.cap_s:
            before = [cpu_seconds(s.proc.pid) for s in self.servers]
            time.sleep(0.3)
            after = [cpu_seconds(s.proc.pid) for s in self.servers]
            busy = any((y - x) / 0.3 > 0.10 for x, y in zip(before, after))
            if not busy and self.active_queries() == 0:
                return time.monotonic() - started
        print(f"  (servers or the database still busy after {self.cap_s:.0f} s: going on)")
        return time.monotonic() - started

    def close(self) -> None:
        if self.pg is not None:
            self.pg.close()


# --- export memory ------------------------------------------------------------------------


def export_memory(db: str, workdir: Path, max_seconds: float) -> dict[str, Any]:
    server = start_server("ours", db, workdir)
    try:
        pid = server.proc.pid
        before = rss_kib(pid)
        peak = {"VmHWM": before["VmHWM"]}
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                with contextlib.suppress(OSError):
                    peak["VmRSS_max"] = max(peak.get("VmRSS_max", 0), rss_kib(pid)["VmRSS"])
                time.sleep(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.monotonic()
        lines = size = 0
        complete = True
        url = server.base + "/v1/articles?format=ndjson"
        with urllib.request.urlopen(url, timeout=120) as resp:
            while chunk := resp.read(1 << 16):
                size += len(chunk)
                lines += chunk.count(b"\n")
                if time.monotonic() - started > max_seconds:
                    complete = False
                    break
        elapsed = time.monotonic() - started
        stop.set()
        sampler.join()
        after = rss_kib(pid)
        return {
            "rows": lines,
            "bytes": size,
            "seconds": elapsed,
            "complete": complete,
            "rss_before_mib": before["VmRSS"] / 1024,
            "hwm_before_mib": before["VmHWM"] / 1024,
            "peak_mib": after["VmHWM"] / 1024,
            "rss_after_mib": after["VmRSS"] / 1024,
        }
    finally:
        server.stop()


# --- the run ------------------------------------------------------------------------------


def sample_ids(db: str, n: int) -> tuple[list[str], int]:
    if db.startswith("sqlite"):
        conn = sqlite3.connect(db.split("///", 1)[1])
        total = conn.execute("SELECT count(*) FROM article").fetchone()[0]
        ids = [r[0] for r in conn.execute("SELECT id FROM article ORDER BY random() LIMIT ?", (n,))]
        conn.close()
        return ids, int(total)
    import psycopg

    with psycopg.connect(db.replace("postgresql+psycopg://", "postgresql://")) as pg:
        total = pg.execute("SELECT count(*) FROM article").fetchone()[0]  # type: ignore[index]
        rows = pg.execute("SELECT id FROM article ORDER BY random() LIMIT %s", (n,)).fetchall()
        return [r[0] for r in rows], int(total)


VARIANTS = ("ours", "baseline", "limit")


def record_responses(ctx: Context, specs: list[RouteSpec], path: Path) -> int:
    """Our response bytes for every URL the timed runs will request (identity coding, as
    wrk asks), stored for the bytes limit (bench/limit_app.py)."""
    rows = []
    for spec in specs:
        for url in dict.fromkeys(spec.ours):
            status, body = http_get(ctx.ours.base + url)
            if status == 200:
                rows.append((url, body, "application/json"))
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS response "
            "(url TEXT PRIMARY KEY, body BLOB NOT NULL, content_type TEXT NOT NULL)"
        )
        conn.executemany("INSERT OR REPLACE INTO response VALUES (?, ?, ?)", rows)
    return len(rows)


@dataclass
class Measured:
    spec: RouteSpec
    runs: dict[str, list[WrkResult]] = field(default_factory=lambda: {v: [] for v in VARIANTS})


def connections_for(seconds: float, args: argparse.Namespace) -> int:
    """wrk connections for a route whose request takes `seconds` alone: all of
    --connections unless that many requests one after the other would take more than half a
    run (then a run would end before most of them are answered: no throughput, no latency)."""
    budget = args.duration / 2
    if seconds * args.connections <= budget:
        return int(args.connections)
    return max(1, min(int(args.connections), int(budget / max(seconds, 1e-9))))


def bench_db(db: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    label = "SQLite" if db.startswith("sqlite") else "PostgreSQL"
    print(f"== {label}: {db}")
    ids, total = sample_ids(db, 2000)
    pages = total // 20
    depths = [d for d in args.depths if d <= pages]
    if len(depths) < len(args.depths) and pages > 1:
        depths.append(pages - 1 if total % 20 == 0 else pages)  # the deepest full page
    ours = start_server("ours", db, workdir)
    baseline = start_server("baseline", db, workdir)
    checks: dict[str, Check] = {}
    measured: list[Measured] = []
    limit: Server | None = None
    idle = IdleWaiter(db, [ours, baseline])
    try:
        ctx = Context(db, ours, baseline, ids, total, sorted(set(depths)), args.quick, args.routes)
        specs = [spec for route in ROUTES for spec in route(ctx) if ctx.wants(spec.key)]
        lua = workdir / "paths.lua"
        lua.write_text(WRK_LUA)
        files: dict[tuple[str, str], Path] = {}
        for i, spec in enumerate(specs):
            check = checks[spec.name] = compare(ctx, spec)
            for variant, paths in (("ours", spec.ours), ("baseline", spec.baseline)):
                f = workdir / f"paths-{i}-{variant}.txt"
                f.write_text("\n".join(paths) + "\n")
                files[(spec.name, variant)] = f
            print(f"  {spec.name}: {check.status} (one request: {check.seconds:.2f} s)")
            for p in (check.problems + check.notes)[:3]:
                print(f"    {p}")
            spec.connections = connections_for(check.seconds, args)
            if spec.connections < args.connections:
                print(f"    -> {spec.connections} wrk connections for this route (both variants)")
        recorded = record_responses(ctx, specs, workdir / "responses.db")
        limit = start_server(
            "limit", db, workdir, {"BENCH_BYTES_DB": str(workdir / "responses.db")}
        )
        idle.servers.append(limit)
        print(f"  bytes limit: {recorded:,} responses of ours recorded by URL", flush=True)
        for spec in specs:
            files[(spec.name, "limit")] = files[(spec.name, "ours")]
        seconds = len(specs) * len(VARIANTS) * (args.repeats * args.duration + 2)
        print(f"  timing {len(specs)} routes x {len(VARIANTS)} variants x {args.repeats} repeats x "
              f"{args.duration} s (+2 s warm-up each): ~{seconds / 60:.1f} min, plus waits "
              "for slow requests to drain", flush=True)  # fmt: skip
        servers = {"ours": ours, "baseline": baseline, "limit": limit}
        # Warm up every variant once (connections, caches, statement caches).
        for spec in specs:
            for variant in servers:
                run_wrk(servers[variant].base, files[(spec.name, variant)], lua, 2,
                        spec.connections, args.timeout)  # fmt: skip
                idle.wait()
        measured = [Measured(spec) for spec in specs]
        jobs = [(m, v) for m in measured for v in VARIANTS]
        for rep in range(args.repeats):
            shift = (rep * len(jobs)) // max(args.repeats, 1)
            order = jobs[shift:] + jobs[:shift]
            if rep % 2:
                order.reverse()
            for m, variant in order:
                waited = idle.wait()
                res = run_wrk(servers[variant].base, files[(m.spec.name, variant)], lua,
                              args.duration, m.spec.connections, args.timeout)  # fmt: skip
                res.idle_wait_s = waited
                m.runs[variant].append(res)
                print(f"  rep {rep + 1} {variant:8} {m.spec.name}: {res.rps:8.1f} rps  "
                      f"p50 {res.p50_ms:7.2f}  p95 {res.p95_ms:7.2f}  p99 {res.p99_ms:7.2f} ms  "
                      f"err {res.errors}  load {res.load:.1f}"
                      f"{f'  (waited {waited:.0f} s for idle)' if waited > 2 else ''}",
                      flush=True)  # fmt: skip
    finally:
        idle.close()
        ours.stop()
        baseline.stop()
        if limit is not None:
            limit.stop()
    export = None
    if wanted("export", args.routes):
        export = export_memory(db, workdir, args.export_seconds)
        print(f"  export: {export}")
    return {"label": label, "db": db, "total": total, "measured": measured, "checks": checks,
            "export": export}  # fmt: skip


def med(values: list[float]) -> float:
    values = [v for v in values if not math.isnan(v)]
    return statistics.median(values) if values else float("nan")


def ratio(a: float, b: float) -> float:
    return a / b if b and not math.isnan(a) and not math.isnan(b) else float("nan")


def render(results: list[dict[str, Any]], args: argparse.Namespace, started: datetime,
           loads: list[float]) -> str:  # fmt: skip
    lines: list[str] = []
    add = lines.append
    versions = versions_line()
    add(f"## Run of {started:%Y-%m-%d %H:%M} UTC ({'--quick' if args.quick else 'full'})")
    add("")
    add(f"- wrk: 1 thread, {args.connections} connections, {args.duration} s per run, "
        f"{args.repeats} repeats, variants interleaved (order rotated per repeat), "
        "random article ids from 2,000 pre-sampled per request; 1 uvicorn worker each; loopback.")  # fmt: skip
    if args.routes:
        add(f"- routes selected: `--routes {' '.join(args.routes)}`.")
    add(f"- 1-minute load average during the runs: median {med(loads):.1f}, max {max(loads):.1f}; "
        f"{os.cpu_count()} CPUs ({platform.machine()}).")  # fmt: skip
    add(f"- {versions}")
    add("- ratios are computed per repeat (ours ÷ baseline in the same sweep) and then medianed; "
        "rps and latencies are medians of the repeats. Before each run the harness waits for "
        "both servers (and PostgreSQL) to go idle, so requests wrk gave up on do not slow the "
        "next run. A route marked `[N conn.]` ran with N wrk connections (both variants): its "
        f"single request (the slower variant's) × {args.connections} exceeded half a run.")  # fmt: skip
    add("- the bytes limit (bench/limit_app.py): our own responses, recorded by URL before "
        "timing, served by a minimal FastAPI endpoint from SQLite (one indexed read per request); "
        "`ours/limit` is the share of that ceiling a route reaches.")  # fmt: skip
    add("- baselines (bench/baseline_app.py): search by date `rowid IN (MATCH)` / `search @@ "
        "tsquery` newest first; by relevance **every match ranked** (`bm25(article_fts, 8.0, "
        "1.0)` / `ts_rank_cd(search, q, 32)`) where ours ranks the newest 1,000 matches only; "
        f"facets over the same sample as ours (the newest {facet_sample():,} matches when there "
        "are more); "
        "series aggregated from `statistic` per request.")  # fmt: skip
    add("")
    for res in results:
        add(f"### {res['label']} — {res['total']:,} articles")
        add("")
        add("| route | variant | rps | p50 ms | p95 ms | p99 ms | errors | "
            "rps ours/base (per repeat) | median | p99 ours/base (per repeat) | median | "
            "rps ours/limit (per repeat) | median | p99 ours/limit | median |")  # fmt: skip
        add("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for m in res["measured"]:
            o, b, lim = m.runs["ours"], m.runs["baseline"], m.runs["limit"]
            tr = [ratio(x.rps, y.rps) for x, y in zip(o, b)]
            pr = [ratio(x.p99_ms, y.p99_ms) for x, y in zip(o, b)]
            lr = [ratio(x.rps, y.rps) for x, y in zip(o, lim)]
            lp = [ratio(x.p99_ms, y.p99_ms) for x, y in zip(o, lim)]
            for variant, runs in (("ours", o), ("baseline", b), ("limit", lim)):
                name = m.spec.name
                if m.spec.connections != args.connections:
                    name += f" [{m.spec.connections} conn.]"
                cells = [name if variant == "ours" else "", variant,
                         f"{med([r.rps for r in runs]):.1f}", f"{med([r.p50_ms for r in runs]):.2f}",
                         f"{med([r.p95_ms for r in runs]):.2f}",
                         f"{med([r.p99_ms for r in runs]):.2f}", str(sum(r.errors for r in runs))]  # fmt: skip
                if variant == "ours":
                    cells += [", ".join(f"{x:.3f}" for x in tr), f"**{med(tr):.3f}**",
                              ", ".join(f"{x:.2f}" for x in pr), f"**{med(pr):.2f}**",
                              ", ".join(f"{x:.3f}" for x in lr), f"**{med(lr):.3f}**",
                              ", ".join(f"{x:.2f}" for x in lp), f"**{med(lp):.2f}**"]  # fmt: skip
                else:
                    cells += [""] * 8
                add("| " + " | ".join(cells) + " |")
        add("")
        waits = [r.idle_wait_s for m in res["measured"] for v in m.runs.values() for r in v]
        if waits and max(waits) > 2:
            add(f"Waits for idle servers before a run: max {max(waits):.0f} s, "
                f"total {sum(waits):.0f} s.")  # fmt: skip
            add("")
        pages = [m for m in res["measured"] if "(page" in m.spec.name]
        if len(pages) > 1:
            add(
                "Depth ratios (page N ÷ page 1, per repeat then median; >1 means deeper is slower):"
            )
            add("")
            add("| page | variant | p50 ratio | p99 ratio | rps ratio (page 1 ÷ page N) |")
            add("|---|---|---|---|---|")
            first = pages[0]
            for m in pages[1:]:
                for variant in ("ours", "baseline"):
                    a, z = first.runs[variant], m.runs[variant]
                    p50 = med([ratio(y.p50_ms, x.p50_ms) for x, y in zip(a, z)])
                    p99 = med([ratio(y.p99_ms, x.p99_ms) for x, y in zip(a, z)])
                    rps = med([ratio(x.rps, y.rps) for x, y in zip(a, z)])
                    page = m.spec.name.split("(")[1].rstrip(")")
                    add(f"| {page} | {variant} | {p50:.2f} | {p99:.2f} | {rps:.2f} |")
            add("")
        checks: dict[str, Check] = res["checks"]
        add("Responses compared before timing (detail: byte-for-byte on 20 ids; list pages: same "
            "`data`; search by date: the ids of `data` in order, then the items; by relevance: "
            "the ids as a set, and whether the order agrees; facets: `facets_sampled`, then every "
            "bucket; series: period, count, min, max, sum and the top statistics/articles):")  # fmt: skip
        add("")
        add("| route | result |")
        add("|---|---|")
        for name, check in checks.items():
            add(f"| {name} | {check.status} |")
        add("")
        bad = {k: v.problems for k, v in checks.items() if v.problems}
        notes = {k: v.notes for k, v in checks.items() if v.notes}
        if bad:
            add("Differences (ours vs baseline):")
            add("")
            for name, probs in bad.items():
                for p in probs[:5]:
                    add(f"- {name}: `{p}`")
            add("")
        if notes:
            add("Recorded, not counted as differences:")
            add("")
            for name, found in notes.items():
                for p in found[:5]:
                    add(f"- {name}: `{p}`")
            add("")
        e = res["export"]
        if e is None:
            continue
        add(f"Export `GET /v1/articles?format=ndjson` on a fresh server: {e['rows']:,} rows, "
            f"{e['bytes'] / 2**20:.0f} MiB in {e['seconds']:.1f} s "
            f"({e['rows'] / max(e['seconds'], 1e-9):.0f} rows/s)"
            f"{'' if e['complete'] else ' (stopped early: time cap)'}; server RSS before "
            f"{e['rss_before_mib']:.0f} MiB, peak (VmHWM) {e['peak_mib']:.0f} MiB "
            f"(+{e['peak_mib'] - e['rss_before_mib']:.0f} MiB), after {e['rss_after_mib']:.0f} MiB.")  # fmt: skip
        add("")
    return "\n".join(lines) + "\n"


def versions_line() -> str:
    import importlib.metadata as md

    parts = [f"CPython {platform.python_version()}"]
    for pkg in ("fastapi", "starlette", "pydantic", "sqlalchemy", "uvicorn", "uvloop",
                "psycopg", "asyncpg", "orjson"):  # fmt: skip
        with contextlib.suppress(md.PackageNotFoundError):
            parts.append(f"{pkg} {md.version(pkg)}")
    parts.append(f"SQLite {sqlite3.sqlite_version}")
    with contextlib.suppress(Exception):
        wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1]
        parts.append(f"wrk {wrk}")
    return "versions: " + ", ".join(parts)


@contextlib.contextmanager
def load_sampler() -> Iterator[list[float]]:
    loads: list[float] = []
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            loads.append(load_avg())
            stop.wait(5)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    try:
        yield loads
    finally:
        stop.set()
        t.join()


def main() -> None:
    parser = argparse.ArgumentParser(description="Our API vs a minimal same-query endpoint.")
    parser.add_argument("--db", action="append", required=True, help="SQLAlchemy URL; repeatable")
    parser.add_argument("--quick", action="store_true", help="5 s runs, pages 1 and 1,000 only")
    parser.add_argument("--duration", type=int, help="seconds per wrk run (default 10, quick 5)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--depths", type=int, nargs="*", help="list pages (default 1 1000 10000)")
    parser.add_argument("--export-seconds", type=float, help="cap on the export stream")
    parser.add_argument("--timeout", type=int, default=60, help="wrk request timeout, s (60)")
    parser.add_argument(
        "--routes",
        nargs="+",
        metavar="KEY",
        help="routes to run, by key or key prefix: detail, list, search, facets, series, "
        "export, or finer (list-p1000, search-common, search-rare-date, series-week...); "
        "default all",
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="Markdown file to prepend to")
    args = parser.parse_args()
    args.duration = args.duration or (5 if args.quick else 10)
    args.depths = args.depths or ([1, 1000] if args.quick else [1, 1000, 10000])
    args.export_seconds = args.export_seconds or (30.0 if args.quick else 240.0)
    keys = [k for k in planned_keys(args.depths) if wanted(k, args.routes)]
    export = wanted("export", args.routes)
    if not keys and not export:
        parser.error(f"--routes selects nothing; keys: {' '.join(planned_keys(args.depths))}")
    per_db = len(keys) * len(VARIANTS) * (args.repeats * args.duration + 2) + 20
    per_db += args.export_seconds + 10 if export else 0
    print(f"routes: {' '.join(keys + (['export'] if export else []))}")
    print(f"estimate: {len(keys)} routes x {len(VARIANTS)} variants x {args.repeats} repeats x {args.duration} s "
          f"(+2 s warm-up each){f', export <= {args.export_seconds:.0f} s' if export else ''}: "
          f"~{per_db / 60:.0f} min per database, ~{per_db * len(args.db) / 60:.0f} min in all "
          "(plus setup: walking list cursors, checks; and waits for slow requests to "
          "drain)", flush=True)  # fmt: skip
    random.seed(1)
    started = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="cn-bench-") as tmp, load_sampler() as loads:
        results = [bench_db(db, args, Path(tmp)) for db in args.db]
    text = render(results, args, started, loads or [load_avg()])
    print()
    print(text)
    header = (
        "# Benchmark results\n\nNewest run first. Produced by `bench/run.py` and "
        "`bench/search_bench.py`; see bench/README.md.\n\n"
    )
    old = args.out.read_text() if args.out.exists() else ""
    old = old.removeprefix(header)
    args.out.write_text(header + text + ("\n" + old if old else ""))
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
