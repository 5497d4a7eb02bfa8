"""The AppError family and the RFC 9457 problem+json handlers."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import structlog
from asgi_correlation_id import correlation_id
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://conflict-news.example/problems/"

log = structlog.get_logger(__name__)


class AppError(Exception):
    """A domain error that becomes a problem+json response."""

    status: int = 400
    type: str = "bad-request"
    title: str = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra or {}

    def problem(self, instance: str) -> dict[str, Any]:
        """The problem+json body of this error."""
        body: dict[str, Any] = {
            "type": PROBLEM_BASE + self.type,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": instance,
        }
        if self.errors is not None:
            body["errors"] = self.errors
        body.update(self.extra)
        return body


class BadRequest(AppError):
    status, type, title = 400, "bad-request", "Bad request"


class InvalidCursor(AppError):
    status, type, title = 400, "invalid-cursor", "Invalid pagination cursor"


class Unauthorized(AppError):
    status, type, title = 401, "unauthorized", "Authentication required"


class Forbidden(AppError):
    status, type, title = 403, "forbidden", "Insufficient scope"


class NotFound(AppError):
    status, type, title = 404, "not-found", "Resource not found"


class Conflict(AppError):
    status, type, title = 409, "conflict", "Resource already exists"


class PreconditionFailed(AppError):
    status, type, title = 412, "precondition-failed", "Precondition failed"


class PayloadTooLarge(AppError):
    status, type, title = 413, "payload-too-large", "Request body too large"


class UnsupportedMediaType(AppError):
    status, type, title = 415, "unsupported-media-type", "Unsupported media type"


class Unprocessable(AppError):
    status, type, title = 422, "validation-error", "Request validation failed"


class RateLimited(AppError):
    status, type, title = 429, "rate-limited", "Too many requests"


class RemoteError(AppError):
    status, type, title = 502, "remote-error", "The remote instance could not be read"


class QueryTooExpensive(AppError):
    status, type, title = 503, "query-too-expensive", "Query too expensive"
    retry_after_seconds = 5

    @classmethod
    def after(cls, timeout_ms: int) -> QueryTooExpensive:
        """The problem of a read stopped by the read timeout, with what to do about it."""
        return cls(
            f"The query ran longer than the read timeout ({timeout_ms} ms) and was stopped. "
            "Narrow it: add a published_from/published_to range, a source, place or metric "
            "filter, use rarer or more specific search words (or a quoted phrase) instead of "
            "common ones, ask for fewer facets, or use a coarser series interval. "
            "A broad result can also be exported with format=ndjson, which has no timeout.",
            headers={"Retry-After": str(cls.retry_after_seconds)},
            extra={"timeout_ms": timeout_ms},
        )


def _instance(request: Request) -> str:
    rid = correlation_id.get()
    return f"{request.url.path}#request-{rid}" if rid else request.url.path


def problem_response(
    request: Request,
    status: int,
    *,
    type_: str,
    title: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": type_ if type_ == "about:blank" else PROBLEM_BASE + type_,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": _instance(request),
    }
    if errors is not None:
        body["errors"] = errors
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _jsonable_loc(loc: Any) -> list[str | int]:
    return [part if isinstance(part, int) else str(part) for part in loc]


def validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        out.append(
            {
                "loc": _jsonable_loc(err.get("loc", ())),
                "msg": str(err.get("msg", "")),
                "type": str(err.get("type", "")),
            }
        )
    return out


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return JSONResponse(
        exc.problem(_instance(request)),
        status_code=exc.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=exc.headers,
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = validation_errors(exc)
    malformed = any(e["type"] == "json_invalid" for e in errors)
    if malformed:
        return problem_response(
            request,
            400,
            type_="malformed-json",
            title="Malformed JSON",
            detail="The request body is not valid JSON.",
            errors=errors,
        )
    return problem_response(
        request,
        422,
        type_="validation-error",
        title="Request validation failed",
        detail=f"{len(errors)} field(s) failed validation; see `errors`.",
        errors=errors,
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    detail = exc.detail if isinstance(exc.detail, str) else phrase
    if status == 404 and detail == "Not Found":
        detail = f"No route matches {request.method} {request.url.path}."
    elif status == 405:
        detail = f"{request.method} is not allowed on {request.url.path}."
    return problem_response(
        request,
        status,
        type_=phrase.lower().replace(" ", "-"),
        title=phrase,
        detail=detail,
        headers=dict(exc.headers or {}),
    )


async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled_exception", exc_info=exc, path=request.url.path)
    return problem_response(
        request,
        500,
        type_="internal-error",
        title="Internal server error",
        detail="An unexpected error occurred. Quote the request id when reporting it.",
    )


async def _stale(request: Request, exc: Exception) -> JSONResponse:
    return problem_response(
        request,
        412,
        type_="precondition-failed",
        title="Precondition failed",
        detail="The resource was changed by another request meanwhile; read it again and retry.",
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(StaleDataError, _stale)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unhandled)
