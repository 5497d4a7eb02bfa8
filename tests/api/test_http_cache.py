"""ETags, 304s, Cache-Control, and If-Match preconditions on writes."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.api.problems import assert_problem
from tests.factories import make_article


def test_get_has_a_strong_etag_and_304_on_match(client: TestClient, session: Session) -> None:
    art = make_article(session)
    resp = client.get(f"/v1/articles/{art.id}")
    etag = resp.headers["etag"]
    assert etag.startswith('"')
    assert not etag.startswith("W/")
    assert "no-cache" in resp.headers["cache-control"]
    assert "Accept" in resp.headers["vary"]
    again = client.get(f"/v1/articles/{art.id}", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    other = client.get(f"/v1/articles/{art.id}", headers={"If-None-Match": '"stale"'})
    assert other.status_code == 200


def test_lists_have_etags_that_change_with_the_data(client: TestClient, session: Session) -> None:
    make_article(session)
    first = client.get("/v1/articles").headers["etag"]
    assert client.get("/v1/articles", headers={"If-None-Match": first}).status_code == 304
    make_article(session)
    assert client.get("/v1/articles", headers={"If-None-Match": first}).status_code == 200


def test_if_match_prevents_lost_updates(client: TestClient, session: Session) -> None:
    art = make_article(session)
    etag = client.get(f"/v1/articles/{art.id}").headers["etag"]
    ok = client.patch(
        f"/v1/articles/{art.id}", json={"title": "First editor"}, headers={"If-Match": etag}
    )
    assert ok.status_code == 200
    assert ok.headers["etag"] != etag
    assert ok.headers["etag"] == client.get(f"/v1/articles/{art.id}").headers["etag"]
    late = client.patch(
        f"/v1/articles/{art.id}", json={"title": "Second editor"}, headers={"If-Match": etag}
    )
    doc = assert_problem(late, 412)
    assert late.headers["etag"] == ok.headers["etag"]
    assert "changed" in doc["detail"]
    assert client.get(f"/v1/articles/{art.id}").json()["title"] == "First editor"
    assert_problem(client.delete(f"/v1/articles/{art.id}", headers={"If-Match": etag}), 412)
    star = client.delete(f"/v1/articles/{art.id}", headers={"If-Match": "*"})
    assert star.status_code == 204


def test_create_returns_the_etag_of_what_a_get_returns(client: TestClient) -> None:
    from tests.factories import article_payload

    resp = client.post("/v1/articles", json=article_payload())
    assert resp.status_code == 201
    assert resp.headers["etag"] == client.get(resp.headers["location"]).headers["etag"]


def test_errors_carry_no_etag(client: TestClient) -> None:
    resp = client.get("/v1/articles/art_missing")
    assert resp.status_code == 404
    assert "etag" not in resp.headers
