"""Licence and attribution: set on sources by admins, sent with articles or inherited, and
carried by every read, export and feed document."""

from __future__ import annotations

import csv
import io
import json

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.services import api_keys as key_service
from app.services.demo import load_demo
from tests.api.problems import assert_problem
from tests.factories import article_payload

TERMS = {"licence": "cc-by-sa-4.0", "attribution": "Southern Ledger / CC BY-SA 4.0"}


def _key(session: Session, scopes: str) -> dict[str, str]:
    _, new = key_service.create_key(session, f"licence {scopes}", scopes)
    session.commit()
    return {"Authorization": f"Bearer {new.plaintext}"}


def test_admin_sets_source_terms_and_articles_inherit_them(
    client: TestClient, session: Session
) -> None:
    article = client.post("/v1/articles", json=article_payload()).json()
    assert (article["licence"], article["licence_from"]) == (None, None)
    source_id = article["source"]["id"]
    admin = _key(session, "read,write,admin")

    resp = client.patch(f"/v1/sources/{source_id}", json=TERMS, headers=admin)
    assert resp.status_code == 200, resp.text
    source = resp.json()
    assert source["licence"] == "CC-BY-SA-4.0"  # the SPDX spelling
    assert source["attribution"] == TERMS["attribution"]
    assert client.get(f"/v1/sources/{source_id}").json() == source

    read = client.get(f"/v1/articles/{article['id']}").json()
    assert read["licence"] == "CC-BY-SA-4.0"
    assert read["attribution"] == TERMS["attribution"]
    assert read["licence_from"] == "source"
    assert read["source"]["licence"] == "CC-BY-SA-4.0"
    listed = client.get("/v1/articles").json()["data"][0]
    assert (listed["licence"], listed["licence_from"]) == ("CC-BY-SA-4.0", "source")

    # Only the fields sent change; null clears one.
    cleared = client.patch(f"/v1/sources/{source_id}", json={"attribution": None}, headers=admin)
    assert (cleared.json()["licence"], cleared.json()["attribution"]) == ("CC-BY-SA-4.0", None)
    assert client.get(f"/v1/articles/{article['id']}").json()["attribution"] is None


def test_an_article_keeps_its_own_terms(client: TestClient, session: Session) -> None:
    own = {"licence": "https://southern-ledger.example/reuse", "attribution": "Photo pool"}
    article = client.post("/v1/articles", json=article_payload(**own)).json()
    assert (article["licence"], article["attribution"], article["licence_from"]) == (
        own["licence"],
        "Photo pool",
        "article",
    )
    admin = _key(session, "read,write,admin")
    client.patch(f"/v1/sources/{article['source']['id']}", json=TERMS, headers=admin)
    again = client.get(f"/v1/articles/{article['id']}").json()
    assert (again["licence"], again["licence_from"]) == (own["licence"], "article")
    # Clearing its own terms falls back to the source's.
    patched = client.patch(
        f"/v1/articles/{article['id']}", json={"licence": None, "attribution": None}
    ).json()
    assert (patched["licence"], patched["licence_from"]) == ("CC-BY-SA-4.0", "source")


def test_raw_text_takes_terms_too(client: TestClient) -> None:
    text = (
        "Night shelling cuts power in Kherson\n\n"
        "Power was cut to several districts of Kherson overnight, officials said."
    )
    resp = client.post("/v1/articles", json={"text": text, "licence": "CC0-1.0"})
    assert resp.status_code == 201, resp.text
    assert (resp.json()["licence"], resp.json()["licence_from"]) == ("CC0-1.0", "article")


def test_terms_travel_in_exports_and_the_feed(client: TestClient, session: Session) -> None:
    article = client.post("/v1/articles", json=article_payload()).json()
    admin = _key(session, "read,write,admin")
    client.patch(f"/v1/sources/{article['source']['id']}", json=TERMS, headers=admin)

    line = json.loads(client.get("/v1/articles?format=ndjson").text.splitlines()[0])
    assert (line["licence"], line["attribution"]) == ("CC-BY-SA-4.0", TERMS["attribution"])
    rows = list(csv.DictReader(io.StringIO(client.get("/v1/articles?format=csv").text)))
    assert rows[0]["licence"] == "CC-BY-SA-4.0"
    assert rows[0]["licence_from"] == "source"
    assert rows[0]["source_licence"] == "CC-BY-SA-4.0"
    sources = list(csv.DictReader(io.StringIO(client.get("/v1/sources?format=csv").text)))
    assert sources[0]["attribution"] == TERMS["attribution"]

    feed = client.get("/v1/changes?include=document&resource=article").json()["data"]
    assert feed[0]["document"]["licence"] == "CC-BY-SA-4.0"
    sources_feed = client.get("/v1/changes?include=document&resource=source").json()["data"]
    assert sources_feed[-1]["document"]["licence"] == "CC-BY-SA-4.0"


def test_only_admins_set_source_terms(client: TestClient, anon: TestClient) -> None:
    source_id = client.post("/v1/articles", json=article_payload()).json()["source"]["id"]
    assert_problem(client.patch(f"/v1/sources/{source_id}", json=TERMS), 403)
    assert_problem(anon.patch(f"/v1/sources/{source_id}", json=TERMS), 401)


def test_bad_terms_are_refused_naming_the_field(client: TestClient, session: Session) -> None:
    source_id = client.post("/v1/articles", json=article_payload()).json()["source"]["id"]
    admin = _key(session, "read,write,admin")
    for body, field in (
        ({"licence": "free-for-all"}, "licence"),
        ({"licence": "https://"}, "licence"),
        ({"licence": "x" * 501}, "licence"),
        ({"attribution": ""}, "attribution"),
        ({"licence": "https://terms.example/\u0000"}, "licence"),
        ({"attribution": "Credit\u0000line"}, "attribution"),
        ({"owner": "me"}, "owner"),
    ):
        doc = assert_problem(
            client.patch(f"/v1/sources/{source_id}", json=body, headers=admin), 422
        )
        assert doc["errors"][0]["loc"][-1] == field, doc
    assert_problem(client.patch("/v1/sources/src_missing", json=TERMS, headers=admin), 404)
    doc = assert_problem(client.post("/v1/articles", json=article_payload(licence="MIT AND")), 422)
    assert "licence" in doc["errors"][0]["loc"]
    # Nothing was half-written.
    assert client.get(f"/v1/sources/{source_id}").json()["licence"] is None


def test_demo_data_carries_realistic_terms(client: TestClient, session: Session) -> None:
    load_demo(session)
    session.commit()
    sources = {s["name"]: s for s in client.get("/v1/sources?limit=100").json()["data"]}
    assert sources["Northgate Dispatch"]["licence"] == "CC-BY-4.0"
    assert sources["Meridian Wire"]["licence"].startswith("https://meridianwire.example/")
    assert sources["Crossroads Monitor"]["licence"] is None  # terms not known
    articles = client.get("/v1/articles?limit=100").json()["data"]
    assert len(articles) == 15
    for article in articles:
        source = sources[article["source"]["name"]]
        if article["licence_from"] == "article":
            assert article["licence"] == "CC0-1.0"
        elif source["licence"] or source["attribution"]:
            assert (article["licence"], article["licence_from"]) == (source["licence"], "source")
        else:
            assert (article["licence"], article["licence_from"]) == (None, None)
    assert [a["licence_from"] for a in articles].count("article") == 1
    # Loading again changes nothing and records nothing new.
    before = client.get("/v1/changes?limit=1000").json()["data"]
    load_demo(session)
    assert client.get("/v1/changes?limit=1000").json()["data"] == before
