"""`conflict-news db backup` / `db restore`, on every engine: a restore into a fresh database
has every table's row count and the same documents; a backup taken while a writer commits
is a consistent snapshot; refusals are clear."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.orm import Session

from app.core.db import make_engine
from app.core.migrate import upgrade
from app.models import Article
from app.schemas.article import ArticleCreate
from app.services import articles as article_service
from tests.dbutil import ENGINES, fresh_database
from tests.factories import article_payload
from tests.live import EXE, live_env

pytestmark = pytest.mark.slow


@pytest.fixture(params=ENGINES)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _add(engine: Engine, n: int, prefix: str) -> None:
    for i in range(n):
        with Session(engine.execution_options(sqlite_immediate=True)) as session:
            payload = ArticleCreate.model_validate(
                article_payload(url=f"https://backup.example/{prefix}/{i}")
            )
            article_service.store(session, payload)
            session.commit()


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            names = inspect(conn).get_table_names()
            counts = {
                name: int(conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one())
                for name in names
            }
            if "change" in counts:  # the feed also notes the directory rows writes create
                articles = text("SELECT count(*) FROM change WHERE resource = 'article'")
                counts["change.article"] = int(conn.execute(articles).scalar_one())
            return counts
    finally:
        engine.dispose()


def _documents(url: str, ids: list[str]) -> dict[str, Any]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT article_id, content, etag FROM article_document")
            ).all()
        return {r[0]: (bytes(r[1]), r[2]) for r in rows if r[0] in ids}
    finally:
        engine.dispose()


def _cli(args: list[str], url: str, cwd: Path, **env: str) -> Any:
    import subprocess

    return subprocess.run(
        [str(EXE), *args],
        cwd=cwd,
        env=live_env(url, **env),
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def source(kind: str, tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    with fresh_database(kind, tmp_path) as url:
        upgrade(url)
        engine = make_engine(url)
        try:
            yield url, engine
        finally:
            engine.dispose()


def test_restore_into_a_fresh_database_has_every_row(
    kind: str, source: tuple[str, Engine], tmp_path: Path
) -> None:
    url, engine = source
    _add(engine, 30, "round")
    backup_file = tmp_path / "backup.bin"
    done = _cli(["db", "backup", str(backup_file)], url, tmp_path)
    assert done.returncode == 0, done.stderr
    assert backup_file.stat().st_size > 0

    with fresh_database(kind, tmp_path) as target:
        done = _cli(["db", "restore", str(backup_file)], target, tmp_path)
        assert done.returncode == 0, done.stderr
        before, after = _counts(url), _counts(target)
        assert before == after
        assert before["article"] == 30
        assert before["quote"] == 30
        assert before["article_document"] == 30
        with engine.connect() as conn:
            ids = list(conn.execute(select(Article.id)).scalars())
        sample = random.Random(3).sample(ids, 8)
        originals = _documents(url, sample)
        assert len(originals) == 8
        assert _documents(target, sample) == originals
        # The restored database is at the schema head and serves: `db current` agrees.
        current = _cli(["db", "current"], target, tmp_path)
        lines = dict(line.split(":", 1) for line in current.stdout.splitlines())
        assert lines["current"].strip() == lines["head"].strip()


def test_backup_while_a_writer_commits_is_a_consistent_snapshot(
    kind: str, source: tuple[str, Engine], tmp_path: Path
) -> None:
    url, engine = source
    _add(engine, 40, "base")
    stop = threading.Event()
    written: list[int] = []
    failures: list[BaseException] = []

    def writer() -> None:
        i = 0
        try:
            while not stop.is_set():
                _add(engine, 1, f"live-{i}")
                i += 1
                written.append(i)
        except BaseException as exc:  # reported below: the writer must never fail
            failures.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5:  # the writer is committing
            threading.Event().wait(0.05)
        done = _cli(["db", "backup", str(tmp_path / "live.bin")], url, tmp_path)
        at_backup_end = len(written)
        while len(written) < at_backup_end + 5:  # ...and carries on afterwards
            threading.Event().wait(0.05)
    finally:
        stop.set()
        thread.join()
    assert done.returncode == 0, done.stderr
    assert not failures, failures

    with fresh_database(kind, tmp_path) as target:
        done = _cli(["db", "restore", str(tmp_path / "live.bin")], target, tmp_path)
        assert done.returncode == 0, done.stderr
        restored = _counts(target)
    final = _counts(url)
    # A snapshot between the writer's commits: some live articles, fewer than in the end,
    # and each one whole (its quote, figure and rendered document came with it).
    assert 45 <= restored["article"] < final["article"]
    assert restored["quote"] == restored["statistic"] == restored["article"]
    assert restored["article_document"] == restored["article"]
    assert restored["change.article"] == restored["article"]


def test_restore_refuses_a_database_with_tables(source: tuple[str, Engine], tmp_path: Path) -> None:
    url, engine = source
    _add(engine, 2, "refuse")
    backup_file = tmp_path / "b.bin"
    assert _cli(["db", "backup", str(backup_file)], url, tmp_path).returncode == 0
    again = _cli(["db", "backup", str(backup_file)], url, tmp_path)
    assert again.returncode == 1
    assert "exists" in again.stderr
    done = _cli(["db", "restore", str(backup_file)], url, tmp_path)
    assert done.returncode == 1
    assert "already has" in done.stderr
    assert "--replace" in done.stderr
    # With --replace it overwrites, and the data is what the backup held.
    _add(engine, 3, "after")
    done = _cli(["db", "restore", "--replace", str(backup_file)], url, tmp_path)
    assert done.returncode == 0, done.stderr
    assert _counts(url)["article"] == 2


def test_a_file_that_is_not_a_backup_is_refused(kind: str, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database\n")
    with fresh_database(kind, tmp_path) as target:
        done = _cli(["db", "restore", str(bogus)], target, tmp_path)
    assert done.returncode == 1
    assert "restore failed" in done.stderr
    assert "Traceback" not in done.stderr


def test_postgresql_without_pg_dump_says_what_is_missing(tmp_path: Path) -> None:
    if "postgresql" not in ENGINES:
        pytest.skip("set TEST_DATABASE_URL to test PostgreSQL backups")
    with fresh_database("postgresql", tmp_path) as url:
        done = _cli(["db", "backup", str(tmp_path / "x.dump")], url, tmp_path, PATH=str(tmp_path))
    assert done.returncode == 1
    assert "pg_dump was not found on PATH" in done.stderr
