"""`conflict-news`: serve, migrate, load demo data."""

from __future__ import annotations

import contextlib
import importlib
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
import uvicorn
from rich.console import Console
from sqlalchemy.orm import Session

from app import projections, reconciliation
from app.core import migrate
from app.core.config import get_settings
from app.core.db import Database, make_engine

cli = typer.Typer(help="Conflict News API command line.", no_args_is_help=True)
db_cli = typer.Typer(help="Database migrations (Alembic), backups.", no_args_is_help=True)
demo_cli = typer.Typer(help="Demo data.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
keys_cli = typer.Typer(help="API keys.", no_args_is_help=True)
bench_cli = typer.Typer(help="Benchmark helpers.", no_args_is_help=True)
cli.add_typer(bench_cli, name="bench")
cli.add_typer(demo_cli, name="demo")
cli.add_typer(keys_cli, name="keys")

console = Console(stderr=True)


def _database() -> Database:
    """The database of DATABASE_URL, with the projections' ORM events registered: every
    command that writes goes through here."""
    projections.register()
    reconciliation.register()
    settings = get_settings()
    return Database(make_engine(settings.database_url))


def _load_demo() -> None:
    from app.services.demo import load_demo

    database = _database()
    try:
        with database.session(write=True) as session, session.begin():
            result = load_demo(session)
    finally:
        database.dispose()
    console.print(
        f"demo data: {result.created} article(s) created, {result.existing} already present"
    )


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    demo: Annotated[bool, typer.Option("--demo", help="Load the demo articles first.")] = False,
    migrate_first: Annotated[
        bool, typer.Option("--migrate/--no-migrate", help="Upgrade the schema to head first.")
    ] = True,
) -> None:
    """Start the API (migrating the database in DATABASE_URL to head first)."""
    settings = get_settings()
    if migrate_first:
        migrate.upgrade(settings.database_url)
    if demo:
        _load_demo()
    console.print(f"serving on http://{host}:{port}  (docs: http://{host}:{port}/docs)")
    stop_sender = _start_webhook_sender() if settings.webhook_sender else None
    try:
        _run_server(host, port, workers, settings.shutdown_grace_seconds)
    finally:
        if stop_sender is not None:
            stop_sender.set()


def _run_server(host: str, port: int, workers: int, grace_seconds: float) -> None:
    with _metrics_dir(workers):
        uvicorn.run(
            "app.main:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_config=None,
            access_log=False,
            proxy_headers=True,
            # SIGTERM: requests in flight get this long to finish (app/core/lifecycle.py).
            timeout_graceful_shutdown=max(1, round(grace_seconds)),
        )


