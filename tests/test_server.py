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


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    workdir = tmp_path_factory.mktemp("serve")
    port = _free_port()
    env = {**os.environ, "LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)  # the default: a SQLite file in the working folder
    exe = Path(sys.executable).with_name("conflict-news")
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
    assert status == 200 and json.loads(body)["status"] == "ok"
    articles = json.loads(_get(server + "/v1/articles?limit=100")[1])["data"]
    assert len(articles) >= 12
    assert len({a["source"]["name"] for a in articles}) >= 5
    speakers = json.loads(_get(server + "/v1/speakers?name=Amara%20Okafor")[1])["data"]
    assert speakers and speakers[0]["article_count"] >= 3


def _run_check(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    path = CHECKS / script
    if not path.exists():
        pytest.skip(f"outside check not present: {path} (it lives in ../shared/checks)")
    return subprocess.run(
        [sys.executable, str(path), *args], capture_output=True, text=True, timeout=120
    )


def test_outside_contract_check_passes(server: str) -> None:
    result = _run_check("contract_check.py", server)
    assert result.returncode == 0, result.stdout + result.stderr
