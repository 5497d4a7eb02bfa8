"""Unversioned operations endpoints: liveness, readiness and metrics."""

from __future__ import annotations

import hmac
from typing import Literal

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from app.api.auth import presented_key
from app.api.deps import DatabaseDep, SettingsDep
from app.core import metrics
from app.core.errors import Unauthorized
from app.core.migrate import head_revisions, reachable_revisions
from app.services import metrics as metrics_service

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


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={
        200: {"content": {metrics.CONTENT_TYPE: {}}, "description": "The text format."},
        401: {"description": "METRICS_KEY is set and the request lacks it."},
    },
)
async def get_metrics(request: Request, database: DatabaseDep, settings: SettingsDep) -> Response:
    """Requests by route template, method and status; latency by route; requests in flight;
    database connections in use and statement time; extraction time per article; rate-limit
    rejections; bulk lines by outcome; the change feed's newest entry. All workers' samples
    in one view. Not rate-limited; when `METRICS_KEY` is set, send it as a bearer token."""
    if settings.metrics_key:
        presented = presented_key(request) or ""
        if not hmac.compare_digest(presented.encode(), settings.metrics_key.encode()):
            raise Unauthorized(
                "GET /metrics needs the METRICS_KEY as `Authorization: Bearer <key>`.",
                headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
            )
    return Response(await metrics_service.scrape(database), media_type=metrics.CONTENT_TYPE)
