"""Full-text search, facets and the figure series, on every engine."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.search.syntax import parse as parse_query
from tests.api.problems import assert_problem
from tests.factories import make_article, span


def _article(session: Session, title: str, body: str, **kw: Any) -> str:
    return make_article(
        session, title=title, body=body, quotes=[], statistics=[], locations=[], **kw
    ).id


@pytest.fixture
def corpus(session: Session) -> dict[str, str]:
    return {
        "grain": _article(
            session,
            "Grain corridor reopens after ceasefire",
            "Ships left Odesa as the grain corridor reopened under a fragile ceasefire.",
            published_at="2025-01-10T00:00:00Z",
            source="Harbour Times",
        ),
        "talks": _article(
            session,
            "Talks stall in Geneva",
            "Negotiators said ceasefire talks stalled over prisoner exchanges.",
            published_at="2025-02-10T00:00:00Z",
            source="Harbour Times",
        ),
        "floods": _article(
            session,
            "Floods hit the delta",
            "Humanitarian agencies warned of floods; no ceasefire was mentioned by anyone.",
            published_at="2025-03-10T00:00:00Z",
            source="Delta Post",
        ),
        "aid": _article(
            session,
            "Aid convoy reaches Sumy",
            "A humanitarian convoy delivered water. Rumour of a ceasefire was denied.",
            published_at="2025-03-20T00:00:00Z",
            source="Delta Post",
        ),
    }


def _ids(client: TestClient, query: str) -> list[str]:
    resp = client.get(f"/v1/articles?{query}")
    assert resp.status_code == 200, resp.text
    return [a["id"] for a in resp.json()["data"]]


def test_query_syntax(client: TestClient, corpus: dict[str, str]) -> None:
    c = corpus
    assert set(_ids(client, "q=ceasefire")) == set(c.values())
    assert _ids(client, "q=ceasefire%20talks") == [c["talks"]]
    assert _ids(client, 'q="grain corridor"') == [c["grain"]]
    assert _ids(client, 'q="corridor grain"') == []
    assert set(_ids(client, "q=humanit*")) == {c["floods"], c["aid"]}
    assert set(_ids(client, "q=floods%20OR%20convoy")) == {c["floods"], c["aid"]}
    assert set(_ids(client, "q=ceasefire%20-humanitarian")) == {c["grain"], c["talks"]}
    assert _ids(client, "q=stalling") == [c["talks"]]  # stemming: stalling ~ stalled
    assert _ids(client, "q=ceasefire&source=delta%20post&sort=date") == [c["aid"], c["floods"]]


def test_relevance_and_date_orders(client: TestClient, corpus: dict[str, str]) -> None:
    # "ceasefire" is in the title of one article only: it ranks first by relevance.
    assert _ids(client, "q=ceasefire")[0] == corpus["grain"]
    assert _ids(client, "q=ceasefire&sort=date") == [
        corpus["aid"],
        corpus["floods"],
        corpus["talks"],
        corpus["grain"],
    ]
    assert_problem(client.get("/v1/articles?sort=relevance"), 422)


def test_pages_walk_every_hit_once_in_both_orders(client: TestClient, session: Session) -> None:
    made = {
        _article(session, f"Shelling report {i}", f"Shelling damaged {'houses ' * (i % 4 + 1)}.")
        for i in range(11)
    }
    _article(session, "Unrelated", "Nothing to see.")
    for sort in ("relevance", "date"):
        seen: list[str] = []
        cursor = None
        while True:
            params = {"q": "shelling houses", "sort": sort, "limit": 3}
            if cursor:
                params["cursor"] = cursor
            doc = client.get("/v1/articles", params=params).json()
            seen += [a["id"] for a in doc["data"]]
            cursor = doc["next_cursor"]
            if not cursor:
                break
        assert sorted(seen) == sorted(made), sort
    first = client.get("/v1/articles", params={"q": "shelling", "limit": 3}).json()
    other = client.get(
        "/v1/articles", params={"q": "houses", "limit": 3, "cursor": first["next_cursor"]}
    )
    assert_problem(other, 400)  # a relevance cursor belongs to its query


def test_snippets_mark_the_hits(client: TestClient, corpus: dict[str, str]) -> None:
    (hit,) = client.get('/v1/articles?q="grain corridor"').json()["data"]
    assert "<mark>grain</mark> <mark>corridor</mark>" in hit["snippet"]
    plain = client.get("/v1/articles").json()["data"][0]
    assert "snippet" not in plain


def test_index_follows_updates_and_deletes(client: TestClient, corpus: dict[str, str]) -> None:
    aid = corpus["floods"]
    client.patch(f"/v1/articles/{aid}", json={"body": "Drought, not rain, now worries farmers."})
    assert aid not in _ids(client, "q=floods%20humanitarian")
    assert _ids(client, "q=drought") == [aid]
    client.delete(f"/v1/articles/{aid}")
    assert _ids(client, "q=drought") == []


HOSTILE = [
    '"',
    '""',
    "*",
    "-",
    "OR",
    "AND",
    "NOT",
    "NEAR(a b)",
    "a:b",
    "title:x",
    "^x",
    "(",
    ")))",
    "'",
    "a' OR '1'='1",
    "\\",
    "%",
    "_",
    "x" * 400,
    "\u201cquote\u201d",
    "\u0000a",
    "a -",
    "- - -",
    "OR OR OR",
    "-a -b",
    "a*b*c",
    "Київ",
    "🙂",
    "; DROP TABLE article; --",
    "col:*",
    "{a b}",
    "a + b",
    "a & b | !c",
    "a <-> b",
    ":*",
]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries_never_fail(client: TestClient, corpus: dict[str, str], q: str) -> None:
    for path in ("/v1/articles", "/v1/quotes", "/v1/statistics"):
        for sort in ("relevance", "date"):
            resp = client.get(path, params={"q": q, "sort": sort})
            assert resp.status_code in (200, 422), (path, q, resp.text)
            if resp.status_code == 422:
                assert_problem(resp, 422)


def test_quotes_and_statistics_are_searchable(client: TestClient, session: Session) -> None:
    body = (
        "Officials spoke in Kherson. \u201cThe desalination plant is offline,\u201d said "
        "Oksana Melnyk, the utility director. About 12,000 households lack drinking water."
    )
    make_article(
        session,
        body=body,
        quotes=[
            {
                **span(body, "The desalination plant is offline,"),
                "speaker": {"name": "Oksana Melnyk", "role": "utility director"},
            }
        ],
        statistics=[
            {
                **span(body, "About 12,000 households"),
                "value": 12000,
                "unit": "households",
                "metric": "without_water",
                "qualifier": "approximately",
                "sentence": "About 12,000 households lack drinking water.",
            }
        ],
        locations=[],
    )
    make_article(session)  # another quote and statistic
    quotes = client.get("/v1/quotes?q=desalination").json()["data"]
    assert [q["speaker"]["name"] for q in quotes] == ["Oksana Melnyk"]
    assert "<mark>desalination</mark>" in quotes[0]["snippet"]
    assert len(client.get("/v1/quotes?q=melnyk").json()["data"]) == 1  # by speaker name
    stats = client.get("/v1/statistics?q=drinking%20water").json()["data"]
    assert [s["value"] for s in stats] == [12000]


def test_facets_count_the_whole_filtered_result(client: TestClient, corpus: dict[str, str]) -> None:
    resp = client.get("/v1/articles?q=ceasefire&limit=1&facets=source,month,language")
    doc = resp.json()
    assert len(doc["data"]) == 1
    sources = {b["label"]: b["count"] for b in doc["facets"]["source"]}
    assert sources == {"Harbour Times": 2, "Delta Post": 2}
    months = [(b["value"], b["count"]) for b in doc["facets"]["month"]]
    assert months == [("2025-03", 2), ("2025-02", 1), ("2025-01", 1)]
    assert doc["facets"]["language"] == [{"value": "en", "label": "en", "count": 4}]
    narrowed = client.get("/v1/articles?q=humanitarian&facets=source").json()["facets"]
    assert narrowed == {
        "source": [{"value": narrowed["source"][0]["value"], "label": "Delta Post", "count": 2}]
    }
    assert "facets" not in client.get("/v1/articles").json()
    assert_problem(client.get("/v1/articles?facets=colour"), 422)


def test_facets_for_places_speakers_and_metrics(client: TestClient, session: Session) -> None:
    make_article(session)
    make_article(session)
    doc = client.get("/v1/articles?facets=location,country,speaker,metric,tag").json()
    f = doc["facets"]
    assert [(b["label"], b["count"]) for b in f["location"]] == [("Mykolaiv", 2)]
    assert [(b["value"], b["count"]) for b in f["country"]] == [("UA", 2)]
    assert [(b["label"], b["count"]) for b in f["speaker"]] == [("Iryna Dovzhenko", 2)]
    assert [(b["value"], b["count"]) for b in f["metric"]] == [("injured", 2)]
    assert [(b["value"], b["count"]) for b in f["tag"]] == [("water", 2)]


def _stat_article(session: Session, when: str, value: int) -> None:
    body = f"Shelling overnight. At least {value} people were killed in Kharkiv."
    make_article(
        session,
        body=body,
        published_at=when,
        quotes=[],
        statistics=[
            {
                **span(body, f"At least {value} people were killed"),
                "value": value,
                "unit": "people",
                "metric": "killed",
                "qualifier": "at_least",
                "location": "Kharkiv",
            }
        ],
        locations=[{"name": "Kharkiv", "kind": "city", "country_code": "UA"}],
    )


def test_series_buckets_figures_and_points_to_them(client: TestClient, session: Session) -> None:
    _stat_article(session, "2025-01-03T10:00:00Z", 4)
    _stat_article(session, "2025-01-20T10:00:00Z", 9)
    _stat_article(session, "2025-03-02T10:00:00Z", 2)
    make_article(session)  # injured, elsewhere
    doc = client.get("/v1/statistics/series?metric=killed&interval=month&basis=reports").json()
    assert [(p["period"], p["count"], p["min"], p["max"], p["sum"]) for p in doc["data"]] == [
        ("2025-01-01", 2, 4, 9, 13),
        ("2025-03-01", 1, 2, 2, 2),
    ]
    top = doc["data"][0]
    stat = client.get(f"/v1/statistics/{top['statistics'][0]}").json()
    assert stat["value"] == 9
    assert stat["article_id"] == top["articles"][0]
    weeks = client.get("/v1/statistics/series?metric=killed&interval=week&basis=reports").json()[
        "data"
    ]
    assert [p["period"] for p in weeks] == ["2024-12-30", "2025-01-20", "2025-02-24"]
    days = client.get(
        "/v1/statistics/series?metric=killed&interval=day&location=kharkiv&basis=reports"
    )
    assert [p["period"] for p in days.json()["data"]] == ["2025-01-03", "2025-01-20", "2025-03-02"]
    # a metric outside the registry is a client error that lists the allowed names
    unknown = assert_problem(client.get("/v1/statistics/series?metric=nothing"), 422)
    assert "displaced_internal" in str(unknown["errors"])
    assert client.get("/v1/statistics/series?metric=missing").json()["data"] == []
    assert_problem(client.get("/v1/statistics/series?metric=killed&interval=year"), 422)
    assert_problem(client.get("/v1/statistics/series"), 422)


def test_facets_over_a_huge_result_count_the_newest_sample(
    client: TestClient, corpus: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.repositories import articles as articles_repo

    exact = client.get("/v1/articles?q=ceasefire&facets=month").json()
    assert exact["facets_sampled"] is False
    monkeypatch.setattr(articles_repo, "FACET_SAMPLE", 2)
    doc = client.get("/v1/articles?q=ceasefire&facets=month").json()
    assert doc["facets_sampled"] is True
    assert doc["facets"]["month"] == [{"value": "2025-03", "label": "2025-03", "count": 2}]


# Every way of finding the matches (search.plan's strategies) must give the same rows in
# the same order, page after page, in both orders: checked on a corpus with ties in
# publication time, with the relevance candidates capped below the number of matches or not.
STRATEGIES = ("collect", "set", "walk")


def _walk_pages(client: TestClient, path: str, params: dict[str, Any], limit: int) -> list[str]:
    seen: list[str] = []
    cursor = None
    while True:
        page = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        resp = client.get(path, params=page)
        assert resp.status_code == 200, resp.text
        doc = resp.json()
        seen += [item["id"] for item in doc["data"]]
        cursor = doc["next_cursor"]
        if not cursor:
            return seen


def _force(monkeypatch: pytest.MonkeyPatch, strategy: str) -> list[str]:
    """Make search.plan choose `strategy` (keeping what its probe counted); returns the list
    of strategies used, one per call."""
    from app.search import engine as search

    real = search.plan
    used: list[str] = []

    def forced(conn: Any, name: str, query: Any, needed: int) -> search.Plan:
        used.append(strategy)
        return dataclasses.replace(real(conn, name, query, needed), strategy=strategy)  # type: ignore[arg-type]

    monkeypatch.setattr(search, "plan", forced)
    return used


@pytest.fixture
def shelled(session: Session) -> set[str]:
    made = set()
    for i in range(24):
        word = "shelling" if i % 3 else "flooding"
        aid = _article(
            session,
            f"{'Shelling' if i % 5 == 0 else 'Report'} {i}",
            f"Overnight {word} damaged {'houses ' * (i % 4 + 1)}near the river.",
            published_at=f"2025-01-{i // 2 + 1:02d}T00:00:00Z",  # pairs share a time
        )
        if word == "shelling" or i % 5 == 0:
            made.add(aid)
    return made


@pytest.mark.parametrize("candidates", [5, 1000])
@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_every_search_strategy_pages_through_the_same_rows(
    client: TestClient,
    shelled: set[str],
    monkeypatch: pytest.MonkeyPatch,
    sort: str,
    candidates: int,
) -> None:
    from app.search import engine as search

    monkeypatch.setattr(search, "RANK_CANDIDATES", candidates)
    params = {"q": "shelling houses", "sort": sort}
    expected = _ids(client, f"q=shelling%20houses&sort={sort}&limit=100")
    n = len(shelled)  # 18
    assert len(expected) == (min(candidates, n) if sort == "relevance" else n)
    assert set(expected) <= shelled
    for strategy in STRATEGIES:
        with monkeypatch.context() as m:
            used = _force(m, strategy)
            assert _walk_pages(client, "/v1/articles", params, 3) == expected, strategy
            assert _ids(client, f"q=shelling%20houses&sort={sort}&limit=100") == expected
            assert used, "the list asked search.plan"


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_every_search_strategy_gives_the_same_quotes_and_figures(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch, sort: str
) -> None:
    from app.search import engine as search

    for i in range(7):
        make_article(session, published_at=f"2025-02-{i // 2 + 1:02d}T00:00:00Z")
    monkeypatch.setattr(search, "RANK_CANDIDATES", 4)
    for path, q in (("/v1/quotes", "pumping"), ("/v1/statistics", "injured")):
        expected = _walk_pages(client, path, {"q": q, "sort": sort}, 100)
        assert len(expected) == (4 if sort == "relevance" else 7)
        for strategy in STRATEGIES:
            with monkeypatch.context() as m:
                _force(m, strategy)
                assert _walk_pages(client, path, {"q": q, "sort": sort}, 2) == expected


def _spy_on_plans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The strategies `search.plan` picks from now on, in order."""
    from app.search import engine as search

    chosen: list[str] = []
    real = search.plan

    def spy(conn: Any, name: str, query: Any, needed: int) -> search.Plan:
        found = real(conn, name, query, needed)
        chosen.append(found.strategy)
        return found

    monkeypatch.setattr(search, "plan", spy)
    return chosen


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_the_probe_walks_the_date_index_past_its_threshold(
    client: TestClient, shelled: set[str], monkeypatch: pytest.MonkeyPatch, sort: str
) -> None:
    from app.search import engine as search

    monkeypatch.setattr(search, "RANK_CANDIDATES", 5)
    params = {"q": "shelling", "sort": sort}
    expected = _walk_pages(client, "/v1/articles", params, 100)
    chosen = _spy_on_plans(monkeypatch)
    # Walking made cheap, collecting dear: 18 matches are now "many".
    monkeypatch.setattr(search, "_SET_US", 1e9)
    monkeypatch.setattr(search, "_COLLECT_US", 1e9)
    monkeypatch.setattr(search, "_PG_COUNT_BELOW", 0)  # trust the planner's estimate
    monkeypatch.setattr(search, "_PG_COLLECT_US", 1e9)
    assert _walk_pages(client, "/v1/articles", params, 3) == expected
    assert set(chosen) == {"walk"}
    facets = client.get("/v1/articles", params={**params, "facets": "month"}).json()
    assert facets["facets_sampled"] is False
    assert sum(b["count"] for b in facets["facets"]["month"]) == len(shelled)
    # And the other way: few matches are collected through the index and sorted.
    chosen.clear()
    monkeypatch.setattr(search, "_SET_US", 0.4)
    monkeypatch.setattr(search, "_COLLECT_US", 0.0)
    monkeypatch.setattr(search, "_PG_COUNT_BELOW", 5000)
    monkeypatch.setattr(search, "_PG_COLLECT_US", 1e-6)
    monkeypatch.setattr(search, "_PG_WALK_US", 1e9)
    assert _walk_pages(client, "/v1/articles", params, 3) == expected
    assert set(chosen) == {"collect"}


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_a_common_prefix_is_expanded_once_not_per_row(
    client: TestClient,
    session: Session,
    shelled: set[str],
    monkeypatch: pytest.MonkeyPatch,
    sort: str,
) -> None:
    """SQLite: FTS5 expands a prefix for every probe, so past the threshold where a word
    would be walked, a prefix is expanded once into the set the date-index walk tests.
    On either engine the pages of a common prefix are those found unhurried."""
    from app.search import engine as search

    monkeypatch.setattr(search, "RANK_CANDIDATES", 5)
    params = {"q": "shell*", "sort": sort}
    expected = _walk_pages(client, "/v1/articles", params, 100)
    assert len(expected) == (len(shelled) if sort == "date" else 5)
    chosen = _spy_on_plans(monkeypatch)
    monkeypatch.setattr(search, "_SET_US", 1e9)  # 18 matches are now "many"
    monkeypatch.setattr(search, "_COLLECT_US", 1e9)
    monkeypatch.setattr(search, "_PG_COUNT_BELOW", 0)  # trust the planner's estimate
    monkeypatch.setattr(search, "_PG_COLLECT_US", 1e9)
    assert _walk_pages(client, "/v1/articles", params, 3) == expected
    # PostgreSQL's GIN matches a prefix by itself: walked like a word, each row tested.
    sqlite = session.get_bind().dialect.name == "sqlite"
    assert set(chosen) == ({"set"} if sqlite else {"walk"})


