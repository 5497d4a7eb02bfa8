"""Raw text in: the extraction dry run, raw-text articles, and re-extraction on edits."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.api.problems import assert_problem
from tests.factories import article_payload, make_article

TEXTS = Path(__file__).resolve().parents[1] / "extraction" / "texts"
SUDAN = (TEXTS / "sudan-el-fasher.txt").read_text(encoding="utf-8")


def _provenance(doc: dict[str, object]) -> None:
    body = doc["body"]
    assert isinstance(body, str)
    for key in ("quotes", "statistics", "locations"):
        for item in doc.get(key) or []:  # type: ignore[attr-defined]
            if key == "locations" and "start" not in item:
                continue  # stored articles list places, not spans
            assert body[item["start"] : item["end"]] == item["text"], item


def test_dry_run_finds_the_seed_and_stores_nothing(client: TestClient, seed_text: str) -> None:
    resp = client.post("/v1/extract", json={"text": seed_text})
    assert resp.status_code == 200, resp.text
    doc = resp.json()
    _provenance(doc)
    assert doc["source"] == "RKS NEWS"
    assert doc["read_time_minutes"] == 4
    assert doc["body"].startswith("Russian forces carried out")
    direct = [q for q in doc["quotes"] if q["kind"] == "direct"]
    assert len(direct) == 6
    assert {q["speaker"]["name"] for q in direct} >= {"Rustem Umerov", "Matthias Schmale"}
    assert not any(s["unit"] == "minutes" for s in doc["statistics"])
    assert client.get("/v1/articles").json()["data"] == []
    assert client.get("/v1/changes").json()["data"] == []


def test_dry_run_accepts_text_plain(client: TestClient) -> None:
    resp = client.post(
        "/v1/extract", content=SUDAN.encode(), headers={"content-type": "text/plain"}
    )
    assert resp.status_code == 200
    doc = resp.json()
    _provenance(doc)
    assert doc["quotes"]
    assert doc["statistics"]


def test_bad_text_gets_clear_problems(client: TestClient) -> None:
    assert_problem(client.post("/v1/extract", json={"text": ""}), 422)
    assert_problem(client.post("/v1/extract", json={"text": "   \n\t "}), 422)
    assert_problem(client.post("/v1/extract", json={"title": "x", "body": "y"}), 422)
    bad_utf8 = client.post(
        "/v1/extract", content=b"caf\xe9 \xff", headers={"content-type": "text/plain"}
    )
    assert "UTF-8" in assert_problem(bad_utf8, 400)["detail"]
    nul = client.post("/v1/extract", content=b"abc\x00def", headers={"content-type": "text/plain"})
    assert_problem(nul, 400)
    huge = client.post(
        "/v1/extract", content=b"a " * (5 * 1024 * 1024), headers={"content-type": "text/plain"}
    )
    assert "limit" in assert_problem(huge, 413)["detail"]


def test_pathological_text_is_answered(client: TestClient) -> None:
    for text in ("\u201c" * 50_000, "9" * 100_000, ("\u201ca\u201d " * 20_000)):
        resp = client.post("/v1/extract", json={"text": text})
        assert resp.status_code in (200, 422), resp.text[:200]


def test_raw_text_article_is_parsed_extracted_and_stored(client: TestClient) -> None:
    resp = client.post("/v1/articles", json={"text": SUDAN, "tags": ["sudan"]})
    assert resp.status_code == 201, resp.text
    art = resp.json()
    _provenance(art)
    assert art["title"]
    assert art["quotes"]
    assert all(q["speaker"] is None or q["speaker"]["id"].startswith("spk_") for q in art["quotes"])
    assert art["statistics"]
    assert art["locations"]
    assert sum(loc["primary"] for loc in art["locations"]) == 1
    assert art["tags"] == ["sudan"]
    # The same text again (no URL): a duplicate by content.
    again = client.post(
        "/v1/articles", content=SUDAN.encode(), headers={"content-type": "text/plain"}
    )
    assert assert_problem(again, 409)["existing_id"] == art["id"]


def test_seed_as_text_plain_article(client: TestClient, seed_text: str) -> None:
    resp = client.post(
        "/v1/articles", content=seed_text.encode(), headers={"content-type": "text/plain"}
    )
    assert resp.status_code == 201, resp.text
    art = resp.json()
    _provenance(art)
    assert art["source"]["name"] == "RKS NEWS"
    assert art["read_time_minutes"] == 4
    umerov = client.get("/v1/quotes?speaker=umerov").json()["data"]
    assert len([q for q in umerov if q["kind"] == "direct"]) == 3
    killed = client.get("/v1/statistics?metric=killed").json()["data"]
    assert [s["value"] for s in killed] == [1]
    assert client.get("/v1/locations?name=odesa").json()["data"][0]["country_code"] == "UA"


def test_structured_article_without_quotes_gets_them_extracted(client: TestClient) -> None:
    body = (
        "Shelling hit the port of Kherson overnight. \u201cWe lost two cranes,\u201d said "
        "Marta Kovalenko, the port director. At least 3 people were injured."
    )
    payload = article_payload(body=body)
    resp = client.post("/v1/articles", json={**payload, "extract": True})
    art = resp.json()
    _provenance(art)
    assert [(q["text"], q["speaker"]["name"]) for q in art["quotes"]] == [
        ("We lost two cranes,", "Marta Kovalenko")
    ]
    assert [(s["value"], s["metric"], s["qualifier"]) for s in art["statistics"]] == [
        (3, "injured", "at_least")
    ]
    off = client.post("/v1/articles", json={**article_payload(body=body + " "), "extract": False})
    assert off.json()["quotes"] == []
    assert off.json()["statistics"] == []


def test_new_body_is_re_extracted_unless_quotes_are_sent(
    client: TestClient, session: Session
) -> None:
    art = make_article(session)
    new_body = (
        "Repairs began at the station. \u201cWater will flow by Friday,\u201d said Petro "
        "Savchenko, the chief engineer. About 40,000 residents remain without water."
    )
    got = client.patch(f"/v1/articles/{art.id}", json={"body": new_body}).json()
    _provenance(got)
    assert [q["speaker"]["name"] for q in got["quotes"]] == ["Petro Savchenko"]
    assert [s["value"] for s in got["statistics"]] == [40000]
    mine = [{"text": "Repairs began", "start": 0, "end": 13, "kind": "indirect"}]
    kept = client.patch(
        f"/v1/articles/{art.id}", json={"body": new_body + " More soon.", "quotes": mine}
    ).json()
    assert [q["text"] for q in kept["quotes"]] == ["Repairs began"]
    _provenance(kept)


def test_explain_names_the_rules_behind_each_item(client: TestClient) -> None:
    text = (
        "Flooding in the river valley\n\n"
        "At least 40 families were forced to leave their homes after the dam gave way, "
        "said Ilse Marquardt, the district's relief coordinator."
    )
    plain = client.post("/v1/extract", json={"text": text}).json()
    assert all("rules" not in item for item in (*plain["quotes"], *plain["statistics"]))
    explained = client.post("/v1/extract?explain=true", json={"text": text}).json()
    (figure,) = [s for s in explained["statistics"] if s["value"] == 40]
    assert figure["rules"]
    assert all(isinstance(r, str) and r for r in figure["rules"])
    assert any(r.startswith("metric.") for r in figure["rules"])
    assert explained["quotes"]
    assert all(q["rules"] for q in explained["quotes"])
    # the items themselves are the same with or without the explanation
    strip = [{k: v for k, v in s.items() if k != "rules"} for s in explained["statistics"]]
    assert strip == plain["statistics"]
