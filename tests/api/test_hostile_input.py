"""Hostile input on the article writes (issue 14): malformed URLs, NUL characters, bodies
too large for PATCH, errors of the form the client meant, and PATCH's re-extraction."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from app.services import api_keys as key_service
from tests.api.problems import assert_problem
from tests.factories import article_payload, span

MALFORMED_URLS = [
    "http://news.example:abc/story",  # port not a number
    "http://news.example:99999/story",  # port out of range
    "http://news.example:-1/story",
    "http://[::1/story",  # unbalanced IPv6 bracket
    "http://]news.example/story",
    "http:///story",  # empty host
    "http://user@:80/story",
    "http://news.example/a\x01b",  # control characters
    "http://news.example/a\x7fb",
]

NEW_BODY = (
    "Shelling resumed at dawn. \u201cWe hold the line,\u201d said Olena Kovalenko, a commander. "
    "At least 5 people were killed in Kherson."
)


def _create(client: TestClient, **overrides: Any) -> dict[str, Any]:
    resp = client.post("/v1/articles", json=article_payload(**overrides))
    assert resp.status_code == 201, resp.text
    return resp.json()  # type: ignore[no-any-return]


def _bulk(client: TestClient, *items: dict[str, Any]) -> list[dict[str, Any]]:
    content = b"".join(json.dumps(item).encode() + b"\n" for item in items)
    resp = client.post(
        "/v1/articles/bulk", content=content, headers={"content-type": "application/x-ndjson"}
    )
    assert resp.status_code == 200, resp.text
    return [json.loads(line) for line in resp.text.splitlines()]


def _locs(doc: dict[str, Any]) -> list[list[str | int]]:
    return [e["loc"] for e in doc["errors"]]


# --- malformed URLs ------------------------------------------------------------------


@pytest.mark.parametrize("url", MALFORMED_URLS)
def test_malformed_url_is_a_422_naming_the_url_on_every_write(client: TestClient, url: str) -> None:
    doc = assert_problem(client.post("/v1/articles", json=article_payload(url=url)), 422)
    assert _locs(doc) == [["body", "url"]]
    raw = {"text": "Convoy reaches Sumy\n\nAn aid convoy of 14 trucks reached Sumy.", "url": url}
    doc = assert_problem(client.post("/v1/articles", json=raw), 422)
    assert _locs(doc) == [["body", "url"]]
    art = _create(client)
    doc = assert_problem(client.patch(f"/v1/articles/{art['id']}", json={"url": url}), 422)
    assert _locs(doc) == [["body", "url"]]
    assert client.get(f"/v1/articles/{art['id']}").json()["url"] == art["url"]
    (result,) = _bulk(client, article_payload(url=url))
    assert result["status"] == "error"
    assert [e["loc"] for e in result["errors"]] == [["url"]]


def test_an_ipv6_url_is_stored_and_keeps_its_brackets(client: TestClient) -> None:
    art = _create(client, url="http://[2001:db8::1]:8080/story")
    assert art["url"] == "http://[2001:db8::1]:8080/story"
    again = article_payload(url="http://[2001:DB8::1]:8080/story/", title="Other")
    assert assert_problem(client.post("/v1/articles", json=again), 409)["existing_id"] == art["id"]


_URLISH = st.builds(
    lambda scheme, host, port, rest: f"{scheme}{host}{port}{rest}",
    st.sampled_from(["http://", "https://"]),
    st.text(alphabet="ab.-[]:@%1", max_size=12),
    st.one_of(st.just(""), st.text(alphabet="0123456789:+-x ", max_size=7).map(":{}".format)),
    st.text(max_size=12),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(url=_URLISH)
def test_no_url_shape_gives_a_server_error(client: TestClient, url: str) -> None:
    payload = article_payload(url=url, quotes=None)
    del payload["quotes"]
    resp = client.post("/v1/articles", json=payload)
    assert resp.status_code in (201, 409, 422), resp.text
    if resp.status_code == 422:
        assert _locs(resp.json()) == [["body", "url"]]


# --- NUL characters ------------------------------------------------------------------


def _with_nul(payload: dict[str, Any], path: tuple[str | int, ...]) -> dict[str, Any]:
    target: Any = payload
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = "a\x00b"
    return payload


STRUCTURED_FIELDS: list[tuple[str | int, ...]] = [
    ("title",),
    ("source",),
    ("source_domain",),
    ("authors", 0),
    ("tags", 0),
    ("quotes", 0, "cue"),
    ("quotes", 0, "context"),
    ("quotes", 0, "speaker", "name"),
    ("quotes", 0, "speaker", "role"),
    ("statistics", 0, "unit"),
    ("statistics", 0, "metric"),
    ("statistics", 0, "subject"),
    ("statistics", 0, "sentence"),
]


@pytest.mark.parametrize("path", STRUCTURED_FIELDS, ids=lambda p: ".".join(map(str, p)))
def test_nul_in_any_structured_field_is_refused_naming_it(
    client: TestClient, path: tuple[str | int, ...]
) -> None:
    payload = _with_nul(article_payload(), path)
    doc = assert_problem(client.post("/v1/articles", json=payload), 422)
    field = ["body", *path[:-1]] if isinstance(path[-1], int) else ["body", *path]
    assert _locs(doc) == [field]
    assert "NUL" in doc["errors"][0]["msg"]
    assert client.get("/v1/articles").json()["data"] == []
    (result,) = _bulk(client, _with_nul(article_payload(), path))
    assert [e["loc"] for e in result["errors"]] == [field[1:]]


def test_nul_in_the_body_raw_text_or_a_patch_is_refused_naming_the_field(
    client: TestClient,
) -> None:
    doc = assert_problem(client.post("/v1/articles", json=article_payload(body="x\x00y")), 422)
    assert _locs(doc) == [["body", "body"]]
    doc = assert_problem(client.post("/v1/articles", json={"text": "Title\n\nBody \x00."}), 422)
    assert _locs(doc) == [["body", "text"]]
    (result,) = _bulk(client, {"text": "Title\n\nBody \x00."})
    assert [e["loc"] for e in result["errors"]] == [["text"]]
    art = _create(client)
    for field in ("title", "body", "source"):
        resp = client.patch(f"/v1/articles/{art['id']}", json={field: "a\x00b"})
        assert _locs(assert_problem(resp, 422)) == [["body", field]]
    resp = client.patch(f"/v1/articles/{art['id']}", json={"tags": ["ok", "a\x00b"]})
    assert _locs(assert_problem(resp, 422)) == [["body", "tags"]]
    assert client.get(f"/v1/articles/{art['id']}").json() == art


def test_other_control_characters_are_stored_exactly(client: TestClient) -> None:
    body = "Line one\twith a tab.\r\nLine two \x01\x1b[0m and \x7f, as sent."
    title = "Title\twith \x07 bell"
    art = _create(client, body=body, title=title, url=None, quotes=[], statistics=[])
    got = client.get(f"/v1/articles/{art['id']}").json()
    assert (got["title"], got["body"]) == (title, body)


# --- 413 on PATCH, and in every operation that takes a body ------------------------------


def test_oversized_patch_is_a_413_problem(client: TestClient) -> None:
    art = _create(client)
    huge = b'{"body": "' + b"a" * (3 * 1024 * 1024) + b'"}'
    resp = client.patch(
        f"/v1/articles/{art['id']}", content=huge, headers={"content-type": "application/json"}
    )
    assert_problem(resp, 413)


def test_every_operation_that_takes_a_body_documents_413(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    with_body = [
        (method, path, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "requestBody" in op
    ]
    assert {(m, p) for m, p, _ in with_body} >= {
        ("post", "/v1/articles"),
        ("patch", "/v1/articles/{article_id}"),
        ("post", "/v1/articles/bulk"),
        ("post", "/v1/extract"),
    }
    for method, path, op in with_body:
        assert "413" in op["responses"], f"{method} {path}"
        assert "application/problem+json" in op["responses"]["413"]["content"]


# --- errors of the form the client meant ---------------------------------------------------


def test_a_structured_body_gets_only_structured_errors(client: TestClient) -> None:
    payload = article_payload()
    payload["statistics"][0]["end"] = payload["statistics"][0]["start"]
    doc = assert_problem(client.post("/v1/articles", json=payload), 422)
    assert _locs(doc) == [["body", "statistics", 0]]
    assert doc["detail"] == "1 field(s) failed validation; see `errors`."
    doc = assert_problem(client.post("/v1/articles", json={"title": 5}), 422)
    assert sorted(map(tuple, _locs(doc))) == [("body", "body"), ("body", "title")]
    (result,) = _bulk(client, payload)
    assert [e["loc"] for e in result["errors"]] == [["statistics", 0]]


def test_a_raw_body_gets_only_raw_errors(client: TestClient) -> None:
    doc = assert_problem(client.post("/v1/articles", json={"text": "", "colour": "red"}), 422)
    assert sorted(map(tuple, _locs(doc))) == [("body", "colour"), ("body", "text")]
    assert not any("title" in str(loc) for loc in _locs(doc))


def test_both_forms_still_succeed(client: TestClient) -> None:
    assert client.post("/v1/articles", json=article_payload()).status_code == 201
    raw = {"text": "Convoy reaches Sumy\n\nAn aid convoy of 14 trucks reached Sumy overnight."}
    created = client.post("/v1/articles", json=raw)
    assert created.status_code == 201, created.text
    assert created.json()["title"] == "Convoy reaches Sumy"


# --- PATCH with a new body re-extracts and says how much -----------------------------------


def test_patch_with_a_new_body_re_extracts_and_counts_in_a_header(client: TestClient) -> None:
    art = _create(client)
    resp = client.patch(f"/v1/articles/{art['id']}", json={"body": NEW_BODY})
    assert resp.status_code == 200, resp.text
    got = resp.json()
    assert [q["text"] for q in got["quotes"]] == ["We hold the line,"]
    assert got["quotes"][0]["speaker"]["name"] == "Olena Kovalenko"
    assert [(s["value"], s["metric"]) for s in got["statistics"]] == [(5, "killed")]
    for item in got["quotes"] + got["statistics"]:
        assert NEW_BODY[item["start"] : item["end"]] == item["text"]
    assert resp.headers["x-extracted"] == "quotes=1; statistics=1"
    assert client.get(f"/v1/articles/{art['id']}").json() == got


def test_patch_header_counts_only_the_extracted_lists(client: TestClient) -> None:
    art = _create(client)
    quotes = [{**span(NEW_BODY, "We hold the line,"), "speaker": {"name": "O. Kovalenko"}}]
    resp = client.patch(f"/v1/articles/{art['id']}", json={"body": NEW_BODY, "quotes": quotes})
    assert resp.status_code == 200, resp.text
    assert resp.headers["x-extracted"] == "statistics=1"
    assert resp.json()["quotes"][0]["speaker"]["name"] == "O. Kovalenko"
    both = {"body": art["body"], "quotes": [], "statistics": []}
    resp = client.patch(f"/v1/articles/{art['id']}", json=both)
    assert resp.status_code == 200, resp.text
    assert "x-extracted" not in resp.headers
    resp = client.patch(f"/v1/articles/{art['id']}", json={"title": "Only the title"})
    assert "x-extracted" not in resp.headers


# --- NUL in a path or query parameter ---------------------------------------------------

NUL_PATHS = [
    "/v1/articles/art_%00",
    "/v1/quotes/quo_%00",
    "/v1/statistics/sta_%00",
    "/v1/speakers/spk_%00",
    "/v1/sources/src_%00",
    "/v1/locations/loc_%00",
]
NUL_QUERIES = [
    ("/v1/articles", "tag"),
    ("/v1/articles", "speaker_id"),
    ("/v1/articles", "q"),
    ("/v1/sources", "domain"),
    ("/v1/speakers", "name"),
    ("/v1/quotes", "speaker"),
    ("/v1/statistics", "location"),
]


def test_nul_in_a_path_or_query_parameter_is_a_422_naming_it(client: TestClient) -> None:
    for path in NUL_PATHS:
        name = path.split("/")[2][:-1] + "_id"
        assert _locs(assert_problem(client.get(path), 422)) == [["path", name]], path
    art = _create(client)
    for method in ("PATCH", "DELETE"):
        resp = client.request(method, "/v1/articles/art_%00", json={"title": "x"})
        assert _locs(assert_problem(resp, 422)) == [["path", "article_id"]]
    for path, param in NUL_QUERIES:
        doc = assert_problem(client.get(path, params={param: "a\x00b"}), 422)
        assert _locs(doc) == [["query", param]], (path, param)
    assert client.get(f"/v1/articles/{art['id']}").json() == art


# --- hostile input on /v1/keys -------------------------------------------------------------


@pytest.fixture
def admin(client: TestClient, session: Session) -> TestClient:
    _, new = key_service.create_key(session, "hostile admin", "admin")
    session.commit()
    client.headers["Authorization"] = f"Bearer {new.plaintext}"
    return client


BAD_KEY_BODIES: list[tuple[Any, list[list[str | int]]]] = [
    ({"name": "x", "scopes": ["root"]}, [["body", "scopes", 0]]),
    ({"name": "x", "scopes": []}, [["body", "scopes"]]),
    ({"name": "x", "scopes": "read"}, [["body", "scopes"]]),
    ({"scopes": ["read"]}, [["body", "name"]]),
    ({"name": "   ", "scopes": ["read"]}, [["body", "name"]]),
    ({"name": "a\x00b", "scopes": ["read"]}, [["body", "name"]]),
    ({"name": "x" * 201, "scopes": ["read"]}, [["body", "name"]]),
    ({"name": "x", "scopes": ["read"], "key": "cn_00000000_chosen"}, [["body", "key"]]),
    ({"name": "x", "scopes": ["read"], "expires_at": "soon"}, [["body", "expires_at"]]),
    (
        {"name": "x", "scopes": ["read"], "expires_at": "2001-01-01T00:00:00Z"},
        [["body", "expires_at"]],
    ),
    (["read"], [["body"]]),
]


@pytest.mark.parametrize(("body", "locs"), BAD_KEY_BODIES)
def test_bad_key_bodies_are_422s_naming_the_field_and_write_nothing(
    admin: TestClient, body: Any, locs: list[list[str | int]]
) -> None:
    before = admin.get("/v1/keys/events").json()["data"]
    doc = assert_problem(admin.post("/v1/keys", json=body), 422)
    assert _locs(doc) == locs
    assert admin.get("/v1/keys/events").json()["data"] == before


@pytest.mark.parametrize(
    "body",
    [{"grace_seconds": -1}, {"grace_seconds": 10**9}, {"grace_seconds": "soon"}, {"grace": 5}],
)
def test_bad_rotations_are_422s_and_leave_the_key_alone(admin: TestClient, body: Any) -> None:
    made = admin.post("/v1/keys", json={"name": "target", "scopes": ["read"]}).json()
    doc = assert_problem(admin.post(f"/v1/keys/{made['id']}/rotate", json=body), 422)
    assert _locs(doc)[0][0] == "body"
    got = admin.get(f"/v1/keys/{made['id']}").json()
    assert (got["state"], got["expires_at"]) == ("active", None)
    assert admin.get("/v1/articles", headers={"X-API-Key": made["key"]}).status_code == 200


def test_key_paths_and_queries_never_give_a_server_error(admin: TestClient) -> None:
    assert_problem(admin.get("/v1/keys/" + "k" * 65), 422)
    assert_problem(admin.post("/v1/keys/" + "k" * 65 + "/rotate"), 422)
    assert _locs(assert_problem(admin.delete("/v1/keys/key_%00"), 422)) == [["path", "key_id"]]
    doc = assert_problem(admin.get("/v1/keys/events", params={"key_id": "a\x00"}), 422)
    assert _locs(doc) == [["query", "key_id"]]
    assert_problem(admin.get("/v1/keys", params={"state": "lost"}), 422)
    assert_problem(admin.get("/v1/keys", params={"limit": 0}), 422)
    assert_problem(admin.get("/v1/keys", params={"cursor": "not-a-cursor"}), 400)
    _create(admin)
    _create(admin)
    cursor = admin.get("/v1/articles", params={"limit": 1}).json()["next_cursor"]
    # another list's cursor does not fit this one
    assert_problem(admin.get("/v1/keys", params={"cursor": cursor}), 400)
    assert_problem(admin.get("/v1/keys/events", params={"action": "deleted"}), 422)
    resp = admin.post(
        "/v1/keys",
        content=b'{"name": "x", "scopes": [',
        headers={"content-type": "application/json"},
    )
    assert resp.status_code in (400, 422)
    assert_problem(resp, resp.status_code)
    huge = b'{"name": "' + b"a" * (3 * 1024 * 1024) + b'", "scopes": ["read"]}'
    resp = admin.post("/v1/keys", content=huge, headers={"content-type": "application/json"})
    assert_problem(resp, 413)
