"""Bulk ingestion throughput against its floor, the extraction engine alone.

    .venv/bin/python bench/ingest_bench.py [--articles 300] [--repeats 3]
        [--pg postgresql://postgres@127.0.0.1:5432/postgres] [--latency] [--out bench/RESULTS.md]

Texts: the raw article texts of the labelled corpus (`../shared/corpus/quotes-train.jsonl`,
read, never copied); the benchmark stops with a message when that file is absent.

Per repeat, interleaved so the machine's load hits every variant alike:

* floor: `parse_raw` (clean, metadata, quotes, statistics, places) on every text, in this
  process, one after the other: what ingestion could reach if storing cost nothing;
* bulk on SQLite, 1 worker: a fresh database file, `conflict-news serve` (rate limits off),
  one `POST /v1/articles/bulk` with every text as a `{"text": ...}` NDJSON line, timed from
  the first byte sent to the last result line read;
* bulk on PostgreSQL, 2 workers (with `--pg`): the same against a throwaway database.

`--latency` (PostgreSQL, 2 workers): p99 of `GET /v1/articles/{id}` on the stored articles,
idle and then while a bulk import of other corpus texts runs, from a closed-loop client of a
few keep-alive connections (median of the repeats).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "quotes-train.jsonl"
EXE = Path(sys.executable).with_name("conflict-news")
sys.path.insert(0, str(ROOT))


def corpus_texts() -> list[str]:
    if not CORPUS.exists():
        raise SystemExit(f"skipped: the corpus is absent ({CORPUS.name} not found)")
    with CORPUS.open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh if line.strip()]


def ndjson(texts: list[str]) -> bytes:
    return b"".join(json.dumps({"text": t}).encode() + b"\n" for t in texts)


# --- the floor ----------------------------------------------------------------------------


def floor_rate(texts: list[str]) -> float:
    from app.schemas.article import RawArticleCreate
    from app.services import extraction

    start = time.perf_counter()
    for text in texts:
        extraction.parse_raw(RawArticleCreate(text=text))
    return len(texts) / (time.perf_counter() - start)


# --- a server on a fresh database ---------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def fresh_database(engine: str, pg_admin: str | None, workdir: Path) -> Iterator[str]:
    if engine == "sqlite":
        path = workdir / f"ingest-{time.monotonic_ns()}.db"
        yield f"sqlite:///{path}"
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{path}{suffix}").unlink()
        return
    import psycopg

    assert pg_admin is not None
    name = f"cn_ingest_bench_{os.getpid()}_{time.monotonic_ns() % 10**9}"
    with psycopg.connect(pg_admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield pg_admin.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(pg_admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Server:
    def __init__(self, url: str, workers: int, workdir: Path) -> None:
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "RATE_LIMITS_ENABLED": "false",
            "LOG_LEVEL": "WARNING",
        }
        subprocess.run([str(EXE), "db", "upgrade"], env=self.env, check=True, capture_output=True)
        out = subprocess.run(
            [str(EXE), "keys", "create", "--name", "bench", "--scopes", "read,write"],
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        self.auth = f"Bearer {out.strip().splitlines()[-1]}"
        self.port = free_port()
        self.log = (workdir / f"server-{self.port}.log").open("wb")
        cmd = [str(EXE), "serve", "--no-migrate", "--port", str(self.port)]
        self.proc = subprocess.Popen(
            [*cmd, "--workers", str(workers)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        deadline = time.monotonic() + 300  # a shared, loaded machine starts slowly
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if self.get("/ready")[0] == 200:
                    return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("the server did not start")

    def get(self, path: str) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            return resp.status, resp.read()
        finally:
            conn.close()

    def bulk(self, body: bytes) -> tuple[float, list[dict[str, Any]]]:
        """Seconds from the request's first byte to its last result line, and the results."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        start = time.perf_counter()
        conn.request(
            "POST",
            "/v1/articles/bulk",
            body=body,
            headers={"Content-Type": "application/x-ndjson", "Authorization": self.auth},
        )
        resp = conn.getresponse()
        data = resp.read()
        elapsed = time.perf_counter() - start
        conn.close()
        if resp.status != 200:
            raise RuntimeError(f"bulk import answered {resp.status}: {data[:500]!r}")
        return elapsed, [json.loads(x) for x in data.splitlines()]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        self.log.close()


