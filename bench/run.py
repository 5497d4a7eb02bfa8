"""Benchmark our API against a minimal endpoint doing the same queries (bench/baseline_app.py).

    .venv/bin/python bench/run.py --db sqlite:////tmp/bench/100k.db [--db postgresql://...] [--quick]

For each database (already seeded, see bench/README.md) it starts, on loopback:

* ours:     `conflict-news serve --no-migrate --port P` (1 worker, RATE_LIMITS_ENABLED=false,
            LOG_LEVEL=WARNING);
* baseline: `uvicorn bench.baseline_app:app` (1 worker, uvloop, httptools, no access log);

checks that both answer the same JSON for the same requests, then drives every route of
ROUTES with wrk (1 thread, 16 connections) for both variants, interleaved, in an order rotated
per repeat, and writes medians and per-repeat ratios to bench/RESULTS.md. Finally it streams
`GET /v1/articles?format=ndjson` from a fresh server and records its RSS before and its peak
(VmHWM).

Adding a route (search, facets, series...): write a function `(ctx) -> RouteSpec` that returns
the paths each variant should request (lists of equal length; wrk picks one at random per
request) and how to compare the answers, implement the same route in bench/baseline_app.py,
and append the function to ROUTES.
"""

from __future__ import annotations

import argparse
import contextlib
import json
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
"""


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


def start_server(name: str, db: str, workdir: Path) -> Server:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": db,
        "BENCH_DATABASE_URL": db,
        "RATE_LIMITS_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
        "CURSOR_SECRET": CURSOR_SECRET,
        "PYTHONPATH": str(ROOT),
    }
    if name == "ours":
        cmd = [str(VENV_BIN / "conflict-news"), "serve", "--no-migrate", "--port", str(port)]
        cmd += ["--host", "127.0.0.1"]
    else:
        cmd = [str(VENV_BIN / "uvicorn"), "bench.baseline_app:app", "--port", str(port)]
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


@dataclass
class Context:
    db: str
    ours: Server
    baseline: Server
    ids: list[str]
    total: int
    depths: list[int]
    quick: bool
    cursors: dict[int, tuple[str, str]] = field(default_factory=dict)  # depth -> (ours, base)


@dataclass
class RouteSpec:
    name: str
    ours: list[str]
    baseline: list[str]
    compare: str  # "bytes" | "json" | "data" (the `data` member of a list page)
    check: int = 20  # how many of the paths to compare before timing


def detail_route(ctx: Context) -> list[RouteSpec]:
    paths = [f"/v1/articles/{i}" for i in ctx.ids]
    return [RouteSpec("GET /v1/articles/{id}", paths, paths, "bytes")]


def walk_cursors(ctx: Context) -> None:
    """Our cursor for page N (limit 20) by walking our API (100 rows a step, then 20); the
    baseline's cursor for the same position is the id of the last row before it."""
    wanted = sorted(d for d in ctx.depths if d > 1)
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
    specs = [RouteSpec("GET /v1/articles?limit=20 (page 1)", ["/v1/articles?limit=20"],
                       ["/v1/articles?limit=20"], "data", 1)]  # fmt: skip
    walk_cursors(ctx)
    for depth in sorted(ctx.cursors):
        ours_c, base_c = ctx.cursors[depth]
        specs.append(
            RouteSpec(
                f"GET /v1/articles?limit=20 (page {depth:,})",
                [f"/v1/articles?limit=20&cursor={quote(ours_c)}"],
                [f"/v1/articles?limit=20&cursor={quote(base_c)}"],
                "data",
                1,
            )
        )
    return specs


# The benchmark table: each entry yields one or more routes. Add search/facets/series here.
ROUTES: list[Callable[[Context], list[RouteSpec]]] = [detail_route, list_route]


# --- equality check -----------------------------------------------------------------------


