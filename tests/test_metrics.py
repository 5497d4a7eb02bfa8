"""`GET /metrics`: scraped with Prometheus's own parser after a known sequence of requests,
in-process and from a real two-worker server (one view of both workers)."""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.core.config import Settings
from tests.api.problems import assert_problem
from tests.conftest import _make_client
from tests.factories import article_payload
from tests.live import call, live_env, serve

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def parse(text: str) -> Samples:
    out: Samples = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def requests(samples: Samples, route: str, method: str, status: int) -> float:
    return value(
        samples,
        "conflict_news_http_requests_total",
        route=route,
        method=method,
        status=str(status),
    )


def scrape(client: TestClient) -> Samples:
    resp = client.get("/metrics")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/plain")
    return parse(resp.text)


RAW = (
    "Shelling hits market in Orlivka\n\nBy Field Desk\n\nAt least 3 people were killed "
    "when shells struck the market in Orlivka on Monday, officials said."
)


def test_counts_follow_a_known_sequence(client: TestClient) -> None:
    before = scrape(client)
    for _ in range(3):
        assert client.get("/v1/articles").status_code == 200
    for _ in range(2):
        assert client.get("/v1/articles/art_missing").status_code == 404
    assert client.head("/v1/articles").status_code == 200
    first = article_payload()
    assert client.post("/v1/articles", json=first).status_code == 201
    lines = [
        json.dumps(article_payload(url="https://gazette.example/bulk-1", title="Bulk one")),
        json.dumps(first),  # the same url again: a duplicate
        "{not json",
        json.dumps({"text": RAW}),
    ]
    bulk = client.post(
        "/v1/articles/bulk",
        content="\n".join(lines).encode(),
        headers={"Content-Type": "application/x-ndjson"},
    )
    assert [json.loads(x)["status"] for x in bulk.text.splitlines()] == [
        "created",
        "duplicate",
        "error",
        "created",
    ]
    assert client.post("/v1/extract", json={"text": RAW}).status_code == 200
    after = scrape(client)

    def delta(route: str, method: str, status: int) -> float:
        return requests(after, route, method, status) - requests(before, route, method, status)

    assert delta("/v1/articles", "GET", 200) == 3
    assert delta("/v1/articles/{article_id}", "GET", 404) == 2
    assert delta("/v1/articles", "HEAD", 200) == 1
    assert delta("/v1/articles", "POST", 201) == 1
    assert delta("/v1/articles/bulk", "POST", 200) == 1
    assert delta("/metrics", "GET", 200) == 1  # the first scrape
    for outcome, n in (("created", 2), ("duplicate", 1), ("error", 1)):
        name = "conflict_news_bulk_lines_total"
        assert value(after, name, outcome=outcome) - value(before, name, outcome=outcome) == n
    name = "conflict_news_http_request_duration_seconds_count"
    assert value(after, name, route="/v1/articles") - value(before, name, route="/v1/articles") == 5
    name = "conflict_news_extraction_duration_seconds_count"
    assert value(after, name) - value(before, name) == 2  # the raw bulk line and the dry run
    # Only this scrape is in flight while it is taken.
    assert value(after, "conflict_news_http_requests_in_flight") == 1
    assert value(after, "conflict_news_change_feed_last_seq") > value(
        before, "conflict_news_change_feed_last_seq"
    )
    name = "conflict_news_db_query_duration_seconds_count"
    assert value(after, name, engine="primary") > value(before, name, engine="primary")
    assert ("conflict_news_db_connections_in_use", (("engine", "primary"),)) in after


@pytest.fixture
def tight(settings: Settings, engine: Engine, session: Session) -> Iterator[TestClient]:
    limited = settings.model_copy(update={"rate_limit_anonymous": "2/minute"})
    with _make_client(limited, engine, session) as c:
        yield c


def test_rejections_are_counted_and_metrics_are_never_limited(tight: TestClient) -> None:
    name = "conflict_news_rate_limit_rejections_total"
    before = value(scrape(tight), name, policy="anonymous")
    statuses = [tight.get("/v1/sources").status_code for _ in range(4)]
    assert statuses == [200, 200, 429, 429]
    for _ in range(3):  # a scrape is outside the budget
        assert tight.get("/metrics").status_code == 200
    assert value(scrape(tight), name, policy="anonymous") - before == 2


def test_a_metrics_key_guards_the_endpoint(
    settings: Settings, engine: Engine, session: Session
) -> None:
    keyed = settings.model_copy(update={"metrics_key": "scrape-secret-7"})
    with _make_client(keyed, engine, session) as c:
        assert_problem(c.get("/metrics"), 401)
        assert_problem(c.get("/metrics", headers={"Authorization": "Bearer wrong"}), 401)
        ok = c.get("/metrics", headers={"Authorization": "Bearer scrape-secret-7"})
        assert ok.status_code == 200
        assert "conflict_news_http_requests_total" in ok.text
        assert c.get("/metrics", headers={"X-API-Key": "scrape-secret-7"}).status_code == 200


def _writers(shared: Path) -> set[str]:
    return {f.stem.rsplit("_", 1)[-1] for f in shared.glob("*.db")}


def test_two_workers_report_one_view(tmp_path: Path) -> None:
    """`serve --workers 2`: whichever worker answers the scrape, it counts both workers'
    requests; the folder the samples were shared through is gone after the server stops."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = live_env(f"sqlite:///{(tmp_path / 'live.db').as_posix()}", TMPDIR=str(temp))
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    n = 40
    with serve(env, tmp_path, workers=2) as base:
        (shared,) = [p for p in temp.iterdir() if p.name.startswith("conflict-news-metrics-")]
        # Each worker writes its own sample files there (named by its pid), the second
        # perhaps a moment after the first answered /ready: wait for it, within bounds.
        deadline = time.monotonic() + 30
        while len(_writers(shared)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(_writers(shared)) == 2
        for _ in range(n):
            assert call("GET", base + "/health")[0] == 200
        for _ in range(6):  # several scrapes, answered by either worker, all agree
            status, _, body = call("GET", base + "/metrics")
            assert status == 200
            samples = parse(body.decode())
            assert requests(samples, "/health", "GET", 200) == n
    assert not [p for p in temp.iterdir() if p.name.startswith("conflict-news-metrics-")]
    assert tempfile.gettempdir() != str(temp)  # the test's own process was not redirected
