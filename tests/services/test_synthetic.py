"""Synthetic benchmark data: provenance, counts, unique keys, and the API reads it back."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.db import Database, make_engine
from app.core.migrate import upgrade
from app.main import create_app
from app.models import (
    Article,
    ArticleLocation,
    ArticleTag,
    Location,
    Quote,
    Source,
    Speaker,
    Statistic,
)
from app.projections import read_model
from app.schemas.common import Qualifier
from app.services import api_keys as key_service
from bench.synthetic import QUOTES_PER_ARTICLE, STATISTICS_PER_ARTICLE, seed
from tests.dbutil import ENGINES, fresh_database, make_settings

N = 50


@pytest.fixture(scope="module", params=ENGINES)
def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Engine]]:
    """A fresh, migrated database of each engine with N synthetic articles (batches of 20)."""
    tmp: Path = tmp_path_factory.mktemp("synthetic")
    with fresh_database(request.param, tmp) as url:
        upgrade(url)
        engine = make_engine(url)
        try:
            stats = seed(engine, N, batch=20, seed=7)
            assert stats.articles == N
            assert stats.quotes == N * QUOTES_PER_ARTICLE
            assert stats.statistics == N * STATISTICS_PER_ARTICLE
            yield url, engine
        finally:
            engine.dispose()


def _settings(url: str) -> Settings:
    return make_settings(url, rate_limits_enabled=False)


def _count(engine: Engine, column: object) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count(column))) or 0)  # type: ignore[call-overload]


def test_counts_and_directory(seeded: tuple[str, Engine]) -> None:
    _, engine = seeded
    assert _count(engine, Article.id) == N
    assert _count(engine, Quote.id) == N * QUOTES_PER_ARTICLE
    assert _count(engine, Statistic.id) == N * STATISTICS_PER_ARTICLE
    assert _count(engine, Source.id) == 40
    assert _count(engine, Speaker.id) == 2000
    assert 250 <= _count(engine, Location.id) <= 400
    assert N <= _count(engine, ArticleLocation.article_id) <= 3 * N
    assert _count(engine, ArticleTag.article_id) >= N
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).where(Source.domain.not_like("%.example"))) == 0
        kinds = set(conn.scalars(select(Location.kind).distinct()))
        assert kinds == {"city", "region", "country"}
        # Exactly one primary place per article.
        primaries = conn.execute(
            select(ArticleLocation.article_id, func.count())
            .where(ArticleLocation.is_primary.is_(True))
            .group_by(ArticleLocation.article_id)
        ).all()
        assert len(primaries) == N
        assert {n for _, n in primaries} == {1}


def test_provenance_and_fields(seeded: tuple[str, Engine]) -> None:
    _, engine = seeded
    with engine.connect() as conn:
        articles = {row.id: row for row in conn.execute(select(Article.__table__))}
        for a in articles.values():
            assert a.id.startswith("art_")
            assert a.word_count == len(a.body.split())
            assert 200 <= a.word_count <= 800
            assert a.sort_at == a.published_at
            assert a.version == 1
            assert a.language == "en"
            assert isinstance(a.authors, list)
            assert len(a.content_hash) == 64
            assert a.url == a.canonical_url
        spans = [
            *conn.execute(
                select(Quote.article_id, Quote.start, Quote.end, Quote.text, Quote.sort_at)
            ),
            *conn.execute(
                select(
                    Statistic.article_id,
                    Statistic.start,
                    Statistic.end,
                    Statistic.text,
                    Statistic.sort_at,
                )
            ),
        ]
        for article_id, start, end, text, sort_at in spans:
            body = articles[article_id].body
            assert body[start:end] == text
            assert sort_at == articles[article_id].sort_at
        named = conn.execute(
            select(Quote.speaker_name, Speaker.name).join(Speaker, Speaker.id == Quote.speaker_id)
        ).all()
        assert len(named) == N * QUOTES_PER_ARTICLE
        assert all(a == b for a, b in named)
        qualifiers = set(conn.scalars(select(Statistic.qualifier).distinct()))
        assert qualifiers <= {q.value for q in Qualifier}
        assert "people" in set(conn.scalars(select(Statistic.unit).distinct()))


def test_unique_keys(seeded: tuple[str, Engine]) -> None:
    _, engine = seeded
    with engine.connect() as conn:
        for column in (
            Article.canonical_url,
            Article.content_hash,
            Source.name_key,
            Speaker.name_key,
            Location.location_key,
        ):
            total = conn.scalar(select(func.count(column)))
            distinct = conn.scalar(select(func.count(func.distinct(column))))
            assert total == distinct, column
        for key, code in conn.execute(select(Location.location_key, Location.country_code)):
            assert key.endswith(f"|{code}")


def test_seeding_again_reuses_the_directory(seeded: tuple[str, Engine]) -> None:
    _, engine = seeded
    before = _count(engine, Speaker.id)
    stats = seed(engine, 3, seed=7)
    assert (stats.sources_created, stats.speakers_created, stats.locations_created) == (0, 0, 0)
    assert _count(engine, Speaker.id) == before
    assert _count(engine, Article.id) == N + 3


def test_api_reads_them_back(seeded: tuple[str, Engine]) -> None:
    url, engine = seeded
    settings = _settings(url)
    app = create_app(settings, database=Database(engine))
    with TestClient(app) as client:
        page = client.get("/v1/articles", params={"limit": 10})
        assert page.status_code == 200, page.text
        data = page.json()
        assert len(data["data"]) == 10
        assert data["next_cursor"]
        first = data["data"][0]
        assert first["quote_count"] == QUOTES_PER_ARTICLE
        assert first["statistic_count"] == STATISTICS_PER_ARTICLE
        assert first["source"]["domain"].endswith(".example")
        detail = client.get(f"/v1/articles/{first['id']}")
        assert detail.status_code == 200, detail.text
        doc = detail.json()
        assert len(doc["quotes"]) == QUOTES_PER_ARTICLE
        assert len(doc["statistics"]) == STATISTICS_PER_ARTICLE
        for item in [*doc["quotes"], *doc["statistics"]]:
            assert doc["body"][item["start"] : item["end"]] == item["text"]
        assert all(q["speaker"]["name"] for q in doc["quotes"])
        assert sum(loc["primary"] for loc in doc["locations"]) == 1


def _expected_facets(docs: list[dict[str, Any]]) -> dict[str, Counter[tuple[str, str]]]:
    """Facet counts computed from whole article documents: articles per value."""
    out: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for doc in docs:
        per_doc = {
            "source": {(doc["source"]["id"], doc["source"]["name"])},
            "location": {(p["id"], p["name"]) for p in doc["locations"]},
            "speaker": {(q["speaker"]["id"], q["speaker"]["name"]) for q in doc["quotes"]},
            "metric": {(s["metric"], s["metric"]) for s in doc["statistics"]},
            "tag": {(t, t) for t in doc["tags"]},
            "language": {(doc["language"], doc["language"])},
            "month": {(doc["published_at"][:7],) * 2},
        }
        for name, values in per_doc.items():
            out[name].update(values)
    return out


def test_facets_match_counts_taken_from_the_documents(
    seeded: tuple[str, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every facet, over the whole result and over a sample of its newest articles, counts
    what the articles' own documents show (articles per value, a speaker quoted twice in
    one article counting once), names its values, and keeps the top buckets."""
    from app.repositories import articles as articles_repo

    url, engine = seeded
    names = "source,location,speaker,metric,tag,language,month"
    app = create_app(_settings(url), database=Database(engine))
    with TestClient(app) as client:
        listed = client.get("/v1/articles", params={"limit": 100}).json()
        assert listed["next_cursor"] is None
        newest = [a["id"] for a in listed["data"]]
        with engine.connect() as conn:
            docs = [json.loads(read_model.read(conn, i)[0]) for i in newest]  # type: ignore[index]
        repeated = [d for d in docs if len({s["metric"] for s in d["statistics"]}) < 5]
        assert repeated, "some article should report one metric twice"
        for sample, expected_sampled in ((articles_repo.FACET_SAMPLE, False), (7, True)):
            monkeypatch.setattr(articles_repo, "FACET_SAMPLE", sample)
            doc = client.get("/v1/articles", params={"facets": names}).json()
            assert doc["facets_sampled"] is expected_sampled
            expected = _expected_facets(docs[:sample])
            for name in names.split(","):
                got = doc["facets"][name]
                counts = expected[name]
                size = 120 if name == "month" else articles_repo.FACET_SIZE
                assert len(got) == min(size, len(counts)), name
                for bucket in got:
                    assert counts[(bucket["value"], bucket["label"])] == bucket["count"], name
                if name == "month":
                    assert [b["value"] for b in got] == sorted(v for v, _ in counts)[::-1][:size]
                else:  # the largest counts (which of equal ones is up to the database)
                    top = sorted(counts.values(), reverse=True)[:size]
                    assert [b["count"] for b in got] == top, name


