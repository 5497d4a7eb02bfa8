"""/v1/keys: admin keys create, list, rotate and revoke keys over HTTP; every action is in
the audit trail with who and when."""

from __future__ import annotations

import time
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
from tests.factories import article_payload


def _key(session: Session, scopes: str) -> tuple[str, str]:
    key, new = key_service.create_key(session, f"key with {scopes}", scopes)
    session.commit()
    return key.id, new.plaintext


@pytest.fixture
def admin_id(session: Session) -> tuple[str, str]:
    return _key(session, "admin")


@pytest.fixture
def admin(
    settings: Settings, engine: Engine, session: Session, admin_id: tuple[str, str]
) -> Iterator[TestClient]:
    with _make_client(settings, engine, session) as c:
        c.headers["Authorization"] = f"Bearer {admin_id[1]}"
        yield c


def _create(admin: TestClient, **body: Any) -> dict[str, Any]:
    resp = admin.post("/v1/keys", json={"name": "mirror", "scopes": ["read"], **body})
    assert resp.status_code == 201, resp.text
    return resp.json()  # type: ignore[no-any-return]


def _as(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_create_shows_the_secret_once_and_the_key_works(admin: TestClient) -> None:
    resp = admin.post("/v1/keys", json={"name": " newsroom ", "scopes": ["write", "read", "read"]})
    assert resp.status_code == 201, resp.text
    made = resp.json()
    assert resp.headers["location"] == f"/v1/keys/{made['id']}"
    assert resp.headers["cache-control"] == "no-store"
    assert made["key"].startswith(f"cn_{made['prefix']}_")
    assert (made["name"], made["scopes"], made["state"]) == (
        "newsroom",
        ["write", "read"],
        "active",
    )
    assert made["rotated_from"] is None
    wrote = admin.post("/v1/articles", json=article_payload(), headers=_as(made["key"]))
    assert wrote.status_code == 201, wrote.text
    # the new key has no admin scope
    assert_problem(admin.get("/v1/keys", headers=_as(made["key"])), 403)
    # never again: not in the read, not in the list
    one = admin.get(f"/v1/keys/{made['id']}")
    assert one.status_code == 200
    assert "key" not in one.json()
    assert one.json()["last_used_at"] is not None
    listed = admin.get("/v1/keys")
    assert made["key"] not in listed.text
    assert made["key"].split("_", 2)[2] not in listed.text
    assert "key_hash" not in listed.text


def test_list_is_newest_first_paged_and_filtered_by_state(
    admin: TestClient, admin_id: tuple[str, str]
) -> None:
    first, second = _create(admin, name="first"), _create(admin, name="second")
    admin.delete(f"/v1/keys/{first['id']}")
    page = admin.get("/v1/keys", params={"limit": 2}).json()
    assert [k["id"] for k in page["data"]] == [second["id"], first["id"]]
    rest = admin.get("/v1/keys", params={"limit": 2, "cursor": page["next_cursor"]}).json()
    assert admin_id[0] in [k["id"] for k in rest["data"]]
    revoked = admin.get("/v1/keys", params={"state": "revoked"}).json()["data"]
    assert [(k["id"], k["state"]) for k in revoked] == [(first["id"], "revoked")]
    active = [k["id"] for k in admin.get("/v1/keys", params={"state": "active"}).json()["data"]]
    assert second["id"] in active
    assert first["id"] not in active
    assert_problem(admin.get("/v1/keys/key_0195c1a2b3c47d8e9f00112233445566"), 404)


def test_rotate_issues_a_new_secret_and_stops_the_old_one(admin: TestClient) -> None:
    old = _create(admin, scopes=["read", "write"])
    resp = admin.post(f"/v1/keys/{old['id']}/rotate")
    assert resp.status_code == 201, resp.text
    new = resp.json()
    assert new["id"] != old["id"]
    assert new["key"] != old["key"]
    assert (new["name"], new["scopes"], new["rotated_from"]) == (
        "mirror",
        ["read", "write"],
        old["id"],
    )
    assert_problem(admin.post("/v1/articles", json=article_payload(), headers=_as(old["key"])), 401)
    ok = admin.post("/v1/articles", json=article_payload(), headers=_as(new["key"]))
    assert ok.status_code == 201
    assert admin.get(f"/v1/keys/{old['id']}").json()["state"] == "revoked"
    again = assert_problem(admin.post(f"/v1/keys/{old['id']}/rotate"), 409)
    assert "revoked" in again["detail"]


def test_rotate_with_a_grace_period_keeps_the_old_secret_until_then(admin: TestClient) -> None:
    old = _create(admin, scopes=["write"])
    resp = admin.post(f"/v1/keys/{old['id']}/rotate", json={"grace_seconds": 1})
    assert resp.status_code == 201, resp.text
    new = resp.json()
    still = admin.get(f"/v1/keys/{old['id']}").json()
    assert (still["state"], still["revoked_at"]) == ("active", None)
    assert still["expires_at"] is not None
    ok = admin.post("/v1/articles", json=article_payload(), headers=_as(old["key"]))
    assert ok.status_code == 201
    time.sleep(1.2)
    assert_problem(admin.post("/v1/articles", json=article_payload(), headers=_as(old["key"])), 401)
    assert admin.get(f"/v1/keys/{old['id']}").json()["state"] == "expired"
    expired = admin.get("/v1/keys", params={"state": "expired"}).json()["data"]
    assert [k["id"] for k in expired] == [old["id"]]
    assert_problem(admin.post(f"/v1/keys/{old['id']}/rotate"), 409)
    ok = admin.post("/v1/articles", json=article_payload(), headers=_as(new["key"]))
    assert ok.status_code == 201


def test_revoke_stops_the_key_at_once_and_is_idempotent(admin: TestClient) -> None:
    made = _create(admin)
    assert admin.get("/v1/articles", headers=_as(made["key"])).status_code == 200
    resp = admin.delete(f"/v1/keys/{made['id']}")
    assert resp.status_code == 200, resp.text
    assert resp.json()["state"] == "revoked"
    assert "key" not in resp.json()
    assert_problem(admin.get("/v1/articles", headers=_as(made["key"])), 401)
    again = admin.delete(f"/v1/keys/{made['id']}")
    assert again.json()["revoked_at"] == resp.json()["revoked_at"]
    events = admin.get("/v1/keys/events", params={"key_id": made["id"]}).json()["data"]
    assert [e["action"] for e in events] == ["revoked", "created"]
    assert_problem(admin.delete("/v1/keys/key_0195c1a2b3c47d8e9f00112233445566"), 404)


def test_every_action_is_recorded_with_who_and_when(
    admin: TestClient, admin_id: tuple[str, str]
) -> None:
    before = admin.get("/v1/keys/events").json()["data"]
    # the CLI made the admin key
    (cli,) = [e for e in before if e["key_id"] == admin_id[0]]
    assert (cli["action"], cli["via"], cli["actor_key_id"]) == ("created", "cli", None)
    made = admin.post(
        "/v1/keys", json={"name": "audited", "scopes": ["read"]}, headers={"X-Request-ID": "req-1"}
    ).json()
    rotated = admin.post(
        f"/v1/keys/{made['id']}/rotate",
        json={"grace_seconds": 60},
        headers={"X-Request-ID": "req-2"},
    ).json()
    admin.delete(f"/v1/keys/{rotated['id']}", headers={"X-Request-ID": "req-3"})
    events = admin.get("/v1/keys/events", params={"limit": 4}).json()["data"]
    assert [(e["action"], e["key_id"], e["request_id"]) for e in events] == [
        ("revoked", rotated["id"], "req-3"),
        ("rotated", made["id"], "req-2"),
        ("created", rotated["id"], "req-2"),
        ("created", made["id"], "req-1"),
    ]
    for e in events:
        assert (e["via"], e["actor_key_id"], e["client"]) == ("http", admin_id[0], "testclient")
        assert e["at"].endswith("Z")
    assert events[1]["detail"] == {"replaced_by": rotated["id"], "grace_seconds": 60}
    assert events[2]["detail"]["rotated_from"] == made["id"]
    assert events[3]["detail"] == {"name": "audited", "scopes": ["read"]}
    mine = admin.get("/v1/keys/events", params={"actor_key_id": admin_id[0], "action": "rotated"})
    assert [e["key_id"] for e in mine.json()["data"]] == [made["id"]]
    assert made["key"] not in admin.get("/v1/keys/events").text


def test_only_admin_keys_manage_keys(admin: TestClient, anon: TestClient, session: Session) -> None:
    target = _create(admin)
    _, writer = _key(session, "read,write")
    calls = [
        ("GET", "/v1/keys", None),
        ("GET", "/v1/keys/events", None),
        ("GET", f"/v1/keys/{target['id']}", None),
        ("POST", "/v1/keys", {"name": "x", "scopes": ["admin"]}),
        ("POST", f"/v1/keys/{target['id']}/rotate", None),
        ("DELETE", f"/v1/keys/{target['id']}", None),
    ]
    for method, path, body in calls:
        assert_problem(anon.request(method, path, json=body), 401)
        assert_problem(anon.request(method, path, json=body, headers=_as(writer)), 403)
    assert admin.get(f"/v1/keys/{target['id']}").json()["state"] == "active"
    assert len(admin.get("/v1/keys/events", params={"key_id": target["id"]}).json()["data"]) == 1


def test_an_admin_made_over_http_can_manage_keys(admin: TestClient) -> None:
    root = _create(admin, name="second admin", scopes=["admin"])
    made = admin.post(
        "/v1/keys", json={"name": "by second", "scopes": ["read"]}, headers=_as(root["key"])
    )
    assert made.status_code == 201
    (event,) = admin.get("/v1/keys/events", params={"key_id": made.json()["id"]}).json()["data"]
    assert event["actor_key_id"] == root["id"]


def test_the_openapi_document_lists_the_key_operations(admin: TestClient) -> None:
    spec = admin.get("/openapi.json").json()
    ops = {
        (method, path): op["operationId"]
        for path, item in spec["paths"].items()
        if path.startswith("/v1/keys")
        for method, op in item.items()
    }
    assert ops == {
        ("post", "/v1/keys"): "create_key",
        ("get", "/v1/keys"): "list_keys",
        ("get", "/v1/keys/events"): "list_key_events",
        ("get", "/v1/keys/{key_id}"): "get_key",
        ("post", "/v1/keys/{key_id}/rotate"): "rotate_key",
        ("delete", "/v1/keys/{key_id}"): "revoke_key",
    }
    assert "key" not in spec["components"]["schemas"]["KeyRead"]["properties"]
    assert "key" in spec["components"]["schemas"]["KeyCreated"]["required"]
