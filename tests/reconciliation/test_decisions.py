"""Admins split and merge estimates; the decisions survive later regrouping (a new report,
an article edit, a delete, `estimates rebuild`)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.reconciliation import projection
from app.services import api_keys as key_service
from tests.api.problems import assert_problem
from tests.api.test_estimates import _estimates, _post, _rising_toll, _zalissia


@pytest.fixture
def admin(session: Session) -> dict[str, str]:
    _, new = key_service.create_key(session, "estimates admin", "read,write,admin")
    session.commit()
    return {"Authorization": f"Bearer {new.plaintext}"}


def _sid(article: dict[str, Any]) -> str:
    sid: str = article["statistics"][0]["id"]
    return sid


def _groups(client: TestClient, **params: Any) -> list[set[str]]:
    """Each estimate as the set of its statistic ids."""
    return [{r["statistic_id"] for r in e["reports"]} for e in _estimates(client, **params)]


def _rebuild(session: Session) -> None:
    projection.rebuild(session.connection())
    session.expire_all()


def _later_report(client: TestClient) -> dict[str, Any]:
    """A report of the Brodivka strike that the rules put with every other report of it."""
    return _post(client, "2026-11-17T11:00:00Z", "Hill Gazette", [
        ("After Monday's strike in Brodivka, 12 people were killed in all.",
         "12 people were killed", 12, "killed", "Brodivka")])  # fmt: skip


def test_a_split_stays_apart_after_new_reports_edits_and_a_rebuild(
    client: TestClient, session: Session, admin: dict[str, str]
) -> None:
    arts = _rising_toll(client)
    [est] = _estimates(client)
    moved = [_sid(arts[2]), _sid(arts[3])]
    resp = client.post(
        f"/v1/estimates/{est['id']}/split", json={"statistic_ids": moved}, headers=admin
    )
    assert resp.status_code == 200, resp.text
    doc = resp.json()
    assert doc["remaining"]["id"] == est["id"]  # its first report stayed
    assert [r["value"] for r in doc["remaining"]["reports"]] == [3, 7]
    assert [r["value"] for r in doc["moved"]["reports"]] == [9, 11]
    assert {r["rule"] for r in doc["moved"]["reports"]} == {"event.admin_split"}
    assert (doc["moved"]["low"], doc["moved"]["best"], doc["moved"]["high"]) == (9, 9, 11)
    kept = {_sid(arts[0]), _sid(arts[1])}
    assert sorted(_groups(client), key=len) == [set(moved), kept]

    # a new report the rules would put with all of them joins one side only
    later = _later_report(client)
    groups = _groups(client)
    assert len(groups) == 2
    assert {frozenset(g - {_sid(later)}) for g in groups} == {frozenset(moved), frozenset(kept)}
    joined = next(
        e for e in _estimates(client) if _sid(later) in {r["statistic_id"] for r in e["reports"]}
    )
    assert joined["reports"][-1]["rule"] == "event.same_place+reference_time"

    # an edit of a moved report's article that keeps the figure keeps the decision
    patched = client.patch(f"/v1/articles/{arts[3]['id']}", json={"title": "Toll rises again"})
    assert patched.status_code == 200, patched.text
    body = arts[2]["body"].replace("The strike", "That strike")
    stat = arts[2]["statistics"][0]
    start = body.index(stat["text"])
    new_figure = {k: stat[k] for k in ("text", "value", "unit", "metric", "location")}
    new_figure |= {"start": start, "end": start + len(stat["text"]), "sentence": body}
    patched = client.patch(
        f"/v1/articles/{arts[2]['id']}", json={"body": body, "statistics": [new_figure]}
    )
    assert patched.status_code == 200, patched.text
    new_sid = patched.json()["statistics"][0]["id"]
    moved_now = {new_sid, _sid(arts[3])}
    assert moved_now in [g - {_sid(later)} for g in _groups(client)]

    before = _estimates(client)
    _rebuild(session)
    assert _estimates(client) == before


def test_a_merge_stays_together_after_a_rebuild_and_a_delete_undoes_it(
    client: TestClient, session: Session, admin: dict[str, str]
) -> None:
    arts = _rising_toll(client)
    other = _zalissia(client)
    brodivka, zalissia = (_estimates(client, location=p)[0] for p in ("Brodivka", "Zalissia"))
    resp = client.post(
        f"/v1/estimates/{brodivka['id']}/merge", json={"estimate_id": zalissia["id"]}, headers=admin
    )
    assert resp.status_code == 200, resp.text
    merged = resp.json()
    assert merged["id"] == brodivka["id"]
    assert merged["location"] == "Brodivka"
    assert (merged["report_count"], merged["source_count"]) == (5, 3)
    assert {r["rule"] for r in merged["reports"]} == {"event.admin_merge"}
    assert [e["id"] for e in _estimates(client)] == [brodivka["id"]]
    assert client.get(f"/v1/estimates/{zalissia['id']}").status_code == 404

    _rebuild(session)
    assert _estimates(client) == [merged]
    _later_report(client)
    [after] = _estimates(client)
    assert after["report_count"] == 6

    # deleting the merged-in article takes its report out, and only it
    assert client.delete(f"/v1/articles/{other['id']}").status_code == 204
    [left] = _estimates(client)
    assert left["report_count"] == 5
    assert _sid(other) not in {r["statistic_id"] for r in left["reports"]}
    assert {r["article_id"] for r in left["reports"]} >= {a["id"] for a in arts}
    # posting the Zalissia report again: a new figure, not under the decision
    again = _zalissia(client)
    found = _estimates(client, location="Zalissia")
    assert [[r["statistic_id"] for r in e["reports"]] for e in found] == [[_sid(again)]]
    assert found[0]["reports"][0]["rule"] == "event.first_report"


def test_a_merge_across_months_holds(
    client: TestClient, session: Session, admin: dict[str, str]
) -> None:
    _post(client, "2026-11-30T22:00:00Z", "Eastern Courier", [
        ("Late on Monday a blast in Brodivka killed 5 people.", "5 people", 5, "killed",
         "Brodivka")])  # fmt: skip
    _post(client, "2026-12-01T09:00:00Z", "Plain Ledger", [
        ("On 1 December officials in Brodivka said 6 people were killed.",
         "6 people were killed", 6, "killed", "Brodivka")])  # fmt: skip
    first, second = sorted(_estimates(client), key=lambda e: e["reference_time"])
    resp = client.post(
        f"/v1/estimates/{second['id']}/merge", json={"estimate_id": first["id"]}, headers=admin
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["report_count"] == 2
    _rebuild(session)
    assert [e["report_count"] for e in _estimates(client)] == [2]


def test_bad_splits_and_merges_are_problems(
    client: TestClient, session: Session, admin: dict[str, str]
) -> None:
    arts = _rising_toll(client)
    other = _zalissia(client)
    _post(client, "2026-11-16T16:00:00Z", "Plain Ledger", [
        ("In Brodivka 300 people fled overnight.", "300 people", 300, "displaced_internal",
         "Brodivka")])  # fmt: skip
    [est] = _estimates(client, location="Brodivka", metric="killed")
    [zal] = _estimates(client, location="Zalissia")
    [fled] = _estimates(client, metric="displaced_internal")
    split, merge = f"/v1/estimates/{est['id']}/split", f"/v1/estimates/{est['id']}/merge"
    every = [_sid(a) for a in arts]
    for body, status in [
        ({"statistic_ids": ["sta_unknown"]}, 422),
        ({"statistic_ids": [_sid(other)]}, 422),  # not one of its reports
        ({"statistic_ids": every}, 422),  # nothing would be left
        ({"statistic_ids": []}, 422),
        ({"statistic_ids": [every[0]], "why": "x"}, 422),
        ({}, 422),
    ]:
        assert_problem(client.post(split, json=body, headers=admin), status)
    for body, status in [
        ({"estimate_id": est["id"]}, 422),  # itself
        ({"estimate_id": "est_unknown"}, 422),
        ({"estimate_id": fled["id"]}, 422),  # another metric
        ({"estimate": zal["id"]}, 422),
    ]:
        assert_problem(client.post(merge, json=body, headers=admin), status)
    assert_problem(
        client.post(
            "/v1/estimates/est_unknown/merge", json={"estimate_id": zal["id"]}, headers=admin
        ),
        404,
    )
    # a write key is not enough
    assert_problem(client.post(merge, json={"estimate_id": zal["id"]}), 403)
    # nothing was written
    assert len(_estimates(client)) == 3
    assert {r["rule"] for e in _estimates(client) for r in e["reports"]}.isdisjoint(
        {"event.admin_split", "event.admin_merge"}
    )
