"""The change feed: every create, update and delete, in order, with tombstones."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.services import api_keys as key_service
from tests.api.problems import assert_problem
from tests.api.test_query_count import counting
from tests.factories import article_payload


def test_feed_lists_changes_in_order_and_resumes_from_the_cursor(client: TestClient) -> None:
    start = client.get("/v1/changes").json()
    assert start["data"] == []
    assert start["has_more"] is False
    a = client.post("/v1/articles", json=article_payload()).json()["id"]
    b = client.post("/v1/articles", json=article_payload()).json()["id"]
    client.patch(f"/v1/articles/{a}", json={"title": "Renamed"})
    client.delete(f"/v1/articles/{b}")

    feed = client.get(
        "/v1/changes", params={"since": start["next_cursor"], "resource": "article"}
    ).json()
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
        page = client.get(
            "/v1/changes", params={"since": cursor, "limit": 3, "resource": "article"}
        ).json()
        seen += [c["seq"] for c in page["data"]]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert seen == seqs
    # Up to date: polling again returns nothing and keeps the cursor.
    again = client.get("/v1/changes", params={"since": cursor, "resource": "article"}).json()
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


def _admin(session: Session) -> dict[str, str]:
    _, new = key_service.create_key(session, "feed admin", "read,write,admin")
    session.commit()
    return {"Authorization": f"Bearer {new.plaintext}"}


def _feed(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    return list(client.get("/v1/changes", params=params).json()["data"])


def test_directory_rows_are_in_the_feed_before_the_article_that_made_them(
    client: TestClient, session: Session
) -> None:
    first = client.post("/v1/articles", json=article_payload()).json()
    changes = _feed(client)
    speaker_id = first["quotes"][0]["speaker"]["id"]
    assert [(c["resource"], c["id"], c["action"]) for c in changes] == [
        ("source", first["source"]["id"], "created"),
        ("location", first["locations"][0]["id"], "created"),
        ("speaker", speaker_id, "created"),
        ("article", first["id"], "created"),
    ]
    # A second article by the same publisher, speaker and place adds only itself.
    second = client.post("/v1/articles", json=article_payload()).json()
    assert [(c["resource"], c["id"]) for c in _feed(client)[4:]] == [("article", second["id"])]


def test_speaker_renamed_and_merged_and_source_terms_are_updates(
    client: TestClient, session: Session
) -> None:
    body = "\u201cThe lines held,\u201d Marchuk said after the shelling stopped."
    quote = {"text": "The lines held,", "start": 1, "end": 16, "speaker": {"name": "Marchuk"}}
    short = client.post(
        "/v1/articles", json=article_payload(body=body, quotes=[quote], statistics=[])
    ).json()
    speaker_id = short["quotes"][0]["speaker"]["id"]
    cursor = client.get("/v1/changes").json()["next_cursor"]
    fuller = {**quote, "speaker": {"name": "Taras Marchuk"}}
    client.post("/v1/articles", json=article_payload(body=body, quotes=[fuller], statistics=[]))
    renamed = _feed(client, since=cursor, resource="speaker")
    assert [(c["id"], c["action"]) for c in renamed] == [(speaker_id, "updated")]
    speaker = client.get(f"/v1/speakers/{speaker_id}").json()
    assert (speaker["name"], speaker["aliases"]) == ("Taras Marchuk", ["Marchuk"])

    cursor = client.get("/v1/changes").json()["next_cursor"]
    source_id = short["source"]["id"]
    terms = {"licence": "cc-by-4.0", "attribution": "Southern Ledger, CC BY 4.0"}
    assert client.patch(f"/v1/sources/{source_id}", json=terms, headers=_admin(session)).is_success
    assert [(c["resource"], c["id"], c["action"]) for c in _feed(client, since=cursor)] == [
        ("source", source_id, "updated")
    ]


def test_resource_filter_keeps_order_and_cursor(client: TestClient) -> None:
    ids = [client.post("/v1/articles", json=article_payload()).json()["id"] for _ in range(3)]
    everything = _feed(client)
    only = _feed(client, resource="article,source")
    assert [c["seq"] for c in only] == [
        c["seq"] for c in everything if c["resource"] in {"article", "source"}
    ]
    assert [c["id"] for c in only if c["resource"] == "article"] == ids
    page = client.get("/v1/changes", params={"resource": "article", "limit": 2}).json()
    rest = _feed(client, resource="article", since=page["next_cursor"])
    assert [c["id"] for c in page["data"] + rest] == ids


def test_include_document_carries_what_each_get_returns(client: TestClient) -> None:
    a = client.post("/v1/articles", json=article_payload()).json()
    b = client.post("/v1/articles", json=article_payload()).json()
    client.patch(f"/v1/articles/{a['id']}", json={"title": "Pumps restored in Mykolaiv"})
    client.delete(f"/v1/articles/{b['id']}")
    feed = _feed(client, include="document")
    for change in feed:
        if change["resource"] == "article" and change["id"] == b["id"]:
            assert change["document"] is None  # deleted since: a tombstone's state
            continue
        own = client.get(f"/v1/{change['resource']}s/{change['id']}")
        assert change["document"] == own.json(), change
    titles = {c["document"]["title"] for c in feed if c["resource"] == "article" and c["document"]}
    assert titles == {"Pumps restored in Mykolaiv"}
    assert all("document" not in c for c in _feed(client))


def test_include_document_reads_a_page_in_constant_queries(
    client: TestClient, session: Session, engine: Engine
) -> None:
    for _ in range(2):
        client.post("/v1/articles", json=article_payload())
    client.get("/v1/changes?include=document")  # warm-up: the key's last_used_at write
    with counting(engine) as few:
        assert client.get("/v1/changes?include=document&limit=1000").status_code == 200
    for n in range(20):
        client.post("/v1/articles", json=article_payload(source=f"Paper {n}"))
    with counting(engine) as many:
        assert client.get("/v1/changes?include=document&limit=1000").status_code == 200
    assert len(many) == len(few), (few, many)


def test_unknown_resource_or_include_is_a_problem(client: TestClient) -> None:
    for params in ({"resource": "article,webhook"}, {"resource": ","}, {"include": "quotes"}):
        doc = assert_problem(client.get("/v1/changes", params=params), 422)
        assert doc["errors"][0]["loc"][0] == "query"