def test_a_prefix_needs_three_letters(client: TestClient, corpus: dict[str, str]) -> None:
    for q in ("h*", "hu*", "ceasefire OR hu*", "ceasefire -hu*"):
        resp = client.get("/v1/articles", params={"q": q})
        assert_problem(resp, 422)
        assert "at least 3 letters" in resp.text
    assert set(_ids(client, "q=hum*")) == {corpus["floods"], corpus["aid"]}


# "window" (PostgreSQL's plan for many matches wanted): the matches from a bound on, then
# older ones only as far as those fall short. Whatever the bound, the rows are the same.
WINDOW_BOUNDS = ("2024-06-01", "2025-01-07", "2025-01-09T12:00:00", "2026-06-01")


def _force_window(monkeypatch: pytest.MonkeyPatch, since: datetime) -> list[str]:
    from app.search import engine as search

    real = search.plan
    used: list[str] = []

    def forced(conn: Any, name: str, query: Any, needed: int) -> search.Plan:
        used.append(name)
        found = real(conn, name, query, needed)
        return dataclasses.replace(found, strategy="window", since=since)

    monkeypatch.setattr(search, "plan", forced)
    return used


@pytest.mark.parametrize("bound", WINDOW_BOUNDS)
def test_the_window_finds_the_same_newest_matches_whatever_its_bound(
    client: TestClient,
    session: Session,
    shelled: set[str],
    monkeypatch: pytest.MonkeyPatch,
    bound: str,
) -> None:
    from app.repositories import articles as articles_repo
    from app.search import engine as search

    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("the window strategy is PostgreSQL's (a timestamptz bound)")
    monkeypatch.setattr(search, "RANK_CANDIDATES", 5)
    monkeypatch.setattr(articles_repo, "FACET_SAMPLE", 5)
    relevance = {"q": "shelling houses"}
    facets = {"q": "shelling", "sort": "date", "facets": "month,source"}
    expected = _walk_pages(client, "/v1/articles", relevance, 100)
    assert len(expected) == 5
    expected_facets = client.get("/v1/articles", params=facets).json()
    assert expected_facets["facets_sampled"] is True
    since = datetime.fromisoformat(bound).replace(tzinfo=UTC)
    with monkeypatch.context() as m:
        used = _force_window(m, since)
        assert _walk_pages(client, "/v1/articles", relevance, 2) == expected
        doc = client.get("/v1/articles", params=facets).json()
        assert doc["facets"] == expected_facets["facets"]
        assert doc["data"] == expected_facets["data"]
        assert used


