"""Hostile input on the integrators' endpoints touched last (webhooks, keys, bulk import in
both body forms): never a 5xx, every refusal a problem+json, nothing half-written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.services import api_keys as key_service
from tests.api.problems import assert_problem
from tests.factories import article_payload

LONG = "x" * 5000
JSON = {"content-type": "application/json"}


@pytest.fixture
def admin(client: TestClient, session: Session) -> Iterator[TestClient]:
    _, new = key_service.create_key(session, "hostile", "read,write,admin")
    session.commit()
    client.headers["Authorization"] = f"Bearer {new.plaintext}"
    yield client
    client.headers.pop("Authorization")


def _refused(resp: Any) -> None:
    assert resp.status_code < 500, resp.text[:300]
    assert 400 <= resp.status_code < 500, resp.text[:300]
    assert_problem(resp, resp.status_code)


BODIES: list[tuple[bytes, dict[str, str]]] = [
    (b"", JSON),
    (b"{", JSON),
    (b"[]", JSON),
    (b"null", JSON),
    (b'"https://hooks.example/in"', JSON),
    (b"\xff\xfe{}", JSON),
    (b'{"url": "https://hooks.example/in", "events": ["*"]}', {"content-type": "text/plain"}),
    (json.dumps({"url": "https://hooks.example/\u0000", "events": ["*"]}).encode(), JSON),
    (json.dumps({"url": "https://" + LONG + ".example/", "events": ["*"]}).encode(), JSON),
    (json.dumps({"url": "https://hooks.example:99999/", "events": ["*"]}).encode(), JSON),
    (json.dumps({"url": "https://hooks.example/in", "events": ["*"] * 1000}).encode(), JSON),
    (json.dumps({"url": "https://hooks.example/in", "events": ["a\u0000.b"]}).encode(), JSON),
    (json.dumps({"url": "https://hooks.example/in", "events": [{"x": 1}]}).encode(), JSON),
    (json.dumps({"url": "https://hooks.example/in", "events": []}).encode(), JSON),
    (
        json.dumps({"url": "https://hooks.example/in", "events": ["*"], "secret": "mine"}).encode(),
        JSON,
    ),
    (b'{"url": ' * 5000 + b"1" + b"}" * 5000, JSON),
]


@pytest.mark.parametrize(("body", "headers"), BODIES)
def test_bad_webhook_and_key_bodies_are_problems_and_write_nothing(
    admin: TestClient, body: bytes, headers: dict[str, str]
) -> None:
    hooks = admin.get("/v1/webhooks").json()["data"]
    events = admin.get("/v1/keys/events").json()["data"]
    _refused(admin.post("/v1/webhooks", content=body, headers=headers))
    _refused(admin.post("/v1/keys", content=body, headers=headers))
    made = admin.post("/v1/keys", json={"name": "target", "scopes": ["read"]}).json()
    if body not in (b"", b"null"):  # a rotation's body is optional: those two are none
        _refused(admin.post(f"/v1/keys/{made['id']}/rotate", content=body, headers=headers))
    assert admin.get("/v1/webhooks").json()["data"] == hooks
    assert len(admin.get("/v1/keys/events").json()["data"]) == len(events) + 1  # the target


QUERIES = [
    "/v1/webhooks?status=sleeping",
    "/v1/webhooks?cursor=" + LONG,
    "/v1/webhooks?cursor=not-a-cursor",
    "/v1/webhooks?limit=0",
    "/v1/webhooks?limit=" + "9" * 40,
    "/v1/webhooks/%00",
    "/v1/webhooks/" + LONG,
    "/v1/webhooks/whk_missing/deliveries",
    "/v1/webhooks/whk_missing/deliveries?status=lost",
    "/v1/keys?cursor=not-a-cursor",
    "/v1/keys?state=%00",
    "/v1/keys/" + LONG,
    "/v1/keys/key_missing/events",
    "/v1/keys/events?cursor=" + LONG,
]


@pytest.mark.parametrize("path", QUERIES)
def test_bad_reads_are_problems(admin: TestClient, path: str) -> None:
    _refused(admin.get(path))


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("delete", "/v1/webhooks/whk_missing"),
        ("post", "/v1/webhooks/whk_missing/resume"),
        ("post", "/v1/webhooks/%00/resume"),
        ("post", "/v1/keys/key_missing/revoke"),
        ("delete", "/v1/keys/" + LONG),
    ],
)
def test_actions_on_missing_or_malformed_ids_are_problems(
    admin: TestClient, method: str, path: str
) -> None:
    _refused(admin.request(method, path))


NDJSON = {"content-type": "application/x-ndjson"}


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (b"\xff\xfe\x00garbage\n", NDJSON),
        (b"[" * 10000 + b"]" * 10000 + b"\n", NDJSON),
        (json.dumps(article_payload(title="A\u0000")).encode() + b"\n", NDJSON),
        (b'{"text": "' + b"y" * 1_100_000 + b'"}\n', NDJSON),
        (b"[" * 10000 + b"]" * 10000, JSON),
        (b"[1, 2, 3]", JSON),
        (json.dumps([{"text": "\ud800"}]).encode(), JSON),
        (b"[]", JSON),
    ],
)
def test_hostile_bulk_bodies_never_store_or_fail(
    client: TestClient, body: bytes, headers: dict[str, str]
) -> None:
    before = client.get("/v1/articles").json()["data"]
    resp = client.post("/v1/articles/bulk", content=body, headers=headers)
    assert resp.status_code < 500, resp.text[:300]
    if resp.status_code >= 400:
        assert_problem(resp, resp.status_code)
    else:
        results = (
            resp.json()
            if headers is JSON
            else [json.loads(line) for line in resp.text.splitlines()]
        )
        assert all(r["status"] == "error" for r in results), results
    assert client.get("/v1/articles").json()["data"] == before
