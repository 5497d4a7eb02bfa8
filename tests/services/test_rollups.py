"""The daily figure rollup: exact after every write path (create, PATCH, DELETE, bulk import,
a place deleted, a rolled-back SAVEPOINT, concurrent writers) and after `rebuild()`; and the
series read from it equals the series aggregated from every figure, for every filter."""

from __future__ import annotations

import importlib.util
import itertools
import json
import random
import threading
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, Table, delete, insert, select, text
from sqlalchemy.orm import Session

from app.core.normalise import name_key
from app.models import Article, Location, Statistic, StatisticDaily
from app.models.base import new_id
from app.models.rollup import ALL_PLACES, NO_PLACE
from app.projections import rollups
from app.repositories import statistics as items_repo
from app.schemas.filters import SeriesFilter
from app.services import articles as article_service
from tests.factories import article_payload, span

MIGRATION = (
    Path(__file__).resolve().parents[2]
    / "migrations"
    / "versions"
    / "2026-11-27_statistic_daily_rollup.py"
)
DAILY = cast(Table, StatisticDaily.__table__)
METRICS = ("killed", "injured")
DAY0 = datetime(2025, 1, 27, tzinfo=UTC)  # a Monday; the figures span three months


def _snapshot(conn: Connection) -> dict[tuple[str, str, str, str], tuple[Any, ...]]:
    """The rollup, comparable whichever way it was written (SQLite stores tops unsorted)."""
    out = {}
    for r in conn.execute(select(DAILY)):
        top = sorted(((float(v), s, a) for v, s, a in r.top), key=lambda t: (-t[0], t[1]))
        out[(r.metric, r.location_id, r.unit, r.day)] = (
            r.count,
            float(r.min),
            float(r.max),
            float(r.sum),
            top,
        )
    return out


def _rebuilt(session: Session) -> dict[tuple[str, str, str, str], tuple[Any, ...]]:
    nested = session.begin_nested()
    try:
        rollups.rebuild(session.connection())
        return _snapshot(session.connection())
    finally:
        nested.rollback()


def assert_exact(session: Session) -> dict[tuple[str, str, str, str], tuple[Any, ...]]:
    """The rollup as the writes left it equals the rollup rebuilt from `statistic`."""
    now = _snapshot(session.connection())
    assert now == _rebuilt(session)
    return now


def _series(rows: Any) -> list[tuple[Any, ...]]:
    points, top = rows
    return [(p, c, float(lo), float(hi), float(s), top.get(p)) for p, c, lo, hi, s in points]


def _places(session: Session) -> list[Location]:
    """Three places, two of them sharing a name (a name filter matches both)."""
    places = [
        Location(name=name, name_key=name_key(name), location_key=f"rt|{name}|{cc}", kind="city")
        for name, cc in (("Rt Lakeside", "UA"), ("Rt Lakeside", "GE"), ("Rt Hilltop", "UA"))
    ]
    session.add_all(places)
    session.flush()
    return places


def _random_figures(session: Session, rng: random.Random, places: list[Location]) -> None:
    """~240 figures on 12 days of three months: ties, several per day and place, times at
    and near midnight, a place or none, two metrics, two units."""
    days = [DAY0 + timedelta(days=d) for d in (0, 1, 2, 6, 7, 13, 20, 34, 35, 36, 60, 61)]
    times = [timedelta(0), timedelta(hours=10), timedelta(hours=17, minutes=30)]
    # (Not within the last 0.5 ms of a day: SQLite's strftime('%w') rounds to milliseconds,
    # so the reference query would put such a figure in the next day's week.)
    times.append(timedelta(days=1) - timedelta(milliseconds=1))
    for _ in range(30):
        moment = rng.choice(days) + rng.choice(times)
        article = Article(
            title="rt", content_hash=uuid.uuid4().hex, body="rt", sort_at=moment, authors=[]
        )
        for _ in range(8):
            place = rng.choice([None, *places])
            article.statistics.append(
                Statistic(
                    value=rng.choice([1, 2, 2.5, 5, 5, 10, 10, 10, 40.25, 1000]),
                    unit=rng.choice(("people", "people", "homes")),
                    metric=rng.choice(METRICS),
                    qualifier="exact",
                    location_id=place.id if place else None,
                    text="x",
                    start=0,
                    end=1,
                    sort_at=rng.choice(days) + rng.choice(times),
                )
            )
        session.add(article)
    session.commit()


