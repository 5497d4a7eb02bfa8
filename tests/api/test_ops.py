"""Health, readiness, request ids, error shapes for unknown routes, OpenAPI and offline docs."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from openapi_spec_validator import validate

from tests.api.problems import assert_problem


def test_health_and_ready(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready")
    assert ready.status_code == 200
    doc = ready.json()
    assert doc["status"] == "ok"
    assert doc["schema_revision"] == doc["head_revision"]


def test_request_id_is_echoed_or_generated(client: TestClient) -> None:
    resp = client.get("/health", headers={"X-Request-ID": "client-abc.123"})
    assert resp.headers["x-request-id"] == "client-abc.123"
    generated = client.get("/health").headers["x-request-id"]
    assert len(generated) >= 16
    bad = client.get("/health", headers={"X-Request-ID": "<script>"}).headers["x-request-id"]
    assert bad != "<script>"


def test_problem_instance_names_the_request(client: TestClient) -> None:
    resp = client.get("/v1/articles/nope", headers={"X-Request-ID": "trace-42"})
    doc = assert_problem(resp, 404)
    assert doc["instance"] == "/v1/articles/nope#request-trace-42"


def test_unknown_route_and_wrong_method_are_problems(client: TestClient) -> None:
    assert_problem(client.get("/v1/nothing-here"), 404)
    assert_problem(client.put("/v1/articles"), 405)
    assert_problem(client.delete("/v1/quotes"), 405)


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def test_openapi_is_valid_and_every_operation_is_documented(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    validate(spec)
    ops = _operations(spec)
    v1 = [o for o in ops if o[1].startswith("/v1/")]
    assert len(v1) >= 13
    for method, path, op in v1:
        where = f"{method.upper()} {path}"
        assert op.get("summary"), where
        assert len(op.get("description", "")) > 40, where
        assert re.fullmatch(r"[a-z]+(_[a-z]+)+", op["operationId"]), where
        assert any(code.startswith("4") for code in op["responses"]), where
        for code, resp in op["responses"].items():
            if code.startswith("4"):
                assert "application/problem+json" in resp["content"], where
        for param in op.get("parameters", []):
            assert param.get("description"), f"{where} {param['name']}"
    post = spec["paths"]["/v1/articles"]["post"]
    assert set(post["requestBody"]["content"]) == {"application/json"}
    assert set(post["requestBody"]["x-also-accepts"]) == {"text/plain"}
    assert "ArticleCreate" in spec["components"]["schemas"]
    ids = [op["operationId"] for _, _, op in ops]
    assert len(ids) == len(set(ids))
    assert {"list_articles", "get_article", "create_article", "get_series"} <= set(ids)


def test_docs_are_served_offline(client: TestClient) -> None:
    for page in ("/docs", "/redoc"):
        resp = client.get(page)
        assert resp.status_code == 200
        html = resp.text
        for host in ("cdn.jsdelivr", "unpkg.com", "cdnjs", "fonts.googleapis", "cdn.redoc.ly"):
            assert host not in html
        assert "default-src 'self'" in resp.headers["content-security-policy"]
    assert client.get("/static-offline-docs/swagger-ui-bundle.js").status_code == 200
    redoc = client.get("/static-offline-docs/redoc.standalone.js")
    assert redoc.status_code == 200
    assert b"cdn.redoc.ly" not in redoc.content
    assert len(redoc.content) > 500_000
