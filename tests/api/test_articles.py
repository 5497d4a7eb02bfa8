"""/v1/articles: create, read back, list, filter, page, update, delete."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.api.problems import assert_problem
from tests.factories import article_payload, make_article, span


def _create(client: TestClient, **overrides: Any) -> dict[str, Any]:
    resp = client.post("/v1/articles", json=article_payload(**overrides))
    assert resp.status_code == 201, resp.text
    return resp.json()  # type: ignore[no-any-return]


def test_create_reads_back_identically_with_provenance(client: TestClient) -> None:
    payload = article_payload()
    resp = client.post("/v1/articles", json=payload)
    assert resp.status_code == 201, resp.text
    created = resp.json()
    assert resp.headers["location"] == f"/v1/articles/{created['id']}"
    assert created["id"].startswith("art_")
    assert not created["id"].isdigit()

    got = client.get(resp.headers["location"]).json()
    assert got == created
    assert got["title"] == payload["title"]
    assert got["body"] == payload["body"]
    assert got["source"]["name"] == "Southern Ledger"
    assert got["source"]["domain"] == "southern-ledger.example"
    assert got["published_at"] == "2026-10-01T09:00:00Z"
    assert got["word_count"] == len(payload["body"].split())
    assert got["tags"] == ["water"]
    assert [loc["name"] for loc in got["locations"]] == ["Mykolaiv"]
    assert got["locations"][0]["primary"] is True
    (quote,) = got["quotes"]
    assert quote["speaker"]["name"] == "Iryna Dovzhenko"
    assert quote["speaker"]["role"] == "plant engineer"
    (stat,) = got["statistics"]
    assert stat["value"] == 12
    assert isinstance(stat["value"], int)
    assert stat["qualifier"] == "at_least"
    for item in got["quotes"] + got["statistics"]:
        assert got["body"][item["start"] : item["end"]] == item["text"]
        assert item["article_id"] == got["id"]


def test_span_that_does_not_match_the_body_is_refused_and_nothing_is_stored(
    client: TestClient,
) -> None:
    payload = article_payload()
    payload["statistics"][0]["start"] += 1
    payload["statistics"][0]["end"] += 1
    doc = assert_problem(client.post("/v1/articles", json=payload), 422)
    assert doc["errors"][0]["loc"] == ["body", "statistics", 0, "text"]
    assert client.get("/v1/articles").json()["data"] == []


def test_span_beyond_the_body_is_refused(client: TestClient) -> None:
    payload = article_payload()
    n = len(payload["body"])
    payload["quotes"][0].update(start=n, end=n + len(payload["quotes"][0]["text"]))
    doc = assert_problem(client.post("/v1/articles", json=payload), 422)
    assert "beyond the body" in doc["errors"][0]["msg"]


def test_invalid_fields_get_a_field_error_list(client: TestClient) -> None:
    doc = assert_problem(client.post("/v1/articles", json={"title": 5}), 422)
    locs = {tuple(e["loc"]) for e in doc["errors"]}
    assert ("body", "ArticleCreate", "title") in locs or any("title" in loc for loc in locs)


def test_malformed_json_is_a_400_problem(client: TestClient) -> None:
    resp = client.post(
        "/v1/articles", content=b'{"title": "broken', headers={"content-type": "application/json"}
    )
    assert_problem(resp, 400)


def test_unsupported_media_type(client: TestClient) -> None:
    resp = client.post("/v1/articles", content=b"<a/>", headers={"content-type": "text/xml"})
    assert_problem(resp, 415)


def test_empty_body_is_a_422_problem(client: TestClient) -> None:
    resp = client.post("/v1/articles", content=b"", headers={"content-type": "application/json"})
    assert_problem(resp, 422)


def test_oversized_body_is_a_413_problem(client: TestClient) -> None:
    huge = b'{"title": "x", "body": "' + b"a" * (3 * 1024 * 1024) + b'"}'
    resp = client.post("/v1/articles", content=huge, headers={"content-type": "application/json"})
    assert_problem(resp, 413)


def test_duplicate_canonical_url_is_a_conflict_naming_the_existing_article(
    client: TestClient,
) -> None:
    first = _create(client, url="https://Southern-Ledger.example/news/dam/")
    again = article_payload(
        url="https://southern-ledger.example:443/news/dam?utm_source=feed#top",
        title="Other title",
    )
    doc = assert_problem(client.post("/v1/articles", json=again), 409)
    assert doc["existing_id"] == first["id"]
    assert len(client.get("/v1/articles").json()["data"]) == 1


def test_duplicate_content_without_url_is_a_conflict(client: TestClient) -> None:
    first = _create(client, url=None)
    again = article_payload(url=None, title=first["title"], body=first["body"])
    doc = assert_problem(client.post("/v1/articles", json=again), 409)
    assert doc["existing_id"] == first["id"]


def test_unknown_article_is_a_404_problem(client: TestClient) -> None:
    doc = assert_problem(client.get("/v1/articles/art_doesnotexist"), 404)
    assert "art_doesnotexist" in doc["detail"]


def test_list_is_newest_first_and_light_by_default(client: TestClient, session: Session) -> None:
    old = make_article(session, published_at="2024-01-01T00:00:00Z")
    new = make_article(session, published_at="2024-02-01T00:00:00Z")
    resp = client.get("/v1/articles")
    data = resp.json()["data"]
    assert [a["id"] for a in data] == [new.id, old.id]
    assert "body" not in data[0]
    assert "quotes" not in data[0]
    assert data[0]["quote_count"] == 1
    assert data[0]["statistic_count"] == 1
    assert resp.json()["next_cursor"] is None
    assert 'rel="first"' in resp.headers["link"]


def test_include_embeds_body_quotes_and_statistics(client: TestClient, session: Session) -> None:
    art = make_article(session)
    (item,) = client.get("/v1/articles?include=body,quotes,statistics").json()["data"]
    assert item["body"] == art.body
    assert [q["text"] for q in item["quotes"]] == ["We are pumping by hand again,"]
    assert [s["metric"] for s in item["statistics"]] == ["injured"]
    assert_problem(client.get("/v1/articles?include=everything"), 422)


def test_cursor_pages_return_every_article_exactly_once(client: TestClient) -> None:
    made = {_create(client)["id"] for _ in range(23)}
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        resp = client.get(
            "/v1/articles", params={"limit": 7, "cursor": cursor} if cursor else {"limit": 7}
        )
        assert resp.status_code == 200
        doc = resp.json()
        seen += [a["id"] for a in doc["data"]]
        pages += 1
        cursor = doc["next_cursor"]
        if cursor is None:
            assert 'rel="next"' not in resp.headers["link"]
            break
        assert 'rel="next"' in resp.headers["link"]
        assert cursor in resp.headers["link"]
    assert pages == 4
    assert sorted(seen) == sorted(made)
    assert len(seen) == len(set(seen))


def test_pages_are_stable_when_newer_articles_arrive(client: TestClient, session: Session) -> None:
    for day in range(1, 7):
        make_article(session, published_at=f"2025-03-0{day}T12:00:00Z")
    first = client.get("/v1/articles?limit=3").json()
    make_article(session, published_at="2025-03-09T12:00:00Z")
    second = client.get("/v1/articles", params={"limit": 3, "cursor": first["next_cursor"]}).json()
    dates = [a["published_at"][:10] for a in first["data"] + second["data"]]
    assert dates == [f"2025-03-0{d}" for d in (6, 5, 4, 3, 2, 1)]


def test_same_timestamp_ties_are_broken_by_id(client: TestClient, session: Session) -> None:
    ids = {make_article(session, published_at="2025-05-05T05:05:05Z").id for _ in range(5)}
    a = client.get("/v1/articles?limit=2").json()
    b = client.get("/v1/articles", params={"limit": 2, "cursor": a["next_cursor"]}).json()
    c = client.get("/v1/articles", params={"limit": 2, "cursor": b["next_cursor"]}).json()
    got = [x["id"] for x in a["data"] + b["data"] + c["data"]]
    assert sorted(got) == sorted(ids)
    assert c["next_cursor"] is None


def test_forged_and_foreign_cursors_are_400_problems(client: TestClient, session: Session) -> None:
    for _ in range(3):
        make_article(session)
    good = client.get("/v1/articles?limit=1").json()["next_cursor"]
    assert_problem(client.get("/v1/articles", params={"cursor": "%%%not-a-cursor"}), 400)
    tampered = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    assert_problem(client.get("/v1/articles", params={"cursor": tampered}), 400)
    assert_problem(client.get("/v1/quotes", params={"cursor": good}), 400)


def test_limit_bounds_are_validated(client: TestClient) -> None:
    assert_problem(client.get("/v1/articles?limit=100000"), 422)
    assert_problem(client.get("/v1/articles?limit=0"), 422)
    assert client.get("/v1/articles?limit=100").status_code == 200


def test_filters(client: TestClient, session: Session) -> None:
    kyiv_body = (
        "Air defence intercepted drones over Kyiv. \u201cThe night was loud,\u201d said "
        "Rustem Umerov, the defence minister. More than 20 drones were shot down."
    )
    a = make_article(
        session,
        body=kyiv_body,
        source="Capital Courier",
        language="uk",
        published_at="2025-06-10T00:00:00Z",
        tags=["air-defence"],
        quotes=[
            {
                **span(kyiv_body, "The night was loud,"),
                "speaker": {"name": "Rustem Umerov", "role": "defence minister"},
            }
        ],
        statistics=[],
        locations=[{"name": "Kyiv", "kind": "city", "country_code": "UA"}],
    )
    b = make_article(session, published_at="2025-07-10T00:00:00Z")
    c = make_article(
        session,
        body="A calm day in Tbilisi with no reported incidents.",
        published_at="2025-08-10T00:00:00Z",
        locations=[{"name": "Tbilisi", "kind": "city", "country_code": "GE"}],
    )

    def ids(query: str) -> list[str]:
        resp = client.get(f"/v1/articles?{query}")
        assert resp.status_code == 200, resp.text
        return [x["id"] for x in resp.json()["data"]]

    assert ids("source=capital%20courier") == [a.id]
    assert ids("language=uk") == [a.id]
    assert ids("published_from=2025-07-01T00:00:00Z") == [c.id, b.id]
    assert ids("published_to=2025-07-01T00:00:00Z") == [a.id]
    assert ids("speaker=RUSTEM%20UMEROV") == [a.id]
    assert ids("speaker=Iryna%20Dovzhenko") == [b.id]
    assert ids("location=kyiv") == [a.id]
    assert ids("country=ge") == [c.id]
    assert ids("tag=air-defence") == [a.id]
    assert ids("has_quotes=false") == [c.id]
    assert ids("has_statistics=true") == [b.id]
    assert ids(f"source_id={a.source_id}") == [a.id]
    assert ids("speaker=nobody") == []
    assert_problem(client.get("/v1/articles?published_from=yesterday"), 422)
    assert_problem(
        client.get(
            "/v1/articles?published_from=2025-02-01T00:00:00Z&published_to=2025-01-01T00:00:00Z"
        ),
        422,
    )


def test_patch_changes_only_what_is_sent(client: TestClient) -> None:
    art = _create(client)
    resp = client.patch(f"/v1/articles/{art['id']}", json={"title": "Water station repaired"})
    assert resp.status_code == 200, resp.text
    got = resp.json()
    assert got["title"] == "Water station repaired"
    assert got["body"] == art["body"]
    assert got["quotes"] == art["quotes"]
    assert got["updated_at"] >= art["updated_at"]
    assert client.get(f"/v1/articles/{art['id']}").json()["title"] == "Water station repaired"


def test_patch_published_at_reorders_the_list(client: TestClient) -> None:
    a = _create(client, published_at="2025-01-01T00:00:00Z")
    b = _create(client, published_at="2025-02-01T00:00:00Z")
    client.patch(f"/v1/articles/{a['id']}", json={"published_at": "2025-03-01T00:00:00Z"})
    assert [x["id"] for x in client.get("/v1/articles").json()["data"]] == [a["id"], b["id"]]


def test_patch_with_a_bad_span_changes_nothing(client: TestClient) -> None:
    art = _create(client)
    bad = {"title": "Changed", "quotes": [{"text": "nope", "start": 0, "end": 4}]}
    assert_problem(client.patch(f"/v1/articles/{art['id']}", json=bad), 422)
    assert client.get(f"/v1/articles/{art['id']}").json() == art


def test_patch_rejects_null_title_and_unknown_fields(client: TestClient) -> None:
    art = _create(client)
    assert_problem(client.patch(f"/v1/articles/{art['id']}", json={"title": None}), 422)
    assert_problem(client.patch(f"/v1/articles/{art['id']}", json={"colour": "red"}), 422)


def test_patch_url_onto_another_articles_url_is_a_conflict(client: TestClient) -> None:
    a = _create(client)
    b = _create(client)
    doc = assert_problem(client.patch(f"/v1/articles/{b['id']}", json={"url": a["url"]}), 409)
    assert doc["existing_id"] == a["id"]


def test_patch_replacing_quotes_keeps_provenance(client: TestClient) -> None:
    art = _create(client)
    body = art["body"]
    new_quotes = [
        {
            **span(body, "At least 12 people"),
            "kind": "indirect",
            "speaker": {"name": "Regional police"},
        }
    ]
    got = client.patch(f"/v1/articles/{art['id']}", json={"quotes": new_quotes}).json()
    assert [(q["text"], q["kind"]) for q in got["quotes"]] == [("At least 12 people", "indirect")]
    assert got["statistics"] == art["statistics"]


def test_delete_removes_the_article_and_its_children(client: TestClient) -> None:
    art = _create(client)
    resp = client.delete(f"/v1/articles/{art['id']}")
    assert resp.status_code == 204
    assert resp.content == b""
    assert_problem(client.get(f"/v1/articles/{art['id']}"), 404)
    assert client.get(f"/v1/quotes?article_id={art['id']}").json()["data"] == []
    assert client.get(f"/v1/statistics?article_id={art['id']}").json()["data"] == []
    assert_problem(client.get(f"/v1/quotes/{art['quotes'][0]['id']}"), 404)
    speakers = client.get("/v1/speakers?name=Iryna%20Dovzhenko").json()["data"]
    assert [s["quote_count"] for s in speakers] == [0]
    assert_problem(client.delete(f"/v1/articles/{art['id']}"), 404)


def test_naive_timestamps_are_taken_as_utc(client: TestClient) -> None:
    art = _create(client, published_at="2025-04-01T10:00:00+02:00")
    assert art["published_at"] == "2025-04-01T08:00:00Z"
    art = _create(client, published_at="2025-04-02T10:00:00")
    assert art["published_at"] == "2025-04-02T10:00:00Z"
