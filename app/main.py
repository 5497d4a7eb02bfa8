"""Application factory: lifespan, middleware, error handlers, the /v1 and ops routers."""

from __future__ import annotations

import gc
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import projections
from app.api import ops
from app.api.auth import SECURITY, SECURITY_SCHEMES
from app.api.body import EXTRA_SCHEMAS
from app.api.consistency import ReadYourWritesMiddleware
from app.api.docs import install_docs
from app.api.state import AppState, install_state
from app.api.v1 import router as v1_router
from app.core import lifecycle
from app.core.config import Settings, get_settings
from app.core.db import Database
from app.core.errors import PROBLEM_MEDIA_TYPE, PayloadTooLarge, install_error_handlers
from app.core.http_cache import ConditionalGetMiddleware
from app.core.logging import AccessLogMiddleware, configure_logging
from app.core.ratelimit import RateLimiter, RateLimitHeadersMiddleware
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
    {"name": "articles", "description": "News items with their quotes and figures."},
    {"name": "quotes", "description": "Who said what, in which article."},
    {"name": "statistics", "description": "Figures reported in articles."},
    {"name": "speakers", "description": "People and bodies quoted across articles."},
    {"name": "sources", "description": "Publishers."},
    {"name": "locations", "description": "Places mentioned."},
    {"name": "extract", "description": "Extraction dry run: text in, structure out."},
    {"name": "changes", "description": "The change feed, for staying in sync."},
    {"name": "operations", "description": "Liveness and readiness."},
]

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class ConflictNewsAPI(FastAPI):
    """FastAPI whose body-size limit answers in problem+json like every other error.

    FastAPI's `max_body_size` sits outside the exception handlers and answers 413 in plain
    text, so the outermost layer rewrites exactly that response."""

    def build_middleware_stack(self) -> ASGIApp:
        return BodyLimitProblemMiddleware(super().build_middleware_stack(), self.max_body_size)


class BodyLimitProblemMiddleware:
    def __init__(self, app: ASGIApp, limit: int | None) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rewriting = False

        async def send_wrapper(message: Message) -> None:
            nonlocal rewriting
            if message["type"] == "http.response.start" and message["status"] == 413:
                ctype = dict(message.get("headers", [])).get(b"content-type", b"")
                rewriting = ctype.startswith(b"text/plain")
            if not rewriting:
                await send(message)
                return
            if message["type"] == "http.response.body" and not message.get("more_body"):
                error = PayloadTooLarge(
                    f"The request body exceeds the limit of {self.limit} bytes."
                )
                body = json.dumps(error.problem(scope["path"])).encode()
                await send(
                    {
                        "type": "http.response.start",
                        "status": error.status,
                        "headers": [
                            (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                            (b"content-length", str(len(body)).encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, send_wrapper)


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


def _install_middleware(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(
        ConditionalGetMiddleware,
        cache_control="public, no-cache" if settings.public_reads else "private, no-cache",
    )
    app.add_middleware(RateLimitHeadersMiddleware)
    if settings.read_urls:  # replicas: which reads stay on the primary (app/api/consistency.py)
        app.add_middleware(
            ReadYourWritesMiddleware, window_seconds=settings.read_your_writes_seconds
        )
    app.add_middleware(AccessLogMiddleware)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-Match",
                "If-None-Match",
                "X-Request-ID",
            ],
            expose_headers=[
                "ETag",
                "Link",
                "Location",
                "X-Request-ID",
                "Retry-After",
                "RateLimit",
                "RateLimit-Policy",
                "X-Extracted",
                "Deprecation",
                "Sunset",
            ],
        )
    app.add_middleware(
        CorrelationIdMiddleware,
        header_name="X-Request-ID",
        validator=lambda value: bool(_REQUEST_ID.match(value)),
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
