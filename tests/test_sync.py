"""`conflict-news sync URL`: a mirror of a real second server made through its change feed
with `include=document`, compared row for row, then resumed from the stored cursor."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.migrate import upgrade
from tests.dbutil import ENGINES, fresh_database
from tests.factories import article_payload, span
from tests.live import EXE, call, cli, live_env, serve

pytestmark = pytest.mark.slow

LISTS = (
    "/v1/articles?format=ndjson&include=quotes,statistics,body",
    "/v1/quotes?format=ndjson",
    "/v1/statistics?format=ndjson",
    "/v1/speakers?format=ndjson&include_descriptions=true",
    "/v1/sources?format=ndjson",
    "/v1/locations?format=ndjson",
)


@pytest.fixture
def remote(tmp_path: Path) -> Iterator[tuple[str, dict[str, str], dict[str, str]]]:
    """A served SQLite instance, its environment and an admin key's header."""
    with fresh_database("sqlite", tmp_path) as url:
        upgrade(url)
        env = live_env(url, RATE_LIMITS_ENABLED="false", PUBLIC_READS="false")
        key = cli(
            ["keys", "create", "--name", "origin", "--scopes", "read,write,admin"], env, tmp_path
        )
        auth = {"Authorization": f"Bearer {key.strip().splitlines()[-1]}"}
        remote_dir = tmp_path / "remote"
        remote_dir.mkdir()
        with serve(env, remote_dir) as base:
            yield base, env, auth


def _post(base: str, auth: dict[str, str], payload: dict[str, object]) -> dict[str, object]:
    status, _, body = call("POST", base + "/v1/articles", payload, auth)
    assert status == 201, body
    return dict(json.loads(body))


def _quoted(n: int, speaker: str, source: str) -> dict[str, object]:
    body = f"Bulletin {n}. \u201cThe convoy reached the river crossing,\u201d {speaker} said."
    return article_payload(
        body=body,
        source=source,
        quotes=[
            {**span(body, "The convoy reached the river crossing,"), "speaker": {"name": speaker}}
        ],
        statistics=[],
        locations=[{"name": "Zaporizhzhia", "country_code": "UA", "latitude": 47.84}],
    )


def _snapshot(base: str, auth: dict[str, str]) -> dict[str, object]:
    """Every list and every article document, as the API serves them."""
    shot: dict[str, object] = {}
    for path in LISTS:
        status, _, body = call("GET", base + path, headers=auth)
        assert status == 200, body
        shot[path] = sorted(body.decode().splitlines())
    for line in shot[LISTS[0]]:  # type: ignore[attr-defined]
        article_id = json.loads(line)["id"]
        shot[article_id] = json.loads(
            call("GET", f"{base}/v1/articles/{article_id}", headers=auth)[2]
        )
    return shot


def _sync(base: str, env: dict[str, str], cwd: Path, auth: dict[str, str]) -> str:
    key = auth["Authorization"].removeprefix("Bearer ")
    return cli(["sync", base, "--key", key, "--limit", "7"], env, cwd)


