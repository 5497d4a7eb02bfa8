"""`conflict-news estimates rebuild` gives what the writes kept current, from scratch."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.models import Statistic
from app.reconciliation import projection
from app.repositories import estimates as repo
from tests.api.test_estimates import STOCK, _post, _rising_toll, _zalissia


def _listed(client: TestClient) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = client.get("/v1/estimates?limit=100").json()["data"]
    return data


def test_rebuild_resolves_figures_and_regroups_them_as_the_writes_did(
    client: TestClient, session: Session
) -> None:
    _rising_toll(client)
    _zalissia(client)
    _post(client, "2026-11-25T09:00:00Z", "Plain Ledger", [
        (STOCK, "3.6 million people", 3_600_000, "displaced_internal", "Ukraine")])  # fmt: skip
    kept = _listed(client)
    figures = client.get("/v1/statistics?limit=100").json()["data"]
    assert len(kept) == 3

    # as after the migration (or a load that bypassed the ORM): nothing resolved, no estimates
    conn = session.connection()
    conn.execute(
        update(Statistic).values(reference_time=None, reference_precision=None, nature=None)
    )
    repo.clear(conn)
    assert _listed(client) == []

    assert projection.rebuild(conn) == 3
    session.expire_all()
    assert _listed(client) == kept
    assert client.get("/v1/statistics?limit=100").json()["data"] == figures
