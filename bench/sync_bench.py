"""Mirroring N changed articles through the change feed: one GET per article (the feed's ids,
then `GET /v1/articles/{id}` each) against `include=document` (the documents in the feed),
side by side on one real server, repeats interleaved, medians reported.

    python bench/sync_bench.py [--articles 10000] [--repeats 3] [--database-url URL]

Without `--database-url` a SQLite file in a temporary folder is seeded with
`conflict-news bench seed` (synthetic articles, 5 quotes and 5 figures each). The seeder
writes no change rows, so one `created` change per article is added, as if all N had
changed since the mirror's last poll. Rate limits are off: the key budget's cost is computed
from the request count (1,200 reads a minute by default). Prints a Markdown section."""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text

from app.core.migrate import upgrade
from tests.live import EXE, cli, live_env, serve

READ_BUDGET_PER_MINUTE = 1200  # Settings.rate_limit_read


class Client:
    """One keep-alive connection, counting requests (both ways get the same transport)."""

    def __init__(self, base: str) -> None:
        parts = urllib.parse.urlsplit(base)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        self.requests = 0

    def get(self, path: str) -> bytes:
        self.conn.request("GET", path)
        resp = self.conn.getresponse()
        body = resp.read()
        self.requests += 1
        assert resp.status == 200, (path, resp.status, body[:300])
        return body


def _digest(doc: object) -> str:
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()


def one_get_per_article(base: str, limit: int) -> tuple[int, float, dict[str, str]]:
    client, digests, cursor = Client(base), {}, ""
    start = time.perf_counter()
    while True:
        page = json.loads(client.get(f"/v1/changes?limit={limit}&resource=article{cursor}"))
        for change in page["data"]:
            if change["action"] != "deleted":
                doc = json.loads(client.get(f"/v1/articles/{change['id']}"))
                digests[change["id"]] = _digest(doc)
        cursor = f"&since={page['next_cursor']}"
        if not page["has_more"]:
            break
    return client.requests, time.perf_counter() - start, digests


def include_document(base: str, limit: int) -> tuple[int, float, dict[str, str]]:
    client, digests, cursor = Client(base), {}, ""
    start = time.perf_counter()
    while True:
        body = client.get(f"/v1/changes?limit={limit}&resource=article&include=document{cursor}")
        page = json.loads(body)
        for change in page["data"]:
            if change["document"] is not None:
                digests[change["id"]] = _digest(change["document"])
        cursor = f"&since={page['next_cursor']}"
        if not page["has_more"]:
            break
    return client.requests, time.perf_counter() - start, digests


def prepare(url: str, articles: int, cwd: Path) -> dict[str, str]:
    env = live_env(url, RATE_LIMITS_ENABLED="false", LOG_LEVEL="WARNING")
    upgrade(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        have = conn.scalar(text("SELECT count(*) FROM article")) or 0
    if have < articles:
        cli(["bench", "seed", "--articles", str(articles - have)], env, cwd)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM change"))
        conn.execute(
            text(
                "INSERT INTO change (resource, resource_id, action, at) "
                "SELECT 'article', id, 'created', created_at FROM article ORDER BY id"
            )
        )
    engine.dispose()
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    cwd = Path(tempfile.mkdtemp(prefix="sync-bench-"))
    url = args.database_url or f"sqlite:///{(cwd / 'bench.db').as_posix()}"
    env = prepare(url, args.articles, cwd)
    engine_name = url.split(":", 1)[0].split("+", 1)[0]
    variants = {
        "feed ids (limit=1000) + one GET per article": lambda b: one_get_per_article(b, 1000),
        "include=document, limit=1000": lambda b: include_document(b, 1000),
        "include=document, limit=100": lambda b: include_document(b, 100),
    }
    runs: dict[str, list[tuple[int, float]]] = {name: [] for name in variants}
    with serve(env, cwd) as base:
        reference: dict[str, str] | None = None
        for _ in range(args.repeats):
            for name, run in variants.items():
                count, seconds, digests = run(base)
                runs[name].append((count, seconds))
                # Every variant got the same documents (each parsed and re-serialised alike).
                reference = reference or digests
                assert digests == reference, name
                assert len(digests) == args.articles, name
    base_name = next(iter(variants))
    base_requests = runs[base_name][0][0]
    base_seconds = statistics.median(s for _, s in runs[base_name])
    print(f"## Sync: mirroring {args.articles:,} changed articles ({engine_name}, 1 worker)\n")
    print(
        "`python bench/sync_bench.py --articles "
        f"{args.articles} --repeats {args.repeats}`: one server, one keep-alive "
        "connection per run, the variants interleaved in each repeat; times are medians.\n"
    )
    print(
        "| variant | requests | % of one-GET requests | time s (per repeat) | median s "
        "| time ratio | minutes at the 1,200/min read budget |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, results in runs.items():
        requests = results[0][0]
        seconds = [s for _, s in results]
        median = statistics.median(seconds)
        print(
            f"| {name} | {requests:,} | {100 * requests / base_requests:.2f}% | "
            f"{', '.join(f'{s:.1f}' for s in seconds)} | **{median:.1f}** | "
            f"{median / base_seconds:.3f} | {requests / READ_BUDGET_PER_MINUTE:.2f} |"
        )
    print()


if __name__ == "__main__":
    os.environ.setdefault("CURSOR_SECRET", "bench-secret")
    assert EXE.exists(), "run from the project's virtualenv"
    main()
