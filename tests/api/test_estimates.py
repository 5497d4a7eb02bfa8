"""GET /v1/estimates: figures reported many times, reconciled; the series by estimates."""

from __future__ import annotations

import itertools
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.api.problems import assert_problem

_seq = itertools.count(1)

PLACES = {
    "Brodivka": {"name": "Brodivka", "kind": "city", "country_code": "UA"},
    "Zalissia": {"name": "Zalissia", "kind": "city", "country_code": "UA"},
    "Ukraine": {"name": "Ukraine", "kind": "country", "country_code": "UA"},
}


def _post(
    client: TestClient,
    published: str,
    source: str,
    sentences: list[tuple[str, str, float, str, str | None]],
    qualifier: str = "exact",
) -> dict[str, Any]:
    """An article of these (sentence, figure phrase, value, metric, place) figures."""
    n = next(_seq)
    body = " ".join(s for s, *_ in sentences)
    stats = []
    for sentence, phrase, value, metric, place in sentences:
        start = body.index(sentence) + sentence.index(phrase)
        stats.append(
            {
                "text": phrase, "start": start, "end": start + len(phrase), "value": value,
                "unit": "people", "metric": metric, "qualifier": qualifier,
                "location": place, "sentence": sentence,
            }
        )  # fmt: skip
    places = sorted({p for *_, p in sentences if p})
    resp = client.post(
        "/v1/articles",
        json={
            "title": f"Dispatch {n}",
            "body": body,
            "url": f"https://{source.lower().replace(' ', '-')}.example/{n}",
            "source": source,
            "published_at": published,
            "statistics": stats,
            "locations": [PLACES[p] for p in places],
            "extract": False,
        },
    )
    assert resp.status_code == 201, resp.text
    return resp.json()


