"""Backups of the whole database and their restore, while the service keeps serving.

* SQLite: the online backup API (`sqlite3.Connection.backup`), which copies a consistent
  snapshot page by page under a read transaction: in WAL mode writers carry on meanwhile,
  and the copy is a plain database file (`PATH`), checked with `PRAGMA quick_check`.
  Restoring copies it back through the same API into the database of `DATABASE_URL`.
* PostgreSQL: `pg_dump --format=custom` (one MVCC snapshot, writers carry on) and
  `pg_restore --single-transaction`, when those client tools are on `PATH`.

Restoring refuses a database that already has tables unless `replace=True`."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url

from app.core.db import normalise_url

SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Outcome:
    path: Path
    engine: str
    size: int


def backup(database_url: str, path: Path, *, overwrite: bool = False) -> Outcome:
    """Write a consistent copy of the database to `path`."""
    if path.exists() and not overwrite:
        raise BackupError(f"{path} exists; choose another path or pass --overwrite")
    path.parent.mkdir(parents=True, exist_ok=True)
    url = make_url(normalise_url(database_url))
    if url.get_backend_name() == "sqlite":
        _sqlite_backup(_sqlite_path(database_url), path)
        engine = "sqlite"
    else:
        _run(
            "pg_dump",
            ["--format=custom", "--no-owner", "--no-privileges", f"--file={path}"],
            database_url,
        )
        engine = "postgresql"
    return Outcome(path, engine, path.stat().st_size)


def restore(database_url: str, path: Path, *, replace: bool = False) -> Outcome:
    """Load the backup at `path` into the database of `database_url`."""
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    tables = existing_tables(database_url)
    if tables and not replace:
        raise BackupError(
            f"the target database already has {len(tables)} table(s); restore into an empty "
            "database, or pass --replace to overwrite it"
        )
    url = make_url(normalise_url(database_url))
    if url.get_backend_name() == "sqlite":
        _sqlite_restore(path, _sqlite_path(database_url))
        engine = "sqlite"
    else:
        options = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        if replace:
            options += ["--clean", "--if-exists"]
        _run("pg_restore", [*options, str(path)], database_url)
        engine = "postgresql"
    return Outcome(path, engine, path.stat().st_size)


def existing_tables(database_url: str) -> list[str]:
    engine = create_engine(normalise_url(database_url))
    try:
        with engine.connect() as conn:
            return list(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def _sqlite_path(database_url: str) -> Path:
    name = make_url(database_url).database
    if not name or name == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(name)


def _sqlite_backup(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"no SQLite database at {source}")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(partial)
    try:
        # pages=-1: the whole snapshot in one step, under one read transaction. (Stepping
        # restarts the copy whenever another connection writes, so under a steady writer it
        # might never finish.) Readers never block WAL writers.
        src.backup(dst, pages=-1)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        _check_sqlite(dst, partial)
    finally:
        dst.close()
        src.close()
    os.replace(partial, target)


def _sqlite_restore(backup_file: Path, target: Path) -> None:
    with backup_file.open("rb") as fh:
        if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(f"{backup_file} is not a SQLite backup")
    src = sqlite3.connect(f"file:{backup_file.as_posix()}?mode=ro", uri=True)
    try:
        _check_sqlite(src, backup_file)
        target.parent.mkdir(parents=True, exist_ok=True)
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode=WAL")  # as the app runs it
        finally:
            dst.close()
    finally:
        src.close()


def _check_sqlite(conn: sqlite3.Connection, path: Path) -> None:
    verdict = conn.execute("PRAGMA quick_check").fetchone()
    if verdict is None or verdict[0] != "ok":
        raise BackupError(f"{path} failed SQLite's quick_check: {verdict}")


def _run(tool: str, args: list[str], database_url: str) -> None:
    exe = shutil.which(tool)
    if exe is None:
        raise BackupError(
            f"{tool} was not found on PATH: PostgreSQL backups need the PostgreSQL client "
            "tools (e.g. the postgresql-client package), of the server's major version or newer"
        )
    url = make_url(database_url).set(drivername="postgresql")
    env = {**os.environ}
    if url.password:  # never on the command line, where `ps` would show it
        env["PGPASSWORD"] = str(url.password)
    conninfo = url.set(password=None).render_as_string(hide_password=False)
    done = subprocess.run(
        [exe, *args, f"--dbname={conninfo}"], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise BackupError(f"{tool} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