BOUNDS: list[tuple[str | None, str | None]] = [
    (None, None),
    ("2025-02-02T00:00:00Z", None),
    (None, "2025-03-03T00:00:00Z"),
    ("2025-01-28T00:00:00Z", "2025-03-02T00:00:00Z"),
    ("2025-01-27T10:00:00Z", None),  # off midnight: the first day's figures are read
    (None, "2025-03-02T17:30:00Z"),
    ("2025-01-28T10:00:00Z", "2025-03-02T17:30:00Z"),
    ("2025-01-27T10:00:00Z", "2025-01-28T17:30:00Z"),  # no whole day at all
    ("2025-01-27T10:00:00Z", "2025-01-27T17:30:01Z"),  # inside one day
    ("2025-03-01T23:59:59.999999Z", "2025-03-03T00:00:00.000001Z"),
    ("2025-01-27T00:00:00Z", "2025-01-27T00:00:00Z"),  # empty
]


def test_series_from_the_rollup_equals_the_series_of_every_figure(session: Session) -> None:
    places = _places(session)
    _random_figures(session, random.Random(7), places)
    assert_exact(session)
    place_filters: list[dict[str, str]] = [
        {},
        {"location": "rt lakeside"},
        {"location_id": places[2].id},
        {"location": "Rt Lakeside", "location_id": places[1].id},
    ]
    checked = 0
    combinations = itertools.product(
        (METRICS[0],), (None, "people"), place_filters, ("day", "week", "month"), BOUNDS
    )
    for metric, unit, place, interval, (start, end) in [
        *combinations,
        ("abducted", None, {}, "month", (None, None)),  # a metric with no figures
        (METRICS[1], "homes", {"location": "Nowhere"}, "day", (None, None)),
        (METRICS[1], "homes", {}, "week", BOUNDS[6]),
    ]:
        params: dict[str, Any] = {"metric": metric, "interval": interval, **place}
        params |= {"unit": unit, "published_from": start, "published_to": end}
        f = SeriesFilter.model_validate({k: v for k, v in params.items() if v is not None})
        fast = _series(items_repo.series(session, f))
        assert fast == _series(items_repo.series_from_figures(session, f)), params
        checked += bool(fast)
    assert checked > 200  # most combinations have points


