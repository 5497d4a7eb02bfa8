"""Seed a database with synthetic articles (stand-in for `conflict-news bench seed`).

    .venv/bin/python bench/seed.py --db sqlite:////tmp/bench/100k.db --articles 100000

The database is migrated to head first (`app.core.migrate.upgrade`), then
`bench.synthetic.seed()` writes the articles in batches.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synthetic import seed

from app.core.db import make_engine
from app.core.migrate import upgrade


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", required=True, help="SQLAlchemy URL (sqlite:///... or postgresql://...)"
    )
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-migrate", action="store_true", help="Skip the schema upgrade.")
    args = parser.parse_args()
    if not args.no_migrate:
        upgrade(args.db)
    engine = make_engine(args.db)
    started = time.perf_counter()

    def progress(done: int) -> None:
        elapsed = time.perf_counter() - started
        print(f"{done:>10,} articles  {elapsed:7.1f} s  {done / elapsed:7.0f}/s", flush=True)

    try:
        stats = seed(engine, args.articles, batch=args.batch, seed=args.seed, progress=progress)
    finally:
        engine.dispose()
    print(stats)
    print(f"{stats.articles_per_second:.0f} articles/s")


if __name__ == "__main__":
    main()