def bulk_rate(
    engine: str, workers: int, texts: list[str], pg: str | None, workdir: Path
) -> tuple[float, dict[str, int]]:
    with fresh_database(engine, pg, workdir) as url:
        server = Server(url, workers, workdir)
        try:
            elapsed, results = server.bulk(ndjson(texts))
        finally:
            server.stop()
    counts: dict[str, int] = {}
    for r in results:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    return len(texts) / elapsed, counts


# --- detail latency while a bulk import runs ----------------------------------------------


def probe(port: int, ids: list[str], stop: threading.Event, connections: int) -> list[float]:
    """Closed-loop GETs of random article ids on `connections` keep-alive connections until
    `stop`; every request's latency in ms."""
    latencies: list[float] = []
    lock = threading.Lock()

    def run() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        rng = random.Random()
        mine: list[float] = []
        while not stop.is_set():
            start = time.perf_counter()
            conn.request("GET", f"/v1/articles/{rng.choice(ids)}")
            resp = conn.getresponse()
            resp.read()
            mine.append((time.perf_counter() - start) * 1000)
            if resp.status != 200:
                raise RuntimeError(f"GET answered {resp.status}")
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) >= 100 else float("nan")


def latency_run(
    stored: list[str], imported: list[str], pg: str, workdir: Path, seconds: float, conns: int
) -> dict[str, float]:
    with fresh_database("postgresql", pg, workdir) as url:
        server = Server(url, 2, workdir)
        try:
            _, results = server.bulk(ndjson(stored))
            ids = [r["id"] for r in results if r["status"] == "created"]
            stop = threading.Event()
            timer = threading.Timer(seconds, stop.set)
            timer.start()
            idle = probe(server.port, ids, stop, conns)
            done: dict[str, float] = {}

            def importer() -> None:
                done["seconds"], _ = server.bulk(ndjson(imported))
                stop.set()

            stop = threading.Event()
            worker = threading.Thread(target=importer)
            worker.start()
            time.sleep(0.5)  # the import has started
            busy = probe(server.port, ids, stop, conns)
            worker.join()
        finally:
            server.stop()
    return {
        "idle_p99": p99(idle),
        "idle_p50": statistics.median(idle),
        "idle_n": len(idle) / seconds,
        "busy_p99": p99(busy),
        "busy_p50": statistics.median(busy),
        "busy_rps": len(busy) / max(done["seconds"] - 0.5, 0.1),
        "import_rate": len(imported) / done["seconds"],
        "imported": len(imported),
    }


# --- the run ------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pg", help="an admin URL of a PostgreSQL server (throwaway dbs)")
    parser.add_argument("--latency", action="store_true", help="detail p99 during a bulk")
    parser.add_argument("--latency-seconds", type=float, default=8.0)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--out", type=Path, help="append a section to this Markdown file")
    args = parser.parse_args()

    texts = corpus_texts()
    batch = texts[: args.articles]
    variants = [("sqlite", 1)] + ([("postgresql", 2)] if args.pg else [])
    rates: dict[str, list[float]] = {"floor": []}
    rates.update({f"{e}-{w}": [] for e, w in variants})
    seen: dict[str, dict[str, int]] = {}
    loads: list[float] = []
    started = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="ingest-bench-") as tmp:
        workdir = Path(tmp)
        floor_rate(batch[:20])  # warm the lexicons and the gazetteer
        for repeat in range(args.repeats):
            loads.append(os.getloadavg()[0])
            rates["floor"].append(floor_rate(batch))
            for engine, workers in variants:
                rate, counts = bulk_rate(engine, workers, batch, args.pg, workdir)
                rates[f"{engine}-{workers}"].append(rate)
                seen[f"{engine}-{workers}"] = counts
            print(
                f"repeat {repeat + 1}: " + ", ".join(f"{k} {v[-1]:.1f}/s" for k, v in rates.items())
            )
        latencies: list[dict[str, float]] = []
        if args.latency and args.pg:
            others = texts[args.articles :]
            for _ in range(args.repeats):
                latencies.append(
                    latency_run(
                        batch, others, args.pg, workdir, args.latency_seconds, args.connections
                    )
                )
                print("latency:", {k: round(v, 2) for k, v in latencies[-1].items()})
    report = render(args, batch, rates, seen, latencies, loads, started)
    print(report)
    if args.out:
        with args.out.open("a", encoding="utf-8") as fh:
            fh.write("\n" + report)


