"""`q` on speakers, sources and locations (name and alias, word prefixes, titles ignored)
and the speakers sorted by quote count and by latest quote."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_article, span


def _quoting(session: Session, speaker: str, times: int, published_at: str, n: int) -> None:
    sentences = [
        f"\u201cLine {k} of the statement holds,\u201d said {speaker}." for k in range(times)
    ]
    body = f"Report {n} from the northern districts. " + " ".join(sentences)
    make_article(
        session,
        body=body,
        url=f"https://northern-bulletin.example/{n}",
        source="Northern Bulletin",
        published_at=published_at,
        quotes=[
            {
                **span(body, f"Line {k} of the statement holds,"),
                "kind": "direct",
                "speaker": {"name": speaker},
                "cue": "said",
            }
            for k in range(times)
        ],
        statistics=[],
        locations=[],
    )


@pytest.fixture
def speakers(session: Session) -> None:
    _quoting(session, "Rustem Umerov", 1, "2026-09-01T08:00:00Z", 1)
    _quoting(session, "Umerov", 1, "2026-09-02T08:00:00Z", 2)  # an alias of the above
    _quoting(session, "Halyna Umanets", 3, "2026-08-01T08:00:00Z", 3)
    _quoting(session, "Boris Tallinger", 2, "2026-09-20T08:00:00Z", 4)


def _names(client: TestClient, path: str) -> list[str]:
    resp = client.get(path)
    assert resp.status_code == 200, resp.text
    return [row["name"] for row in resp.json()["data"]]


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("Defense Minister Rustem Umerov", ["Rustem Umerov"]),
        ("umer", ["Rustem Umerov"]),
        ("UM", ["Halyna Umanets", "Rustem Umerov"]),
        ("rus umer", ["Rustem Umerov"]),
        ("Minister Umerov", ["Rustem Umerov"]),
        ("h. umanets", ["Halyna Umanets"]),
        ("tall", ["Boris Tallinger"]),
        ("allinger", []),
        ("100%_", []),
    ],
)
def test_q_finds_speakers_by_word_prefix_ignoring_titles(
    client: TestClient, speakers: None, q: str, found: list[str]
) -> None:
    assert _names(client, f"/v1/speakers?q={q.replace('%', '%25')}") == found


def test_q_matches_aliases(client: TestClient, session: Session) -> None:
    _quoting(session, "Kiper", 1, "2026-09-01T08:00:00Z", 10)
    _quoting(session, "Oleh Kiper", 1, "2026-09-02T08:00:00Z", 11)  # "Kiper" becomes an alias
    rows = client.get("/v1/speakers?q=kip").json()["data"]
    assert [(r["name"], r["aliases"]) for r in rows] == [("Oleh Kiper", ["Kiper"])]


def test_speakers_sorted_by_quote_count_and_latest_quote(
    client: TestClient, speakers: None
) -> None:
    rows = client.get("/v1/speakers?sort=quote_count").json()["data"]
    assert [(r["name"], r["quote_count"]) for r in rows] == [
        ("Halyna Umanets", 3),
        ("Boris Tallinger", 2),
        ("Rustem Umerov", 2),
    ]
    rows = client.get("/v1/speakers?sort=latest_quote").json()["data"]
    assert [(r["name"], r["latest_quote_at"]) for r in rows] == [
        ("Boris Tallinger", "2026-09-20T08:00:00Z"),
        ("Rustem Umerov", "2026-09-02T08:00:00Z"),
        ("Halyna Umanets", "2026-08-01T08:00:00Z"),
    ]


@pytest.mark.parametrize("sort", ["name", "quote_count", "latest_quote"])
def test_every_speaker_sort_pages_with_cursors(
    client: TestClient, speakers: None, sort: str
) -> None:
    whole = _names(client, f"/v1/speakers?sort={sort}")
    seen: list[str] = []
    page = client.get(f"/v1/speakers?sort={sort}&limit=1").json()
    while True:
        seen += [row["name"] for row in page["data"]]
        if page["next_cursor"] is None:
            break
        page = client.get(f"/v1/speakers?sort={sort}&limit=1&cursor={page['next_cursor']}").json()
    assert seen == whole
    assert len(whole) == 3


def test_q_on_sources_and_locations(client: TestClient, session: Session) -> None:
    make_article(session, source="Danube River Dispatch")
    make_article(
        session,
        source="Valley Post",
        locations=[
            {"name": "Bilhorod-Dnistrovskyi", "kind": "city", "country_code": "UA"},
            {"name": "Mykolaiv", "kind": "city", "country_code": "UA"},
        ],
    )
    assert _names(client, "/v1/sources?q=riv") == ["Danube River Dispatch"]
    assert _names(client, "/v1/sources?q=danube dis") == ["Danube River Dispatch"]
    assert _names(client, "/v1/sources?q=post") == ["Valley Post"]
    assert _names(client, "/v1/sources?q=ost") == []
    assert _names(client, "/v1/locations?q=myk") == ["Mykolaiv"]
    assert _names(client, "/v1/locations?q=dnistr") == ["Bilhorod-Dnistrovskyi"]
    assert _names(client, "/v1/locations?q=bilhorod") == ["Bilhorod-Dnistrovskyi"]
    assert _names(client, "/v1/locations?name=mykolaiv,bilhorod-dnistrovskyi&q=myk") == ["Mykolaiv"]
