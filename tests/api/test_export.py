"""Exports: every matching row as NDJSON or CSV, ignoring limit and cursor."""

from __future__ import annotations

import csv
import io
import json

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.services.export import BATCH
from tests.factories import make_article


def test_ndjson_export_streams_every_matching_row(client: TestClient, session: Session) -> None:
    ids = {make_article(session).id for _ in range(7)}
    resp = client.get("/v1/articles?format=ndjson&limit=2")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("application/x-ndjson")
    assert "etag" not in resp.headers
    lines = [json.loads(line) for line in resp.text.splitlines()]
    assert {line["id"] for line in lines} == ids
    assert len(lines) == 7
    assert lines[0]["quote_count"] == 1


def test_accept_header_negotiates_the_format(client: TestClient, session: Session) -> None:
    make_article(session)
    resp = client.get("/v1/quotes", headers={"Accept": "application/x-ndjson"})
    assert resp.headers["content-type"].startswith("application/x-ndjson")
    assert json.loads(resp.text.splitlines()[0])["speaker"]["name"] == "Iryna Dovzhenko"
    resp = client.get("/v1/statistics", headers={"Accept": "text/csv"})
    assert resp.headers["content-type"].startswith("text/csv")


def test_csv_flattens_nested_fields_and_respects_filters(
    client: TestClient, session: Session
) -> None:
    make_article(session, source="Steppe Post", tags=["grain", "ports"])
    make_article(session, source="Other Paper")
    resp = client.get("/v1/articles?format=csv&source=steppe%20post")
    rows = list(csv.DictReader(io.StringIO(resp.text)))
    assert len(rows) == 1
    row = rows[0]
    assert row["source_name"] == "Steppe Post"
    assert row["tags"] == "grain; ports"
    assert row["locations"] == "Mykolaiv"
    assert "quotes" not in row
    stats = list(csv.DictReader(io.StringIO(client.get("/v1/statistics?format=csv").text)))
    assert [(r["metric"], r["value"], r["qualifier"]) for r in stats] == [
        ("injured", "12", "at_least"),
        ("injured", "12", "at_least"),
    ]


def test_csv_neutralises_formulas(client: TestClient, session: Session) -> None:
    make_article(session, title='=HYPERLINK("http://evil.example")')
    (row,) = csv.DictReader(io.StringIO(client.get("/v1/articles?format=csv").text))
    assert row["title"].startswith("'=")


def test_export_crosses_batch_boundaries(client: TestClient, session: Session) -> None:
    n = BATCH + 3
    for _ in range(n):
        make_article(session, quotes=[], statistics=[], locations=[])
    resp = client.get("/v1/sources?format=ndjson")
    assert json.loads(resp.text)["article_count"] == n
    lines = client.get("/v1/articles?format=ndjson").text.splitlines()
    assert len(lines) == n
    assert len({json.loads(x)["id"] for x in lines}) == n


def test_empty_csv_still_has_its_header(client: TestClient) -> None:
    text = client.get("/v1/locations?format=csv").text
    assert text.splitlines() == ["id,name,kind,country_code,latitude,longitude,article_count"]