@contextlib.contextmanager
def _metrics_dir(workers: int) -> Iterator[None]:
    """Several workers share their metrics through files (app/core/metrics.py): a fresh
    folder per run, set before the workers start, removed after. One that the operator set
    in PROMETHEUS_MULTIPROC_DIR is used as it is."""
    if workers < 2 or os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        yield
        return
    folder = tempfile.mkdtemp(prefix="conflict-news-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
    try:
        yield
    finally:
        os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
        shutil.rmtree(folder, ignore_errors=True)


def _start_webhook_sender() -> threading.Event:
    """The embedded webhook sender: threads of this process (the one that supervises the
    workers), stopped when the server stops. Production runs `conflict-news worker`."""
    from app.services.webhook_sender import start_threads

    stop = threading.Event()
    start_threads(_database(), get_settings(), stop)
    return stop


@db_cli.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Upgrade the schema (default: to head)."""
    migrate.upgrade(get_settings().database_url, revision)


@db_cli.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument()] = "-1") -> None:
    """Downgrade the schema (default: one step)."""
    migrate.downgrade(get_settings().database_url, revision)


@db_cli.command("current")
def db_current() -> None:
    """Print the schema's current revision and the head."""
    database = _database()
    try:
        current = sorted(migrate.current_revisions(database.engine)) or ["(empty)"]
    finally:
        database.dispose()
    typer.echo(f"current: {', '.join(current)}")
    typer.echo(f"head:    {', '.join(sorted(migrate.head_revisions()))}")


@db_cli.command("reindex")
def db_reindex(
    full_text: Annotated[bool, typer.Option(help="Rebuild the full-text indexes.")] = True,
    documents: Annotated[
        bool, typer.Option(help="Re-render the stored article documents and list items.")
    ] = True,
    rollup: Annotated[bool, typer.Option(help="Rebuild the daily figure rollup.")] = True,
) -> None:
    """Rebuild derived data: the full-text indexes (SQLite: needed after a VACUUM renumbers
    rowids), the stored article documents and list items (also after migration 0014, which
    adds the item tables empty) and the daily figure rollup (after bulk loads that bypass the
    app)."""
    from rich.progress import Progress

    from app.projections import read_model, rollups
    from app.repositories.documents import article_count
    from app.search.engine import rebuild_full_text

    migrate.upgrade(get_settings().database_url)
    database = _database()
    try:
        if full_text:
            with database.engine.begin() as conn:
                rebuild_full_text(conn)
            console.print("full-text indexes rebuilt")
        if documents:
            with database.engine.connect() as conn, Progress(console=console) as progress:
                total = article_count(conn)
                task = progress.add_task("documents", total=total)

                def step(done: int) -> None:
                    conn.commit()  # one transaction per chunk: a million rows stay small
                    progress.update(task, completed=done)

                done = read_model.rebuild(conn, progress=step)
                conn.commit()
            console.print(f"{done} article documents (and their list items) rendered")
        if rollup:
            with database.engine.begin() as conn:
                rows = rollups.rebuild(conn)
            console.print(f"{rows} rows of the daily figure rollup rebuilt")
    finally:
        database.dispose()


def _backup_step(what: str, path: Path, **options: bool) -> Any:
    """`backup.backup` or `backup.restore` on DATABASE_URL; a failure is a red line, exit 1."""
    from app.services import backup

    try:
        return getattr(backup, what)(get_settings().database_url, path, **options)
    except backup.BackupError as exc:
        console.print(f"[red]{what} failed[/red]: {exc}")
        raise typer.Exit(1) from exc


@db_cli.command("backup")
def db_backup(
    path: Annotated[Path, typer.Argument(help="File to write the backup to.")],
    overwrite: Annotated[bool, typer.Option(help="Replace an existing file at PATH.")] = False,
) -> None:
    """Back the database up while it serves: SQLite through its online backup API,
    PostgreSQL through pg_dump (custom format)."""
    done = _backup_step("backup", path, overwrite=overwrite)
    typer.echo(f"{done.engine} backup written to {done.path} ({done.size} bytes)")


@db_cli.command("restore")
def db_restore(
    path: Annotated[Path, typer.Argument(help="A file written by `db backup`.")],
    replace: Annotated[
        bool, typer.Option(help="Overwrite a database that already has tables.")
    ] = False,
) -> None:
    """Restore a backup into the database of DATABASE_URL (empty, unless --replace)."""
    done = _backup_step("restore", path, replace=replace)
    typer.echo(f"{done.engine} backup {done.path} restored")


@db_cli.command("revision")
def db_revision(
    message: Annotated[str, typer.Option("-m", "--message", help="What the migration does.")],
    autogenerate: Annotated[bool, typer.Option(help="Diff the models against the DB.")] = True,
) -> None:
    """Create a migration file in migrations/versions (autogenerated from the models)."""
    from alembic import command

    command.revision(
        migrate.alembic_config(get_settings().database_url),
        message=message,
        autogenerate=autogenerate,
    )


@demo_cli.command("load")
def demo_load() -> None:
    """Load the fictional demo articles (idempotent)."""
    migrate.upgrade(get_settings().database_url)
    _load_demo()


@cli.command()
def extract(
    source: Annotated[str, typer.Argument(help="A text or HTML file, or - for stdin.")],
) -> None:
    """Print what extraction finds in raw text, as JSON (stores nothing)."""
    import json
    import sys
    from pathlib import Path

    from app.core.errors import AppError
    from app.services.extraction import extraction_document, run_extract

    raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    try:
        doc = extraction_document(run_extract(raw.decode("utf-8")))
    except (UnicodeDecodeError, AppError) as exc:
        console.print(f"cannot extract: {exc}")
        raise typer.Exit(1) from exc
    typer.echo(json.dumps(doc, ensure_ascii=False, indent=2, default=str))


@cli.command()
def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders (.txt .html .json .ndjson).")
    ],
) -> None:
    """Store articles from files and folders, with a progress bar and a summary. Raw text is
    parsed and extracted; bad files are reported and skipped; re-running is safe."""
    from collections import Counter
    from contextlib import contextmanager

    from rich.progress import Progress

    from app.services import bulk, files

    settings = get_settings()
    migrate.upgrade(settings.database_url)
    database = _database()

    @contextmanager
    def line_session() -> Iterator[Session]:
        with database.session(write=True) as session, session.begin():
            yield session

    found = files.discover(paths)
    counts: Counter[str] = Counter()
    failures: list[str] = []
    try:
        with Progress(console=console) as progress:
            task = progress.add_task("ingesting", total=len(found))
            for path in found:
                try:
                    lines = list(files.lines_of(path))
                except (OSError, ValueError) as exc:
                    counts["failed"] += 1
                    failures.append(f"{path}: {exc}")
                    progress.advance(task)
                    continue
                for n, (label, line) in enumerate(lines, start=1):
                    result = bulk.import_line(line_session, n, line)
                    status = result["status"]
                    counts["failed" if status == "error" else status] += 1
                    if status == "error":
                        failures.append(
                            f"{label}: {result.get('detail')} {result.get('errors', '')}"
                        )
                progress.advance(task)
    finally:
        database.dispose()
    for failure in failures:
        console.print(f"[red]failed[/red] {failure}")
    typer.echo(
        f"{counts['created']} created, {counts['duplicate']} duplicate, {counts['failed']} failed"
    )
    if counts["failed"] and not counts["created"] and not counts["duplicate"]:
        raise typer.Exit(1)