def test_series_keeps_the_point_limit(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    _random_figures(session, random.Random(3), _places(session))
    monkeypatch.setattr(items_repo, "SERIES_MAX_POINTS", 3)
    f = SeriesFilter(metric=METRICS[0], interval="day")
    fast = _series(items_repo.series(session, f))
    assert len(fast) == 3
    assert fast == _series(items_repo.series_from_figures(session, f))


def _figures_payload(day: str, figures: list[tuple[int, str, str]]) -> dict[str, Any]:
    """An article (`day` its publication date) reporting (value, metric, place) figures."""
    sentences = [
        f"Report {i}: at least {value} people were {metric} in {place}."
        for i, (value, metric, place) in enumerate(figures)
    ]
    body = " ".join(sentences)
    return article_payload(
        body=body,
        published_at=f"{day}T09:00:00Z",
        quotes=[],
        statistics=[
            {
                **span(body, f"Report {i}: at least {value} people"),
                "value": value,
                "unit": "people",
                "metric": metric,
                "qualifier": "at_least",
                "location": place,
            }
            for i, (value, metric, place) in enumerate(figures)
        ],
        locations=[{"name": place, "kind": "city"} for place in {p for _, _, p in figures}],
    )


def _rows_of(rollup: dict[tuple[str, str, str, str], Any], metric: str) -> dict[Any, Any]:
    return {k: v for k, v in rollup.items() if k[0] == metric}


def test_writes_through_the_api_keep_the_rollup_exact(client: TestClient, session: Session) -> None:
    a = client.post(
        "/v1/articles",
        json=_figures_payload("2025-04-02", [(4, "missing", "Rw Town"), (9, "missing", "Rw City")]),
    ).json()
    b = client.post(
        "/v1/articles",
        json=_figures_payload(
            "2025-04-02", [(7, "missing", "Rw Town"), (3, "detained", "Rw Town")]
        ),
    ).json()
    rollup = assert_exact(session)
    town = {place["name"]: place["id"] for place in a["locations"]}["Rw Town"]
    everywhere = rollup[("missing", ALL_PLACES, "people", "2025-04-02")]
    assert everywhere[:4] == (3, 4, 9, 20)
    assert rollup[("missing", town, "people", "2025-04-02")][:4] == (2, 4, 7, 11)

    # PATCH replacing the statistics
    new = _figures_payload("2025-04-02", [(50, "missing", "Rw Town")])
    patched = {"body": new["body"], "statistics": new["statistics"], "quotes": []}
    assert client.patch(f"/v1/articles/{a['id']}", json=patched).status_code == 200
    rollup = assert_exact(session)
    assert rollup[("missing", ALL_PLACES, "people", "2025-04-02")][:4] == (2, 7, 50, 57)
    city = {place["name"]: place["id"] for place in a["locations"]}["Rw City"]
    assert ("missing", city, "people", "2025-04-02") not in rollup

    # PATCH moving the publication to another day
    moved = {"published_at": "2025-05-09T23:30:00Z"}
    assert client.patch(f"/v1/articles/{b['id']}", json=moved).status_code == 200
    rollup = assert_exact(session)
    assert sorted({k[3] for k in _rows_of(rollup, "detained")}) == ["2025-05-09"]
    assert rollup[("missing", ALL_PLACES, "people", "2025-04-02")][:4] == (1, 50, 50, 50)

    # DELETE (statistics loaded by the route and deleted by the ORM)
    assert client.delete(f"/v1/articles/{b['id']}").status_code == 204
    rollup = assert_exact(session)
    assert _rows_of(rollup, "detained") == {}

    # bulk import, a line per transaction (a SAVEPOINT each in tests)
    lines = [
        json.dumps(_figures_payload(day, [(n, "missing", "Rw City")])).encode()
        for day, n in (("2025-04-02", 60), ("2025-04-03", 2))
    ]
    resp = client.post(
        "/v1/articles/bulk",
        content=b"\n".join(lines) + b"\n",
        headers={"content-type": "application/x-ndjson"},
    )
    assert [r["status"] for r in map(json.loads, resp.text.splitlines())] == ["created"] * 2
    session.commit()  # each line commits in production; here it only released a SAVEPOINT
    rollup = assert_exact(session)
    assert rollup[("missing", ALL_PLACES, "people", "2025-04-02")][:4] == (2, 50, 60, 110)

    doc = client.get("/v1/statistics/series?metric=missing&interval=week&basis=reports").json()
    assert [(p["period"], p["count"], p["sum"]) for p in doc["data"]] == [("2025-03-31", 3, 112)]
    largest = client.get("/v1/statistics?metric=missing&value_min=60").json()["data"]
    assert doc["data"][0]["statistics"][0] == largest[0]["id"]


def test_delete_by_cascade_and_a_place_deleted_keep_the_rollup_exact(session: Session) -> None:
    places = _places(session)
    _random_figures(session, random.Random(11), places)
    article_id = session.scalars(select(Article.id).where(Article.title == "rt")).first()
    session.expunge_all()  # its statistics are not loaded: the database's cascade deletes them
    article = session.get(Article, article_id)
    assert article is not None
    assert "statistics" not in article.__dict__
    article_service.delete_article(session, article)
    session.commit()
    assert_exact(session)

    place = session.get(Location, places[0].id)
    session.delete(place)  # ON DELETE SET NULL: its figures move to "no place"
    session.commit()
    rollup = assert_exact(session)
    assert not any(k[1] == places[0].id for k in rollup)
    assert any(k[1] == NO_PLACE for k in rollup)


def test_a_rolled_back_savepoint_leaves_the_rollup_exact(session: Session) -> None:
    _random_figures(session, random.Random(5), _places(session))
    before = assert_exact(session)
    stat = session.scalars(select(Statistic).where(Statistic.metric == METRICS[0])).first()
    assert stat is not None
    nested = session.begin_nested()
    stat.value = 123456
    stat.sort_at = DAY0 + timedelta(days=300)
    session.flush()
    nested.rollback()
    session.commit()
    assert assert_exact(session) == before


def test_core_writes_are_repaired_by_refresh(session: Session) -> None:
    _random_figures(session, random.Random(9), [])
    before = assert_exact(session)
    conn = session.connection()
    article_id = session.scalars(select(Article.id)).first()
    moment = DAY0 + timedelta(days=1, hours=3)
    conn.execute(
        insert(Statistic.__table__),
        [
            {
                "id": new_id("sta"),
                "article_id": article_id,
                "value": 77,
                "unit": "people",
                "metric": METRICS[1],
                "qualifier": "exact",
                "text": "x",
                "span_start": 0,
                "span_end": 1,
                "sort_at": moment,
                "created_at": moment,
                "updated_at": moment,
            }
        ],
    )
    assert _snapshot(conn) == before  # the ORM events never saw it
    rollups.refresh(conn, [(METRICS[1], NO_PLACE, "people", "2025-01-28")])
    assert_exact(session)


def test_the_migration_fills_what_rebuild_builds(session: Session) -> None:
    _random_figures(session, random.Random(13), _places(session))
    expected = assert_exact(session)
    spec = importlib.util.spec_from_file_location("rollup_migration", MIGRATION)
    assert spec is not None
    assert spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    conn = session.connection()
    conn.execute(delete(DAILY))
    sql = migration._DIALECT[conn.dialect.name]
    for place, partition in (
        ("coalesce(location_id, '')", "metric, place, unit, day"),
        ("'*'", "metric, unit, day"),
    ):
        conn.execute(text(migration._FILL.format(place=place, partition=partition, **sql)))
    assert _snapshot(conn) == expected


def test_concurrent_writers_of_one_day_both_count(engine: Engine) -> None:
    """Two transactions add a figure to the same day at the same moment; each recomputes the
    day at commit. PostgreSQL (READ COMMITTED) needs the advisory lock for the second to see
    the first; SQLite writers are serialised anyway."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers")
    metric = f"rc_{uuid.uuid4().hex[:8]}"
    moment = DAY0 + timedelta(hours=5)
    ready = threading.Barrier(2)
    errors: list[BaseException] = []

    def write(value: int) -> None:
        try:
            with Session(engine) as s:
                art = Article(
                    title="rc", content_hash=uuid.uuid4().hex, body="rc", sort_at=moment, authors=[]
                )
                art.statistics.append(
                    Statistic(
                        value=value,
                        unit="people",
                        metric=metric,
                        qualifier="exact",
                        text="x",
                        start=0,
                        end=1,
                        sort_at=moment,
                    )
                )
                s.add(art)
                s.flush()
                ready.wait(timeout=10)
                s.commit()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(v,)) for v in (3, 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        with engine.connect() as conn:
            rows = conn.execute(
                select(DAILY.c.location_id, DAILY.c.count, DAILY.c.sum).where(
                    DAILY.c.metric == metric
                )
            ).all()
        assert sorted((p, c, float(s)) for p, c, s in rows) == [("", 2, 7.0), ("*", 2, 7.0)]
    finally:
        with Session(engine) as s:
            for art in s.scalars(select(Article).where(Article.title == "rc")):
                s.delete(art)
            s.commit()
        with engine.connect() as conn:
            assert conn.execute(select(DAILY).where(DAILY.c.metric == metric)).all() == []


def test_a_days_sum_may_pass_what_one_figure_may(client: TestClient, session: Session) -> None:
    # Each figure fits the column (below 10^18); their sum does not, and must still be kept.
    big = 600_000_000_000_000_000
    for _ in range(3):
        resp = client.post(
            "/v1/articles", json=_figures_payload("2025-04-02", [(big, "missing", "Rw Town")])
        )
        assert resp.status_code == 201, resp.text
    rollup = assert_exact(session)
    assert rollup[("missing", ALL_PLACES, "people", "2025-04-02")][:4] == (3, big, big, 3 * big)
