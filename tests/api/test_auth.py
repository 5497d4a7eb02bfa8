"""API keys and scopes: reads public by configuration, writes always need `write`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.services import api_keys as key_service
from tests.api.problems import assert_problem
from tests.conftest import _make_client
from tests.factories import article_payload


def _key(session: Session, scopes: str) -> str:
    _, new = key_service.create_key(session, f"key with {scopes}", scopes)
    session.commit()
    return new.plaintext


def test_writes_need_a_key(anon: TestClient) -> None:
    resp = anon.post("/v1/articles", json=article_payload())
    assert_problem(resp, 401)
    assert resp.headers["www-authenticate"].startswith("Bearer")
    assert anon.get("/v1/articles").status_code == 200  # reads are public by default


def test_read_key_cannot_write_but_write_key_can(anon: TestClient, session: Session) -> None:
    read_only = _key(session, "read")
    resp = anon.post(
        "/v1/articles", json=article_payload(), headers={"Authorization": f"Bearer {read_only}"}
    )
    assert_problem(resp, 403)
    writer = _key(session, "write")
    resp = anon.post("/v1/articles", json=article_payload(), headers={"X-API-Key": writer})
    assert resp.status_code == 201
    admin = _key(session, "admin")
    art = resp.json()["id"]
    assert anon.delete(f"/v1/articles/{art}", headers={"X-API-Key": admin}).status_code == 204


def test_unknown_revoked_and_query_string_keys_do_not_authenticate(
    anon: TestClient, session: Session
) -> None:
    assert_problem(anon.get("/v1/articles", headers={"X-API-Key": "cn_nope"}), 401)
    key = _key(session, "read,write")
    resp = anon.post(f"/v1/articles?api_key={key}", json=article_payload())
    assert_problem(resp, 401)
    key_service.revoke_key(session, key.split("_")[1])
    session.commit()
    resp = anon.post("/v1/articles", json=article_payload(), headers={"X-API-Key": key})
    doc = assert_problem(resp, 401)
    assert "revoked" in doc["detail"]
    assert 'error="invalid_token"' in resp.headers["www-authenticate"]


def test_keys_are_stored_hashed(session: Session) -> None:
    key, new = key_service.create_key(session, "hash check", "read")
    assert new.plaintext not in (key.key_hash, key.prefix)
    assert len(key.key_hash) == 64
    assert new.plaintext.startswith(f"cn_{key.prefix}_")
    assert len(new.plaintext) > 40


@pytest.fixture
def private(settings: Settings, engine: Engine, session: Session) -> Iterator[TestClient]:
    with _make_client(settings.model_copy(update={"public_reads": False}), engine, session) as c:
        yield c


def test_private_reads_need_the_read_scope(private: TestClient, session: Session) -> None:
    assert_problem(private.get("/v1/articles"), 401)
    assert_problem(private.get("/v1/speakers"), 401)
    writer = _key(session, "write")
    assert_problem(private.get("/v1/quotes", headers={"X-API-Key": writer}), 403)
    reader = _key(session, "read")
    assert private.get("/v1/quotes", headers={"X-API-Key": reader}).status_code == 200
    assert private.get("/health").status_code == 200  # ops endpoints stay open