def _estimates(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    resp = client.get("/v1/estimates", params={"limit": 100, **params})
    assert resp.status_code == 200, resp.text
    data: list[dict[str, Any]] = resp.json()["data"]
    return data


def _rising_toll(client: TestClient) -> list[dict[str, Any]]:
    """A strike on Monday 16 November 2026, reported four times by three outlets."""
    return [
        _post(client, "2026-11-16T06:00:00Z", "Eastern Courier", [
            ("A missile hit a school in Brodivka overnight and 3 people were killed.",
             "3 people were killed", 3, "killed", "Brodivka")]),
        _post(client, "2026-11-16T12:00:00Z", "Eastern Courier", [
            ("Rescuers in Brodivka said 7 people were killed.", "7 people were killed", 7,
             "killed", "Brodivka")]),
        _post(client, "2026-11-17T09:00:00Z", "Plain Ledger", [
            ("The strike on Monday in Brodivka left 9 people dead.", "9 people dead", 9,
             "killed", "Brodivka")]),
        _post(client, "2026-11-17T10:30:00Z", "Riverside Post", [
            ("The toll of Monday's attack in Brodivka rose to 11 dead.", "11 dead", 11,
             "killed", "Brodivka")]),
    ]  # fmt: skip


def _zalissia(client: TestClient) -> dict[str, Any]:
    """Another strike the same Monday, in another town, with the same toll as one report."""
    sentence = "Shelling in Zalissia killed 7 people."
    return _post(
        client,
        "2026-11-16T15:00:00Z",
        "Plain Ledger",
        [(sentence, "7 people", 7, "killed", "Zalissia")],
    )


def test_a_rising_toll_from_three_sources_is_one_estimate(client: TestClient) -> None:
    arts = _rising_toll(client)
    [est] = _estimates(client, metric="killed")
    assert est["nature"] == "event"
    assert est["location"] == "Brodivka"
    assert est["country_code"] == "UA"
    assert est["reference_time"] == "2026-11-16T00:00:00Z"
    assert est["reference_precision"] == "day"
    assert (est["low"], est["best"], est["high"]) == (3, 9, 11)
    assert est["best_rule"] == "latest_report_lowest"  # 9 and 11 within 3 hours: the lower
    assert (est["report_count"], est["source_count"]) == (4, 3)
    assert est["first_reported_at"] == "2026-11-16T06:00:00Z"
    assert est["last_reported_at"] == "2026-11-17T10:30:00Z"
    reports = est["reports"]
    assert [r["article_id"] for r in reports] == [a["id"] for a in arts]
    assert [r["value"] for r in reports] == [3, 7, 9, 11]
    assert [r["rule"] for r in reports] == [
        "event.first_report",
        "event.same_place+published_within_a_day",
        "event.same_place+reference_time",
        "event.same_place+reference_time",
    ]
    first = arts[0]
    assert reports[0]["statistic_id"] == first["statistics"][0]["id"]
    assert first["body"][reports[0]["start"] : reports[0]["end"]] == reports[0]["text"]
    assert reports[2]["source"] == "Plain Ledger"
    assert est["best_statistic_id"] == arts[2]["statistics"][0]["id"]

    one = client.get(f"/v1/estimates/{est['id']}")
    assert one.status_code == 200
    assert one.json() == est
    found = _estimates(client, statistic_id=arts[1]["statistics"][0]["id"])
    assert [e["id"] for e in found] == [est["id"]]


def test_the_same_number_about_other_events_is_another_estimate(client: TestClient) -> None:
    _rising_toll(client)
    # same day, another town; the same town a week later
    _zalissia(client)
    _post(client, "2026-11-23T08:00:00Z", "Plain Ledger", [
        ("A drone struck Brodivka overnight; 7 people were killed.", "7 people were killed", 7,
         "killed", "Brodivka")])  # fmt: skip
    found = _estimates(client, metric="killed")
    assert [(e["location"], e["reference_time"][:10], e["report_count"]) for e in found] == [
        ("Brodivka", "2026-11-23", 1),
        ("Zalissia", "2026-11-16", 1),  # no time in the text: its publication day
        ("Brodivka", "2026-11-16", 4),
    ]
    assert _estimates(client, location="zalissia")[0]["best"] == 7
    only = _estimates(client, reference_from="2026-11-20T00:00:00Z")
    assert [e["reference_time"][:10] for e in only] == ["2026-11-23"]
    assert [e["report_count"] for e in _estimates(client, min_reports=2)] == [4]


def test_a_country_report_joins_the_incident_in_one_of_its_places(client: TestClient) -> None:
    _post(
        client,
        "2026-11-16T06:00:00Z",
        "Eastern Courier",
        [
            (
                "A missile hit a school in Brodivka overnight and 3 people were killed.",
                "3 people were killed",
                3,
                "killed",
                "Brodivka",
            )
        ],
    )
    _post(client, "2026-11-16T08:00:00Z", "Riverside Post", [
        ("Officials in Ukraine said 4 people were killed overnight.", "4 people were killed",
         4, "killed", "Ukraine")])  # fmt: skip
    [est] = _estimates(client)
    assert est["location"] == "Brodivka"
    assert [r["rule"] for r in est["reports"]] == [
        "event.first_report",
        "event.place_within+reference_time",
    ]


STOCK = "Across Ukraine 3.6 million people have been displaced since February 2022."


def test_a_repeated_stock_counts_once_in_the_series(client: TestClient) -> None:
    sources = ("Eastern Courier", "Plain Ledger", "Riverside Post")
    for day, source in zip(("03", "12", "25"), sources, strict=True):
        _post(client, f"2026-11-{day}T09:00:00Z", source, [
            (STOCK, "3.6 million people", 3_600_000, "displaced_internal", "Ukraine")])  # fmt: skip
    _post(client, "2026-11-20T09:00:00Z", "Plain Ledger", [
        ("In Brodivka 20000 people are displaced.", "20000 people", 20_000,
         "displaced_internal", "Brodivka")])  # fmt: skip
    _post(client, "2026-12-02T09:00:00Z", "Plain Ledger", [
        ("In Zalissia 5000 people are displaced.", "5000 people", 5_000,
         "displaced_internal", "Zalissia")])  # fmt: skip

    stocks = _estimates(client, metric="displaced_internal", nature="cumulative")
    ukraine = next(e for e in stocks if e["location"] == "Ukraine")
    assert ukraine["report_count"] == 3
    assert ukraine["reference_time"] == "2026-11-25T00:00:00Z"  # as of the latest report
    assert ukraine["best_rule"] == "latest_as_of"
    assert {r["rule"] for r in ukraine["reports"][1:]} == {"cumulative.same_place+same_month"}

    params = {"metric": "displaced_internal", "interval": "month"}
    reports = client.get("/v1/statistics/series", params={**params, "basis": "reports"})
    reports = reports.json()["data"]
    assert [(p["period"], p["sum"]) for p in reports] == [
        ("2026-11-01", 3 * 3_600_000 + 20_000),
        ("2026-12-01", 5_000),
    ]
    by_estimate = client.get(
        "/v1/statistics/series", params={**params, "basis": "estimates"}
    ).json()["data"]
    # The country's stock stands for its places; it carries into December.
    assert [(p["period"], p["count"], p["sum"]) for p in by_estimate] == [
        ("2026-11-01", 1, 3_600_000),
        ("2026-12-01", 1, 3_600_000),
    ]


def test_series_by_estimates_counts_each_incident_once(client: TestClient) -> None:
    arts = _rising_toll(client)
    _zalissia(client)
    params = {"metric": "killed", "interval": "month"}
    reports = client.get("/v1/statistics/series", params={**params, "basis": "reports"})
    reports = reports.json()["data"]
    assert [(p["period"], p["count"], p["sum"]) for p in reports] == [("2026-11-01", 5, 37)]
    doc = client.get("/v1/statistics/series", params=params).json()  # the default basis
    assert doc["basis"] == "estimates"
    assert [(p["period"], p["count"], p["sum"]) for p in doc["data"]] == [("2026-11-01", 2, 16)]
    assert doc["data"][0]["statistics"][0] == arts[2]["statistics"][0]["id"]
    assert doc["data"][0]["articles"][0] == arts[2]["id"]


def test_edits_and_deletes_undo_memberships(client: TestClient, session: Session) -> None:
    arts = _rising_toll(client)
    assert client.delete(f"/v1/articles/{arts[3]['id']}").status_code == 204
    [est] = _estimates(client)
    assert (est["low"], est["best"], est["high"], est["report_count"]) == (3, 9, 9, 3)

    # PATCH moving a report to another town takes it out of the incident
    body = "Rescuers in Zalissia said 7 people were killed."
    phrase = "7 people were killed"
    start = body.index(phrase)
    patch = {
        "body": body,
        "quotes": [],
        "locations": [PLACES["Zalissia"]],
        "statistics": [
            {"text": phrase, "start": start, "end": start + len(phrase), "value": 7,
             "unit": "people", "metric": "killed", "location": "Zalissia", "sentence": body}
        ],
    }  # fmt: skip
    assert client.patch(f"/v1/articles/{arts[1]['id']}", json=patch).status_code == 200
    found = _estimates(client)
    assert sorted((e["location"], e["report_count"]) for e in found) == [
        ("Brodivka", 2),
        ("Zalissia", 1),
    ]
    # deleting the first report moves the estimate's id to its new first report
    assert client.delete(f"/v1/articles/{arts[0]['id']}").status_code == 204
    brodivka = _estimates(client, location="Brodivka")
    assert [e["id"] for e in brodivka] == ["est_" + arts[2]["statistics"][0]["id"][4:]]
    assert client.get(f"/v1/estimates/{est['id']}").status_code == 404


def test_statistics_carry_their_reference_and_nature(client: TestClient) -> None:
    arts = _rising_toll(client)
    _post(client, "2026-11-25T09:00:00Z", "Plain Ledger", [
        (STOCK, "3.6 million people", 3_600_000, "displaced_internal", "Ukraine")])  # fmt: skip
    first = arts[0]["statistics"][0]
    assert (first["reference_time"], first["reference_precision"], first["nature"]) == (
        "2026-11-16T00:00:00Z",
        "day",
        "event",
    )
    assert arts[1]["statistics"][0]["reference_time"] is None
    stock = client.get("/v1/statistics", params={"nature": "cumulative"}).json()["data"]
    assert [(s["value"], s["reference_time"]) for s in stock] == [
        (3_600_000, "2026-11-25T00:00:00Z")
    ]
    window = {"reference_from": "2026-11-16T00:00:00Z", "reference_to": "2026-11-17T00:00:00Z"}
    listed = client.get("/v1/statistics", params=window).json()["data"]
    assert sorted(s["value"] for s in listed) == [3, 9, 11]
    # the stored article document shows them too
    doc = client.get(f"/v1/articles/{arts[2]['id']}").json()
    assert doc["statistics"][0]["reference_time"] == "2026-11-16T00:00:00Z"


def test_bad_estimate_queries_are_problems(client: TestClient) -> None:
    assert_problem(client.get("/v1/estimates", params={"nature": "stock"}), 422)
    assert_problem(client.get("/v1/estimates", params={"metric": "nonsense"}), 422)
    bad = {"reference_from": "2026-11-02T00:00:00Z", "reference_to": "2026-11-01T00:00:00Z"}
    assert_problem(client.get("/v1/estimates", params=bad), 422)
    assert_problem(client.get("/v1/statistics", params=bad), 422)
    assert_problem(client.get("/v1/estimates", params={"best_min": 5, "best_max": 1}), 422)
    assert_problem(client.get("/v1/estimates", params={"min_reports": 0}), 422)
    assert_problem(client.get("/v1/estimates", params={"cursor": "garbage"}), 400)
    params = {"metric": "killed", "basis": "guesses"}
    assert_problem(client.get("/v1/statistics/series", params=params), 422)
    assert_problem(client.get("/v1/estimates/est_0000"), 404)


def test_estimates_page_and_export(client: TestClient) -> None:
    _rising_toll(client)
    _zalissia(client)
    first = client.get("/v1/estimates", params={"limit": 1})
    assert first.status_code == 200
    page = first.json()
    assert len(page["data"]) == 1
    second = client.get("/v1/estimates", params={"limit": 1, "cursor": page["next_cursor"]})
    assert second.json()["next_cursor"] is None
    ids = {page["data"][0]["id"], second.json()["data"][0]["id"]}
    assert ids == {e["id"] for e in _estimates(client)}
    lines = client.get("/v1/estimates", params={"format": "ndjson"}).text.splitlines()
    assert len(lines) == 2


def test_estimates_facets_count_estimates(client: TestClient) -> None:
    _rising_toll(client)  # one estimate, three sources
    _zalissia(client)  # another, Plain Ledger again
    _post(client, "2026-12-02T09:00:00Z", "Plain Ledger", [
        ("In Zalissia 5000 people are displaced.", "5000 people", 5_000,
         "displaced_internal", "Zalissia")])  # fmt: skip
    names = "metric,unit,nature,source,location,country,month"
    doc = client.get("/v1/estimates", params={"facets": names, "limit": 1}).json()
    assert len(doc["data"]) == 1
    assert doc["facets_sampled"] is False
    counts = {
        name: [(b["label"], b["count"]) for b in buckets] for name, buckets in doc["facets"].items()
    }
    assert counts["metric"] == [("killed", 2), ("displaced_internal", 1)]
    assert counts["nature"] == [("event", 2), ("cumulative", 1)]
    assert counts["unit"] == [("people", 3)]
    assert counts["source"] == [("Plain Ledger", 3), ("Eastern Courier", 1), ("Riverside Post", 1)]
    assert counts["location"] == [("Zalissia", 2), ("Brodivka", 1)]
    assert counts["country"] == [("UA", 3)]
    assert counts["month"] == [("2026-12", 1), ("2026-11", 2)]
    # filters narrow the counts; without facets= the page has none
    killed = client.get("/v1/estimates", params={"facets": "source", "metric": "killed"}).json()
    assert [(b["label"], b["count"]) for b in killed["facets"]["source"]] == [
        ("Plain Ledger", 2),
        ("Eastern Courier", 1),
        ("Riverside Post", 1),
    ]
    assert "facets" not in client.get("/v1/estimates").json()
    assert_problem(client.get("/v1/estimates", params={"facets": "qualifier"}), 422)
