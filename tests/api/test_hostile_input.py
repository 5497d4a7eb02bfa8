"""Hostile input on the article writes (issue 14)."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from tests.api.problems import assert_problem
from tests.factories import article_payload


def _bulk(client: TestClient, *items: dict[str, Any]) -> list[dict[str, Any]]:
    content = b"".join(json.dumps(item).encode() + b"\n" for item in items)
    resp = client.post(
        "/v1/articles/bulk", content=content, headers={"content-type": "application/x-ndjson"}
    )
    assert resp.status_code == 200, resp.text
    return [json.loads(line) for line in resp.text.splitlines()]


def _locs(doc: dict[str, Any]) -> list[list[str | int]]:
    return [e["loc"] for e in doc["errors"]]


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
