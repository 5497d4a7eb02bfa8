"""Search, facets and series latency on a seeded database, in-process, with a LIKE scan
for scale. Our endpoints are called through the ASGI app (no network); medians and p95 over
interleaved repeats.

    .venv/bin/python bench/search_bench.py --db sqlite:////tmp/bench/100k.db [--db postgresql://...]

Words come from bench/synthetic.py: a very rare (~0.005% of articles, ~50 per million),
a rare (~0.1%), a medium (~3%) and a common one (~40%). `--plans` times instead each way of finding the newest matches
(app/search/engine.py strategies) for a page, the relevance candidates and the facet
sample, next to the one `search.plan` picks: the evidence for its cost model."""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import httpx2
from sqlalchemy import func, select, text
from synthetic import COMMON_WORD, MEDIUM_WORD, RARE_WORD, VERY_RARE_WORD

from app.core.config import Settings
from app.core.db import Database, make_engine
from app.main import create_app

WORDS = {
    "very rare": VERY_RARE_WORD,
    "rare": RARE_WORD,
    "medium": MEDIUM_WORD,
    "common": COMMON_WORD,
}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


async def run(url: str, repeats: int, only: list[str], raw: str | None = None) -> list[str]:
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
        f"/v1/articles?q={COMMON_WORD}&sort=date&facets=source,location,speaker,metric,month"
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

    def indexed(word: str) -> Callable[[], Awaitable[float]]:
        """The same page as `like_scan`, through the full-text index (the engines' own)."""
        if database.engine.dialect.name == "sqlite":
            where = "rowid IN (SELECT rowid FROM article_fts WHERE article_fts MATCH :p)"
            param = f'"{word}"'
        else:
            where = "search @@ to_tsquery('english', :p)"
            param = word
        sql = text(f"SELECT id FROM article WHERE {where} ORDER BY sort_at DESC, id DESC LIMIT 20")

        async def call() -> float:
            t = time.perf_counter()
            with database.engine.connect() as conn:
                conn.execute(sql, {"p": param}).all()
            return (time.perf_counter() - t) * 1000

        return call

    for label in ("very rare", "rare"):
        cases[f"LIKE scan, {label} word (no index)"] = like_scan(WORDS[label])
        cases[f"index query, {label} word"] = indexed(WORDS[label])
    if only:
        cases = {k: v for k, v in cases.items() if any(o in k for o in only)}
    timings: dict[str, list[float]] = {name: [] for name in cases}
    async with client:
        for fn in cases.values():  # warm-up
            await fn()
        # As the server does after startup (app/main.py lifespan, which skips it for an app
        # given its database, as here): without it a full collection scans everything the
        # app built, ~90 ms every few requests, and shows up as this harness's p95.
        gc.collect()
        gc.freeze()
        for r in range(repeats):
            names = list(cases)
            names = names[r % len(names) :] + names[: r % len(names)]
            for name in names:
                timings[name].append(await cases[name]())
    database.dispose()
    if raw:  # every timing, to merge interleaved runs of two code versions
        with open(raw, "a") as out:
            out.write(json.dumps({"db": url, "timings": timings}) + "\n")
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
    for label in ("very rare", "rare"):
        like_key = f"LIKE scan, {label} word (no index)"
        if f"search {label} by date" not in timings or like_key not in timings:
            continue
        ours = statistics.median(timings[f"search {label} by date"])
        like = statistics.median(timings[like_key])
        lines += [
            "",
            f"LIKE scan ÷ indexed search, {label} word, newest 20: **{like / ours:.0f}×**",
        ]
        if f"index query, {label} word" in timings:
            query = statistics.median(timings[f"index query, {label} word"])
            lines.append(
                f"LIKE scan ÷ the same query through the index (no API around it), {label} "
                f"word: **{like / query:.0f}×**"
            )
    lines.append("")
    return lines


def plans(url: str, repeats: int) -> list[str]:
    """Each strategy of search.plan, timed on the newest `needed` matches of each word."""
    from app.models import Article
    from app.repositories import articles
    from app.search import engine as search
    from app.search.syntax import parse

    engine = make_engine(url)
    dialect = engine.dialect.name
    strategies: tuple[search.Strategy, ...] = (
        ("collect", "set", "walk") if dialect == "sqlite" else ("collect", "walk")
    )
    order = (Article.sort_at.desc(), Article.id.desc())
    lines = [f"### {dialect}: strategies (median ms of {repeats})", ""]
    lines += ["| word | needed | matches | " + " | ".join(strategies) + " | picked |"]
    lines += ["|---|---|---|" + "---|" * len(strategies) + "---|"]
    with engine.connect() as conn:
        for label, word in WORDS.items():
            query = parse(word)
            found = conn.execute(
                select(func.count())
                .select_from(Article)
                .where(search.matches(dialect, "article", query))
            ).scalar_one()
            for needed in (21, search.RANK_CANDIDATES, articles.FACET_SAMPLE):
                cells = []
                for strategy in strategies:
                    cond = search.condition(dialect, "article", query, Article.id, strategy)
                    stmt = select(Article.id).where(cond).order_by(*order).limit(needed)
                    runs = []
                    for _ in range(repeats):
                        t = time.perf_counter()
                        conn.execute(stmt).all()
                        runs.append((time.perf_counter() - t) * 1000)
                        if runs[-1] > 2000:
                            break  # slow enough to know it is not the one
                    cells.append(f"{statistics.median(runs):.1f}")
                t = time.perf_counter()
                picked = search.plan(conn, "article", query, needed)
                probe = (time.perf_counter() - t) * 1000
                lines.append(
                    f"| {label} | {needed} | {found:,} | "
                    + " | ".join(cells)
                    + f" | {picked.strategy} (probe {probe:.1f} ms) |"
                )
    engine.dispose()
    return [*lines, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", action="append", required=True)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--plans", action="store_true", help="Time each search strategy.")
    parser.add_argument("--raw", help="Append every timing, as JSON lines, to this file.")
    parser.add_argument(
        "--only", action="append", default=[], help="Run the cases whose name contains this."
    )
    args = parser.parse_args()
    out = [f"## Search, facets, series — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC", ""]
    for url in args.db:
        out += (
            plans(url, args.repeats)
            if args.plans
            else asyncio.run(run(url, args.repeats, args.only, args.raw))
        )
    print("\n".join(out))


if __name__ == "__main__":
    main()
