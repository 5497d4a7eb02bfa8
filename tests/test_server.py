"""The real thing: `conflict-news serve --demo` on a fresh SQLite file (the default database
in the working folder), talked to over HTTP, and the shared outside checks run against it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live import EXE, call, cli, serve

CHECKS = Path(__file__).resolve().parents[2] / "shared" / "checks"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "odesa-umerov.txt"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("serve")


@pytest.fixture(scope="module")
def env() -> dict[str, str]:
    env = {**os.environ, "LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)  # the default: a SQLite file in the working folder
    return env


@pytest.fixture(scope="module")
def write_key(workdir: Path, env: dict[str, str]) -> str:
    out = cli(
        ["keys", "create", "--name", "contract check", "--scopes", "read,write"], env, workdir
    )
    key = out.strip().splitlines()[-1]
    assert key.startswith("cn_")
    return key


@pytest.fixture(scope="module")
def server(workdir: Path, env: dict[str, str], write_key: str) -> Iterator[str]:
    cli(["demo", "load"], env, workdir)
    with serve(env, workdir) as base:
        assert (workdir / "conflict_news.db").exists()
        yield base


def test_serve_migrates_and_loads_demo_data(server: str) -> None:
    status, _, body = call("GET", server + "/ready")
    assert status == 200
    assert json.loads(body)["status"] == "ok"
    articles = json.loads(call("GET", server + "/v1/articles?limit=100")[2])["data"]
    assert len(articles) >= 12
    assert len({a["source"]["name"] for a in articles}) >= 5
    speakers = json.loads(call("GET", server + "/v1/speakers?name=Amara%20Okafor")[2])["data"]
    assert speakers
    assert speakers[0]["article_count"] >= 3


def test_keys_cli_lists_and_revokes(workdir: Path, env: dict[str, str], write_key: str) -> None:
    listed = cli(["keys", "list"], env, workdir)
    assert "contract check" in listed
    assert write_key not in listed


def _run_check(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    path = CHECKS / script
    if not path.exists():
        pytest.skip(f"outside check not present: {path} (it lives in ../shared/checks)")
    return subprocess.run(
        [sys.executable, str(path), *args], capture_output=True, text=True, timeout=120
    )


def test_outside_contract_check_passes(server: str, write_key: str) -> None:
    result = _run_check("contract_check.py", server, write_key)
    assert result.returncode == 0, result.stdout + result.stderr


def test_outside_seed_check_passes(server: str) -> None:
    if not SEED.exists():
        pytest.skip(f"seed article not present: {SEED} (it lives in ../shared/seeds)")
    result = _run_check("seed_check.py", server, str(SEED))
    assert result.returncode == 0, result.stdout + result.stderr


def test_cli_extract_and_ingest(workdir: Path, env: dict[str, str], tmp_path: Path) -> None:
    texts = Path(__file__).resolve().parent / "extraction" / "texts"
    doc = json.loads(cli(["extract", str(texts / "sudan-el-fasher.txt")], env, workdir))
    assert doc["quotes"]
    assert (
        doc["body"][doc["quotes"][0]["start"] : doc["quotes"][0]["end"]] == doc["quotes"][0]["text"]
    )
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in ("gaza-aid-convoy.txt", "sahel-ambush.txt"):
        (folder / name).write_bytes((texts / name).read_bytes())
    (folder / "broken.txt").write_bytes(b"\xff\xfe not text")
    db_env = {**env, "DATABASE_URL": f"sqlite:///{(tmp_path / 'ingest.db').as_posix()}"}
    run = subprocess.run(
        [str(EXE), "ingest", str(folder)],
        cwd=tmp_path,
        env=db_env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.strip().splitlines()[-1] == "2 created, 0 duplicate, 1 failed"
    assert "broken.txt" in run.stderr
    again = cli(["ingest", str(folder)], db_env, tmp_path)
    assert again.strip().splitlines()[-1] == "0 created, 2 duplicate, 1 failed"


def _walk(server: str, path: str, extra: str) -> list[dict[str, object]]:
    """Every item of a list, five at a time, following `next_cursor` (bounded)."""
    items: list[dict[str, object]] = []
    url = f"{path}?limit=5{extra}"
    for _ in range(200):
        status, _, body = call("GET", server + url)
        assert status == 200, body
        page = json.loads(body)
        items.extend(page["data"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items
        url = f"{path}?limit=5{extra}&cursor={cursor}"
    raise AssertionError(f"{path}: more than 200 pages")


@pytest.mark.parametrize("path", ["/v1/articles", "/v1/quotes", "/v1/statistics"])
def test_plain_pages_on_the_driver_equal_the_declared_path(server: str, path: str) -> None:
    # Only limit/cursor: the page is one keyset statement on the driver (a real server, so
    # sqlite3 itself, not the test fixtures' connection). With `sort=date` (the default
    # order, said explicitly) the same list takes the declared path: same items, same order.
    plain = _walk(server, path, "")
    declared = _walk(server, path, "&sort=date")
    assert len(plain) >= 12
    assert plain == declared