def compare(ctx: Context, spec: RouteSpec) -> list[str]:
    problems: list[str] = []
    for ours_path, base_path in list(zip(spec.ours, spec.baseline))[: spec.check]:
        s1, b1 = http_get(ctx.ours.base + ours_path)
        s2, b2 = http_get(ctx.baseline.base + base_path)
        if s1 != 200 or s2 != 200:
            problems.append(f"{ours_path}: status ours {s1}, baseline {s2}")
            continue
        if spec.compare == "bytes" and b1 == b2:
            continue
        j1, j2 = json.loads(b1), json.loads(b2)
        if spec.compare == "data":
            j1, j2 = j1["data"], j2["data"]
        if j1 != j2:
            problems.append(f"{ours_path}: JSON differs: {json_diff(j1, j2)}")
        elif spec.compare == "bytes":
            problems.append(f"{ours_path}: same JSON, different bytes ({len(b1)} vs {len(b2)})")
    return problems


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


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not m:
        raise ValueError(text)
    return float(m.group(1)) * _UNITS[m.group(2)]


def run_wrk(base: str, paths_file: Path, lua: Path, seconds: int, connections: int) -> WrkResult:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s",
           "-s", str(lua), base, "--", str(paths_file)]  # fmt: skip
    load = load_avg()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\n\s+50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\n\s+99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    return WrkResult(rps, p50, p99, requests, errors, load)


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

    with psycopg.connect(db.replace("postgresql+psycopg://", "postgresql://")) as conn:
        total = conn.execute("SELECT count(*) FROM article").fetchone()[0]  # type: ignore[index]
        rows = conn.execute("SELECT id FROM article ORDER BY random() LIMIT %s", (n,)).fetchall()
        return [r[0] for r in rows], int(total)


