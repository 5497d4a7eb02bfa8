"""What keeping estimates current costs: write throughput with the estimates projection on
and off, and an estimates list page against a statistics list page.

    .venv/bin/python bench/estimates_bench.py [--base 20000] [--writes 300] [--repeats 3]
        [--pg postgresql://postgres@127.0.0.1:5432/postgres]

A fresh database (a temporary SQLite file, or a throwaway PostgreSQL database beside
`--pg`) is migrated and seeded with `--base` synthetic articles (bench/synthetic.py, five
figures each), then `conflict-news estimates rebuild` groups them. Per repeat, interleaved
so the machine's load hits both alike:

* writes: `--writes` articles with three figures each (a rising toll in one town, sent with
  their figures, no extraction), one transaction each, through `create_article`: with the
  estimates' listeners registered, then without them; articles per second;
* reads: the first page (20) of `/v1/estimates` and of `/v1/statistics` through the list
  service (`listing.page`), 200 times each; the median time.

Prints the medians and the ratios (estimates on / off; estimates page / statistics page).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, create_engine, event, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app import projections, reconciliation  # noqa: E402
from app.core.db import make_engine  # noqa: E402
from app.core.migrate import upgrade  # noqa: E402
from app.core.pagination import CursorCodec  # noqa: E402
from app.reconciliation import projection  # noqa: E402
from app.reconciliation import service as estimates  # noqa: E402
from app.schemas.article import ArticleCreate  # noqa: E402
from app.schemas.estimate import EstimateFilter  # noqa: E402
from app.schemas.filters import StatisticFilter  # noqa: E402
from app.services import articles, listing  # noqa: E402
from app.services import statistics as figures  # noqa: E402
from bench import synthetic  # noqa: E402

TOWNS = ("Kharkiv", "Kherson", "Sumy", "Odesa", "Izium", "Kramatorsk")


def _article(n: int) -> ArticleCreate:
    """An article of three figures about one town's strike on its day."""
    town = TOWNS[n % len(TOWNS)]
    day = datetime(2026, 11, 1, tzinfo=UTC) + timedelta(days=n % 28, hours=n % 24)
    sentences = [
        f"A strike hit {town} today and {n % 9 + 2} people were killed.",
        f"Officials in {town} said {n % 7 + 5} people were injured.",
        f"About {n % 5 + 20} homes in {town} were damaged.",
    ]
    body = " ".join(sentences)
    stats = []
    for sentence, metric, unit in zip(
        sentences,
        ("killed", "injured", "homes_damaged"),
        ("people", "people", "homes"),
        strict=True,
    ):
        phrase = next(w for w in sentence.split() if w.isdigit())
        start = body.index(sentence) + sentence.index(phrase)
        stats.append(
            {"text": phrase, "start": start, "end": start + len(phrase), "value": int(phrase),
             "unit": unit, "metric": metric, "location": town, "sentence": sentence}
        )  # fmt: skip
    return ArticleCreate.model_validate(
        {
            "title": f"Strike on {town} #{n}",
            "body": body,
            "url": f"https://bench.example/{uuid.uuid4().hex}",
            "source": f"Bench Wire {n % 5}",
            "published_at": day.isoformat(),
            "statistics": stats,
            "locations": [{"name": town, "kind": "city", "country_code": "UA"}],
            "extract": False,
        }
    )


def _writes(engine: Engine, start: int, count: int) -> float:
    """Articles per second, one transaction each."""
    began = time.perf_counter()
    for n in range(start, start + count):
        with Session(engine) as session:
            articles.create_article(session, _article(n))
            session.commit()
    return count / (time.perf_counter() - began)


def _estimates_on(on: bool) -> None:
    if on:
        reconciliation.register()
        return
    for target, name, listener in projection._LISTENERS:
        if event.contains(target, name, listener):
            event.remove(target, name, listener)


def _page_time(engine: Engine, read: Callable[[Session], object], times: int) -> float:
    spent = []
    with Session(engine) as session:
        read(session)  # warm
        for _ in range(times):
            began = time.perf_counter()
            read(session)
            spent.append(time.perf_counter() - began)
            session.expire_all()
    return statistics.median(spent)


def _database(pg: str | None, tmp: str) -> tuple[str, Callable[[], None]]:
    if pg is None:
        return f"sqlite:///{tmp}/estimates-bench.db", lambda: None
    name = f"estimates_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg.replace("postgresql://", "postgresql+psycopg://"))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    url = pg.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"

    def drop() -> None:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))

    return url, drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=20_000)
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pg", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url, drop = _database(args.pg, tmp)
        try:
            run(url, args)
        finally:
            drop()


def run(url: str, args: argparse.Namespace) -> None:
    upgrade(url)
    engine = make_engine(url)
    projections.register()
    synthetic.seed(engine, args.base)
    with engine.begin() as conn:
        built = projection.rebuild(conn)
    print(f"{engine.dialect.name}: {args.base} articles seeded, {built} estimates")
    on, off, est_page, stat_page = [], [], [], []
    codec = CursorCodec("bench")
    n = 0
    for _ in range(args.repeats):
        for enabled, out in ((True, on), (False, off)):
            _estimates_on(enabled)
            out.append(_writes(engine, n, args.writes))
            n += args.writes
        _estimates_on(True)
        est_page.append(_page_time(engine, lambda s: listing.page(
            estimates.ESTIMATES, s, EstimateFilter(), codec), 200))  # fmt: skip
        stat_page.append(_page_time(engine, lambda s: listing.page(
            figures.STATISTICS, s, StatisticFilter(), codec), 200))  # fmt: skip
    w_on, w_off = statistics.median(on), statistics.median(off)
    e, s = statistics.median(est_page), statistics.median(stat_page)
    print(f"writes/s with estimates {w_on:.1f}, without {w_off:.1f}: ratio {w_on / w_off:.2f}")
    print(f"first page: estimates {e * 1000:.2f} ms, statistics {s * 1000:.2f} ms: "
          f"ratio {e / s:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
