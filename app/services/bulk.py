"""Bulk NDJSON import: one article per line, each in its own transaction, one result per
line in order. A bad line never spoils the others; an acknowledged line is committed."""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, AsyncIterator, Callable
from contextlib import AbstractContextManager
from typing import Any

import anyio.to_thread
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from app.core import lifecycle, metrics
from app.core.errors import AppError, Conflict
from app.schemas.article import ARTICLE_FORMS, ArticleCreate, ArticleInput, RawArticleCreate
from app.services import articles as article_service
from app.services import ingest

MAX_LINES = 10_000
MAX_LINE_BYTES = 1_000_000

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


def import_line(sessions: LineSessions, line_no: int, raw: bytes) -> dict[str, Any]:
    """Validate and store one line in its own transaction; never raises for bad input."""
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
        with sessions() as session:
            if isinstance(payload, RawArticleCreate):
                article = ingest.create_from_text(session, payload)
            else:
                article = article_service.create_article(session, payload)
            article_id = article.id
    except Conflict as exc:
        return {"line": line_no, "status": "duplicate", "id": exc.extra.get("existing_id")}
    except AppError as exc:
        result: dict[str, Any] = {"line": line_no, "status": "error", "detail": exc.detail}
        if exc.errors:
            result["errors"] = exc.errors
        return result
    return {"line": line_no, "status": "created", "id": article_id}


def result_line(result: dict[str, Any]) -> bytes:
    metrics.bulk_line(result["status"])
    return json.dumps(result, ensure_ascii=False).encode() + b"\n"


async def import_stream(
    chunks: AsyncIterable[bytes], sessions: LineSessions
) -> AsyncIterator[bytes]:
    """The result lines of an NDJSON body, each yielded as soon as its line has committed
    (the line's work runs in a worker thread, off the event loop)."""
    line_no = 0
    async for line in split_lines(chunks):
        line_no += 1
        if line_no > MAX_LINES:
            yield result_line(
                {
                    "line": line_no,
                    "status": "error",
                    "detail": f"more than {MAX_LINES} lines; the rest was not read",
                }
            )
            return
        if isinstance(line, LineTooLong):
            yield result_line(
                {
                    "line": line_no,
                    "status": "error",
                    "detail": f"line longer than {MAX_LINE_BYTES} bytes",
                }
            )
            continue
        if not line.strip():
            continue
        if lifecycle.draining():  # shutting down: end on this line boundary
            yield result_line(_not_processed(line_no))
            return
        yield result_line(await anyio.to_thread.run_sync(import_line, sessions, line_no, line))


def _not_processed(line_no: int) -> dict[str, Any]:
    return {
        "line": line_no,
        "status": "not_processed",
        "detail": (
            f"the server is shutting down: line {line_no} and the lines after it were not "
            "read; send them again (every line above was stored as reported)"
        ),
    }
