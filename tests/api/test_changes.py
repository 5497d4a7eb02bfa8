"""The change feed: every create, update and delete, in order, with tombstones."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.problems import assert_problem
from tests.factories import article_payload


def test_feed_lists_changes_in_order_and_resumes_from_the_cursor(client: TestClient) -> None:
    start = client.get("/v1/changes").json()
    assert start["data"] == []
    assert start["has_more"] is False
    a = client.post("/v1/articles", json=article_payload()).json()["id"]
    b = client.post("/v1/articles", json=article_payload()).json()["id"]
    client.patch(f"/v1/articles/{a}", json={"title": "Renamed"})
    client.delete(f"/v1/articles/{b}")

    feed = client.get("/v1/changes", params={"since": start["next_cursor"]}).json()
    assert [(c["id"], c["action"]) for c in feed["data"]] == [
        (a, "created"),
        (b, "created"),
        (a, "updated"),
        (b, "deleted"),
    ]
    seqs = [c["seq"] for c in feed["data"]]
    assert seqs == sorted(seqs)
    assert all(c["resource"] == "article" for c in feed["data"])

    # Paging through with a small limit yields the same sequence, once each.
    seen, cursor = [], start["next_cursor"]
    while True:
        page = client.get("/v1/changes", params={"since": cursor, "limit": 3}).json()
        seen += [c["seq"] for c in page["data"]]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert seen == seqs
    # Up to date: polling again returns nothing and keeps the cursor.
    again = client.get("/v1/changes", params={"since": cursor}).json()
    assert again["data"] == []
    assert again["next_cursor"] == cursor


def test_failed_writes_leave_no_change(client: TestClient) -> None:
    payload = article_payload()
    payload["quotes"][0]["start"] += 1
    payload["quotes"][0]["end"] += 1
    assert client.post("/v1/articles", json=payload).status_code == 422
    assert client.get("/v1/changes").json()["data"] == []


def test_bad_change_cursor(client: TestClient) -> None:
    assert_problem(client.get("/v1/changes", params={"since": "123"}), 400)
    for _ in range(2):
        client.post("/v1/articles", json=article_payload())
    article_cursor = client.get("/v1/articles?limit=1").json()["next_cursor"]
    assert_problem(client.get("/v1/changes", params={"since": article_cursor}), 400)
