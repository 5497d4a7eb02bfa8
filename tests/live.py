"""A real `conflict-news serve` process for tests that need several workers or a kill -9."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

EXE = Path(sys.executable).with_name("conflict-news")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def call(
    method: str,
    url: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    raw: bytes | None = None,
    timeout: float = 60,
) -> tuple[int, dict[str, str], bytes]:
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(url, data=data, method=method)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def cli(args: list[str], env: dict[str, str], cwd: Path) -> str:
    out = subprocess.run(
        [str(EXE), *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return out.stdout


@contextmanager
def serve(env: dict[str, str], cwd: Path, workers: int = 1) -> Iterator[str]:
    port = free_port()
    # Logs go to a file: an undrained pipe would fill up and block the server.
    log_path = cwd / f"server-{port}.log"
    log_file = log_path.open("wb")
    proc = subprocess.Popen(
        [str(EXE), "serve", "--port", str(port), "--workers", str(workers)],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log_file,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if call("GET", base + "/ready", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                err = log_path.read_text(errors="replace")
                raise RuntimeError(f"server did not start: {err[-2000:]}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log_file.close()
        errors = [
            line
            for line in log_path.read_text(errors="replace").splitlines()
            if '"unhandled_exception"' in line
        ]
        assert not errors, f"the server logged unhandled exceptions: {errors[0][:3000]}"


def live_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING", **extra}
    env.setdefault("CURSOR_SECRET", "live-test-secret")
    return env


# The system's Chromium (Debian's package; never a downloaded browser) and the flags that keep
# it off the network and quiet in a sandbox-less CI, for the browser tests and the web bench.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
