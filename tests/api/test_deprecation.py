"""Deprecation, on the demonstration operation `GET /v1/search` (the old name of
`GET /v1/articles?q=`): the OpenAPI flag, and `Deprecation` (RFC 9745), `Sunset` (RFC 8594)
and `Link` headers on its answers, which are those of its successor."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_article


def _links(value: str) -> dict[str, str]:
    out = {}
    for part in value.split(","):
        target, *params = (p.strip() for p in part.split(";"))
        rel = next(p for p in params if p.startswith("rel="))
        out[rel.removeprefix("rel=").strip('"')] = target.strip("<>")
    return out


def test_the_alias_answers_as_its_successor_with_deprecation_headers(
    anon: TestClient, session: Session
) -> None:
    for n in range(3):
        make_article(session, title=f"Grain corridor talks, round {n}")
    make_article(session, title="Unrelated flood report")
    session.commit()
    old = anon.get("/v1/search", params={"q": "grain corridor", "limit": 2})
    new = anon.get("/v1/articles", params={"q": "grain corridor", "limit": 2})
    assert old.status_code == new.status_code == 200
    assert old.json()["data"] == new.json()["data"]
    assert len(old.json()["data"]) == 2

    assert old.headers["deprecation"] == f"@{int(datetime(2026, 12, 1, tzinfo=UTC).timestamp())}"
    sunset = parsedate_to_datetime(old.headers["sunset"])
    assert sunset == datetime(2027, 6, 30, 23, 59, 59, tzinfo=UTC)
    assert old.headers["sunset"].endswith(" GMT")
    links = _links(old.headers["link"])
    assert links["deprecation"].startswith("https://")
    assert links["deprecation"].endswith("/docs/versioning#get-v1-search")
    assert links["successor-version"] == "/v1/articles"
    assert "next" in links  # the page's own Link is kept beside them
    for header in ("deprecation", "sunset"):
        assert header not in new.headers


def test_the_alias_needs_q_and_says_where_to_go(anon: TestClient) -> None:
    response = anon.get("/v1/search")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "GET /v1/articles" in response.json()["detail"]


def test_openapi_marks_only_the_alias_deprecated(anon: TestClient) -> None:
    paths = anon.get("/openapi.json").json()["paths"]
    flagged = [
        (path, method)
        for path, ops in paths.items()
        for method, op in ops.items()
        if op.get("deprecated")
    ]
    assert flagged == [("/v1/search", "get")]
    op = paths["/v1/search"]["get"]
    assert "Sunset" in op["description"]
    assert "2027-06-30" in op["description"]
