"""What the request path costs, piece by piece: the app driven in-process through ASGI (no
sockets, no server), one request after another, µs per request.

    .venv/bin/python bench/layer_bench.py --db sqlite:////tmp/bench/5k.db \
        [--before DIR]  # a checkout of the code before the request layer (git archive)

Variants of this tree: the whole layer; without gzip asked; without metrics; without an
`Origin`; the access line at INFO; and the app with no layer at all ("bare"). With
`--before DIR`, the same routes on that tree's middleware stack, whole and without each
middleware. Each variant runs in its own process per repeat (so the two trees' modules
never mix), variants interleaved and the order rotated per repeat; the table gives medians
of the repeats and each variant's cost over its tree's bare app."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ORIGIN = "https://reader.example"

NEW_VARIANTS = ["layer", "layer-no-gzip", "layer-no-metrics", "layer-no-origin",
                "layer-log-info", "bare"]  # fmt: skip
OLD_VARIANTS = ["stack", "stack-no-CorrelationIdMiddleware", "stack-no-CORSMiddleware",
                "stack-no-AccessLogMiddleware", "stack-no-RateLimitHeadersMiddleware",
                "stack-no-ConditionalGetMiddleware", "bare"]  # fmt: skip


# --- the child: one tree, one variant, one repeat ------------------------------------------


def child(args: argparse.Namespace) -> None:
    sys.path.insert(0, args.tree)
    import logging

    from sqlalchemy import create_engine, text

    from app.core.config import Settings
    from app.core.db import Database, make_engine
    from app.main import create_app

    variant = args.variant
    settings = Settings(
        database_url=args.db,
        log_level="INFO" if variant == "layer-log-info" else "WARNING",
        cors_origins=["https://partner.example"],
        rate_limit_anonymous="100000000/minute",
        cursor_secret="bench-cursor-secret",
    )
    app = create_app(settings, database=Database(make_engine(args.db)))
    logging.getLogger().handlers = [logging.NullHandler()]
    if variant == "bare":
        app.user_middleware = []
        if hasattr(app, "http_config"):
            from fastapi import FastAPI

            app.build_middleware_stack = lambda: FastAPI.build_middleware_stack(app)  # type: ignore[method-assign]
    elif variant.startswith("stack-no-"):
        name = variant.removeprefix("stack-no-")
        app.user_middleware = [m for m in app.user_middleware if m.cls.__name__ != name]
    elif variant == "layer-no-metrics":
        from app.core import asgi, metrics

        class Nothing:
            def inc(self) -> None: ...
            def dec(self) -> None: ...

        asgi.metrics = type(  # type: ignore[assignment]
            "M", (), {"IN_FLIGHT": Nothing(), "observe_request": staticmethod(lambda *a: None)}
        )
        del metrics
    url = args.db.split("///", 1)[1]
    engine = create_engine(f"sqlite:///{url}")
    with engine.connect() as conn:
        ids = [r[0] for r in conn.execute(text("SELECT id FROM article LIMIT 200"))]
    engine.dispose()
    headers = [(b"host", b"bench"), (b"accept", b"*/*")]
    if variant not in ("layer-no-gzip",):
        headers.append((b"accept-encoding", b"gzip, deflate"))
    if variant not in ("layer-no-origin",):
        headers.append((b"origin", ORIGIN.encode()))
    out = asyncio.run(drive(app, headers, ids, args.requests))
    print("RESULT " + json.dumps(out))


async def drive(app: Any, headers: list[tuple[bytes, bytes]], ids: list[str], n: int
                ) -> dict[str, float]:  # fmt: skip
    state: dict[str, Any] = {}
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    lifespan = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": state}
    life = asyncio.create_task(app(lifespan, inbox.get, outbox.put))
    await inbox.put({"type": "lifespan.startup"})
    assert (await outbox.get())["type"] == "lifespan.startup.complete"
    routes = {
        "health": ["/health"],
        "detail": [f"/v1/articles/{i}" for i in ids],
        "list": ["/v1/articles"],
    }
    result: dict[str, float] = {}
    for name, paths in routes.items():
        for warm in (True, False):
            count = 50 if warm else n if name != "list" else n // 20  # a list page is slow
            started = time.process_time()  # CPU time: other load on the machine counts less
            for k in range(count):
                path, _, query = paths[k % len(paths)].partition("?")
                status = await one(app, state, path, query, headers)
                assert status == 200, (path, status)
            if not warm:
                result[name] = (time.process_time() - started) / count * 1e6
    await inbox.put({"type": "lifespan.shutdown"})
    await outbox.get()
    await life
    return result


async def one(app: Any, state: dict[str, Any], path: str, query: str,
              headers: list[tuple[bytes, bytes]]) -> int:  # fmt: skip
    scope = {
        "type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"}, "http_version": "1.1",
        "method": "GET", "scheme": "http", "path": path, "raw_path": path.encode(),
        "query_string": query.encode(), "root_path": "", "headers": headers,
        "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000), "state": dict(state),
    }  # fmt: skip
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


def gzip_costs(db: str) -> None:
    """zlib at several levels on real bodies of this database: µs and size kept."""
    import zlib

    from fastapi.testclient import TestClient

    from app.core.config import Settings
    from app.main import create_app

    app = create_app(Settings(database_url=db, log_level="WARNING", rate_limits_enabled=False))
    with TestClient(app) as c:
        first = c.get("/v1/articles?limit=1").json()["data"][0]["id"]
        bodies = {
            "detail": c.get(f"/v1/articles/{first}").content,
            "list limit=20": c.get("/v1/articles?limit=20").content,
            "list limit=100": c.get("/v1/articles?limit=100").content,
            "quotes limit=20": c.get("/v1/quotes?limit=20").content,
            "health": c.get("/health").content,
        }
    print("| body | bytes | " + " | ".join(f"level {lv}: µs / % kept" for lv in (1, 5, 6, 9))
          + " |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    for name, body in bodies.items():
        cells = []
        for level in (1, 5, 6, 9):
            times = []
            for _ in range(9):
                started = time.process_time()
                for _ in range(200):
                    out = zlib.compress(body, level, wbits=31)
                times.append((time.process_time() - started) / 200 * 1e6)
            cells.append(f"{statistics.median(times):.0f} / {100 * len(out) / len(body):.0f}%")
        print(f"| {name} | {len(body):,} | " + " | ".join(cells) + " |")


def micro(before: str, repeats: int, n: int) -> None:
    """The layers alone, around an app that answers at once with fixed bytes: the old stack
    (its classes loaded from `before`) against the one layer, CPU µs per request over the
    bare app, for a 7 KB JSON document and a 200-byte one."""
    import ast
    import importlib.util

    from asgi_correlation_id import CorrelationIdMiddleware
    from starlette.middleware.cors import CORSMiddleware

    from app.core import asgi
    from app.core.asgi import HttpConfig, HttpLayer

    def load(name: str, rel: str) -> Any:
        spec = importlib.util.spec_from_file_location(name, Path(before) / rel)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up
        spec.loader.exec_module(module)
        return module

    old_cache = load("old_http_cache", "app/core/http_cache.py")
    old_log = load("old_logging", "app/core/logging.py")
    old_rl = load("old_ratelimit", "app/core/ratelimit.py")
    source = (Path(before) / "app/main.py").read_text()
    tree = ast.parse(source)
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef)
               and n.name == "BodyLimitProblemMiddleware")  # fmt: skip
    namespace: dict[str, Any] = {}
    exec(  # the old class, as it was
        "from __future__ import annotations\nimport json\nfrom starlette.types import *\n"
        "from app.core.errors import PROBLEM_MEDIA_TYPE, PayloadTooLarge\n"
        + ast.get_source_segment(source, cls),
        namespace,
    )
    body_limit = namespace["BodyLimitProblemMiddleware"]
    old_log.configure_logging("WARNING", json=True)
    import logging

    logging.getLogger().handlers = [logging.NullHandler()]
    big = json.dumps({"id": "art_x", "body": "Shelling continued overnight. " * 230}).encode()
    small = json.dumps({"id": "art_x", "title": "Short", "tags": ["a"] * 30}).encode()

    def inner_for(body: bytes) -> Any:
        async def inner(scope: Any, receive: Any, send: Any) -> None:
            scope["state"]["ratelimit_headers"] = {
                "RateLimit-Policy": '"anonymous";q=300;w=60',
                "RateLimit": '"anonymous";r=299;t=60',
            }
            await send({"type": "http.response.start", "status": 200, "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode())]})  # fmt: skip
            await send({"type": "http.response.body", "body": body})

        return inner

    def old_stack(app: Any) -> Any:
        app = old_cache.ConditionalGetMiddleware(app, cache_control="public, no-cache")
        app = old_rl.RateLimitHeadersMiddleware(app)
        app = old_log.AccessLogMiddleware(app)
        app = CORSMiddleware(app, allow_origins=["https://partner.example"],
                             allow_methods=["GET", "POST"], expose_headers=["ETag"])  # fmt: skip
        app = CorrelationIdMiddleware(app, header_name="X-Request-ID")
        return body_limit(app, 2 * 1024 * 1024)

    def new_layer(app: Any) -> Any:
        return HttpLayer(app, HttpConfig(cors_origins=("https://partner.example",)))

    real_metrics = asgi.metrics

    class Nothing:
        def inc(self) -> None: ...
        def dec(self) -> None: ...

    no_metrics = type("M", (), {"IN_FLIGHT": Nothing(),
                                "observe_request": staticmethod(lambda *a: None)})  # fmt: skip
    base_headers = [(b"host", b"bench"), (b"origin", ORIGIN.encode())]
    gz = [*base_headers, (b"accept-encoding", b"gzip")]
    variants: dict[str, tuple[Any, list[tuple[bytes, bytes]], Any]] = {
        "bare": (lambda a: a, gz, real_metrics),
        "old stack": (old_stack, gz, real_metrics),
        "layer (gzip accepted)": (new_layer, gz, real_metrics),
        "layer (identity)": (new_layer, base_headers, real_metrics),
        "layer, no metrics (identity)": (new_layer, base_headers, no_metrics),
    }
    results: dict[tuple[str, str], list[float]] = {}

    async def time_one(app: Any, headers: list[tuple[bytes, bytes]]) -> float:
        for _ in range(200):
            await one(app, {}, "/v1/articles/x", "", headers)
        started = time.process_time()
        for _ in range(n):
            await one(app, {}, "/v1/articles/x", "", headers)
        return (time.process_time() - started) / n * 1e6

    for rep in range(repeats):
        names = list(variants)
        names = names[rep % len(names) :] + names[: rep % len(names)]
        for body_name, body in (("7 KB", big), ("200 B", small)):
            for name in names:
                wrap, headers, mod = variants[name]
                asgi.metrics = mod  # type: ignore[assignment]
                took = asyncio.run(time_one(wrap(inner_for(body)), headers))
                results.setdefault((name, body_name), []).append(took)
    asgi.metrics = real_metrics  # type: ignore[assignment]
    print(f"{repeats} repeats x {n} requests, CPU µs per request (median), over the bare app")
    print()
    print("| variant | 7 KB µs | over bare | 200 B µs | over bare |")
    print("|---|---|---|---|---|")
    for name in variants:
        cells = []
        for body_name in ("7 KB", "200 B"):
            runs = results[(name, body_name)]
            bare = results[("bare", body_name)]
            cells.append(f"{statistics.median(runs):.1f}")
            cells.append(f"{statistics.median(r - b for r, b in zip(runs, bare)):+.1f}")
        print(f"| {name} | " + " | ".join(cells) + " |")


# --- the parent: interleave, repeat, tabulate ----------------------------------------------


def run_variant(tree: str, variant: str, args: argparse.Namespace) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", "--tree", tree, "--variant", variant,
           "--db", args.db, "--requests", str(args.requests)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": tree}
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tree)
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return dict(json.loads(line[7:]))
    raise RuntimeError(f"{tree} {variant} failed: {out.stderr[-3000:]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--before", help="a checkout of the code before the layer")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--tree", default=str(ROOT))
    parser.add_argument("--variant", default="layer")
    parser.add_argument("--gzip", action="store_true", help="only the zlib costs per level")
    parser.add_argument("--micro", action="store_true", help="the layers alone (needs --before)")
    args = parser.parse_args()
    if args.micro:
        micro(args.before, args.repeats, args.requests)
        return
    if args.gzip:
        gzip_costs(args.db)
        return
    if args.child:
        child(args)
        return
    jobs = [("now", str(ROOT), v) for v in NEW_VARIANTS]
    if args.before:
        jobs += [("before", args.before, v) for v in OLD_VARIANTS]
    runs: dict[tuple[str, str], list[dict[str, float]]] = {(t, v): [] for t, _, v in jobs}
    loads = []
    for rep in range(args.repeats):
        shift = rep * len(jobs) // args.repeats
        order = jobs[shift:] + jobs[:shift]
        if rep % 2:
            order.reverse()
        for label, tree, variant in order:
            loads.append(os.getloadavg()[0])
            runs[(label, variant)].append(run_variant(tree, variant, args))
            print(f"rep {rep + 1} {label:6} {variant:40} {runs[(label, variant)][-1]}",
                  flush=True)  # fmt: skip
    routes = ["health", "detail", "list"]
    print()
    print(f"{args.repeats} repeats x {args.requests} requests per route; 1-min load median "
          f"{statistics.median(loads):.1f}, max {max(loads):.1f}")  # fmt: skip
    print()
    print("| tree | variant | " + " | ".join(f"{r} µs/req" for r in routes) + " | "
          + " | ".join(f"{r} over bare µs" for r in routes) + " |")  # fmt: skip
    print("|---|---|" + "---|" * (2 * len(routes)))
    for label, _, variant in jobs:
        reps = runs[(label, variant)]
        bare = runs[(label, "bare")]
        cells = [f"{statistics.median(r[k] for r in reps):.0f}" for k in routes]
        over = [
            f"{statistics.median(r[k] - b[k] for r, b in zip(reps, bare)):+.0f}" for k in routes
        ]
        print(f"| {label} | {variant} | " + " | ".join(cells + over) + " |")


if __name__ == "__main__":
    main()
