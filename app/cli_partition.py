"""`conflict-news db partition`: the optional PostgreSQL time partitioning
(app/services/partitioning.py). Registered on the CLI by `app/cli.py` (`register(db_cli)`)."""

from __future__ import annotations

from typing import Annotated

import typer

from app.core.config import get_settings
from app.core.db import make_engine


def register(db_cli: typer.Typer) -> None:
    db_cli.command("partition")(db_partition)


def db_partition(
    months_ahead: Annotated[
        int, typer.Option(min=0, max=120, help="Monthly partitions to create ahead of today.")
    ] = 12,
) -> None:
    """PostgreSQL only: partition article, quote and statistic by month of `sort_at`, in one
    transaction (reads and writes wait meanwhile); run again to add the coming months. See
    docs/scaling.md for what changes and what it costs."""
    from app.services import partitioning

    engine = make_engine(get_settings().database_url)
    try:
        with engine.begin() as conn:
            outcomes = partitioning.partition(conn, months_ahead=months_ahead)
    except partitioning.PartitionError as exc:
        typer.echo(f"partition: {exc}", err=True)
        raise typer.Exit(1) from exc
    finally:
        engine.dispose()
    for o in outcomes:
        done = f"converted, {o.rows} rows copied" if o.converted else "already partitioned"
        typer.echo(f"{o.table}: {done}; {o.partitions} partitions ({o.seconds:.1f} s)")
