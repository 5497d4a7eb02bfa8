"""Bulk import as a JSON array: the same per-item results as NDJSON, as a JSON array, and an
OpenAPI entry a client generator can use (JSON first)."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from tests.api.problems import assert_problem
from tests.factories import article_payload

RAW = {
    "text": "Bridge reopens to lorries\n\nValley Gazette\n\n"
    "Engineers reopened the river bridge to lorries on Monday. "
    "\u201cThe repairs held through the night,\u201d said Nadia Sorel, the county engineer. "
    "More than 300 lorries crossed in the first hour."
}


def _post(client: TestClient, items: Any) -> list[dict[str, Any]]:
    resp = client.post("/v1/articles/bulk", json=items)
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    results: list[dict[str, Any]] = resp.json()
    return results


def test_an_array_gets_one_result_per_item_in_order(client: TestClient) -> None:
    a = article_payload()
    bad_span = article_payload()
    bad_span["statistics"][0]["start"] += 1
    bad_span["statistics"][0]["end"] += 1
    items = [a, {"title": 5}, a, bad_span, RAW, "not an article", article_payload()]
    results = _post(client, items)
    assert [(r["line"], r["status"]) for r in results] == [
        (1, "created"),
        (2, "error"),
        (3, "duplicate"),
        (4, "error"),
        (5, "created"),
        (6, "error"),
        (7, "created"),
    ]
    assert results[2]["id"] == results[0]["id"]
    assert any("title" in str(e["loc"]) for e in results[1]["errors"])
    assert results[3]["errors"][0]["type"] == "span_mismatch"
    raw = client.get(f"/v1/articles/{results[4]['id']}").json()
    assert raw["title"] == "Bridge reopens to lorries"
    assert [q["speaker"]["name"] for q in raw["quotes"]] == ["Nadia Sorel"]
    stored = client.get("/v1/articles").json()["data"]
    assert sorted(x["id"] for x in stored) == sorted(
        r["id"] for r in results if r["status"] == "created"
    )


def test_json_and_ndjson_answer_alike(client: TestClient) -> None:
    items = [article_payload(), {"title": 7}, RAW]
    ndjson = b"".join(json.dumps(x).encode() + b"\n" for x in items)
    resp = client.post(
        "/v1/articles/bulk", content=ndjson, headers={"content-type": "application/x-ndjson"}
    )
    first = [json.loads(x) for x in resp.text.splitlines()]
    again = _post(client, items)
    assert [r["status"] for r in first] == ["created", "error", "created"]
    assert [r["status"] for r in again] == ["duplicate", "error", "duplicate"]
    assert [r.get("id") for r in again] == [r.get("id") for r in first]
    assert again[1] == first[1]


def test_an_empty_array_gets_an_empty_array(client: TestClient) -> None:
    assert _post(client, []) == []


def test_a_body_that_is_not_an_array_is_a_problem(client: TestClient) -> None:
    resp = client.post("/v1/articles/bulk", json=article_payload())
    doc = assert_problem(resp, 422)
    assert doc["errors"][0]["loc"] == ["body"]
    resp = client.post(
        "/v1/articles/bulk", content=b"[{", headers={"content-type": "application/json"}
    )
    assert_problem(resp, 400)


def test_openapi_offers_json_first(client: TestClient) -> None:
    op = client.get("/openapi.json").json()["paths"]["/v1/articles/bulk"]["post"]
    body = op["requestBody"]["content"]
    # JSON only in `content`, so generators model the whole operation; NDJSON, still read by
    # Content-Type, is named beside it in `x-also-accepts` and in the description.
    assert list(body) == ["application/json"]
    also = op["requestBody"]["x-also-accepts"]
    assert list(also) == [
        "application/x-ndjson",
        "application/ndjson",
        "application/jsonl",
        "text/plain",
    ]
    assert also["application/x-ndjson"]["example"].count("\n") == 3
    assert "application/x-ndjson" in op["requestBody"]["description"]
    assert body["application/json"]["schema"]["type"] == "array"
    refs = {x["$ref"] for x in body["application/json"]["schema"]["items"]["oneOf"]}
    assert refs == {"#/components/schemas/ArticleCreate", "#/components/schemas/RawArticleCreate"}
    ok = op["responses"]["200"]["content"]
    assert next(iter(ok)) == "application/json"
    schema = ok["application/json"]["schema"]
    assert schema["type"] == "array"
    assert schema["items"]["$ref"] == "#/components/schemas/BulkResult"