def test_full_text_index_is_complete_and_kept_after_seeding(seeded: tuple[str, Engine]) -> None:
    """The seeder writes without the per-row full-text work and rebuilds the index at the
    end: every article containing a word is found by a search, and writes made after the
    seed are indexed again (the triggers are back on SQLite)."""
    url, engine = seeded
    settings = _settings(url)
    with engine.connect() as conn:
        bodies = conn.execute(select(Article.id, Article.body)).all()
    word = "officials"
    expected = {id_ for id_, body in bodies if word in body.lower()}
    assert expected, "the synthetic vocabulary should use the word"
    with Session(engine) as session, session.begin():
        _, key = key_service.create_key(session, "seed-check", "read,write")
    app = create_app(settings, database=Database(engine))
    with TestClient(app) as client:
        found = client.get("/v1/articles", params={"q": word, "limit": 100}).json()
        assert {a["id"] for a in found["data"]} >= expected
        stats = seed(engine, 2, seed=11)
        assert stats.articles == 2
        created = client.post(
            "/v1/articles",
            json={
                "url": "https://seed-check.example/2026/11/zanthrope-report",
                "title": "Zanthrope valley report",
                "body": "Aid workers reached the zanthrope valley on Tuesday.",
                "published_at": "2026-11-20T08:00:00Z",
                "source": "Seed Check",
            },
            headers={"Authorization": f"Bearer {key.plaintext}"},
        )
        assert created.status_code in (200, 201), created.text
        hits = client.get("/v1/articles", params={"q": "zanthrope"}).json()["data"]
        assert [a["id"] for a in hits] == [created.json()["id"]]


def test_stored_documents_match_a_live_render(seeded: tuple[str, Engine]) -> None:
    _, engine = seeded
    with engine.connect() as conn:
        ids = conn.scalars(select(Article.id)).all()
        for article_id in ids:
            assert read_model.read(conn, article_id) == read_model.render_live(conn, article_id)
