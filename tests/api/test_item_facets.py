"""Facets on quotes and statistics: counts of the whole filtered result, shaped as the
article facets, each bucket narrowing the list to exactly its count."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_article, span


def _report(
    session: Session,
    n: int,
    *,
    source: str,
    published_at: str,
    place: str,
    country: str,
    figures: list[tuple[str, str, int]],
    speakers: list[str],
) -> None:
    parts = [f"Bulletin {n} from {place}."]
    quotes, stats = [], []
    for k, name in enumerate(speakers):
        parts.append(f"\u201cWe saw the convoy pass number {k},\u201d said {name}.")
    for metric, unit, value in figures:
        parts.append(f"Overall {value} {unit} were {metric.replace('_', ' ')} there.")
    body = " ".join(parts)
    for k, name in enumerate(speakers):
        quotes.append(
            {
                **span(body, f"We saw the convoy pass number {k},"),
                "kind": "direct" if k % 2 == 0 else "indirect",
                "speaker": {"name": name},
                "cue": "said",
            }
        )
    for metric, unit, value in figures:
        stats.append(
            {
                **span(body, f"{value} {unit} were {metric.replace('_', ' ')}"),
                "value": value,
                "unit": unit,
                "metric": metric,
                "location": place,
            }
        )
    make_article(
        session,
        body=body,
        url=f"https://facet-wire.example/{n}",
        source=source,
        published_at=published_at,
        quotes=quotes,
        statistics=stats,
        locations=[{"name": place, "kind": "city", "country_code": country}],
    )


@pytest.fixture
def reports(session: Session) -> None:
    _report(
        session,
        1,
        source="Facet Wire",
        published_at="2026-09-10T08:00:00Z",
        place="Ostrava Nova",
        country="UA",
        figures=[("killed", "people", 3), ("injured", "people", 9)],
        speakers=["Lina Morrow", "Dario Kemp"],
    )
    _report(
        session,
        2,
        source="Facet Wire",
        published_at="2026-10-05T08:00:00Z",
        place="Ostrava Nova",
        country="UA",
        figures=[("injured", "people", 4)],
        speakers=["Lina Morrow"],
    )
    _report(
        session,
        3,
        source="Border Daily",
        published_at="2026-10-20T08:00:00Z",
        place="Seldova",
        country="MD",
        figures=[("injured", "homes", 12)],
        speakers=["Lina Morrow", "Ana Petrescu"],
    )


def _facets(client: TestClient, path: str) -> dict[str, Any]:
    resp = client.get(path)
    assert resp.status_code == 200, resp.text
    page = resp.json()
    assert page["facets_sampled"] is False
    return {
        name: [(b["label"], b["count"]) for b in buckets]
        for name, buckets in page["facets"].items()
    }


def test_quote_facets(client: TestClient, reports: None) -> None:
    got = _facets(client, "/v1/quotes?facets=speaker,kind,source,location,country,month")
    # most first; ties in the order of their values (here: ids), as on articles
    speakers = got.pop("speaker")
    assert speakers[0] == ("Lina Morrow", 3)
    assert sorted(speakers[1:]) == [("Ana Petrescu", 1), ("Dario Kemp", 1)]
    assert got == {
        "kind": [("direct", 3), ("indirect", 2)],
        "source": [("Facet Wire", 3), ("Border Daily", 2)],
        "location": [("Ostrava Nova", 3), ("Seldova", 2)],
        "country": [("UA", 3), ("MD", 2)],
        "month": [("2026-10", 3), ("2026-09", 2)],
    }


def test_statistic_facets(client: TestClient, reports: None) -> None:
    got = _facets(
        client, "/v1/statistics?facets=metric,unit,qualifier,source,location,country,month"
    )
    assert got == {
        "metric": [("injured", 3), ("killed", 1)],
        "unit": [("people", 3), ("homes", 1)],
        "qualifier": [("exact", 4)],
        "source": [("Facet Wire", 3), ("Border Daily", 1)],
        "location": [("Ostrava Nova", 3), ("Seldova", 1)],
        "country": [("UA", 3), ("MD", 1)],
        "month": [("2026-10", 2), ("2026-09", 2)],
    }


def test_facets_count_the_filtered_result(client: TestClient, reports: None) -> None:
    got = _facets(client, "/v1/statistics?metric=injured&facets=country,month")
    assert got == {"country": [("UA", 2), ("MD", 1)], "month": [("2026-10", 2), ("2026-09", 1)]}
    got = _facets(client, "/v1/quotes?q=convoy&speaker=Lina Morrow&facets=source")
    assert got == {"source": [("Facet Wire", 2), ("Border Daily", 1)]}


@pytest.mark.parametrize(
    ("resource", "facet", "param"),
    [
        ("quotes", "speaker", "speaker_id"),
        ("quotes", "source", "source_id"),
        ("quotes", "location", "location_id"),
        ("quotes", "country", "country"),
        ("quotes", "kind", "kind"),
        ("statistics", "metric", "metric"),
        ("statistics", "unit", "unit"),
        ("statistics", "source", "source_id"),
        ("statistics", "location", "location_id"),
        ("statistics", "country", "country"),
    ],
)
def test_a_bucket_narrows_the_list_to_its_count(
    client: TestClient, reports: None, resource: str, facet: str, param: str
) -> None:
    page = client.get(f"/v1/{resource}?facets={facet}").json()
    for bucket in page["facets"][facet]:
        rows = client.get(f"/v1/{resource}?{param}={bucket['value']}&limit=100").json()["data"]
        assert len(rows) == bucket["count"], (facet, bucket)


def test_facets_only_when_asked(client: TestClient, reports: None) -> None:
    page = client.get("/v1/quotes").json()
    assert set(page) == {"data", "next_cursor"}
    doc = client.get("/openapi.json").json()
    schema = doc["paths"]["/v1/statistics"]["get"]["responses"]["200"]["content"]
    ref = schema["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert {"data", "next_cursor", "facets", "facets_sampled"} <= set(
        doc["components"]["schemas"][ref]["properties"]
    )
