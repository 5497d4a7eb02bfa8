"""Quote and statistic items carry what a list row shows: their article's title, source and
date (`include=article`: its whole summary) and the figure's place with country and
coordinates, in a constant number of statements, kept current in the stored documents."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.models import Article, Location
from tests.api.test_query_count import counting
from tests.factories import make_article


@pytest.fixture
def story(session: Session) -> Article:
    return make_article(session, title="Pumping station shelled again", source="Coastal Ledger")


def _article_ref(story: Article) -> dict[str, object]:
    assert story.source is not None
    return {
        "id": story.id,
        "title": "Pumping station shelled again",
        "source": {
            "id": story.source.id,
            "name": "Coastal Ledger",
            "domain": "southern-ledger.example",
        },
        "published_at": "2026-10-01T09:00:00Z",
    }


def test_a_quote_item_carries_its_article(client: TestClient, story: Article) -> None:
    item = client.get("/v1/quotes").json()["data"][0]
    assert item["article_id"] == story.id
    assert item["article"] == _article_ref(story)
    assert client.get(f"/v1/quotes/{item['id']}").json() == item


def test_a_statistic_item_carries_its_article_and_place(client: TestClient, story: Article) -> None:
    item = client.get("/v1/statistics").json()["data"][0]
    assert item["article"] == _article_ref(story)
    assert item["location"] == "Mykolaiv"
    place = item["place"]
    assert place["name"] == "Mykolaiv"
    assert place["country_code"] == "UA"
    assert (place["latitude"], place["longitude"]) == (46.975, 31.995)
    assert place["id"].startswith("loc_")
    assert client.get(f"/v1/statistics/{item['id']}").json() == item


def test_include_article_embeds_the_whole_summary(client: TestClient, story: Article) -> None:
    for path in ("/v1/quotes?include=article", "/v1/statistics?include=article"):
        article = client.get(path).json()["data"][0]["article"]
        assert article["id"] == story.id
        assert article["title"] == "Pumping station shelled again"
        assert article["quote_count"] == 1
        assert article["statistic_count"] == 1
        assert article["tags"] == ["water"]
        assert [p["name"] for p in article["locations"]] == ["Mykolaiv"]
        assert article["locations"][0]["latitude"] == 46.975
        assert "body" not in article


def test_a_figure_without_a_known_place_has_a_null_place(
    client: TestClient, session: Session
) -> None:
    body = "Officials said 7 people were injured in the night."
    make_article(
        session,
        body=body,
        quotes=[],
        statistics=[
            {
                "text": "7 people were injured",
                "start": body.index("7 people"),
                "end": body.index("7 people") + len("7 people were injured"),
                "value": 7,
                "unit": "people",
                "metric": "injured",
            }
        ],
    )
    item = client.get("/v1/statistics").json()["data"][0]
    assert item["place"] is None
    assert item["location"] is None


def test_the_article_document_shows_each_figures_place(
    client: TestClient, session: Session, story: Article
) -> None:
    doc = client.get(f"/v1/articles/{story.id}").json()
    assert doc["statistics"][0]["place"]["country_code"] == "UA"
    # a place's coordinates corrected later: the stored document follows
    loc = session.scalars(select(Location).where(Location.name == "Mykolaiv")).one()
    loc.latitude, loc.longitude = 46.97, 32.0
    session.commit()
    doc = client.get(f"/v1/articles/{story.id}").json()
    place = doc["statistics"][0]["place"]
    assert (place["latitude"], place["longitude"]) == (46.97, 32.0)
    item = client.get("/v1/statistics").json()["data"][0]
    assert item["place"] == place


def test_a_figures_place_not_mentioned_by_its_article_still_follows(
    client: TestClient, session: Session
) -> None:
    make_article(session)  # puts Mykolaiv in the directory
    # the figure names a known place that this article's place list leaves out
    art = make_article(session, locations=[])
    assert client.get(f"/v1/articles/{art.id}").json()["locations"] == []
    loc = session.scalars(select(Location).where(Location.name == "Mykolaiv")).one()
    assert client.get(f"/v1/articles/{art.id}").json()["statistics"][0]["place"]["id"] == loc.id
    loc.kind = "port"
    session.commit()
    doc = client.get(f"/v1/articles/{art.id}").json()
    assert doc["statistics"][0]["place"]["kind"] == "port"


def test_the_csv_export_flattens_the_article(client: TestClient, story: Article) -> None:
    text = client.get("/v1/statistics?format=csv").text
    header, row = list(csv.reader(io.StringIO(text)))
    assert len(header) == len(set(header))
    cells = dict(zip(header, row, strict=True))
    assert cells["article_id"] == story.id
    assert cells["article_title"] == "Pumping station shelled again"
    assert cells["place_country_code"] == "UA"
    assert cells["article_source_name"] == "Coastal Ledger"


ITEM_PATHS = [
    "/v1/quotes?limit=100",
    "/v1/quotes?limit=100&include=article",
    "/v1/quotes?limit=100&facets=speaker,kind,source,location,country,month",
    "/v1/statistics?limit=100",
    "/v1/statistics?limit=100&include=article&unit=people",
    "/v1/statistics?limit=100&q=injured&facets=metric,unit,qualifier,source,location,country,month",
    "/v1/speakers?limit=100&sort=quote_count",
    "/v1/speakers?limit=100&sort=latest_quote&q=dovzh",
    "/v1/locations?limit=100&q=myk",
]


@pytest.mark.parametrize("path", ITEM_PATHS)
def test_statement_count_does_not_grow_with_the_page(
    client: TestClient, session: Session, engine: Engine, path: str
) -> None:
    make_article(session)
    make_article(session)
    client.get(path)  # warm-up: the key's first use of the minute also records last_used_at
    with counting(engine) as few:
        assert client.get(path).status_code == 200
    for n in range(10):
        make_article(session, source=f"Paper {n}", authors=[f"Writer {n}"])
    with counting(engine) as many:
        resp = client.get(path)
        assert resp.status_code == 200
    assert len(resp.json()["data"]) >= 10 or "speakers" in path or "locations" in path
    assert len(many) == len(few), (len(few), len(many))