@keys_cli.command("create")
def keys_create(
    name: Annotated[str, typer.Option(help="Who or what the key is for.")],
    scopes: Annotated[str, typer.Option(help="Comma-separated: read, write, admin.")] = "read",
) -> None:
    """Create a key. The key itself is printed once, as the last line; only its hash is kept."""
    from app.core.security import parse_scopes
    from app.services import api_keys as key_service

    try:
        parse_scopes(scopes)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--scopes") from exc
    migrate.upgrade(get_settings().database_url)
    database = _database()
    try:
        with database.session(write=True) as session, session.begin():
            key, new = key_service.create_key(session, name, scopes)
            console.print(f"created key {key.id} ({key.name}) with scopes {key.scopes}")
    finally:
        database.dispose()
    typer.echo(new.plaintext)


@keys_cli.command("list")
def keys_list() -> None:
    """List keys (never the keys themselves)."""
    from app.models.base import utcnow
    from app.services import api_keys as key_service

    database = _database()
    try:
        with database.session(write=False) as session:
            for key in key_service.list_keys(session):
                state = "revoked" if key.revoked_at else "active"
                if state == "active" and key.expires_at and key.expires_at <= utcnow():
                    state = "expired"  # rotated with a grace period that has run out
                used = key.last_used_at.isoformat() if key.last_used_at else "never"
                typer.echo(
                    f"{key.id}  cn_{key.prefix}_...  {key.scopes:<16} {state:<8} "
                    f"last used {used}  {key.name}"
                )
    finally:
        database.dispose()


@keys_cli.command("revoke")
def keys_revoke(key: Annotated[str, typer.Argument(help="Key id or its 8-hex prefix.")]) -> None:
    """Revoke a key; requests with it get 401 from then on."""
    from app.services import api_keys as key_service

    database = _database()
    try:
        with database.session(write=True) as session, session.begin():
            found = key_service.revoke_key(session, key)
    finally:
        database.dispose()
    if found is None:
        console.print(f"no key {key}")
        raise typer.Exit(1)
    console.print(f"revoked {found.id}")


@bench_cli.command("seed")
def bench_seed(
    articles: Annotated[int, typer.Option(min=1, help="How many synthetic articles to add.")],
    batch: Annotated[int, typer.Option(min=100, help="Rows per transaction.")] = 5000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same texts).")] = 1,
) -> None:
    """Add realistic synthetic articles (5 quotes and 5 figures each) to DATABASE_URL, fast,
    in batches: for benchmarks, never for production data."""
    from rich.progress import Progress

    write_synthetic = _bench_module("synthetic").seed
    migrate.upgrade(get_settings().database_url)
    database = _database()
    try:
        with Progress(console=console) as progress:
            task = progress.add_task("seeding", total=articles)
            stats = write_synthetic(
                database.engine,
                articles,
                batch=batch,
                seed=seed,
                progress=lambda done: progress.update(task, completed=done),
            )
    finally:
        database.dispose()
    typer.echo(
        f"{stats.articles} articles, {stats.quotes} quotes, {stats.statistics} statistics "
        f"in {stats.seconds:.1f} s ({stats.articles / max(stats.seconds, 1e-9):.0f} articles/s)"
    )


def _bench_module(name: str) -> Any:
    """A module of the source checkout's `bench/` (development tools, not shipped in the
    container), imported only when a bench command runs."""
    root = Path(__file__).resolve().parents[1]
    if not (root / "bench" / f"{name}.py").is_file():
        console.print("bench commands need a source checkout (bench/ is not installed)")
        raise typer.Exit(1)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    return importlib.import_module(f"bench.{name}")


@cli.command()
def worker(
    threads: Annotated[int, typer.Option(min=1, max=32, help="Sender threads.")] = 2,
) -> None:
    """Send webhook deliveries until SIGTERM/SIGINT. Run one or more (on any machine) beside
    `serve` started with WEBHOOK_SENDER=false; on PostgreSQL they share the work safely."""
    import signal

    from app.services.webhook_sender import start_threads

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    database = _database()
    console.print(f"webhook worker: {threads} sender thread(s)")
    try:
        for thread in start_threads(database, get_settings(), stop, threads):
            while thread.is_alive():
                thread.join(0.5)
    finally:
        database.dispose()


estimates_cli = typer.Typer(help="Estimates (figures reconciled across reports).")
cli.add_typer(estimates_cli, name="estimates")


@estimates_cli.command("rebuild")
def estimates_rebuild() -> None:
    """Resolve every figure's reference time and nature, then regroup every estimate (after
    the migration that adds them, or a load that bypassed the app). One transaction."""
    from app.reconciliation import projection

    migrate.upgrade(get_settings().database_url)
    database = _database()
    try:
        with database.engine.begin() as conn:
            count = projection.rebuild(
                conn, lambda done: console.print(f"{done} figure(s) resolved")
            )
    finally:
        database.dispose()
    console.print(f"estimates rebuilt: {count}")


def main() -> None:
    cli()


# `export <list>` and `sync URL` live in app/cli_transfer.py (this module stays short).
def _register_transfer() -> None:
    from app.cli_transfer import register

    register(cli)


_register_transfer()

from app.cli_partition import register as _register_partition  # noqa: E402

_register_partition(db_cli)
