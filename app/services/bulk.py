"""Bulk NDJSON import: one article per line, one result per line in order. Lines are stored
in batches, one transaction per batch and a SAVEPOINT per line: a bad line never spoils the
others, each article is stored whole or not at all, and a result is sent only once its line
has committed."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterable, AsyncIterator, Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
import structlog
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.core import lifecycle, metrics
from app.core.errors import AppError, BadRequest, Conflict, Unprocessable
from app.schemas.article import (
    ARTICLE_FORMS,
    ArticleCreate,
    ArticleInput,
    RawArticleCreate,
)
from app.schemas.places import PlaceIn
from app.services import article_batch, extraction
from app.services import articles as article_service
from app.services.directory import Known

log = structlog.get_logger(__name__)

MAX_LINES = 10_000
MAX_LINE_BYTES = 1_000_000
# Lines stored in one transaction: enough to share its commit, its documents' rendering and
# its rollup rows; few enough that a shutdown's last batch ends well within its grace.
BATCH_LINES = 32

_line_adapter: TypeAdapter[ArticleCreate | RawArticleCreate] = TypeAdapter(ArticleInput)

LineSessions = Callable[[], AbstractContextManager[Session]]


class LineTooLong(Exception):
    pass


async def split_lines(chunks: AsyncIterable[bytes]) -> AsyncIterator[bytes | LineTooLong]:
    """NDJSON lines from a byte stream, holding at most one line in memory."""
    pending = bytearray()
    skipping = False
    async for chunk in chunks:
        start = 0
        while True:
            nl = chunk.find(b"\n", start)
            piece = chunk[start:] if nl < 0 else chunk[start:nl]
            if not skipping:
                pending += piece
                if len(pending) > MAX_LINE_BYTES:
                    skipping = True
                    pending.clear()
            if nl < 0:
                break
            yield LineTooLong() if skipping else bytes(pending)
            pending.clear()
            skipping = False
            start = nl + 1
    if skipping:
        yield LineTooLong()
    elif pending.strip():
        yield bytes(pending)


def _validation_errors(exc: ValidationError) -> list[dict[str, Any]]:
    """The errors of the form the line is meant in, `loc` without that form's tag."""
    return [
        {"loc": _form_loc(e["loc"]), "msg": e["msg"], "type": e["type"]}
        for e in exc.errors(include_url=False, include_context=False, include_input=False)
    ][:20]


def _form_loc(loc: tuple[int | str, ...]) -> list[int | str]:
    return list(loc[1:] if loc and loc[0] in ARTICLE_FORMS else loc)


@dataclass(frozen=True)
class _Ready:
    """A line validated (and, raw, extracted) outside any transaction, ready to store."""

    line: int
    article: ArticleCreate
    places: list[PlaceIn] | None


def _prepare(line_no: int, raw: bytes) -> _Ready | dict[str, Any]:
    """Validate a line and run its extraction (no database); the line's error result if it
    cannot be stored."""
    try:
        payload = _line_adapter.validate_json(raw)
    except ValidationError as exc:
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            return {"line": line_no, "status": "error", "detail": "not valid JSON"}
        return {
            "line": line_no,
            "status": "error",
            "detail": "validation failed",
            "errors": _validation_errors(exc),
        }
    try:
        if isinstance(payload, RawArticleCreate):
            parsed = extraction.parse_raw(payload)
            return _Ready(line_no, parsed.article, parsed.places)
        article, places = article_service.extracted(payload)
        return _Ready(line_no, article, places)
    except AppError as exc:
        return _error(line_no, exc)


def _error(line_no: int, exc: AppError) -> dict[str, Any]:
    result: dict[str, Any] = {"line": line_no, "status": "error", "detail": exc.detail}
    if exc.errors:
        result["errors"] = exc.errors
    return result


def _result(line_no: int, outcome: str | AppError) -> dict[str, Any]:
    """A stored line's result: its new article's id, or the error that refused it."""
    if isinstance(outcome, Conflict):
        return {"line": line_no, "status": "duplicate", "id": outcome.extra.get("existing_id")}
    if isinstance(outcome, AppError):
        return _error(line_no, outcome)
    return {"line": line_no, "status": "created", "id": outcome}


def _store(session: Session, ready: _Ready, known: Known) -> dict[str, Any]:
    """Store one prepared line in a SAVEPOINT of the batch's transaction: all of it or, on
    a duplicate or an invalid span, nothing of it."""
    outcome: str | AppError
    try:
        with session.begin_nested():
            outcome = article_service.create_article(
                session, ready.article, places=ready.places, known=known
            ).id
    except AppError as exc:
        outcome = exc
    return _result(ready.line, outcome)