def _analyzed_series(session: Session, n: int, title: str, body: str, month: str) -> None:
    """`n` articles at distinct times of one month (so that ANALYZE keeps a histogram of
    them), titled "<title> <i>", then ANALYZE (PostgreSQL's plan reads its statistics)."""
    for i in range(n):
        published = f"{month}-{i % 28 + 1:02d}T{i % 24:02d}:00:00Z"
        _article(session, f"{title} {i}", body, published_at=published)
    session.flush()
    session.execute(text("ANALYZE article"))


def test_the_plan_takes_the_window_for_many_matches_wanted(
    client: TestClient, session: Session, shelled: set[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the costs set so, many matches wanted from a word in many rows are looked for
    among the newest rows first; the bound comes from the date histogram (ANALYZE)."""
    from app.search import engine as search

    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("the window strategy is PostgreSQL's (statistics from pg_stats)")
    _analyzed_series(session, 40, "Bulletin", "Shelling again.", "2024-03")
    monkeypatch.setattr(search, "_PG_COUNT_BELOW", 0)  # trust the planner's estimate
    monkeypatch.setattr(search, "_PG_WINDOW_MIN_NEEDED", 2)
    monkeypatch.setattr(search, "_PG_WINDOW_MARGIN", 0.5)
    monkeypatch.setattr(search, "_PG_COLLECT_US", 1e9)
    monkeypatch.setattr(search, "_PG_WALK_US", 1e9)
    monkeypatch.setattr(search, "_PG_BITMAP_US", 1e-3)
    query = parse_query("shelling")
    conn = session.connection()
    found = search.plan(conn, "article", query, 4)
    assert found.strategy == "window"
    assert found.since is not None
    assert datetime(2024, 3, 1, tzinfo=UTC) <= found.since <= datetime(2025, 1, 12, tzinfo=UTC)
    # A page wants too few rows for a window: walking the date index is short anyway.
    monkeypatch.setattr(search, "_PG_WINDOW_MIN_NEEDED", 200)
    assert search.plan(conn, "article", query, 4).strategy != "window"


def test_a_phrase_of_common_words_rarely_side_by_side_is_collected(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL estimates a phrase like its words together, but finds it only by
    rechecking each row: when the newest rows hold too few of it, the plan collects the
    candidates instead of walking the whole date index. Either way the page is exact."""
    from app.search import engine as search

    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("the phrase probe is PostgreSQL's (GIN rechecks positions)")
    adjacent = _article(
        session, "Old main", "The shelling water main burst.", published_at="2023-01-05T08:00:00Z"
    )
    # Both words in every row, never side by side.
    _analyzed_series(session, 30, "Outage", "Water was cut after the shelling.", "2024-05")
    monkeypatch.setattr(search, "_PG_PHRASE_WINDOW", 10)
    monkeypatch.setattr(search, "_PG_COUNT_BELOW", 0)  # trust the estimate, as at 1M rows
    conn = session.connection()
    rare = search.plan(conn, "article", parse_query('"shelling water"'), 4)
    assert rare.strategy == "collect"
    for sort in ("date", "relevance"):
        params = {"q": '"shelling water"', **({"sort": sort} if sort == "date" else {})}
        found = client.get("/v1/articles", params=params).json()["data"]
        assert [a["id"] for a in found] == [adjacent]
    # Side by side in the newest rows: the probe finds a page at once and lets it be walked.
    assert search.plan(conn, "article", parse_query('"water was cut"'), 4).strategy == "walk"
    newest = client.get("/v1/articles", params={"q": '"water was cut"', "sort": "date"})
    assert [a["title"] for a in newest.json()["data"][:2]] == ["Outage 27", "Outage 26"]