@dataclass
class Measured:
    spec: RouteSpec
    runs: dict[str, list[WrkResult]] = field(default_factory=lambda: {"ours": [], "baseline": []})


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
    problems: dict[str, list[str]] = {}
    measured: list[Measured] = []
    try:
        ctx = Context(db, ours, baseline, ids, total, sorted(set(depths)), args.quick)
        specs = [spec for route in ROUTES for spec in route(ctx)]
        lua = workdir / "paths.lua"
        lua.write_text(WRK_LUA)
        files: dict[tuple[str, str], Path] = {}
        for i, spec in enumerate(specs):
            problems[spec.name] = compare(ctx, spec)
            for variant, paths in (("ours", spec.ours), ("baseline", spec.baseline)):
                f = workdir / f"paths-{i}-{variant}.txt"
                f.write_text("\n".join(paths) + "\n")
                files[(spec.name, variant)] = f
            state = "same JSON" if not problems[spec.name] else f"{len(problems[spec.name])} DIFF"
            print(f"  {spec.name}: {state}")
            for p in problems[spec.name][:3]:
                print(f"    {p}")
        servers = {"ours": ours, "baseline": baseline}
        # Warm up every variant once (connections, caches, statement caches).
        for spec in specs:
            for variant in servers:
                run_wrk(
                    servers[variant].base, files[(spec.name, variant)], lua, 2, args.connections
                )
        measured = [Measured(spec) for spec in specs]
        jobs = [(m, v) for m in measured for v in ("ours", "baseline")]
        for rep in range(args.repeats):
            shift = (rep * len(jobs)) // max(args.repeats, 1)
            order = jobs[shift:] + jobs[:shift]
            if rep % 2:
                order.reverse()
            for m, variant in order:
                res = run_wrk(servers[variant].base, files[(m.spec.name, variant)], lua,
                              args.duration, args.connections)  # fmt: skip
                m.runs[variant].append(res)
                print(f"  rep {rep + 1} {variant:8} {m.spec.name}: {res.rps:8.0f} rps  "
                      f"p50 {res.p50_ms:6.2f}  p99 {res.p99_ms:7.2f} ms  err {res.errors}  "
                      f"load {res.load:.1f}", flush=True)  # fmt: skip
    finally:
        ours.stop()
        baseline.stop()
    export = export_memory(db, workdir, args.export_seconds)
    print(f"  export: {export}")
    return {"label": label, "db": db, "total": total, "measured": measured, "problems": problems,
            "export": export}  # fmt: skip


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


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
    add(f"- 1-minute load average during the runs: median {med(loads):.1f}, max {max(loads):.1f}; "
        f"{os.cpu_count()} CPUs ({platform.machine()}).")  # fmt: skip
    add(f"- {versions}")
    add("- ratios are computed per repeat (ours ÷ baseline in the same sweep) and then medianed; "
        "rps and latencies are medians of the repeats.")  # fmt: skip
    add("")
    for res in results:
        add(f"### {res['label']} — {res['total']:,} articles")
        add("")
        add("| route | variant | rps | p50 ms | p99 ms | errors | rps ours/base (per repeat) | "
            "median | p99 ours/base (per repeat) | median |")  # fmt: skip
        add("|---|---|---|---|---|---|---|---|---|---|")
        for m in res["measured"]:
            o, b = m.runs["ours"], m.runs["baseline"]
            tr = [x.rps / y.rps for x, y in zip(o, b)]
            pr = [x.p99_ms / y.p99_ms for x, y in zip(o, b)]
            for variant, runs in (("ours", o), ("baseline", b)):
                cells = [m.spec.name if variant == "ours" else "", variant,
                         f"{med([r.rps for r in runs]):.0f}", f"{med([r.p50_ms for r in runs]):.2f}",
                         f"{med([r.p99_ms for r in runs]):.2f}", str(sum(r.errors for r in runs))]  # fmt: skip
                if variant == "ours":
                    cells += [", ".join(f"{x:.3f}" for x in tr), f"**{med(tr):.3f}**",
                              ", ".join(f"{x:.2f}" for x in pr), f"**{med(pr):.2f}**"]  # fmt: skip
                else:
                    cells += ["", "", "", ""]
                add("| " + " | ".join(cells) + " |")
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
                    p50 = med([y.p50_ms / x.p50_ms for x, y in zip(a, z)])
                    p99 = med([y.p99_ms / x.p99_ms for x, y in zip(a, z)])
                    rps = med([x.rps / y.rps for x, y in zip(a, z)])
                    page = m.spec.name.split("(")[1].rstrip(")")
                    add(f"| {page} | {variant} | {p50:.2f} | {p99:.2f} | {rps:.2f} |")
            add("")
        bad = {k: v for k, v in res["problems"].items() if v}
        if bad:
            add("Response differences found before timing (ours vs baseline):")
            add("")
            for name, probs in bad.items():
                for p in probs[:5]:
                    add(f"- {name}: `{p}`")
            add("")
        else:
            add("Before timing, every checked response was identical (detail: byte-for-byte on "
                "20 ids; list pages: same `data`).")  # fmt: skip
            add("")
        e = res["export"]
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
    parser.add_argument("--out", type=Path, default=RESULTS, help="Markdown file to prepend to")
    args = parser.parse_args()
    args.duration = args.duration or (5 if args.quick else 10)
    args.depths = args.depths or ([1, 1000] if args.quick else [1, 1000, 10000])
    args.export_seconds = args.export_seconds or (30.0 if args.quick else 240.0)
    random.seed(1)
    started = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="cn-bench-") as tmp, load_sampler() as loads:
        results = [bench_db(db, args, Path(tmp)) for db in args.db]
    text = render(results, args, started, loads or [load_avg()])
    print()
    print(text)
    header = "# Benchmark results\n\nNewest run first. Produced by `bench/run.py`; see bench/README.md.\n\n"
    old = args.out.read_text() if args.out.exists() else ""
    old = old.removeprefix(header)
    args.out.write_text(header + text + ("\n" + old if old else ""))
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