def _store_batch(session: Session, ready: list[_Ready]) -> dict[int, dict[str, Any]]:
    """The lines' articles written together (`article_batch`); if the database refuses
    that (a concurrent writer's unique URL, a value a column cannot hold), nothing of it is
    kept and each line is stored in a SAVEPOINT of its own, as if sent alone."""
    known = article_service.look_up(session, [(r.article, r.places) for r in ready])
    try:
        outcomes = article_batch.write_batch(
            session, [(r.line, r.article, r.places) for r in ready], known
        )
    except SQLAlchemyError:
        log.info("bulk_batch_stored_line_by_line", lines=len(ready), exc_info=True)
        known.defer_inserts = False
        return {r.line: _store(session, r, known) for r in ready}
    return {line: _result(line, outcome) for line, outcome in outcomes.items()}


_Prepared = list[_Ready | dict[str, Any]]


def _prepare_all(items: Sequence[tuple[int, bytes] | dict[str, Any]]) -> _Prepared:
    """Each line validated and extracted (a ready-made result passes through)."""
    return [x if isinstance(x, dict) else _prepare(*x) for x in items]


def _store_all(sessions: LineSessions, prepared: _Prepared) -> list[dict[str, Any]]:
    """Store the prepared lines in one transaction, a SAVEPOINT per line; the results in
    line order. If the transaction fails as a whole (a database error, not a bad line),
    each line is stored again in a transaction of its own, as if sent alone."""
    ready = [p for p in prepared if isinstance(p, _Ready)]
    stored: dict[int, dict[str, Any]] = {}
    if ready:
        try:
            with sessions() as session:
                stored = _store_batch(session, ready)
        except SQLAlchemyError:
            log.warning("bulk_batch_retried_line_by_line", lines=len(ready), exc_info=True)
            stored = {r.line: _store_alone(sessions, r) for r in ready}
    return [stored[p.line] if isinstance(p, _Ready) else p for p in prepared]


def import_batch(
    sessions: LineSessions, lines: Sequence[tuple[int, bytes]]
) -> list[dict[str, Any]]:
    """Validate, extract and store these lines: the writes in one transaction (a SAVEPOINT per
    line, so a bad line loses only itself), committed before the results are returned, in
    line order. Extraction runs before the transaction opens, so no lock is held meanwhile."""
    return _store_all(sessions, _prepare_all(lines))


def _store_alone(sessions: LineSessions, ready: _Ready) -> dict[str, Any]:
    """One line in a transaction of its own. A database error (a value a derived table
    cannot hold, a lost connection) is that line's error result: nothing of it was kept."""
    try:
        with sessions() as session:
            return _store(session, ready, Known())
    except SQLAlchemyError:
        log.exception("bulk_line_not_stored", line=ready.line)
        return {
            "line": ready.line,
            "status": "error",
            "detail": "the database could not store this article; nothing of it was kept",
        }


def import_line(sessions: LineSessions, line_no: int, raw: bytes) -> dict[str, Any]:
    """Validate and store one line in its own transaction; never raises for bad input."""
    return import_batch(sessions, [(line_no, raw)])[0]


def result_line(result: dict[str, Any]) -> bytes:
    metrics.bulk_line(result["status"])
    return json.dumps(result, ensure_ascii=False).encode() + b"\n"


_END = None
_Item = tuple[int, bytes] | dict[str, Any] | BaseException | None


async def _numbered(chunks: AsyncIterable[bytes], queue: asyncio.Queue[_Item]) -> None:
    """Feed the queue: (line number, line) for each non-blank line, a ready-made result for
    a line that cannot be read, then `_END` (or the exception that ended the body)."""
    try:
        line_no = 0
        async for line in split_lines(chunks):
            line_no += 1
            if line_no > MAX_LINES:
                await queue.put(
                    {
                        "line": line_no,
                        "status": "error",
                        "detail": f"more than {MAX_LINES} lines; the rest was not read",
                    }
                )
                break
            if isinstance(line, LineTooLong):
                await queue.put(
                    {
                        "line": line_no,
                        "status": "error",
                        "detail": f"line longer than {MAX_LINE_BYTES} bytes",
                    }
                )
            elif line.strip():
                await queue.put((line_no, line))
    except Exception as exc:  # handed to the response, which raises it in order
        await queue.put(exc)
    else:
        await queue.put(_END)


