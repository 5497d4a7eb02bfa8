"""A bulk batch written with Core inserts (services/article_batch.py) leaves exactly the rows
the same lines leave when written one by one through the ORM, as single POSTs write them:
every table (the read model's documents, the rollup, the estimates, the change log and the
webhook outbox included), compared with ids replaced by what they stand for."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from pydantic import TypeAdapter
from sqlalchemy import DateTime, Engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.core.errors import AppError, Conflict
from app.models import WebhookSubscription
from app.models.base import Base, UtcDateTime
from app.schemas.article import ArticleCreate, ArticleInput, RawArticleCreate
from app.services import article_batch, bulk
from app.services import articles as article_service
from tests.factories import article_payload

_adapter: TypeAdapter[ArticleCreate | RawArticleCreate] = TypeAdapter(ArticleInput)

RAW = (
    "Dam repairs halted after new strikes\n\n"
    "Repair crews left the reservoir site on Tuesday after two strikes hit nearby villages, "
    "officials said.\n\n"
    "\u201cWe cannot send people back until the shelling stops,\u201d said Olena Marchenko, "
    "the regional water official.\n\n"
    "At least 14 people were injured in Kherson, according to local authorities. "
    "Marchenko said more than 3,000 residents remained without running water."
)
RAW_LATER = (
    "Water trucks reach Kherson suburbs\n\n"
    "Volunteers drove 40 water trucks into the suburbs on Friday.\n\n"
    "\u201cThe queues were long but calm,\u201d said Marchenko, who oversees the effort. "
    "Nearly 200 families were evacuated from the riverside streets."
)


def _lines() -> list[bytes]:
    first = article_payload(url="https://batch.example/a")
    bad_span = article_payload(url="https://batch.example/bad")
    bad_span["quotes"][0]["start"] += 1
    bad_span["quotes"][0]["end"] += 1
    no_url = article_payload(url=None, title="No address", source="Night Desk")
    stray = article_payload(url="https://batch.example/c", source="Southern Ledger")
    stray["statistics"][0]["location"] = "Kherson"  # a place this article does not link
    payloads: list[dict[str, Any]] = [
        {"text": RAW},
        first,
        dict(first),  # the same URL again: a duplicate of line 2
        bad_span,
        no_url,
        dict(no_url),  # the same content without a URL: a duplicate of line 5
        {"text": RAW_LATER},
        stray,
        {"text": RAW},  # the same raw text again
    ]
    return [json.dumps(p).encode() for p in payloads]


@contextmanager
def _transaction(engine: Engine) -> Iterator[Session]:
    """A session whose commits release SAVEPOINTs of an outer transaction rolled back after."""
    conn = engine.connect()
    outer = conn.begin()
    session = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        session.add(WebhookSubscription(url="https://hooks.example/in", events=["*"], secret="s"))
        session.commit()
        yield session
    finally:
        session.close()
        outer.rollback()
        conn.close()


def _committing(session: Session) -> Callable[[], Any]:
    @contextmanager
    def sessions() -> Iterator[Session]:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise

    return sessions


def _one_by_one(session: Session, lines: list[bytes]) -> list[dict[str, Any]]:
    """Each line as a single POST stores it: the ORM path, a transaction each."""
    results = []
    for n, raw in enumerate(lines, 1):
        try:
            with session.begin_nested():
                doc = article_service.store(session, _adapter.validate_json(raw))
            session.commit()
            results.append({"line": n, "status": "created", "id": doc.id})
        except Conflict as exc:
            session.rollback()
            results.append({"line": n, "status": "duplicate", "id": exc.extra["existing_id"]})
        except AppError as exc:
            session.rollback()
            errors = {"errors": exc.errors} if exc.errors else {}
            results.append({"line": n, "status": "error", "detail": exc.detail, **errors})
    return results


_ID = re.compile(r"\b[a-z]{3}_([0-9a-f]{32})\b")
_TIME = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)?")
_OWNERS = {  # what a row's id stands for, the same whichever way it was written
    "article": "content_hash",
    "source": "name_key",
    "speaker": "name_key",
    "location": "location_key",
    "webhook_subscription": "url",
}


def _names(session: Session) -> dict[str, str]:
    """Each id's hex part -> a name for its row that does not depend on the id."""
    names: dict[str, str] = {}
    for table, column in _OWNERS.items():
        for id_, key in session.execute(text(f"SELECT id, {column} FROM {table}")):
            names[id_.split("_", 1)[1]] = f"{table}:{key}"
    for table in ("quote", "statistic"):
        rows = session.execute(text(f"SELECT id, article_id, span_start FROM {table}"))
        for id_, article_id, start in rows:
            names[id_.split("_", 1)[1]] = f"{table}:{names[article_id.split('_', 1)[1]]}@{start}"
    return names


