"""Date-bounded searches and exports, for comparing a database before and after
`conflict-news db partition` (in-process, TestClient, no read timeout, medians).

    python bench/partition_bench.py DATABASE_URL [--repeats 3] [--label before]

The database is one seeded by `bench/seed.py` (sort_at from 2022-01 to 2026-10; texts:
"humanitarian" in ~40% of articles, "ceasefire" ~3%)."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient

from app.main import create_app
from tests.dbutil import make_settings

MONTH = "published_from=2024-03-01T00:00:00Z&published_to=2024-04-01T00:00:00Z"
QUARTER = "published_from=2024-01-01T00:00:00Z&published_to=2024-04-01T00:00:00Z"
QUERIES = [
    f"/v1/articles?q=ceasefire&{MONTH}",
    f"/v1/articles?q=humanitarian&{MONTH}",
    f"/v1/articles?q=ceasefire&sort=relevance&{QUARTER}",
    f"/v1/articles?q=humanitarian&facets=source,month&{QUARTER}",
    f"/v1/articles?{MONTH}&limit=100",
    f"/v1/quotes?q=humanitarian&{MONTH}",
    f"/v1/statistics?metric=killed&{QUARTER}&limit=100",
]
EXPORTS = [
    f"/v1/articles?format=ndjson&{MONTH}",
    f"/v1/quotes?format=ndjson&{MONTH}",
    "/v1/articles?format=ndjson",
]


def timed(client: TestClient, path: str) -> tuple[int, float, int]:
    started = time.perf_counter()
    response = client.get(path)
    return response.status_code, (time.perf_counter() - started) * 1000, len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--label", default="")
    parser.add_argument("--no-full-export", action="store_true")
    args = parser.parse_args()
    settings = make_settings(args.url, read_timeout_ms=0, rate_limits_enabled=False)
    print(f"| {args.label} | status | median ms | bytes |")
    print("| --- | --- | --- | --- |")
    with TestClient(create_app(settings)) as client:
        for path in QUERIES + EXPORTS:
            if args.no_full_export and path == EXPORTS[-1]:
                continue
            repeats = 1 if path == EXPORTS[-1] else args.repeats
            runs = [timed(client, path) for _ in range(repeats)]
            ms = statistics.median(r[1] for r in runs)
            statuses = "/".join(sorted({str(r[0]) for r in runs}))
            print(f"| `{path}` | {statuses} | {ms:.0f} | {runs[-1][2]:,} |", flush=True)


if __name__ == "__main__":
    main()
