"""Rate limits: per key or per IP, IETF headers on every response, 429 problems, and one
budget shared by several app instances through Redis."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.api.state import app_state
from app.core.config import Settings
from app.core.ratelimit import RateLimiter
from app.services import api_keys as key_service
from tests.api.problems import assert_problem
from tests.conftest import _make_client
from tests.factories import article_payload

REDIS_URL = os.environ.get("TEST_REDIS_URL")


def _limited(settings: Settings, **limits: str) -> Settings:
    return settings.model_copy(update={f"rate_limit_{k}": v for k, v in limits.items()})


@pytest.fixture
def tight(settings: Settings, engine: Engine, session: Session) -> Iterator[TestClient]:
    with _make_client(
        _limited(settings, anonymous="3/minute", read="5/minute", write="4/minute"),
        engine,
        session,
    ) as c:
        yield c


def test_anonymous_reads_are_limited_per_ip(tight: TestClient) -> None:
    for remaining in (2, 1, 0):
        resp = tight.get("/v1/articles")
        assert resp.status_code == 200
        assert resp.headers["ratelimit-policy"] == '"anonymous";q=3;w=60'
        assert resp.headers["ratelimit"].startswith(f'"anonymous";r={remaining};t=')
    blocked = tight.get("/v1/sources")
    doc = assert_problem(blocked, 429)
    assert int(blocked.headers["retry-after"]) >= 1
    assert "budget" in doc["detail"]
    assert tight.get("/health").status_code == 200  # operations endpoints are not limited


def test_keys_have_their_own_budgets_and_costly_calls_cost_more(
    tight: TestClient, session: Session
) -> None:
    _, new = key_service.create_key(session, "limited", "read,write")
    session.commit()
    auth = {"Authorization": f"Bearer {new.plaintext}"}
    for _ in range(3):
        assert tight.get("/v1/articles").status_code == 200  # spends the IP budget
    assert tight.get("/v1/articles", headers=auth).status_code == 200  # key: its own budget
    # A create costs 2 of the 4 writes a minute: the third create is refused.
    assert tight.post("/v1/articles", json=article_payload(), headers=auth).status_code == 201
    assert tight.post("/v1/articles", json=article_payload(), headers=auth).status_code == 201
    assert_problem(tight.post("/v1/articles", json=article_payload(), headers=auth), 429)
    # Extraction costs 5 of the read budget (5/minute, 1 spent): refused.
    assert_problem(tight.post("/v1/extract", json={"text": "Some text."}, headers=auth), 429)


def test_limiter_fails_open_when_its_store_is_down() -> None:
    limiter = RateLimiter("redis://127.0.0.1:1/0", {"read": "1/minute"})
    assert limiter.hit("read", "someone") is None


@pytest.mark.skipif(not REDIS_URL, reason="set TEST_REDIS_URL to test the shared Redis store")
def test_two_instances_share_one_budget_through_redis(
    settings: Settings, engine: Engine, session: Session
) -> None:
    assert REDIS_URL
    shared = _limited(settings, anonymous="5/minute").model_copy(update={"redis_url": REDIS_URL})
    with (
        _make_client(shared, engine, session) as a,
        _make_client(shared, engine, session) as b,
    ):
        limiter = app_state(a.app).rate_limiter
        assert limiter is not None
        limiter.limiter.storage.reset()  # a test Redis: start from zero
        statuses = [(a if i % 2 == 0 else b).get("/v1/articles").status_code for i in range(8)]
    assert statuses.count(200) == 5
    assert statuses[5:] == [429, 429, 429]
