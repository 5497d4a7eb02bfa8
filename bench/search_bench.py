"""Search, facets and series latency on a seeded database, in-process, with a LIKE scan
for scale. Our endpoints are called through the ASGI app (no network); medians and p95 over
interleaved repeats.

    .venv/bin/python bench/search_bench.py --db sqlite:////tmp/bench/100k.db [--db postgresql://...]

Words come from app/services/synthetic.py: a rare (~0.1% of articles), a medium (~3%) and a
common one (~40%)."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import httpx2
from sqlalchemy import text

from app.core.config import Settings
from app.core.db import Database, make_engine
from app.main import create_app
from app.services.synthetic import COMMON_WORD, MEDIUM_WORD, RARE_WORD

WORDS = {"rare": RARE_WORD, "medium": MEDIUM_WORD, "common": COMMON_WORD}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


async def run(url: str, repeats: int) -> list[str]:
    settings = Settings(database_url=url, rate_limits_enabled=False, log_level="WARNING")
    database = Database(make_engine(url))
    app = create_app(settings, database=database)
    cases: dict[str, Callable[[], Awaitable[float]]] = {}
    transport = httpx2.ASGITransport(app=app)
    client = httpx2.AsyncClient(transport=transport, base_url="http://bench")

    def endpoint(path: str) -> Callable[[], Awaitable[float]]:
        async def call() -> float:
            t = time.perf_counter()
            resp = await client.get(path)
            assert resp.status_code == 200, (path, resp.status_code, resp.text[:200])
            return (time.perf_counter() - t) * 1000

        return call

    for label, word in WORDS.items():
        cases[f"search {label} by date"] = endpoint(f"/v1/articles?q={word}&sort=date")
        cases[f"search {label} by relevance"] = endpoint(f"/v1/articles?q={word}")
    cases["facets, common word"] = endpoint(
        f"/v1/articles?q={COMMON_WORD}&sort=date&facets=source,location,month"
    )
    cases["facets, medium word"] = endpoint(
        f"/v1/articles?q={MEDIUM_WORD}&sort=date&facets=source,location,speaker,metric,month"
    )
    cases["series killed / month"] = endpoint("/v1/statistics/series?metric=killed")
    cases["series killed / week, one place"] = endpoint(
        "/v1/statistics/series?metric=killed&interval=week&location=Kharkiv"
    )

    def like_scan(word: str) -> Callable[[], Awaitable[float]]:
        op = "LIKE" if database.engine.dialect.name == "sqlite" else "ILIKE"
        sql = text(
            f"SELECT id FROM article WHERE body {op} :p ORDER BY sort_at DESC, id DESC LIMIT 20"
        )

        async def call() -> float:
            t = time.perf_counter()
            with database.engine.connect() as conn:
                conn.execute(sql, {"p": f"%{word}%"}).all()
            return (time.perf_counter() - t) * 1000

        return call

    cases["LIKE scan, rare word (no index)"] = like_scan(RARE_WORD)
    timings: dict[str, list[float]] = {name: [] for name in cases}
    async with client:
        for fn in cases.values():  # warm-up
            await fn()
        for r in range(repeats):
            names = list(cases)
            names = names[r % len(names) :] + names[: r % len(names)]
            for name in names:
                timings[name].append(await cases[name]())
    database.dispose()
    with database.engine.connect() as conn:
        n = conn.execute(text("SELECT count(*) FROM article")).scalar_one()
    lines = [
        f"### {database.engine.dialect.name} — {n:,} articles ({repeats} repeats)",
        "",
        "| case | median ms | p95 ms |",
        "|---|---|---|",
    ]
    lines += [
        f"| {name} | {statistics.median(v):.1f} | {pct(v, 0.95):.1f} |"
        for name, v in timings.items()
    ]
    rare = statistics.median(timings["search rare by date"])
    like = statistics.median(timings["LIKE scan, rare word (no index)"])
    lines += ["", f"LIKE scan ÷ indexed search, rare word, newest 20: **{like / rare:.0f}×**", ""]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", action="append", required=True)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    out = [f"## Search, facets, series — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC", ""]
    for url in args.db:
        out += asyncio.run(run(url, args.repeats))
    print("\n".join(out))


if __name__ == "__main__":
    main()
