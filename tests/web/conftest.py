"""Fixtures for the web app: a real server with demo data plus one article created from raw
text, and the system's Chromium driven by Playwright with every non-loopback request
aborted and counted as a failure.

The browser tests skip, saying why, where no Chromium is installed (CI installs Debian's
package and fails if they were skipped). Screenshots go to $WEB_SCREENSHOTS_DIR, or to a
`screenshots` folder under pytest's temporary directory."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.live import CHROMIUM, CHROMIUM_ARGS, call, cli, free_port, live_env, serve

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}

RAW_ARTICLE = """Pumping station near Kherson hit again as river districts empty
Harbour Courier
3 Min Read

KHERSON, Oct 12 (Harbour Courier) - Artillery fire struck a water pumping station on the edge \
of Kherson early on Saturday, the second strike on the site in a week, regional officials said.

"We have counted at least 14 people injured since the morning, and the water is still rising \
in the lower streets," said Oksana Petrenko, a regional emergency coordinator. "Our crews \
cannot reach the station while the shelling goes on."

Officials said more than 3,000 residents had left the riverside districts since Thursday, \
most of them for shelters in the city centre. Petrenko said repairs would take at least two \
weeks once the area was safe.

Dmytro Levchuk, a volunteer driver, told reporters that buses were running every hour from \
the embankment. "People bring only one bag each," he said.

Share this Post
Leave a Comment
"""


def browser_missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    return None


@dataclass
class Live:
    base: str
    key: str
    raw_id: str
    workdir: Path
    # a second loopback origin the API allows (CORS), for serving the static files elsewhere
    other_port: int

    def api(self, path: str, **params: Any) -> Any:
        from urllib.parse import urlencode

        query = urlencode({k: v for k, v in params.items() if v is not None})
        status, _, body = call("GET", f"{self.base}{path}{'?' + query if query else ''}")
        assert status == 200, (path, status, body[:500])
        return json.loads(body)


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    workdir = tmp_path_factory.mktemp("web-serve")
    other_port = free_port()
    env = live_env(
        f"sqlite:///{(workdir / 'web.db').as_posix()}",
        # the suite opens many pages in a minute; 429 handling has its own test
        RATE_LIMIT_ANONYMOUS="100000/minute",
        RATE_LIMIT_WRITE="100000/minute",
        CORS_ORIGINS=json.dumps([f"http://127.0.0.1:{other_port}"]),
    )
    cli(["db", "upgrade"], env, workdir)
    cli(["demo", "load"], env, workdir)
    key = cli(["keys", "create", "--name", "web tests", "--scopes", "read,write"], env, workdir)
    key = key.strip().splitlines()[-1]
    with serve(env, workdir) as base:
        auth = {"Authorization": f"Bearer {key}"}
        status, _, body = call("POST", base + "/v1/articles", {"text": RAW_ARTICLE}, auth)
        assert status == 201, body[:1000]
        raw_id = json.loads(body)["id"]
        # Enough small articles that the search needs a second page (next_cursor).
        for n in range(12):
            text = f"Aid convoy {n} reaches Zaporizhzhia depot"
            status, _, body = call(
                "POST",
                base + "/v1/articles",
                {
                    "title": text,
                    "body": f"{text}. Drivers unloaded blankets and water filters at dawn.",
                    "source": "Depot Bulletin",
                    "published_at": f"2026-08-{n + 1:02d}T07:00:00Z",
                    "extract": False,
                },
                auth,
            )
            assert status == 201, body[:1000]
        yield Live(base=base, key=key, raw_id=raw_id, workdir=workdir, other_port=other_port)


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = os.environ.get("WEB_SCREENSHOTS_DIR")
    path = Path(target) if target else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass
class Watch:
    """What a page did wrong: console errors, uncaught exceptions, failed or off-machine
    requests, HTTP errors."""

    errors: list[str] = field(default_factory=list)
    allowed_status: set[int] = field(default_factory=set)

    def check(self) -> None:
        assert not self.errors, "\n".join(self.errors)


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    reason = browser_missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=DESKTOP,
            service_workers="block",
        )
        try:
            yield context
        finally:
            context.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def page(browser_context: Any, watch: Watch) -> Iterator[Any]:
    pg = browser_context.new_page()

    def guard(route: Any) -> None:
        host = urlsplit(route.request.url).hostname or ""
        scheme = urlsplit(route.request.url).scheme
        if scheme in ("data", "blob") or host in LOOPBACK:
            route.fallback()
        else:
            watch.errors.append(f"off-machine request aborted: {route.request.url}")
            route.abort()

    pg.route("**/*", guard)
    pg.on(
        "console",
        lambda m: (
            watch.errors.append(f"console {m.type}: {m.text}")
            if m.type == "error" and not _allowed(m.text, watch)
            else None
        ),
    )
    pg.on("pageerror", lambda e: watch.errors.append(f"page error: {e}"))
    # ERR_ABORTED is the app cancelling its own fetch (a newer view or point replaced it);
    # requests the guard aborted are already counted above.
    pg.on(
        "requestfailed",
        lambda r: (
            watch.errors.append(f"request failed: {r.url} {r.failure}")
            if r.failure != "net::ERR_ABORTED"
            else None
        ),
    )
    pg.on(
        "response",
        lambda r: (
            watch.errors.append(f"HTTP {r.status}: {r.url}")
            if r.status >= 400 and r.status not in watch.allowed_status
            else None
        ),
    )
    try:
        yield pg
    finally:
        pg.close()


def _allowed(text: str, watch: Watch) -> bool:
    # Chromium logs every non-2xx response as a console error; expected ones are allowed.
    return any(f"status of {s}" in text for s in watch.allowed_status)


def open_view(page: Any, base: str, hash_: str) -> Any:
    """Load the app fresh at this hash and wait until the view is no longer loading."""
    page.goto("about:blank")
    page.goto(f"{base}/{hash_}")
    page.wait_for_selector("main[data-state]:not([data-state='loading'])", timeout=20000)
    return page
