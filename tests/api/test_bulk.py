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


def test_bulk_needs_ndjson_or_json_and_a_write_key(client: TestClient, anon: TestClient) -> None:
    resp = client.post(
        "/v1/articles/bulk", content=b"title,body\n", headers={"content-type": "text/csv"}
    )
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


RAW_TEXT = (
    "Ferry service resumes on the lake\n\nHarbour Courier\n\n"
    "Ferries crossed the lake again on Tuesday after a week of storms. "
    "\u201cThe crossings are safe once more,\u201d said Tomas Varga, the harbour master. "
    "At least 40 passengers were stranded on the far shore during the closure."
)


def test_many_batches_keep_every_result_in_order_and_nothing_half_written(
    client: TestClient,
) -> None:
    """More lines than one batch holds, bad lines and duplicates of lines of the same batch
    among them: each line's own result, in order; every created article whole, with one
    change-log entry; nothing of a refused line stored."""
    n = bulk.BATCH_LINES * 2 + 5
    payloads = [article_payload() for _ in range(n)]
    lines: list[bytes] = []
    expected: list[str] = []
    for i, payload in enumerate(payloads):
        lines.append(json.dumps(payload).encode())
        expected.append("created")
        if i % 9 == 4:
            lines.append(json.dumps(payload).encode())  # the same article again, same batch
            expected.append("duplicate")
        if i % 11 == 7:
            broken = dict(payload, url=f"{payload['url']}-broken", title=f"{payload['title']}!")
            figure = payload["statistics"][0]
            broken["statistics"] = [dict(figure, start=figure["start"] + 1, end=figure["end"] + 1)]
            lines.append(json.dumps(broken).encode())
            expected.append("error")
    lines.append(json.dumps({"text": RAW_TEXT}).encode())
    expected.append("created")
    results = _post(client, lines)
    assert [r["line"] for r in results] == list(range(1, len(lines) + 1))
    assert [r["status"] for r in results] == expected
    by_line = {r["line"]: r for r in results}
    for i, status in enumerate(expected, start=1):
        if status == "duplicate":
            assert by_line[i]["id"] == by_line[i - 1]["id"]
        if status == "error":
            assert by_line[i]["errors"][0]["type"] == "span_mismatch"
    created = [r["id"] for r in results if r["status"] == "created"]
    listed = client.get("/v1/articles?limit=100").json()["data"]
    assert sorted(a["id"] for a in listed) == sorted(created)
    for article_id in created[:: bulk.BATCH_LINES // 2] + created[-1:]:
        doc = client.get(f"/v1/articles/{article_id}").json()
        assert doc["quotes"]
        assert doc["statistics"]
        for item in doc["quotes"] + doc["statistics"]:
            assert doc["body"][item["start"] : item["end"]] == item["text"]
    raw = client.get(f"/v1/articles/{created[-1]}").json()
    assert raw["title"] == "Ferry service resumes on the lake"
    assert [q["speaker"]["name"] for q in raw["quotes"]] == ["Tomas Varga"]
    feed = client.get("/v1/changes?limit=1000&resource=article").json()["data"]
    assert sorted(c["id"] for c in feed if c["action"] == "created") == sorted(created)
    assert len(client.get("/v1/quotes?limit=100").json()["data"]) == len(created)


def test_speakers_and_places_are_shared_across_a_batch(client: TestClient) -> None:
    """Directory rows looked up once per batch still merge: one speaker and one place for
    every article naming them, the first article's rows reused by the later ones."""
    results = _post(client, [json.dumps(article_payload()).encode() for _ in range(5)])
    assert {r["status"] for r in results} == {"created"}
    speakers = client.get("/v1/speakers?name=iryna%20dovzhenko").json()["data"]
    assert [(s["name"], s["quote_count"]) for s in speakers] == [("Iryna Dovzhenko", 5)]
