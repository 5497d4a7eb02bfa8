"""Assertions about problem+json responses."""

from __future__ import annotations

from typing import Any

import httpx2


def assert_problem(resp: httpx2.Response, status: int) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    doc: dict[str, Any] = resp.json()
    assert doc["status"] == status
    assert doc["title"]
    assert doc["type"].startswith("https://") or doc["type"] == "about:blank"
    assert doc["instance"].startswith("/")
    text = resp.text.lower()
    for leak in ("traceback", "sqlalchemy", "select ", "/site-packages/", 'file "'):
        assert leak not in text
    return doc