def _plain(value: Any, names: dict[str, str]) -> str:
    if isinstance(value, bytes | memoryview):
        value = bytes(value).decode()
    out = _ID.sub(lambda m: names.get(m.group(1), "<unknown id>"), str(value))
    return _TIME.sub("<time>", out)


def _snapshot(session: Session) -> dict[str, list[tuple[str, ...]]]:
    """Every table's rows, ids named, times and sequence numbers left out (the change log
    in its order, deliveries by the position of their change)."""
    names = _names(session)
    changes = [seq for (seq,) in session.execute(text("SELECT seq FROM change ORDER BY seq"))]
    position = {seq: i for i, seq in enumerate(changes)}
    out: dict[str, list[tuple[str, ...]]] = {}
    for table in Base.metadata.sorted_tables:
        shown = [
            c
            for c in table.columns
            if c.name not in ("seq", "etag", "created_at", "updated_at")
            and (c.name == "published_at" or not isinstance(c.type, DateTime | UtcDateTime))
        ]
        stmt = select(*shown)
        if "seq" in table.columns:
            stmt = stmt.order_by(table.c.seq)
        rows = [
            tuple(
                str(position[v]) if c.name == "change_seq" else _plain(v, names)
                for c, v in zip(shown, row, strict=True)
            )
            for row in session.execute(stmt)
        ]
        out[table.name] = rows if table.name == "change" else sorted(rows)
    return out


def _searchable(session: Session, word: str) -> int:
    """Quotes found by full text (FTS5 triggers / generated tsvector) for one word."""
    if session.get_bind().dialect.name == "sqlite":
        sql = "SELECT count(*) FROM quote_fts WHERE quote_fts MATCH :w"
    else:
        sql = "SELECT count(*) FROM quote WHERE search @@ plainto_tsquery('english', :w)"
    return int(session.execute(text(sql), {"w": word}).scalar_one())


def _named_results(results: list[dict[str, Any]], names: dict[str, str]) -> list[str]:
    return [_plain(json.dumps(r, sort_keys=True), names) for r in results]


def test_a_batch_leaves_the_rows_single_writes_leave(engine: Engine) -> None:
    lines = _lines()
    with _transaction(engine) as session:
        batched = bulk.import_batch(_committing(session), list(enumerate(lines, 1)))
        names = _names(session)
        by_batch = (
            _snapshot(session),
            _named_results(batched, names),
            _searchable(session, "shelling"),
        )
    with _transaction(engine) as session:
        single = _one_by_one(session, lines)
        names = _names(session)
        one_by_one = (
            _snapshot(session),
            _named_results(single, names),
            _searchable(session, "shelling"),
        )
    assert [r["status"] for r in batched] == [
        "created", "created", "duplicate", "error", "created", "duplicate", "created", "created",
        "duplicate",
    ]  # fmt: skip
    assert by_batch[1] == one_by_one[1]
    assert by_batch[2] == one_by_one[2] == 1
    for table, rows in one_by_one[0].items():
        assert by_batch[0][table] == rows, table
    assert by_batch[0]["article_document"], "documents were rendered"
    assert by_batch[0]["statistic_daily"], "the rollup was written"
    assert by_batch[0]["estimate"], "the estimates were grouped"
    assert by_batch[0]["webhook_delivery"], "deliveries were queued"
    assert by_batch[0]["speaker_alias"], "a surname joined the full name of an earlier line"


def test_a_database_error_stores_the_lines_one_by_one(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch the database refuses leaves nothing; its lines are then stored one by one
    with the same results."""
    lines = _lines()
    with _transaction(engine) as session:
        expected = [
            r["status"] for r in bulk.import_batch(_committing(session), list(enumerate(lines, 1)))
        ]

    def refuse(*_args: Any) -> None:
        raise DBAPIError("INSERT", {}, Exception("refused"))

    monkeypatch.setattr(article_batch.repo, "insert_all", refuse)
    with _transaction(engine) as session:
        results = bulk.import_batch(_committing(session), list(enumerate(lines, 1)))
        assert [r["status"] for r in results] == expected
        count = session.execute(text("SELECT count(*) FROM article")).scalar_one()
        assert count == expected.count("created")
