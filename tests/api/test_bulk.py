"""Bulk NDJSON import: a result per line, in order; bad lines never spoil the others."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from app.services import bulk
from tests.api.problems import assert_problem
from tests.factories import article_payload


def _post(client: TestClient, lines: list[bytes]) -> list[dict[str, Any]]:
    resp = client.post(
        "/v1/articles/bulk",
        content=b"\n".join(lines) + b"\n",
        headers={"content-type": "application/x-ndjson"},
    )
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].startswith("application/x-ndjson")
    return [json.loads(x) for x in resp.text.splitlines()]


def test_each_line_gets_its_result_in_order(client: TestClient) -> None:
    a = article_payload()
    bad_span = article_payload()
    bad_span["statistics"][0]["start"] += 1
    bad_span["statistics"][0]["end"] += 1
    lines = [
        json.dumps(a).encode(),
        b'{"title": "broken',
        json.dumps({"title": 5}).encode(),
        b"",
        json.dumps(a).encode(),  # same URL again
        json.dumps(bad_span).encode(),
        json.dumps(article_payload()).encode(),
    ]
    results = _post(client, lines)
    assert [(r["line"], r["status"]) for r in results] == [
        (1, "created"),
        (2, "error"),
        (3, "error"),
        (5, "duplicate"),
        (6, "error"),
        (7, "created"),
    ]
    assert results[3]["id"] == results[0]["id"]
    assert results[1]["detail"] == "not valid JSON"
    assert any("title" in str(e["loc"]) for e in results[2]["errors"])
    assert results[4]["errors"][0]["type"] == "span_mismatch"
    stored = client.get("/v1/articles?include=quotes,statistics").json()["data"]
    assert len(stored) == 2
    # Nothing half-written: no quote or statistic without its article.
    assert len(client.get("/v1/quotes").json()["data"]) == 2
    assert len(client.get("/v1/statistics").json()["data"]) == 2


def test_overlong_line_is_reported_and_the_rest_imported(client: TestClient) -> None:
    huge = b'{"title": "x", "body": "' + b"y" * (bulk.MAX_LINE_BYTES + 10) + b'"}'
    results = _post(client, [huge, json.dumps(article_payload()).encode()])
    assert [r["status"] for r in results] == ["error", "created"]
    assert "longer than" in results[0]["detail"]


def test_bulk_needs_ndjson_and_a_write_key(client: TestClient, anon: TestClient) -> None:
    resp = client.post("/v1/articles/bulk", json=[article_payload()])
    assert_problem(resp, 415)
    resp = anon.post(
        "/v1/articles/bulk", content=b"{}\n", headers={"content-type": "application/x-ndjson"}
    )
    assert_problem(resp, 401)


def test_last_line_without_newline_is_read(client: TestClient) -> None:
    resp = client.post(
        "/v1/articles/bulk",
        content=json.dumps(article_payload()).encode(),
        headers={"content-type": "application/x-ndjson"},
    )
    assert [json.loads(x)["status"] for x in resp.text.splitlines()] == ["created"]