def _line_of(item: tuple[int, bytes] | dict[str, Any]) -> int:
    return item[0] if isinstance(item, tuple) else int(item["line"])


@dataclass
class _Batch:
    """The lines already received (up to BATCH_LINES); whether the body ended after them,
    and how (an exception: the body could not be read further)."""

    items: list[tuple[int, bytes] | dict[str, Any]]
    ended: bool = False
    failed: BaseException | None = None


async def _next_batch(queue: asyncio.Queue[_Item]) -> _Batch:
    """The next batch, waiting for its first line only."""
    batch = _Batch([])
    item = await queue.get()
    while True:
        if item is _END or isinstance(item, BaseException):
            batch.ended = True
            batch.failed = item
            return batch
        batch.items.append(item)
        if len(batch.items) >= BATCH_LINES or queue.empty():
            return batch
        item = queue.get_nowait()


def _in_thread(fn: Callable[..., Any], *args: Any) -> asyncio.Future[Any]:
    task = asyncio.ensure_future(anyio.to_thread.run_sync(fn, *args))
    # Abandoned by a client that went away: its outcome is not wanted, and not an error.
    task.add_done_callback(lambda t: t.cancelled() or t.exception())
    return task


async def import_stream(
    chunks: AsyncIterable[bytes], sessions: LineSessions
) -> AsyncIterator[bytes]:
    """The result lines of an NDJSON body, in order. The body is read ahead while lines are
    stored: the lines already received (up to BATCH_LINES) are stored together in a worker
    thread, off the event loop, and their results yielded once they have committed. While
    one batch is written, the next one (if already received) is extracted in another thread.
    Lines still on their way are never waited for before results are sent, so a slow sender
    gets each result promptly."""
    queue: asyncio.Queue[_Item] = asyncio.Queue(maxsize=BATCH_LINES)
    reader = asyncio.ensure_future(_numbered(chunks, queue))
    writing: asyncio.Future[Any] | None = None
    next_line = 1
    try:
        batch = _Batch([])
        while not batch.ended:
            if writing is not None and queue.empty():  # nothing to extract meanwhile
                for result in await writing:
                    yield result_line(result)
                writing = None
            batch = await _next_batch(queue)
            if not batch.items:
                break
            preparing = _in_thread(_prepare_all, batch.items)
            if writing is not None:
                for result in await writing:
                    yield result_line(result)
                writing = None
            prepared = await preparing
            if lifecycle.draining():  # shutting down: end on this line boundary
                yield result_line(_not_processed(_line_of(batch.items[0])))
                return
            writing = _in_thread(_store_all, sessions, prepared)
            next_line = _line_of(batch.items[-1]) + 1
        if writing is not None:
            for result in await writing:
                yield result_line(result)
        if batch.failed is not None:
            if lifecycle.draining():  # the server stopped reading the body: say where
                yield result_line(_not_processed(next_line))
                return
            raise batch.failed
    finally:
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reader


def array_items(raw: bytes) -> list[bytes]:
    """The items of a JSON-array body, each as the JSON of one NDJSON line (so both forms
    are validated alike); a 400 for a body that is not JSON, a 422 for one not an array."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise BadRequest("The request body is not valid JSON.") from exc
    if not isinstance(data, list):
        raise Unprocessable(
            "Send a JSON array of articles.",
            errors=[{"loc": ["body"], "msg": "Input should be a valid array", "type": "list_type"}],
        )
    return [json.dumps(item).encode() for item in data]  # ASCII: lone surrogates survive


async def import_array(items: list[bytes], sessions: LineSessions) -> AsyncIterator[bytes]:
    """The results of a JSON-array body as one JSON array, each item's result sent once it
    has committed (`line` is the item's 1-based position)."""

    async def lines() -> AsyncIterator[bytes]:
        for item in items:
            yield item + b"\n"

    sep = b"[\n"
    async for result in import_stream(lines(), sessions):
        yield sep + result.rstrip(b"\n")
        sep = b",\n"
    yield b"[]\n" if sep == b"[\n" else b"\n]\n"


def _not_processed(line_no: int) -> dict[str, Any]:
    return {
        "line": line_no,
        "status": "not_processed",
        "detail": (
            f"the server is shutting down: line {line_no} and the lines after it were not "
            "read; send them again (every line above was stored as reported)"
        ),
    }
