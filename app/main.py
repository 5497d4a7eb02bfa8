"""Application factory: lifespan, middleware, error handlers, the /v1 and ops routers."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.types import ASGIApp

from app import projections
from app.api import ops
from app.api.auth import SECURITY, SECURITY_SCHEMES
from app.api.body import EXTRA_SCHEMAS
from app.api.consistency import ReadYourWritesMiddleware
from app.api.docs import install_docs
from app.api.state import AppState, install_state
from app.api.v1 import router as v1_router
from app.core import lifecycle, metrics
from app.core.asgi import HttpConfig, HttpLayer
from app.core.config import Settings, get_settings
from app.core.db import Database
from app.core.errors import install_error_handlers
from app.core.logging import configure_logging
from app.core.ratelimit import RateLimiter
from app.services.extraction import warm_up_extraction
from app.web import mount_web

DESCRIPTION = """
News articles about wars and crises, the **quotes** in them (who said what, in what role)
and the **statistics** they report (killed, injured, displaced...), as versioned JSON.

* Every list is cursor-paginated: `{"data": [...], "next_cursor": ...}` plus a `Link` header.
* Every quote and statistic has `start`/`end` offsets with `body[start:end] == text`.
* Errors are RFC 9457 `application/problem+json`.
"""

OPENAPI_TAGS = [
    {"name": name, "description": description}
    for name, description in {
        "articles": "News items with their quotes and figures.",
        "quotes": "Who said what, in which article.",
        "statistics": "Figures reported in articles.",
        "estimates": "Figures reported many times, reconciled into one.",
        "speakers": "People and bodies quoted across articles.",
        "sources": "Publishers.",
        "locations": "Places mentioned.",
        "extract": "Extraction dry run: text in, structure out.",
        "changes": "The change feed, for staying in sync.",
        "webhooks": "Changes pushed as signed POSTs (admin scope).",
        "operations": "Liveness and readiness.",
        "keys": "API keys and their audit trail (admin scope).",
    }.items()
]


class ConflictNewsAPI(FastAPI):
    """FastAPI with the request layer (app/core/asgi.py) outside everything else, so even
    the 500s of Starlette's error middleware and FastAPI's own 413 pass through it."""

    http_config = HttpConfig()

    def build_middleware_stack(self) -> ASGIApp:
        return HttpLayer(super().build_middleware_stack(), self.http_config)


def _rate_limiter(settings: Settings) -> RateLimiter | None:
    if not settings.rate_limits_enabled:
        return None
    return RateLimiter(
        settings.redis_url or "memory://",
        {
            "anonymous": settings.rate_limit_anonymous,
            "read": settings.rate_limit_read,
            "write": settings.rate_limit_write,
        },
    )


def _install_middleware(app: ConflictNewsAPI, settings: Settings) -> None:
    app.http_config = HttpConfig(
        cache_control="public, no-cache" if settings.public_reads else "private, no-cache",
        max_body_bytes=settings.max_body_bytes,
        cors_origins=tuple(settings.cors_origins),
        public_reads=settings.public_reads,
    )
    if settings.read_urls:  # replicas: which reads stay on the primary (app/api/consistency.py)
        app.add_middleware(
            ReadYourWritesMiddleware, window_seconds=settings.read_your_writes_seconds
        )


def _install_openapi(app: FastAPI) -> None:
    """The document with the extra schemas, the security schemes and /v1 security."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
            tags=app.openapi_tags,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in EXTRA_SCHEMAS:
            doc = model.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, sub in doc.pop("$defs", {}).items():
                components.setdefault(name, sub)
            components.setdefault(model.__name__, doc)
        schema["components"]["securitySchemes"] = SECURITY_SCHEMES
        for path, operations in schema["paths"].items():
            if path.startswith("/v1/"):
                for operation in operations.values():
                    operation["security"] = SECURITY
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    # The read model and the rollup follow every write through session events (idempotent);
    # without them a served process leaves documents stale when a source or speaker changes.
    projections.register()

    state = AppState(settings=settings, rate_limiter=_rate_limiter(settings), database=database)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = database is None
        opened = state.database = database or Database.from_settings(settings)
        await opened.start()
        metrics.instrument_database(opened)
        restore_signals = lifecycle.watch_termination()  # SIGTERM: long jobs wind down
        if owned:
            warm_up_extraction()
            # What startup built (schemas, the gazetteer, SQLAlchemy metadata) lives as long
            # as the process: out of the collector's sight, full collections stay short, and
            # so do the latency spikes they cause.
            gc.collect()
            gc.freeze()
        try:
            yield
        finally:
            restore_signals()
            await opened.close()
            if owned:
                opened.dispose()

    app = ConflictNewsAPI(
        title="Conflict News API",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        max_body_size=settings.max_body_bytes,
        # Operation ids are the route functions' names: list_articles, get_article...
        generate_unique_id_function=lambda route: route.name,
        swagger_ui_parameters={"validatorUrl": None, "tryItOutEnabled": True},
        openapi_tags=OPENAPI_TAGS,
    )
    install_state(app, state)
    install_error_handlers(app)
    install_docs(app)
    app.include_router(ops.router)
    app.include_router(v1_router)

    _install_middleware(app, settings)

    _install_openapi(app)
    configure_logging(settings.log_level, json=settings.log_json)
    mount_web(app)
    return app
