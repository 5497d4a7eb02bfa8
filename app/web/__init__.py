"""The web app: static files served by the API process itself.

`mount_web(app)` serves `index.html` at `/` and the app's assets (its own JavaScript modules,
CSS and the vendored libraries) under `/app/`. Everything else (`/v1`, `/docs`, `/redoc`,
`/openapi.json`, `/health`, `/ready`) is left to the routes already there: the app only adds
`/`, `/index.html` and the `/app` mount. The same `static/` folder works from any other host
as it is (the pages find the API through `?api=` or the `cn-api` meta tag; see index.html)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parent / "static"
INDEX = STATIC_DIR / "index.html"

# What the page may load: only this origin, except the API, which may live elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' http: https:; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'self'; form-action 'self'"
)


def _index() -> FileResponse:
    return FileResponse(
        INDEX,
        media_type="text/html; charset=utf-8",
        headers={
            "Cache-Control": "no-cache",
            "Content-Security-Policy": CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        },
    )


def mount_web(app: FastAPI) -> None:
    """Serve the web app at `/` without shadowing any API route."""
    app.add_api_route("/", _index, methods=["GET", "HEAD"], include_in_schema=False)
    app.add_api_route("/index.html", _index, methods=["GET", "HEAD"], include_in_schema=False)
    app.mount("/app", StaticFiles(directory=STATIC_DIR / "app"), name="web-assets")
