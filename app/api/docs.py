"""Offline Swagger UI and ReDoc: assets come from fastapi-offline's bundle, served by us."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

STATIC_URL = "/static-offline-docs"
_ASSETS = Path(fastapi_offline.__file__).parent / "static"

# The docs pages may load only this app's own assets: nothing leaves the machine.
DOCS_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; font-src 'self' data:; connect-src 'self'; "
    "worker-src 'self' blob:"
)


# The bundled ReDoc always draws its footer logo from cdn.redoc.ly; serve the bundle with
# that one URL pointing at an inline (empty) SVG instead, so the page never reaches out.
_REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
_INLINE_SVG = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"


@lru_cache(maxsize=1)
def _redoc_bundle() -> bytes:
    return (
        (_ASSETS / "redoc.standalone.js")
        .read_bytes()
        .replace(_REDOC_LOGO.encode(), _INLINE_SVG.encode())
    )


# The page's asset arguments and the files they name under STATIC_URL.
_SWAGGER_ASSETS = {
    "swagger_js_url": "swagger-ui-bundle.js",
    "swagger_css_url": "swagger-ui.css",
    "swagger_favicon_url": "favicon.png",
}
_REDOC_ASSETS = {"redoc_js_url": "redoc.standalone.js", "redoc_favicon_url": "favicon.png"}


def install_docs(app: FastAPI) -> None:
    @app.get(f"{STATIC_URL}/redoc.standalone.js", include_in_schema=False)
    async def redoc_bundle() -> Response:
        return Response(
            _redoc_bundle(),
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    # Registered after the route above: a mount catches every path under its prefix.
    app.mount(STATIC_URL, StaticFiles(directory=_ASSETS), name="static-offline-docs")
    openapi_url = app.openapi_url or "/openapi.json"

    def page(
        request: Request, render: Any, name: str, assets: dict[str, str], **options: Any
    ) -> HTMLResponse:
        """A docs page reading the spec and its `assets` (argument: file name) under the
        request's root path."""
        root = request.scope.get("root_path", "")
        urls = {arg: f"{root}{STATIC_URL}/{file}" for arg, file in assets.items()}
        html: HTMLResponse = render(
            openapi_url=f"{root}{openapi_url}", title=f"{app.title} - {name}", **urls, **options
        )
        html.headers["Content-Security-Policy"] = DOCS_CSP
        return html

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        options = {"swagger_ui_parameters": app.swagger_ui_parameters}
        return page(request, get_swagger_ui_html, "Swagger UI", _SWAGGER_ASSETS, **options)

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        return page(request, get_redoc_html, "ReDoc", _REDOC_ASSETS, with_google_fonts=False)
