"""Estimates kept current write by write (new figures added to the estimates they join,
other changes regrouping their buckets) equal a regrouping of everything from scratch."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Estimate, EstimateMember
from app.reconciliation import grouping, projection
from app.repositories import estimates as repo
from tests.api.test_estimates import PLACES

TOWNS = ("Brodivka", "Zalissia", "Ukraine", None)
SENTENCES = (
    ("A strike on {town} killed {n} people.", "killed", "event"),
    ("In {town} {n} people were killed on Friday.", "killed", "event"),
    ("Last week {n} people were injured in {town}.", "injured", "event"),
    ("Since February 2022 {n} people have been displaced in {town}.", "displaced_internal", ""),
)


def _article(rng: random.Random, n: int) -> dict[str, Any]:
    sentences, stats = [], []
    for _ in range(rng.randint(1, 3)):
        template, metric, _nature = rng.choice(SENTENCES)
        town = rng.choice(TOWNS)
        value = rng.randint(2, 60) * (1000 if metric == "displaced_internal" else 1)
        sentence = template.format(town=town or "the region", n=value)
        sentences.append((sentence, str(value), value, metric, town))
    body = " ".join(s for s, *_ in sentences)
    for sentence, phrase, value, metric, town in sentences:
        start = body.index(sentence) + sentence.index(phrase)
        stats.append(
            {"text": phrase, "start": start, "end": start + len(phrase), "value": value,
             "unit": "people", "metric": metric, "location": town, "sentence": sentence}
        )  # fmt: skip
    published = datetime(2026, 11, 1, tzinfo=UTC) + timedelta(hours=rng.randint(0, 24 * 50))
    towns = sorted({t for *_, t in sentences if t})
    return {
        "title": f"Incremental {n}",
        "body": body,
        "url": f"https://incremental.example/{n}-{rng.random()}",
        "source": rng.choice(("Wire A", "Wire B", "Wire C")),
        "published_at": published.isoformat(),
        "statistics": stats,
        "locations": [PLACES[t] for t in towns],
        "extract": False,
    }


def _stored(session: Session) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    conn = session.connection()
    estimates = [dict(r) for r in conn.execute(select(Estimate.__table__)).mappings()]
    members = [dict(r) for r in conn.execute(select(EstimateMember.__table__)).mappings()]
    return estimates, members


def _from_scratch(session: Session) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    conn = session.connection()
    found = grouping.group(projection.row_report(r) for r in repo.all_reports(conn))
    return projection.rows_of(found)


def _same(
    stored: tuple[list[dict[str, Any]], list[dict[str, Any]]],
    scratch: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    def norm(rows: list[dict[str, Any]], key: str) -> list[tuple[Any, ...]]:
        out = []
        for row in rows:
            values = {
                k: (grouping.utc(v) if isinstance(v, datetime) else v) for k, v in row.items()
            }
            out.append(tuple(sorted(values.items(), key=lambda kv: kv[0])))
        return sorted(out, key=lambda t: dict(t)[key])

    assert norm(stored[0], "id") == norm(scratch[0], "id")
    assert norm(stored[1], "statistic_id") == norm(scratch[1], "statistic_id")


@pytest.mark.parametrize("seed", [7, 23])
def test_write_by_write_equals_a_regroup_from_scratch(
    client: TestClient, session: Session, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    appended: list[int] = []
    append = projection._append

    def counted(conn: Any, new: Any) -> Any:
        done, written = append(conn, new)
        appended.append(len(done))
        return done, written

    monkeypatch.setattr(projection, "_append", counted)
    ids: list[str] = []
    for step in range(60):
        action = rng.random()
        if ids and action < 0.15:
            resp = client.delete(f"/v1/articles/{ids.pop(rng.randrange(len(ids)))}")
            assert resp.status_code == 204
        elif ids and action < 0.3:
            fresh = _article(rng, 1000 + step)
            patch = {k: fresh[k] for k in ("body", "statistics", "locations", "published_at")}
            resp = client.patch(f"/v1/articles/{rng.choice(ids)}", json=patch)
            assert resp.status_code == 200, resp.text
        else:
            resp = client.post("/v1/articles", json=_article(rng, step))
            assert resp.status_code == 201, resp.text
            ids.append(resp.json()["id"])
        if step % 10 == 9:
            _same(_stored(session), _from_scratch(session))
    _same(_stored(session), _from_scratch(session))
    assert sum(appended) > 0  # the incremental path was taken, not only whole regroups
