"""Unversioned operations endpoints: liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.core.db import Database
from app.core.migrate import current_revisions, head_revisions

router = APIRouter(tags=["operations"])


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    database: str
    schema_revision: list[str]
    head_revision: list[str]


@router.get("/health", response_model=Health, summary="Liveness")
async def health() -> Health:
    """Answers 200 while the process lives. Touches nothing else."""
    return Health(status="ok")


@router.get(
    "/ready",
    response_model=Readiness,
    summary="Readiness",
    responses={503: {"model": Readiness, "description": "Database unreachable or not at head"}},
)
def ready(request: Request) -> Readiness | JSONResponse:
    """200 when the database answers and its schema is at the latest migration, else 503."""
    database: Database = request.app.state.database
    heads = sorted(head_revisions())
    try:
        with database.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        current = sorted(current_revisions(database.engine))
    except SQLAlchemyError:
        body = Readiness(
            status="unavailable", database="unreachable", schema_revision=[], head_revision=heads
        )
        return JSONResponse(body.model_dump(), status_code=503)
    ok = current == heads
    body = Readiness(
        status="ok" if ok else "migrations pending",
        database="ok",
        schema_revision=current,
        head_revision=heads,
    )
    return body if ok else JSONResponse(body.model_dump(), status_code=503)
