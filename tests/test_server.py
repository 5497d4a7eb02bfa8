"""The real thing: `conflict-news serve` on a fresh SQLite file, talked to over HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHECKS = Path(__file__).resolve().parents[2] / "shared" / "checks"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as resp:
        return resp.status, resp.read()


EXE = Path(sys.executable).with_name("conflict-news")


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
    out = subprocess.run(
        [str(EXE), "keys", "create", "--name", "contract check", "--scopes", "read,write"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    key = out.stdout.strip().splitlines()[-1]
    assert key.startswith("cn_")
    return key


@pytest.fixture(scope="module")
def server(workdir: Path, env: dict[str, str], write_key: str) -> Iterator[str]:
    port = _free_port()
    exe = EXE
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", str(port), "--demo"],
        cwd=workdir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(base + "/health")[0] == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read().decode() if proc.stderr else ""
                pytest.fail(f"server did not start: {err[-2000:]}")
            time.sleep(0.2)
        assert (workdir / "conflict_news.db").exists()
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_serve_migrates_and_loads_demo_data(server: str) -> None:
    status, body = _get(server + "/ready")
    assert status == 200
    assert json.loads(body)["status"] == "ok"
    articles = json.loads(_get(server + "/v1/articles?limit=100")[1])["data"]
    assert len(articles) >= 12
    assert len({a["source"]["name"] for a in articles}) >= 5
    speakers = json.loads(_get(server + "/v1/speakers?name=Amara%20Okafor")[1])["data"]
    assert speakers
    assert speakers[0]["article_count"] >= 3


def _run_check(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    path = CHECKS / script
    if not path.exists():
        pytest.skip(f"outside check not present: {path} (it lives in ../shared/checks)")
    return subprocess.run(
        [sys.executable, str(path), *args], capture_output=True, text=True, timeout=120
    )


def test_keys_cli_lists_and_revokes(workdir: Path, env: dict[str, str], write_key: str) -> None:
    listed = subprocess.run(
        [str(EXE), "keys", "list"], cwd=workdir, env=env, capture_output=True, text=True, check=True
    ).stdout
    assert "contract check" in listed
    assert write_key not in listed


def test_outside_contract_check_passes(server: str, write_key: str) -> None:
    result = _run_check("contract_check.py", server, write_key)
    assert result.returncode == 0, result.stdout + result.stderr
