"""The web app's files and how they are served, without a browser."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

from fastapi.testclient import TestClient

from app.web import STATIC_DIR
from tests.web.conftest import Live

OWN = [
    p
    for p in STATIC_DIR.rglob("*")
    if p.suffix in {".js", ".css", ".html"} and "vendor" not in p.parts
]
# What the budget counts: the app's own JavaScript and CSS, each file gzip-compressed.
BUDGET_BYTES = 150 * 1024


def test_the_app_is_served_at_root_without_shadowing_the_api(anon: TestClient) -> None:
    root = anon.get("/")
    assert root.status_code == 200
    assert root.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in root.headers["content-security-policy"]
    assert anon.get("/app/js/main.js").headers["content-type"].startswith("text/javascript")
    assert anon.get("/app/app.css").status_code == 200
    assert anon.get("/app/vendor/world-atlas/land-110m.json").json()["type"] == "Topology"
    assert anon.get("/app/nope.js").status_code == 404
    # the API and its documents are untouched
    assert anon.get("/health").json()["status"] == "ok"
    assert anon.get("/v1/articles").json()["data"] is not None
    assert anon.get("/docs").status_code == 200
    assert anon.get("/redoc").status_code == 200
    spec = anon.get("/openapi.json").json()
    assert "/" not in spec["paths"]
    assert not any(p.startswith("/app") for p in spec["paths"])
    problem = anon.get("/v1/nothing-here")
    assert problem.status_code == 404
    assert problem.headers["content-type"].startswith("application/problem+json")


def test_every_asset_the_index_names_exists() -> None:
    index = (STATIC_DIR / "index.html").read_text()
    for ref in re.findall(r'(?:src|href)="(app/[^"]+)"', index):
        assert (STATIC_DIR / ref).is_file(), ref
    for js in (STATIC_DIR / "app" / "js").glob("*.js"):
        for ref in re.findall(r'from "(\.[^"]+)"', js.read_text()):
            assert (js.parent / ref).resolve().is_file(), (js.name, ref)


def test_nothing_is_loaded_from_another_host() -> None:
    """No CDN, no font service: the only absolute URL in the app's files is the SVG
    namespace, and the example in a comment."""
    allowed = {"http://www.w3.org/2000/svg", "https://host"}
    for path in [*OWN, *STATIC_DIR.rglob("vendor/**/*.js")]:
        for url in re.findall(r"https?://[^\s\"'`)<>]+", path.read_text()):
            assert url in allowed, (path, url)


def test_vendored_packages_keep_their_licences_and_versions() -> None:
    vendor = STATIC_DIR / "app" / "vendor"
    for name, version in [("topojson-client", "3.1.0"), ("world-atlas", "2.0.2")]:
        assert (vendor / name / "LICENSE").is_file()
        assert json.loads((vendor / name / "package.json").read_text())["version"] == version
        assert f"| `{name}` | {version} |" in (vendor / "README.md").read_text()


def test_own_javascript_and_css_fit_the_budget() -> None:
    total = sum(len(gzip.compress(p.read_bytes(), 9)) for p in OWN if p.suffix in {".js", ".css"})
    assert total <= BUDGET_BYTES, total


def test_package_data_ships_every_static_file() -> None:
    """pyproject's package-data globs (one per folder level) cover every file in static/."""
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    globs = re.findall(r'"(web/static[^"]*)"', pyproject)
    app_dir = STATIC_DIR.parent.parent
    for path in STATIC_DIR.rglob("*"):
        if path.is_file():
            rel = path.relative_to(app_dir)
            assert any(rel.match(g) for g in globs), rel


def test_a_live_server_serves_the_app(live: Live) -> None:
    from tests.live import call

    status, headers, body = call("GET", live.base + "/")
    assert status == 200
    assert b'<script type="module" src="app/js/main.js">' in body
    assert headers["content-type"].startswith("text/html")
