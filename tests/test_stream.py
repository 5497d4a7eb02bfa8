"""GET /v1/changes/stream: the change feed as server-sent events. Against a real server with
two workers, on every engine: a client dropped again and again while several writers write
resumes with Last-Event-ID and ends with exactly the feed (no gap, no duplicate), heartbeats
while idle; in-process: bad cursors are problems, and a client that goes ends its stream."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.core.config import Settings
from app.core.db import Database
from app.main import create_app
from app.services import stream as stream_service
from tests.api.problems import assert_problem
from tests.dbutil import ENGINES, fresh_database, make_settings
from tests.factories import article_payload
from tests.live import call, cli, live_env, serve


@dataclass
class Event:
    id: str | None
    event: str | None
    data: str


def read_events(resp: Any, want: int, *, heartbeat: bool = False) -> tuple[list[Event], list[str]]:
    """Parse SSE lines until `want` events (or, with `heartbeat`, a heartbeat comment)."""
    events: list[Event] = []
    comments: list[str] = []
    fields: dict[str, str] = {}
    for raw in resp:
        line = raw.decode().rstrip("\r\n")
        if line.startswith(":"):
            comments.append(line[1:].strip())
            if heartbeat and comments[-1] == "heartbeat":
                break
            continue
        if line:
            name, _, value = line.partition(":")
            fields[name] = value[1:] if value.startswith(" ") else value
            continue
        if "data" in fields:
            events.append(Event(fields.get("id"), fields.get("event"), fields["data"]))
            if len(events) == want:
                break
        fields = {}
    return events, comments


def _open(base: str, last_id: str | None) -> Any:
    # articles only: the directory rows their writes create are in the feed too, not counted here
    req = urllib.request.Request(base + "/v1/changes/stream?resource=article")
    if last_id:
        req.add_header("Last-Event-ID", last_id)
    resp = urllib.request.urlopen(req, timeout=30)
    assert resp.status == 200
    assert resp.headers["content-type"].startswith("text/event-stream")
    return resp


@pytest.fixture(params=ENGINES)
def live(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[dict[str, str], Path]]:
    from app.core.migrate import upgrade

    with fresh_database(request.param, tmp_path) as url:
        upgrade(url)
        yield (
            live_env(
                url,
                RATE_LIMITS_ENABLED="false",
                STREAM_POLL_SECONDS="0.2",
                STREAM_HEARTBEAT_SECONDS="0.5",
            ),
            tmp_path,
        )


@pytest.mark.slow
def test_dropped_clients_resume_with_no_gap_and_no_duplicate(
    live: tuple[dict[str, str], Path],
) -> None:
    env, cwd = live
    key = cli(["keys", "create", "--name", "w", "--scopes", "read,write"], env, cwd)
    auth = {"Authorization": f"Bearer {key.strip().splitlines()[-1]}"}
    writers, per_writer = 3, 8

    def write(n: int) -> None:
        for i in range(per_writer):
            status, _, raw = call("POST", base + "/v1/articles", article_payload(), auth)
            assert status == 201
            if i % 3 == 0:
                art = json.loads(raw)["id"]
                patch = {"title": f"Corrected {n}-{i}"}
                assert call("PATCH", base + f"/v1/articles/{art}", patch, auth)[0] == 200

    with serve(env, cwd, workers=2) as base, ThreadPoolExecutor(writers) as pool:
        futures = [pool.submit(write, n) for n in range(writers)]
        expected = writers * per_writer + writers * 3  # creates + every third one patched
        seen: list[Event] = []
        last_id: str | None = None
        drops = 0
        while len(seen) < expected:
            resp = _open(base, last_id)
            got, _ = read_events(resp, min(5, expected - len(seen)))
            resp.close()  # drop, mid-stream, while the writers go on
            drops += 1
            seen += got
            last_id = got[-1].id if got else last_id
        for f in futures:
            f.result()
        feed = json.loads(call("GET", base + "/v1/changes?limit=1000&resource=article")[2])["data"]
        # Caught up and idle: heartbeats keep the stream open, and no extra event comes.
        resp = _open(base, last_id)
        extra, comments = read_events(resp, 1, heartbeat=True)
        resp.close()
        since = urllib.parse.quote(seen[9].id or "")
        after = json.loads(
            call("GET", base + f"/v1/changes?since={since}&limit=1000&resource=article")[2]
        )["data"]
    assert drops >= expected // 5
    assert len(feed) == expected
    assert [json.loads(e.data) for e in seen] == feed
    assert {e.event for e in seen} == {"change"}
    assert extra == []
    assert "heartbeat" in comments
    # An event id is a feed cursor: the feed after it starts with the next change.
    assert after == feed[10:]


def test_a_bad_cursor_is_a_problem_before_the_stream_starts(client: TestClient) -> None:
    assert_problem(client.get("/v1/changes/stream", headers={"Last-Event-ID": "42"}), 400)
    assert_problem(client.get("/v1/changes/stream", params={"since": "nope"}), 400)
    client.post("/v1/articles", json=article_payload())
    client.post("/v1/articles", json=article_payload())
    article_cursor = client.get("/v1/articles?limit=1").json()["next_cursor"]
    assert_problem(client.get("/v1/changes/stream", params={"since": article_cursor}), 400)
    assert_problem(client.get("/v1/changes/stream", params={"since": "x" * 201}), 422)


def test_a_client_that_goes_ends_its_stream(engine: Engine, settings: Settings) -> None:
    app = create_app(
        make_settings(settings.database_url, rate_limits_enabled=False, stream_poll_seconds=0.05),
        database=Database(engine),
    )
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/v1/changes/stream",
        "raw_path": b"/v1/changes/stream",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    sent: list[dict[str, Any]] = []
    opened: list[int] = []

    async def scenario() -> None:
        gone = anyio.Event()

        async def receive() -> dict[str, Any]:
            await gone.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)
            if b"change feed" in message.get("body", b""):
                opened.append(stream_service.open_streams())
                await anyio.sleep(0.3)  # a few polls of the change log
                gone.set()

        with anyio.fail_after(10):  # the app returns: the generator ended
            await app(scope, receive, send)

    before = stream_service.open_streams()
    anyio.run(scenario)
    assert sent[0]["status"] == 200
    assert opened == [before + 1]
    assert stream_service.open_streams() == before
