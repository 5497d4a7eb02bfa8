"""/v1/webhooks over HTTP: subscriptions (admin only, secret shown once), target checks, and
the outbox: one delivery per change and subscription, in the change's own transaction."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import WebhookDelivery
from app.schemas.article import ArticleCreate
from app.services import api_keys as key_service
from app.services import articles as article_service
from tests.api.problems import assert_problem
from tests.factories import article_payload

TARGET = "https://hooks.relief-desk.example/inbox"


@pytest.fixture
def admin(client: TestClient, session: Session) -> Iterator[TestClient]:
    """The same app and database as `client`, holding an admin key."""
    _, new = key_service.create_key(session, "ops", "read,write,admin")
    session.commit()
    headers = dict(client.headers)
    client.headers["Authorization"] = f"Bearer {new.plaintext}"
    yield client
    client.headers.clear()
    client.headers.update(headers)


def _subscribe(admin: TestClient, events: list[str] | None = None) -> dict[str, object]:
    resp = admin.post("/v1/webhooks", json={"url": TARGET, "events": events or ["article.*"]})
    assert resp.status_code == 201, resp.text
    return dict(resp.json())


def test_subscriptions_need_the_admin_scope(anon: TestClient, client: TestClient) -> None:
    body = {"url": TARGET, "events": ["*"]}
    assert_problem(anon.post("/v1/webhooks", json=body), 401)
    assert_problem(anon.get("/v1/webhooks"), 401)
    assert_problem(client.post("/v1/webhooks", json=body), 403)
    assert_problem(client.get("/v1/webhooks"), 403)
    assert_problem(client.delete("/v1/webhooks/whk_x"), 403)


def test_create_shows_the_secret_once_then_list_get_delete(admin: TestClient) -> None:
    resp = admin.post(
        "/v1/webhooks",
        json={
            "url": TARGET,
            "events": ["article.updated", "article.created", "article.created"],
            "description": "desk",
        },
    )
    assert resp.status_code == 201
    created = resp.json()
    assert created["secret"].startswith("whsec_")
    assert resp.headers["location"] == f"/v1/webhooks/{created['id']}"
    assert created["events"] == ["article.created", "article.updated"]
    assert created["status"] == "active"
    assert created["paused_reason"] is None

    one = admin.get(f"/v1/webhooks/{created['id']}").json()
    assert "secret" not in one
    assert one == {k: v for k, v in created.items() if k != "secret"}
    listed = admin.get("/v1/webhooks").json()
    assert [w["id"] for w in listed["data"]] == [created["id"]]
    assert "secret" not in listed["data"][0]
    assert admin.get("/v1/webhooks", params={"status": "paused"}).json()["data"] == []

    assert admin.delete(f"/v1/webhooks/{created['id']}").status_code == 204
    assert_problem(admin.get(f"/v1/webhooks/{created['id']}"), 404)
    assert_problem(admin.delete(f"/v1/webhooks/{created['id']}"), 404)
    assert_problem(admin.get(f"/v1/webhooks/{created['id']}/deliveries"), 404)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://hooks.example/x",
        "hooks.example/x",
        "https://",
        "https://hooks.example:port/x",
        "https://hooks.example:99999/x",
        "https://user:pw@hooks.example/x",
        "https://hooks.example/a b",
        "https://hooks.example/\x00",
        "https://[::1/x",
        "https://" + "a" * 2100 + ".example/",
    ],
)
def test_malformed_target_urls_are_422_naming_the_url(admin: TestClient, url: str) -> None:
    doc = assert_problem(admin.post("/v1/webhooks", json={"url": url, "events": ["*"]}), 422)
    assert [e["loc"] for e in doc["errors"]] == [["body", "url"]]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
    ],
)
def test_private_loopback_and_link_local_targets_are_refused(admin: TestClient, url: str) -> None:
    doc = assert_problem(admin.post("/v1/webhooks", json={"url": url, "events": ["*"]}), 422)
    assert doc["errors"][0]["loc"] == ["body", "url"]
    assert "private, loopback or link-local" in doc["detail"]
    assert admin.get("/v1/webhooks").json()["data"] == []


@pytest.mark.parametrize(
    "body",
    [
        {"url": TARGET, "events": []},
        {"url": TARGET, "events": ["article"]},
        {"url": TARGET, "events": ["Article.created"]},
        {"url": TARGET, "events": ["article.created; drop"]},
        {"url": TARGET, "events": "article.created"},
        {"url": TARGET, "events": ["*"] * 21},
        {"url": TARGET},
        {"events": ["*"]},
        {"url": TARGET, "events": ["*"], "secret": "mine"},
        {"url": TARGET, "events": ["*"], "description": "x" * 501},
    ],
)
def test_bad_subscription_bodies_are_422(admin: TestClient, body: dict[str, object]) -> None:
    assert_problem(admin.post("/v1/webhooks", json=body), 422)


def test_each_change_gets_one_delivery_per_subscription_that_wants_it(admin: TestClient) -> None:
    everything = _subscribe(admin, ["*"])
    deletes = _subscribe(admin, ["article.deleted"])
    art = admin.post("/v1/articles", json=article_payload()).json()["id"]
    admin.patch(f"/v1/articles/{art}", json={"title": "Corrected title"})
    admin.delete(f"/v1/articles/{art}")
    feed = admin.get("/v1/changes").json()["data"]

    all_sent = admin.get(f"/v1/webhooks/{everything['id']}/deliveries").json()["data"]
    assert [(d["event_type"], d["change_seq"]) for d in all_sent] == [
        (f"{c['resource']}.{c['action']}", c["seq"]) for c in feed
    ]  # the directory rows the article's write created come first, then the article's three
    assert [d["event_type"] for d in all_sent if d["event_type"].startswith("article.")] == [
        "article.created",
        "article.updated",
        "article.deleted",
    ]
    assert all(d["status"] == "pending" and d["attempts"] == [] for d in all_sent)
    assert len({d["id"] for d in all_sent}) == len(feed)
    assert all(d["id"].startswith("msg_") for d in all_sent)
    only_deletes = admin.get(f"/v1/webhooks/{deletes['id']}/deliveries").json()["data"]
    assert [(d["event_type"], d["change_seq"]) for d in only_deletes] == [
        ("article.deleted", feed[-1]["seq"])
    ]
    # Pages of deliveries, with a cursor bound to this subscription's list.
    first = admin.get(f"/v1/webhooks/{everything['id']}/deliveries", params={"limit": 2}).json()
    assert len(first["data"]) == 2
    rest = admin.get(
        f"/v1/webhooks/{everything['id']}/deliveries", params={"cursor": first["next_cursor"]}
    ).json()
    assert [d["id"] for d in first["data"] + rest["data"]] == [d["id"] for d in all_sent]
    assert_problem(
        admin.get(
            f"/v1/webhooks/{deletes['id']}/deliveries", params={"cursor": first["next_cursor"]}
        ),
        400,
    )


def test_a_refused_write_makes_no_delivery(admin: TestClient) -> None:
    hook = _subscribe(admin)
    payload = article_payload()
    payload["quotes"][0]["start"] += 1
    assert admin.post("/v1/articles", json=payload).status_code == 422
    assert admin.get(f"/v1/webhooks/{hook['id']}/deliveries").json()["data"] == []


def test_a_rolled_back_write_takes_its_deliveries_with_it(
    admin: TestClient, session: Session
) -> None:
    hook = _subscribe(admin)
    with session.begin_nested() as savepoint:
        article_service.create_article(session, ArticleCreate.model_validate(article_payload()))
        session.flush()
        queued = session.scalars(select(WebhookDelivery.subscription_id)).all()
        assert queued == [hook["id"]]
        savepoint.rollback()
    assert admin.get(f"/v1/webhooks/{hook['id']}/deliveries").json()["data"] == []
    assert admin.get("/v1/changes").json()["data"] == []


def test_resume_reactivates_and_unknown_ids_are_404(admin: TestClient) -> None:
    hook = _subscribe(admin)
    resumed = admin.post(f"/v1/webhooks/{hook['id']}/resume")
    assert resumed.status_code == 200
    assert resumed.json()["status"] == "active"
    assert_problem(admin.post("/v1/webhooks/whk_missing/resume"), 404)
    assert_problem(admin.get("/v1/webhooks/whk_missing/deliveries"), 404)
    assert_problem(admin.get("/v1/webhooks", params={"status": "gone"}), 422)
    assert_problem(
        admin.get(f"/v1/webhooks/{hook['id']}/deliveries", params={"status": "lost"}), 422
    )
