"""The request layer (app/core/asgi.py): request ids, HEAD on every GET, gzip, CORS, the
body limit's problem, and the access log line."""

from __future__ import annotations

import gzip
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.services import api_keys as key_service
from tests.api.problems import assert_problem
from tests.conftest import _make_client
from tests.factories import article_payload, make_article

BROWSER = "https://reader.example"
PARTNER = "https://partner.example"


def _raw(client: TestClient, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and the body exactly as sent (no transparent gunzip)."""
    with client.stream("GET", path, headers=headers) as resp:
        return resp.status_code, dict(resp.headers), b"".join(resp.iter_raw())


# --- request ids ------------------------------------------------------------------------


def test_a_well_formed_request_id_is_echoed_and_a_bad_one_replaced(anon: TestClient) -> None:
    assert (
        anon.get("/health", headers={"X-Request-ID": "trace-42.a"}).headers["x-request-id"]
        == "trace-42.a"
    )
    replaced = anon.get("/health", headers={"X-Request-ID": "bad id with spaces"})
    assert re.fullmatch(r"[0-9a-f]{32}", replaced.headers["x-request-id"])
    missing = anon.get("/v1/articles/nope").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", missing)
    doc = anon.get("/v1/articles/nope", headers={"X-Request-ID": "abc-1"}).json()
    assert doc["instance"] == "/v1/articles/nope#request-abc-1"


# --- HEAD -------------------------------------------------------------------------------


def _get_paths(client: TestClient, ids: dict[str, str]) -> list[str]:
    """Every GET operation of the OpenAPI document, its path parameters filled in."""
    paths = []
    for path, ops in client.get("/openapi.json").json()["paths"].items():
        if "get" not in ops:
            continue
        for name, value in ids.items():
            path = path.replace("{" + name + "}", value)
        assert "{" not in path, f"no test value for a parameter of {path}"
        paths.append(path)
    return paths


def test_head_answers_every_get_with_its_headers_and_no_body(
    client: TestClient, session: Session
) -> None:
    art = make_article(session)
    doc = client.get(f"/v1/articles/{art.id}").json()
    quote_id, stat_id = doc["quotes"][0]["id"], doc["statistics"][0]["id"]
    speaker_id = doc["quotes"][0]["speaker"]["id"]
    source_id = doc["source"]["id"]
    location_id = client.get("/v1/locations").json()["data"][0]["id"]
    ids = {
        "article_id": art.id,
        "quote_id": quote_id,
        "statistic_id": stat_id,
        "speaker_id": speaker_id,
        "source_id": source_id,
        "location_id": location_id,
        "estimate_id": "unknown-estimate",
        "webhook_id": "unknown-webhook",
        "key_id": "unknown-key",
    }
    paths = _get_paths(client, ids)
    assert len(paths) >= 15
    for path in paths:
        if path == "/v1/changes/stream":  # endless: tests/test_stream.py covers it
            continue
        if path.startswith("/v1/statistics/series") or path.startswith("/v1/search"):
            path += "?metric=killed" if "series" in path else "?q=strike"
        get = client.get(path)
        head = client.head(path)
        assert head.status_code == get.status_code, path
        assert head.content == b"", path
        # /metrics counts the GET just made, so its length moves on
        names = ("content-type",) if path == "/metrics" else ("content-type", "etag", "link")
        for name in (*names, "content-length")[: len(names) + (path != "/metrics")]:
            assert head.headers.get(name) == get.headers.get(name), (path, name)
    assert client.head("/").status_code == 200
    # A HEAD of an export stream stops the stream: only the headers come back.
    export = client.head("/v1/articles?format=ndjson")
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("application/x-ndjson")
    assert export.content == b""


# --- gzip -------------------------------------------------------------------------------


def test_large_responses_are_gzipped_small_ones_not(client: TestClient, session: Session) -> None:
    for n in range(4):
        make_article(session, url=f"https://gazette.example/{n}", title=f"Report {n}")
    path = "/v1/articles?include=quotes,statistics"
    status, headers, body = _raw(client, path, **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in headers["vary"]
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert gzip.decompress(body) == plain.content
    assert int(headers["content-length"]) == len(body) < len(plain.content)
    # The ETag names the content, whichever coding carries it; a 304 works with both.
    assert headers["etag"] == plain.headers["etag"]
    again = client.get(path, headers={"Accept-Encoding": "gzip", "If-None-Match": headers["etag"]})
    assert again.status_code == 304
    # Under a kilobyte: sent as it is.
    status, small, body = _raw(client, "/health", **{"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small
    assert json.loads(body) == {"status": "ok"}
    # Refused explicitly: q=0.
    refused = _raw(client, path, **{"Accept-Encoding": "gzip;q=0, identity"})[1]
    assert "content-encoding" not in refused


def test_export_streams_are_gzipped_as_they_go(client: TestClient, session: Session) -> None:
    for n in range(30):
        make_article(session, url=f"https://gazette.example/s{n}", title=f"Stream {n}")
    status, headers, body = _raw(
        client, "/v1/articles?format=ndjson", **{"Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert "content-length" not in headers
    lines = gzip.decompress(body).decode().splitlines()
    assert len(lines) == 30
    assert {json.loads(line)["title"] for line in lines} == {f"Stream {n}" for n in range(30)}


# --- CORS -------------------------------------------------------------------------------


EXPOSED = {
    "etag",
    "link",
    "x-request-id",
    "retry-after",
    "ratelimit",
    "ratelimit-policy",
    "deprecation",
    "sunset",
}


def _exposed(headers: Any) -> set[str]:
    return {h.strip().lower() for h in headers["access-control-expose-headers"].split(",")}


def test_reads_are_allowed_from_any_origin(anon: TestClient) -> None:
    resp = anon.get("/v1/articles", headers={"Origin": BROWSER})
    assert resp.headers["access-control-allow-origin"] == "*"
    assert _exposed(resp.headers) >= EXPOSED
    assert "access-control-allow-origin" not in anon.get("/v1/articles").headers
    pre = anon.options(
        "/v1/articles",
        headers={
            "Origin": BROWSER,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization, if-none-match",
        },
    )
    assert pre.status_code == 204
    assert pre.headers["access-control-allow-origin"] == "*"
    assert set(pre.headers["access-control-allow-methods"].split(", ")) == {
        "GET",
        "HEAD",
        "OPTIONS",
    }
    allowed = pre.headers["access-control-allow-headers"].lower()
    assert "authorization" in allowed
    assert "if-none-match" in allowed
    assert int(pre.headers["access-control-max-age"]) > 0


def test_writes_from_an_unlisted_origin_are_refused(client: TestClient) -> None:
    pre = client.options(
        "/v1/articles",
        headers={"Origin": BROWSER, "Access-Control-Request-Method": "POST"},
    )
    doc = assert_problem(pre, 403)
    assert "CORS_ORIGINS" in doc["detail"]
    assert "access-control-allow-origin" not in pre.headers
    post = client.post("/v1/articles", json=article_payload(), headers={"Origin": BROWSER})
    assert_problem(post, 403)
    assert client.get("/v1/articles").json()["data"] == []  # nothing was stored
    # The API's own origin (the web app it serves) is not cross-origin.
    own = client.post(
        "/v1/articles", json=article_payload(), headers={"Origin": "http://testserver"}
    )
    assert own.status_code == 201


@pytest.fixture
def partner(settings: Settings, engine: Engine, session: Session) -> Iterator[TestClient]:
    _, new = key_service.create_key(session, "partner", "read,write")
    session.commit()
    allowed = settings.model_copy(update={"cors_origins": [PARTNER]})
    with _make_client(allowed, engine, session) as c:
        c.headers["Authorization"] = f"Bearer {new.plaintext}"
        yield c


def test_listed_origins_may_write(partner: TestClient) -> None:
    pre = partner.options(
        "/v1/articles",
        headers={
            "Origin": PARTNER,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Content-Type, Idempotency-Key",
        },
    )
    assert pre.status_code == 204
    assert pre.headers["access-control-allow-origin"] == PARTNER
    assert "POST" in pre.headers["access-control-allow-methods"]
    assert "Origin" in pre.headers["vary"]
    made = partner.post("/v1/articles", json=article_payload(), headers={"Origin": PARTNER})
    assert made.status_code == 201
    assert made.headers["access-control-allow-origin"] == PARTNER
    assert "location" in _exposed(made.headers)
    assert "Origin" in made.headers["vary"]
    # A header outside the allow-list makes the preflight fail, and says which.
    odd = partner.options(
        "/v1/articles",
        headers={
            "Origin": PARTNER,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "X-Custom-Thing",
        },
    )
    assert "x-custom-thing" in assert_problem(odd, 403)["detail"]
    # Reads from elsewhere still get the public answer.
    read = partner.get("/v1/sources", headers={"Origin": BROWSER})
    assert read.headers["access-control-allow-origin"] == "*"


# --- body limit, rate-limit headers on every answer ---------------------------------------


def test_a_body_over_the_limit_is_a_413_problem_with_a_request_id(
    settings: Settings, engine: Engine, session: Session
) -> None:
    small = settings.model_copy(update={"max_body_bytes": 1000})
    with _make_client(small, engine, session) as c:
        resp = c.post(
            "/v1/extract",
            content=json.dumps({"text": "x" * 2000}),
            headers={"Content-Type": "application/json"},
        )
        doc = assert_problem(resp, 413)
        assert "1000 bytes" in doc["detail"]
        assert resp.headers["x-request-id"]


def test_rate_limit_headers_ride_on_errors_too(anon: TestClient) -> None:
    missing = anon.get("/v1/articles/nope")
    assert missing.status_code == 404
    assert missing.headers["ratelimit-policy"].startswith('"anonymous"')


# --- the access log -----------------------------------------------------------------------


def test_the_access_log_names_the_route_the_key_id_and_the_bytes(
    settings: Settings, engine: Engine, session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    key, new = key_service.create_key(session, "logged", "read,write")
    session.commit()
    art = make_article(session)
    verbose = settings.model_copy(update={"log_level": "INFO"})
    with _make_client(verbose, engine, session) as c, caplog.at_level(logging.INFO):
        logging.getLogger().addHandler(caplog.handler)  # the app's logging set-up replaced it
        caplog.clear()
        resp = c.get(
            f"/v1/articles/{art.id}",
            headers={"Authorization": f"Bearer {new.plaintext}", "Accept-Encoding": "identity"},
        )
    lines = [
        r.msg
        for r in caplog.records
        if r.name == "conflict_news.access" and isinstance(r.msg, dict)
    ]
    assert len(lines) == 1
    line = lines[0]
    assert line["route"] == "/v1/articles/{article_id}"
    assert line["path"] == f"/v1/articles/{art.id}"
    assert line["status"] == 200
    assert line["key_id"] == key.id
    assert line["bytes"] == len(resp.content)
    assert new.plaintext not in json.dumps(line, default=str)
    assert line["request_id"] == resp.headers["x-request-id"]


def test_an_event_stream_sends_its_headers_before_its_first_event() -> None:
    """Server-sent events: the layer holds no start message waiting for a body."""
    import anyio

    from app.core.asgi import HttpConfig, HttpLayer

    sent: list[dict[str, Any]] = []

    async def events(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/event-stream")]})  # fmt: skip
        assert sent, "the headers were held back"
        await send({"type": "http.response.body", "body": b"data: 1\n\n", "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def record(message: dict[str, Any]) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    scope = {"type": "http", "method": "GET", "path": "/v1/changes/stream", "root_path": "",
             "headers": [(b"accept-encoding", b"gzip")], "state": {}}  # fmt: skip
    anyio.run(HttpLayer(events, HttpConfig()), scope, receive, record)
    assert sent[0]["type"] == "http.response.start"
    assert (b"content-encoding", b"gzip") not in sent[0]["headers"]
    assert [m.get("body") for m in sent[1:]] == [b"data: 1\n\n", b""]
