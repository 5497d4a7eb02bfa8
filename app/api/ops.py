"""Unversioned operations endpoints: liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from app.api.deps import DatabaseDep
from app.core.migrate import head_revisions, reachable_revisions

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
def ready(database: DatabaseDep) -> Readiness | JSONResponse:
    """200 when the database answers and its schema is at the latest migration, else 503."""
    heads = sorted(head_revisions())
    current = reachable_revisions(database.engine)
    if current is None:
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
