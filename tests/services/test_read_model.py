"""The article read model stays exactly what a live render gives, after every kind of write."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.core.http_cache import etag_for
from app.models import Article, ArticleDocument
from app.projections import read_model
from app.repositories import documents
from tests.factories import make_article, span


def stored(session: Session, article_id: str) -> ArticleDocument | None:
    return session.get(ArticleDocument, article_id, populate_existing=True)


def assert_current(session: Session, *article_ids: str) -> None:
    conn = session.connection()
    for article_id in article_ids:
        doc = stored(session, article_id)
        assert doc is not None, f"no stored document for {article_id}"
        live = documents.fetch(conn, article_id)
        assert live is not None
        expected = read_model.render(live)
        assert doc.content == expected
        assert doc.etag == etag_for(expected)


def test_create_stores_the_document_and_get_serves_it(client: TestClient, session: Session) -> None:
    art = make_article(session)
    assert_current(session, art.id)
    resp = client.get(f"/v1/articles/{art.id}")
    assert resp.status_code == 200
    assert resp.content == stored(session, art.id).content  # type: ignore[union-attr]
    assert resp.headers["etag"] == stored(session, art.id).etag  # type: ignore[union-attr]
    again = client.get(f"/v1/articles/{art.id}", headers={"If-None-Match": resp.headers["etag"]})
    assert again.status_code == 304


def test_patch_rewrites_the_document(client: TestClient, session: Session) -> None:
    art = make_article(session)
    before = client.get(f"/v1/articles/{art.id}")
    resp = client.patch(
        f"/v1/articles/{art.id}",
        json={"title": "Pumping station back online", "tags": ["water", "repair"]},
        headers={"If-Match": before.headers["etag"]},
    )
    assert resp.status_code == 200
    assert_current(session, art.id)
    after = client.get(f"/v1/articles/{art.id}")
    assert after.json()["title"] == "Pumping station back online"
    assert after.json()["tags"] == ["repair", "water"]
    assert after.headers["etag"] == resp.headers["etag"] != before.headers["etag"]
    # the old ETag no longer matches
    stale = client.patch(
        f"/v1/articles/{art.id}", json={"title": "x"}, headers={"If-Match": before.headers["etag"]}
    )
    assert stale.status_code == 412


def test_delete_removes_the_document(client: TestClient, session: Session) -> None:
    art = make_article(session)
    assert client.delete(f"/v1/articles/{art.id}").status_code == 204
    assert stored(session, art.id) is None
    assert client.get(f"/v1/articles/{art.id}").status_code == 404


def _quoting(name: str, n: int) -> dict[str, Any]:
    body = f"Report {n}. \u201cThe corridor holds for now,\u201d {name} said on Tuesday."
    return {
        "body": body,
        "quotes": [
            {
                **span(body, "The corridor holds for now,"),
                "kind": "direct",
                "speaker": {"name": name},
                "cue": "said",
            }
        ],
        "statistics": [],
    }


def test_a_directory_change_reaches_other_articles_documents(
    client: TestClient, session: Session
) -> None:
    """A speaker first seen by surname is renamed when the full name turns up; a source
    first seen without a domain gets one. Articles showing them must not keep old copies."""
    first = make_article(session, url=None, source="Harbour Wire", **_quoting("Umerov", 1))
    doc = client.get(f"/v1/articles/{first.id}").json()
    assert doc["quotes"][0]["speaker"]["name"] == "Umerov"
    assert doc["source"]["domain"] is None

    later = make_article(
        session,
        url="https://harbourwire.example/a/2",
        source="Harbour Wire",
        **_quoting("Rustem Umerov", 2),
    )
    fresh = client.get(f"/v1/articles/{first.id}").json()
    assert fresh["quotes"][0]["speaker"]["name"] == "Rustem Umerov"
    assert fresh["source"]["domain"] == "harbourwire.example"
    assert_current(session, later.id)
    found = read_model.read(session.connection(), first.id)
    assert found is not None
    live = documents.fetch(session.connection(), first.id)
    assert live is not None
    assert found[0] == read_model.render(live)


def test_rebuild_fills_the_table(session: Session) -> None:
    ids = [make_article(session).id for _ in range(3)]
    session.execute(delete(ArticleDocument))
    assert read_model.rebuild(session.connection()) >= 3
    assert_current(session, *ids)
    total = session.scalar(select(func.count()).select_from(Article))
    assert session.scalar(select(func.count()).select_from(ArticleDocument)) == total
