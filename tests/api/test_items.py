"""/v1/quotes and /v1/statistics."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.api.problems import assert_problem
from tests.factories import make_article, span

BODY = (
    "Floods and shelling hit Kherson. \u201cThe river took the bridge,\u201d said Olena Bondar, "
    "the city's deputy mayor. Bondar later said that evacuation buses would run hourly. "
    "Between 30 and 40 people were evacuated, and nearly 65% of homes lost power."
)


def _article(session: Session, **kw: object) -> str:
    art = make_article(
        session,
        body=BODY,
        quotes=[
            {
                **span(BODY, "The river took the bridge,"),
                "kind": "direct",
                "speaker": {"name": "Olena Bondar", "role": "deputy mayor"},
                "cue": "said",
            },
            {
                **span(BODY, "evacuation buses would run hourly"),
                "kind": "indirect",
                "speaker": {"name": "Bondar"},
                "cue": "said",
            },
        ],
        statistics=[
            {
                **span(BODY, "Between 30 and 40 people were evacuated"),
                "value": 30,
                "value_max": 40,
                "unit": "people",
                "metric": "evacuated",
                "qualifier": "exact",
                "location": "Kherson",
            },
            {
                **span(BODY, "nearly 65% of homes lost power"),
                "value": 65,
                "unit": "percent",
                "metric": "without_power",
                "qualifier": "nearly",
                "location": "Kherson",
            },
        ],
        locations=[{"name": "Kherson", "kind": "city", "country_code": "UA"}],
        **kw,
    )
    return art.id


def test_quotes_list_filters_and_aliases(client: TestClient, session: Session) -> None:
    aid = _article(session)
    make_article(session)  # another speaker's quote
    quotes = client.get("/v1/quotes?speaker=olena%20bondar").json()["data"]
    assert sorted(q["kind"] for q in quotes) == ["direct", "indirect"]
    assert {q["speaker"]["name"] for q in quotes} == {"Olena Bondar"}
    # "Bondar" merged into Olena Bondar as an alias, so the alias finds the same quotes.
    by_alias = client.get("/v1/quotes?speaker=Bondar").json()["data"]
    assert sorted(q["id"] for q in by_alias) == sorted(q["id"] for q in quotes)
    direct = client.get("/v1/quotes?kind=direct&article_id=" + aid).json()["data"]
    assert [q["text"] for q in direct] == ["The river took the bridge,"]
    assert client.get("/v1/quotes?kind=direct").json()["data"].__len__() == 2
    assert_problem(client.get("/v1/quotes?kind=sung"), 422)


def test_quote_detail_and_404(client: TestClient, session: Session) -> None:
    _article(session)
    q = client.get("/v1/quotes?kind=direct&speaker=Olena%20Bondar").json()["data"][0]
    got = client.get(f"/v1/quotes/{q['id']}").json()
    assert got == q
    assert got["speaker"]["role"] == "deputy mayor"
    body = client.get(f"/v1/articles/{got['article_id']}").json()["body"]
    assert body[got["start"] : got["end"]] == got["text"]
    assert_problem(client.get("/v1/quotes/quo_missing"), 404)


def test_statistics_filters(client: TestClient, session: Session) -> None:
    _article(session)
    make_article(session)  # 12 injured in Mykolaiv

    def metrics(query: str) -> list[str]:
        resp = client.get(f"/v1/statistics?{query}")
        assert resp.status_code == 200, resp.text
        return sorted(s["metric"] for s in resp.json()["data"])

    assert metrics("metric=evacuated") == ["evacuated"]
    assert metrics("unit=percent") == ["without_power"]
    assert metrics("location=kherson") == ["evacuated", "without_power"]
    assert metrics("location=mykolaiv") == ["injured"]
    assert metrics("value_min=20&value_max=50") == ["evacuated"]
    assert metrics("value_min=60") == ["without_power"]
    assert metrics("published_from=2030-01-01T00:00:00Z") == []
    assert_problem(client.get("/v1/statistics?value_min=10&value_max=1"), 422)
    (rng,) = client.get("/v1/statistics?metric=evacuated").json()["data"]
    assert (rng["value"], rng["value_max"]) == (30, 40)


def test_statistic_detail_and_404(client: TestClient, session: Session) -> None:
    _article(session)
    s = client.get("/v1/statistics?metric=without_power").json()["data"][0]
    assert client.get(f"/v1/statistics/{s['id']}").json() == s
    assert s["qualifier"] == "nearly"
    assert s["unit"] == "percent"
    assert_problem(client.get("/v1/statistics/sta_missing"), 404)


def test_quote_and_statistic_pages_walk_everything_once(
    client: TestClient, session: Session
) -> None:
    for _ in range(5):
        make_article(session)
    for path, expected in (("/v1/quotes", 5), ("/v1/statistics", 5)):
        seen: list[str] = []
        cursor = None
        while True:
            params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            doc = client.get(path, params=params).json()
            seen += [x["id"] for x in doc["data"]]
            cursor = doc["next_cursor"]
            if not cursor:
                break
        assert len(seen) == len(set(seen)) == expected