def render(
    args: argparse.Namespace,
    batch: list[str],
    rates: dict[str, list[float]],
    seen: dict[str, dict[str, int]],
    latencies: list[dict[str, float]],
    loads: list[float],
    started: datetime,
) -> str:
    floor = rates["floor"]
    chars = statistics.mean(len(t) for t in batch)
    lines = [
        f"## Bulk raw ingestion against the extraction floor — {started:%Y-%m-%d %H:%M} UTC",
        "",
        f"`bench/ingest_bench.py`: {len(batch)} corpus texts (mean {chars:,.0f} characters), "
        f"{args.repeats} interleaved repeats, load average at each repeat's start "
        + ", ".join(f"{x:.1f}" for x in loads)
        + " (2 cores, shared). One `POST /v1/articles/bulk` per repeat into a fresh database,"
        " rate limits off. Ratio = bulk / floor of the same repeat.",
        "",
        "| variant | articles/s per repeat | median | ratio to floor per repeat | median | results |",
        "|---|---|---|---|---|---|",
        f"| floor: extraction alone, in-process | {', '.join(f'{x:.1f}' for x in floor)} | "
        f"**{statistics.median(floor):.1f}** | | | |",
    ]
    for key, values in rates.items():
        if key == "floor":
            continue
        engine, workers = key.split("-")
        ratios = [v / f for v, f in zip(values, floor, strict=True)]
        counts = ", ".join(f"{n} {s}" for s, n in sorted(seen[key].items()))
        lines.append(
            f"| bulk, {engine}, {workers} worker{'s' if workers != '1' else ''} | "
            f"{', '.join(f'{x:.1f}' for x in values)} | **{statistics.median(values):.1f}** | "
            f"{', '.join(f'{x:.2f}' for x in ratios)} | **{statistics.median(ratios):.2f}** | "
            f"{counts} |"
        )
    if latencies:

        def med(key: str) -> float:
            return statistics.median(x[key] for x in latencies)

        def each(key: str) -> str:
            return ", ".join(f"{x[key]:.1f}" for x in latencies)

        lines += [
            "",
            f"`GET /v1/articles/{{id}}` on PostgreSQL, 2 workers, {args.connections} keep-alive "
            "connections in a closed loop, idle for "
            f"{args.latency_seconds:.0f} s then while a bulk import of {latencies[0]['imported']:.0f} "
            "other texts runs (medians of the repeats):",
            "",
            "| | p50 ms | p99 ms | p99 per repeat | rps |",
            "|---|---|---|---|---|",
            f"| idle | {med('idle_p50'):.2f} | {med('idle_p99'):.2f} | "
            f"{each('idle_p99')} | {med('idle_n'):.0f} |",
            f"| during the import ({med('import_rate'):.1f} articles/s) | "
            f"{med('busy_p50'):.2f} | {med('busy_p99'):.2f} | "
            f"{each('busy_p99')} | {med('busy_rps'):.0f} |",
            "",
            "p99 during / idle per repeat: "
            + ", ".join(f"{x['busy_p99'] / x['idle_p99']:.2f}" for x in latencies)
            + f" (median **{statistics.median(x['busy_p99'] / x['idle_p99'] for x in latencies):.2f}**).",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
