"""/v1/speakers, /v1/sources, /v1/locations."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.api.problems import assert_problem
from tests.factories import make_article, span


def _quoted(session: Session, name: str, role: str | None, text: str = "We hold the line") -> None:
    body = f"Report. \u201c{text},\u201d said {name}."
    make_article(
        session,
        body=body,
        quotes=[{**span(body, text + ","), "speaker": {"name": name, "role": role}}],
        statistics=[],
    )


def test_speakers_merge_short_and_full_names_across_articles(
    client: TestClient, session: Session
) -> None:
    _quoted(session, "Umerov", None, "First")
    _quoted(session, "Rustem Umerov", "defence minister", "Second")
    _quoted(session, "Umerov", "minister", "Third")
    (sp,) = client.get("/v1/speakers?name=umerov").json()["data"]
    assert sp["name"] == "Rustem Umerov"
    assert sp["aliases"] == ["Umerov"]
    assert sp["roles"] == ["defence minister", "minister"]
    assert (sp["quote_count"], sp["article_count"]) == (3, 3)
    assert client.get(f"/v1/speakers/{sp['id']}").json() == sp
    quotes = client.get(f"/v1/quotes?speaker_id={sp['id']}").json()["data"]
    assert len(quotes) == 3
    assert_problem(client.get("/v1/speakers/spk_missing"), 404)


def test_speakers_are_alphabetical_and_paged(client: TestClient, session: Session) -> None:
    for name in ("Zara Lind", "Aino Berg", "Mikko Salo"):
        _quoted(session, name, None)
    first = client.get("/v1/speakers?limit=2").json()
    second = client.get("/v1/speakers", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    names = [s["name"] for s in first["data"] + second["data"]]
    assert names == ["Aino Berg", "Mikko Salo", "Zara Lind"]
    assert second["next_cursor"] is None


def test_sources_with_counts(client: TestClient, session: Session) -> None:
    make_article(session, source="Harbour Times", url="https://www.harbour-times.example/a")
    make_article(session, source="harbour times", url="https://harbour-times.example/b")
    make_article(session, source="Steppe Post")
    data = client.get("/v1/sources").json()["data"]
    assert [(s["name"], s["article_count"]) for s in data] == [
        ("Harbour Times", 2),
        ("Steppe Post", 1),
    ]
    assert data[0]["domain"] == "harbour-times.example"
    assert client.get(f"/v1/sources/{data[0]['id']}").json() == data[0]
    assert [s["name"] for s in client.get("/v1/sources?name=STEPPE%20POST").json()["data"]] == [
        "Steppe Post"
    ]
    assert_problem(client.get("/v1/sources/src_missing"), 404)


def test_locations_with_counts_and_filters(client: TestClient, session: Session) -> None:
    make_article(session)  # Mykolaiv, UA
    make_article(session)
    make_article(
        session,
        body="Talks resumed in Geneva.",
        locations=[
            {
                "name": "Geneva",
                "kind": "city",
                "country_code": "CH",
                "latitude": 46.2,
                "longitude": 6.15,
            }
        ],
    )
    data = client.get("/v1/locations").json()["data"]
    assert [(x["name"], x["country_code"], x["article_count"]) for x in data] == [
        ("Geneva", "CH", 1),
        ("Mykolaiv", "UA", 2),
    ]
    assert [x["name"] for x in client.get("/v1/locations?country=ua").json()["data"]] == [
        "Mykolaiv"
    ]
    assert client.get(f"/v1/locations/{data[0]['id']}").json() == data[0]
    assert_problem(client.get("/v1/locations?country=ukraine"), 422)
    assert_problem(client.get("/v1/locations/loc_missing"), 404)


def test_a_description_quoted_as_a_speaker_stays_out_of_the_directory(
    client: TestClient,
) -> None:
    text = (
        "Bridge collapses near Vardenis\n\n"
        "\u201cThe bridge is gone and the road is closed,\u201d a senior police official said on "
        "Tuesday. \u201cWe will reopen it within a week,\u201d said Anahit Serobyan, the regional "
        "governor."
    )
    created = client.post("/v1/articles", json={"text": text})
    assert created.status_code == 201, created.text
    speakers = {q["speaker"]["name"]: q["speaker"] for q in created.json()["quotes"]}
    assert set(speakers) == {"senior police official", "Anahit Serobyan"}
    listed = client.get("/v1/speakers").json()["data"]
    assert [s["name"] for s in listed] == ["Anahit Serobyan"]
    assert listed[0]["named"] is True
    everyone = client.get("/v1/speakers?include_descriptions=true").json()["data"]
    described = {s["name"]: s for s in everyone}["senior police official"]
    assert described["named"] is False
    assert described["quote_count"] == 1
    # the quote keeps its description as the speaker
    quotes = client.get(f"/v1/quotes?speaker_id={described['id']}").json()["data"]
    assert [q["text"] for q in quotes] == ["The bridge is gone and the road is closed,"]
