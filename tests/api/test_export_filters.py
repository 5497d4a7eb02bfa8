"""Every export format judges its filters exactly as the JSON list does: a filter the JSON
page refuses is the same problem as NDJSON or CSV (by `format=` or `Accept`), before any
byte of a stream; and `conflict-news export` refuses it too, writing no file."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.migrate import upgrade
from tests.api.problems import assert_problem
from tests.dbutil import fresh_database
from tests.factories import make_article
from tests.live import EXE, live_env

REFUSED = [
    "/v1/statistics?unit=parsecs",
    "/v1/statistics?unit=people,parsecs",
    "/v1/statistics?metric=abducted_by_aliens",
    "/v1/statistics?qualifier=roughly",
    "/v1/statistics?facets=speaker",
    "/v1/quotes?kind=shouted",
    "/v1/quotes?updated_since=yesterday",
    "/v1/articles?sort=oldest",
    "/v1/articles?q=((",
    "/v1/articles?published_from=soon",
    "/v1/speakers?sort=age",
    "/v1/sources?ids=" + ",".join(f"src_{n}" for n in range(101)),
    "/v1/locations?country=UAX",
    "/v1/search?q=((",
]
STREAMS = [
    ("format=csv", {}),
    ("format=ndjson", {}),
    ("", {"Accept": "text/csv"}),
    ("", {"Accept": "application/x-ndjson"}),
]


@pytest.mark.parametrize("path", REFUSED)
def test_every_format_refuses_what_the_json_list_refuses(
    client: TestClient, session: Session, path: str
) -> None:
    make_article(session)  # figures in `people`: the stored units the 422 lists
    page = client.get(path)
    expected = assert_problem(page, page.status_code)
    assert page.status_code in (400, 422)
    for query, headers in STREAMS:
        url = f"{path}&{query}" if query else path
        resp = client.get(url, headers=headers)
        assert resp.status_code == page.status_code, (url, headers, resp.text[:200])
        got = assert_problem(resp, resp.status_code)
        assert got.get("errors") == expected.get("errors"), (url, headers)
        assert got["detail"] == expected["detail"]


def test_a_stored_unit_exports_the_rows_the_list_shows(
    client: TestClient, session: Session
) -> None:
    make_article(session)
    listed = client.get("/v1/statistics?unit=PEOPLE").json()["data"]
    assert len(listed) == 1
    lines = client.get("/v1/statistics?unit=PEOPLE&format=ndjson").text.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith('{"id":"' + listed[0]["id"] + '"')
    rows = client.get("/v1/statistics?unit=people&format=csv").text.splitlines()
    assert len(rows) == 2  # the header and the one figure
    assert listed[0]["id"] in rows[1]


@pytest.mark.slow
def test_the_export_command_refuses_an_unknown_unit_and_writes_nothing(
    tmp_path: Path,
) -> None:
    with fresh_database("sqlite", tmp_path) as url:
        upgrade(url)
        out = tmp_path / "figures.csv"
        command = ["export", "statistics", "--unit", "parsecs", "--format", "csv", "-o", str(out)]
        run = subprocess.run(
            [str(EXE), *command],
            cwd=tmp_path,
            env=live_env(url),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert run.returncode == 2, run.stderr
    assert "--unit" in run.stderr
    assert "unknown unit 'parsecs'" in run.stderr
    assert "Traceback" not in run.stderr
    assert not out.exists()
