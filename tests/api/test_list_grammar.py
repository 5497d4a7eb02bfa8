"""One filter grammar on every list: several values (repeated or comma list, meaning OR),
`ids=` and `updated_since=`, the same names on every resource, and unknown enum values
answered with a 422 that lists the allowed ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.models import Article
from tests.api.problems import assert_problem
from tests.factories import make_article, span

LISTS = ["articles", "quotes", "statistics", "speakers", "sources", "locations"]


def _story(
    session: Session,
    *,
    place: str,
    country: str,
    speaker: str,
    metric: str,
    source: str,
    published_at: str = "2026-10-01T09:00:00Z",
    unit: str = "people",
    qualifier: str = "exact",
) -> Article:
    body = (
        f"Heavy rain flooded the lower town of {place} on Tuesday. "
        f"\u201cThe pumps cannot keep up,\u201d said {speaker}, a district engineer. "
        f"In all 40 {unit} were counted."
    )
    return make_article(
        session,
        body=body,
        source=source,
        published_at=published_at,
        quotes=[
            {
                **span(body, "The pumps cannot keep up,"),
                "kind": "direct",
                "speaker": {"name": speaker, "role": "district engineer"},
                "cue": "said",
            }
        ],
        statistics=[
            {
                **span(body, f"40 {unit} were counted"),
                "value": 40,
                "unit": unit,
                "metric": metric,
                "qualifier": qualifier,
                "location": place,
            }
        ],
        locations=[{"name": place, "kind": "city", "country_code": country}],
    )


@pytest.fixture
def three(session: Session) -> list[Article]:
    return [
        _story(
            session,
            place="Varnavka",
            country="UA",
            speaker="Marta Ilchenko",
            metric="killed",
            source="Harbour Courier",
            published_at="2026-10-01T09:00:00Z",
        ),
        _story(
            session,
            place="Dolgoreka",
            country="MD",
            speaker="Tomas Virko",
            metric="injured",
            source="Valley Post",
            published_at="2026-10-02T09:00:00Z",
            unit="homes",
            qualifier="nearly",
        ),
        _story(
            session,
            place="Sarnovo",
            country="PL",
            speaker="Ines Halloway",
            metric="displaced_internal",
            source="Plains Herald",
            published_at="2026-10-03T09:00:00Z",
        ),
    ]


def _titles(client: TestClient, path: str) -> set[str]:
    resp = client.get(path)
    assert resp.status_code == 200, resp.text
    rows = resp.json()["data"]
    return {row.get("title") or row["article"]["title"] for row in rows}


def _ids(client: TestClient, path: str) -> list[str]:
    resp = client.get(path)
    assert resp.status_code == 200, resp.text
    return [row["id"] for row in resp.json()["data"]]


@pytest.mark.parametrize("resource", ["articles", "quotes", "statistics"])
@pytest.mark.parametrize(
    ("name", "first", "second"),
    [
        ("source", "Harbour Courier", "Valley Post"),
        ("location", "Varnavka", "Dolgoreka"),
        ("country", "UA", "md"),
    ],
)
def test_a_name_filter_takes_several_values_on_every_item_list(
    client: TestClient,
    three: list[Article],
    resource: str,
    name: str,
    first: str,
    second: str,
) -> None:
    wanted = {three[0].title, three[1].title}
    repeated = _titles(client, f"/v1/{resource}?{name}={first}&{name}={second}")
    comma = _titles(client, f"/v1/{resource}?{name}={first},{second}")
    assert repeated == comma == wanted
    assert _titles(client, f"/v1/{resource}?{name}={first}") == {three[0].title}


def test_metric_kind_qualifier_and_unit_take_several_values(
    client: TestClient, three: list[Article]
) -> None:
    assert _titles(client, "/v1/statistics?metric=killed&metric=injured") == {
        three[0].title,
        three[1].title,
    }
    assert _titles(client, "/v1/statistics?metric=killed,displaced_internal") == {
        three[0].title,
        three[2].title,
    }
    assert _titles(client, "/v1/statistics?qualifier=nearly") == {three[1].title}
    assert _titles(client, "/v1/statistics?unit=homes,people") == {a.title for a in three}
    assert _titles(client, "/v1/quotes?kind=direct,indirect") == {a.title for a in three}
    assert _titles(client, "/v1/quotes?speaker=Ilchenko,Halloway") == {
        three[0].title,
        three[2].title,
    }
    # filters still combine with AND
    assert _titles(client, "/v1/statistics?metric=killed,injured&country=MD") == {three[1].title}


def test_articles_take_several_speakers_tags_and_languages(
    client: TestClient, three: list[Article]
) -> None:
    assert _titles(client, "/v1/articles?speaker=Tomas Virko&speaker=Ilchenko") == {
        three[0].title,
        three[1].title,
    }
    assert _titles(client, "/v1/articles?language=en,fr&tag=water,other") == {
        a.title for a in three
    }


@pytest.mark.parametrize("resource", LISTS)
def test_ids_fetches_known_rows_on_every_list(
    client: TestClient, three: list[Article], resource: str
) -> None:
    every = _ids(client, f"/v1/{resource}?limit=100")
    assert len(every) == 3
    wanted = every[:2]
    assert sorted(_ids(client, f"/v1/{resource}?ids={','.join(wanted)}")) == sorted(wanted)
    repeated = "&".join(f"ids={i}" for i in wanted)
    assert sorted(_ids(client, f"/v1/{resource}?{repeated}")) == sorted(wanted)
    assert _ids(client, f"/v1/{resource}?ids=nope_123") == []


@pytest.mark.parametrize("resource", LISTS)
def test_more_than_100_ids_is_a_422(client: TestClient, resource: str) -> None:
    many = ",".join(f"x_{n}" for n in range(101))
    doc = assert_problem(client.get(f"/v1/{resource}?ids={many}"), 422)
    assert doc["errors"][0]["loc"][:2] == ["query", "ids"]
    assert "100" in doc["errors"][0]["msg"]


@pytest.mark.parametrize("resource", LISTS)
def test_updated_since_on_every_list(
    client: TestClient, session: Session, three: list[Article], resource: str
) -> None:
    rows = client.get(f"/v1/{resource}?limit=100").json()["data"]
    assert len(rows) == 3
    newest = max(a.updated_at for a in three)
    later = (newest + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    assert _ids(client, f"/v1/{resource}?updated_since={later}") == []
    # a fourth story afterwards: only its rows (and the directory rows it made) are new
    before = datetime.now(UTC)
    fourth = _story(
        session,
        place="Kelmeny",
        country="RO",
        speaker="Pavlo Brand",
        metric="killed",
        source="River Gazette",
    )
    since = before.isoformat().replace("+00:00", "Z")
    fresh = client.get(f"/v1/{resource}", params={"updated_since": since}).json()["data"]
    assert len(fresh) == 1
    shown = fresh[0].get("title") or fresh[0].get("name") or fresh[0]["article"]["title"]
    assert shown in {fourth.title, "Kelmeny", "Pavlo Brand", "River Gazette"}


def test_updated_since_must_be_a_time(client: TestClient) -> None:
    doc = assert_problem(client.get("/v1/quotes?updated_since=yesterday"), 422)
    assert doc["errors"][0]["loc"] == ["query", "updated_since"]


def _msg(doc: dict[str, Any]) -> str:
    return " ".join(e["msg"] for e in doc["errors"])


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/v1/statistics?metric=killed,abducted_by_aliens", ["killed", "injured"]),
        ("/v1/quotes?kind=shouted", ["direct", "indirect"]),
        ("/v1/statistics?qualifier=roughly", ["approximately", "at_least"]),
        ("/v1/articles?sort=oldest", ["date", "relevance"]),
        ("/v1/quotes?q=water&sort=loudest", ["date", "relevance"]),
        ("/v1/speakers?sort=age", ["name", "quote_count", "latest_quote"]),
        ("/v1/articles?facets=source,weather", ["source", "month"]),
        ("/v1/quotes?facets=metric", ["speaker", "kind", "month"]),
        ("/v1/statistics?facets=speaker", ["metric", "unit", "country"]),
        ("/v1/articles?include=comments", ["body", "quotes", "statistics"]),
        ("/v1/statistics?include=speaker", ["article"]),
    ],
)
def test_an_unknown_enum_value_is_a_422_listing_the_allowed_ones(
    client: TestClient, path: str, allowed: list[str]
) -> None:
    doc = assert_problem(client.get(path), 422)
    message = _msg(doc)
    for value in allowed:
        assert value in message, message


def test_an_unknown_unit_is_a_422_listing_the_stored_ones(
    client: TestClient, three: list[Article]
) -> None:
    doc = assert_problem(client.get("/v1/statistics?unit=people,parsecs"), 422)
    assert doc["errors"] == [
        {
            "loc": ["query", "unit"],
            "msg": "unknown unit 'parsecs'; allowed: homes, people",
            "type": "enum",
        }
    ]
    assert client.get("/v1/statistics?unit=PEOPLE").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/v1/quotes?source=", "/v1/statistics?metric=,", "/v1/articles?country=UAX,UA"],
)
def test_empty_or_malformed_values_are_422(client: TestClient, path: str) -> None:
    assert_problem(client.get(path), 422)


def test_the_grammar_is_in_the_openapi_document(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    for resource in LISTS:
        params = {p["name"]: p for p in doc["paths"][f"/v1/{resource}"]["get"]["parameters"]}
        assert {"ids", "updated_since", "limit", "cursor"} <= params.keys(), resource
        assert "100" in params["ids"]["description"]
    for resource in ("quotes", "statistics"):
        params = {p["name"] for p in doc["paths"][f"/v1/{resource}"]["get"]["parameters"]}
        assert {"source", "source_id", "location", "location_id", "country", "facets"} <= params
    stats = {p["name"]: p for p in doc["paths"]["/v1/statistics"]["get"]["parameters"]}
    assert "killed" in str(stats["metric"]["schema"])
    assert "repeat the parameter" in stats["metric"]["description"]
