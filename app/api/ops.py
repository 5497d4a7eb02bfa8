"""Unversioned operations endpoints: liveness and readiness."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from app.api.deps import DatabaseDep
from app.core.migrate import head_revisions, reachable_revisions

router = APIRouter(tags=["operations"])


class Health(BaseModel):
    status: str


class ReplicaState(BaseModel):
    name: str = Field(description="`replica-N`: the N-th URL of DATABASE_READ_URL.")
    state: Literal["ok", "down"]
    standby: bool | None = Field(default=None, description="In recovery (a streaming standby).")
    replay_age_seconds: float | None = Field(
        default=None, description="Time since the last replayed commit (PostgreSQL)."
    )
    detail: str | None = None


class Readiness(BaseModel):
    status: str
    database: str
    schema_revision: list[str]
    head_revision: list[str]
    replicas: list[ReplicaState] = Field(
        default_factory=list,
        description="Each read replica; reads of one that is down go to the primary.",
    )


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
    """200 when the database answers and its schema is at the latest migration, else 503.
    With read replicas, each one's state: a replica down leaves the service up (its reads
    go to the primary) and makes the status `degraded`."""
    heads = sorted(head_revisions())
    current = reachable_revisions(database.engine)
    if current is None:
        body = Readiness(
            status="unavailable", database="unreachable", schema_revision=[], head_revision=heads
        )
        return JSONResponse(body.model_dump(), status_code=503)
    ok = current == heads
    replicas = [ReplicaState.model_validate(r) for r in database.replica_states()]
    degraded = any(r.state != "ok" for r in replicas)
    body = Readiness(
        status=("degraded" if degraded else "ok") if ok else "migrations pending",
        database="ok",
        schema_revision=current,
        head_revision=heads,
        replicas=replicas,
    )
    return body if ok else JSONResponse(body.model_dump(), status_code=503)