@pytest.mark.parametrize("engine", ENGINES)
def test_sync_mirrors_a_remote_row_for_row_and_resumes(
    remote: tuple[str, dict[str, str], dict[str, str]], tmp_path: Path, engine: str
) -> None:
    base, _, auth = remote
    made = [_post(base, auth, article_payload()) for _ in range(6)]
    _post(base, auth, _quoted(1, "Hordiienko", "Steppe Herald"))
    _post(base, auth, _quoted(2, "Mykola Hordiienko", "Steppe Herald"))  # renames the speaker
    _post(
        base,
        auth,
        {"text": "Night strike on Sumy\n\nA strike hit a depot in Sumy, officials said."},
    )
    call(
        "PATCH", f"{base}/v1/articles/{made[0]['id']}", {"title": "Pumps back", "tags": ["a"]}, auth
    )
    call("DELETE", f"{base}/v1/articles/{made[1]['id']}", headers=auth)
    source = made[2]["source"]["id"]  # type: ignore[index]
    terms = {"licence": "CC-BY-4.0", "attribution": "Southern Ledger, CC BY 4.0"}
    assert call("PATCH", f"{base}/v1/sources/{source}", terms, auth)[0] == 200
    _post(base, auth, article_payload(licence="https://southern-ledger.example/terms"))

    with fresh_database(engine, tmp_path) as local_url:
        local_env = live_env(local_url, RATE_LIMITS_ENABLED="false", PUBLIC_READS="false")
        local_dir = tmp_path / "local"
        local_dir.mkdir()
        out = _sync(base, local_env, local_dir, auth)
        total = len(
            json.loads(call("GET", base + "/v1/changes?limit=1000", headers=auth)[2])["data"]
        )
        assert out.strip().endswith(f"up to date with {base}")
        assert out.startswith(f"{total} changes applied in {-(-total // 7)} requests")
        local_key = cli(
            ["keys", "create", "--name", "mirror", "--scopes", "read"], local_env, local_dir
        )
        local_auth = {"Authorization": f"Bearer {local_key.strip().splitlines()[-1]}"}
        with serve(local_env, local_dir) as mirror:
            assert _snapshot(mirror, local_auth) == _snapshot(base, auth)

        # More changes on the remote; the second run reads only those.
        _post(base, auth, article_payload())
        call(
            "PATCH", f"{base}/v1/articles/{made[3]['id']}", {"body": "Repairs began at dawn."}, auth
        )
        call("DELETE", f"{base}/v1/articles/{made[4]['id']}", headers=auth)
        again = _sync(base, local_env, local_dir, auth)
        assert again.startswith("3 changes applied in 1 requests"), again
        with serve(local_env, local_dir) as mirror:
            assert _snapshot(mirror, local_auth) == _snapshot(base, auth)
        assert _sync(base, local_env, local_dir, auth).startswith("0 changes applied in 1 requests")


def test_sync_refuses_a_bad_remote(tmp_path: Path) -> None:
    with fresh_database("sqlite", tmp_path) as url:
        env = live_env(url)
        for target in ("ftp://files.example/feed", "http://127.0.0.1:9/"):
            run = subprocess.run(
                [str(EXE), "sync", target], cwd=tmp_path, env=env, capture_output=True, text=True
            )
            assert run.returncode in (1, 2), run
            assert "Traceback" not in run.stderr


def test_export_command_writes_what_the_api_exports(tmp_path: Path) -> None:
    with fresh_database("sqlite", tmp_path) as url:
        env = live_env(url)
        cli(["demo", "load"], env, tmp_path)
        with serve(env, tmp_path) as base:
            for path, args in (
                ("/v1/articles?format=ndjson&language=en", ["articles", "--language", "en"]),
                ("/v1/statistics?format=csv&metric=killed", ["statistics", "--metric", "killed"]),
                ("/v1/sources?format=csv", ["sources"]),
            ):
                fmt = "csv" if "format=csv" in path else "ndjson"
                out = tmp_path / f"{args[0]}.{fmt}"
                run = subprocess.run(
                    [str(EXE), "export", *args, "--format", fmt, "-o", str(out)],
                    cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
                )  # fmt: skip
                served = call("GET", base + path)[2]
                assert out.read_bytes() == served
                rows = served.count(b"\n") - (1 if fmt == "csv" else 0)
                assert rows > 0
                assert f"{rows} {args[0]} exported to {out}" in run.stderr
        # Stdout by default; a bad filter is a usage error naming the option.
        ndjson = cli(["export", "speakers", "--name", "Amara Okafor"], env, tmp_path)
        assert [json.loads(line)["name"] for line in ndjson.splitlines()] == ["Amara Okafor"]
        bad = subprocess.run(
            [str(EXE), "export", "articles", "--published-from", "soon"],
            cwd=tmp_path, env=env, capture_output=True, text=True,
        )  # fmt: skip
        assert bad.returncode == 2
        assert "--published-from" in bad.stderr
        assert "Traceback" not in bad.stderr
