"""Idempotency-Key: retries replay the first response; another body with the key is a 422."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.api.problems import assert_problem
from tests.factories import article_payload


def test_retry_with_the_same_key_replays_without_writing(client: TestClient) -> None:
    payload = article_payload()
    headers = {"Idempotency-Key": "retry-1"}
    first = client.post("/v1/articles", json=payload, headers=headers)
    assert first.status_code == 201
    again = client.post("/v1/articles", json=payload, headers=headers)
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert len(client.get("/v1/articles").json()["data"]) == 1
    changes = client.get("/v1/changes?resource=article").json()["data"]
    assert [c["action"] for c in changes] == ["created"]


def test_same_key_with_another_body_is_refused(client: TestClient) -> None:
    headers = {"Idempotency-Key": "retry-2"}
    assert client.post("/v1/articles", json=article_payload(), headers=headers).status_code == 201
    doc = assert_problem(client.post("/v1/articles", json=article_payload(), headers=headers), 422)
    assert "different request body" in doc["detail"]


def test_keys_are_scoped_to_the_caller(client: TestClient, session: Session) -> None:
    from app.services import api_keys as key_service

    _, other = key_service.create_key(session, "second integrator", "write")
    session.commit()
    headers = {"Idempotency-Key": "shared-name"}
    mine = client.post("/v1/articles", json=article_payload(), headers=headers)
    theirs = client.post(
        "/v1/articles",
        json=article_payload(),
        headers={**headers, "Authorization": f"Bearer {other.plaintext}"},
    )
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]


def test_a_failed_first_attempt_is_not_remembered(client: TestClient) -> None:
    headers = {"Idempotency-Key": "retry-3"}
    bad = article_payload()
    bad["quotes"][0]["start"] += 1
    bad["quotes"][0]["end"] += 1
    assert client.post("/v1/articles", json=bad, headers=headers).status_code == 422
    good = client.post("/v1/articles", json=article_payload(), headers=headers)
    assert good.status_code == 201


def test_without_a_key_duplicates_are_still_caught_by_url(client: TestClient) -> None:
    payload = article_payload()
    assert client.post("/v1/articles", json=payload).status_code == 201
    assert_problem(client.post("/v1/articles", json=payload), 409)
