"""Graceful shutdown against a real `conflict-news serve`, on every engine: SIGTERM during a
bulk NDJSON import ends the response on a line boundary (a final `not_processed` line says
where to resume) with every acknowledged line stored, and the process exits; a client that
stalls mid-upload cannot hold the process beyond SHUTDOWN_GRACE_SECONDS."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core.migrate import upgrade
from tests.dbutil import ENGINES, fresh_database
from tests.factories import article_payload
from tests.live import EXE, call, cli, free_port, live_env

pytestmark = pytest.mark.slow
GRACE = 4
# uvicorn, once shut down gracefully, re-raises the signal it caught with the default
# handler back in place, so the process ends "killed by SIGTERM", as conventions expect.
CLEAN_EXIT = {0, -signal.SIGTERM}


@pytest.fixture(params=ENGINES)
def live(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[dict[str, str], Path]]:
    with fresh_database(request.param, tmp_path) as url:
        upgrade(url)
        env = live_env(url, RATE_LIMITS_ENABLED="false", SHUTDOWN_GRACE_SECONDS=str(GRACE))
        yield env, tmp_path


def _start(env: dict[str, str], cwd: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    proc = subprocess.Popen(
        [str(EXE), "serve", "--port", str(port)],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(cwd / f"server-{port}.log").open("wb"),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if call("GET", f"http://127.0.0.1:{port}/ready", timeout=2)[0] == 200:
                return proc, port
        except OSError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


def _open_bulk(port: int, auth: str) -> socket.socket:
    """A bulk import whose body is sent in chunks, as the test decides."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    sock.sendall(
        b"POST /v1/articles/bulk HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + f"Authorization: {auth}\r\n".encode()
        + b"Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    return sock


def _chunk(sock: socket.socket, data: bytes) -> None:
    sock.sendall(f"{len(data):x}\r\n".encode() + data + b"\r\n")


def _lines(start: int, n: int) -> bytes:
    return b"".join(
        json.dumps(article_payload(url=f"https://shutdown.example/{i}")).encode() + b"\n"
        for i in range(start, start + n)
    )


class ChunkedResults:
    """The response of a bulk import read straight off the socket: its status, then result
    lines as they arrive, and whether the chunked body ended with its terminator (a clean
    end) or the connection was cut."""

    def __init__(self, sock: socket.socket) -> None:
        self.f = sock.makefile("rb")
        self.status = int(self.f.readline().split()[1])
        while self.f.readline() not in (b"\r\n", b""):
            pass
        self.pending = b""
        self.clean: bool | None = None

    def take(self, until: int | None = None) -> list[Any]:
        out: list[Any] = []
        while self.clean is None and (until is None or len(out) < until):
            chunk = self._chunk()
            if chunk is None:
                break
            self.pending += chunk
            *lines, self.pending = self.pending.split(b"\n")
            out += [json.loads(line) for line in lines]
        return out

    def _chunk(self) -> bytes | None:
        try:
            size = self.f.readline()
            if not size.endswith(b"\r\n"):
                self.clean = False
                return None
            n = int(size, 16)
            if n == 0:
                self.clean = self.f.readline() == b"\r\n" and not self.pending
                return None
            data = self.f.read(n)
            if len(data) < n or self.f.read(2) != b"\r\n":
                self.clean = False
                return None
            return data
        except ConnectionError:
            self.clean = False
            return None


def _stored(env: dict[str, str], cwd: Path) -> list[dict[str, Any]]:
    proc, port = _start(env, cwd)
    try:
        status, _, body = call("GET", f"http://127.0.0.1:{port}/v1/articles?format=ndjson")
        assert status == 200
        articles = [json.loads(x) for x in body.decode().splitlines()]
        for a in articles[:20]:  # each one whole
            full = json.loads(call("GET", f"http://127.0.0.1:{port}/v1/articles/{a['id']}")[2])
            assert (len(full["quotes"]), len(full["statistics"])) == (1, 1)
        return articles
    finally:
        proc.terminate()
        proc.wait(30)


def test_sigterm_mid_import_ends_on_a_line_boundary(live: tuple[dict[str, str], Path]) -> None:
    env, cwd = live
    key = cli(["keys", "create", "--name", "bulk", "--scopes", "read,write"], env, cwd)
    auth = f"Bearer {key.strip().splitlines()[-1]}"
    proc, port = _start(env, cwd)
    try:
        sock = _open_bulk(port, auth)
        _chunk(sock, _lines(0, 3000))
        sock.sendall(b"0\r\n\r\n")
        response = ChunkedResults(sock)
        assert response.status == 200
        first = response.take(until=40)
        proc.send_signal(signal.SIGTERM)
        signalled = time.monotonic()
        rest = response.take()
        code = proc.wait(GRACE + 10)
        stopped_after = time.monotonic() - signalled
    finally:
        if proc.poll() is None:
            proc.kill()
    results = first + rest
    assert response.clean, "the response must end properly, not be cut"
    assert code in CLEAN_EXIT
    assert stopped_after < GRACE + 3
    *acknowledged, last = results
    assert last["status"] == "not_processed"
    assert last["line"] == len(acknowledged) + 1 < 3000  # it did stop early...
    assert "send them again" in last["detail"]
    assert [r["line"] for r in acknowledged] == list(range(1, len(acknowledged) + 1))
    assert {r["status"] for r in acknowledged} == {"created"}
    stored = _stored(env, cwd)
    # ...and every acknowledged line, and nothing else, is stored.
    assert sorted(a["id"] for a in stored) == sorted(r["id"] for r in acknowledged)


def test_a_stalled_upload_cannot_hold_the_server_past_the_grace(
    live: tuple[dict[str, str], Path],
) -> None:
    env, cwd = live
    key = cli(["keys", "create", "--name", "bulk", "--scopes", "read,write"], env, cwd)
    auth = f"Bearer {key.strip().splitlines()[-1]}"
    proc, port = _start(env, cwd)
    try:
        sock = _open_bulk(port, auth)
        _chunk(sock, _lines(10_000, 15))  # then nothing more: the client stalls mid-upload
        response = ChunkedResults(sock)
        first = response.take(until=15)
        proc.send_signal(signal.SIGTERM)
        signalled = time.monotonic()
        code = proc.wait(GRACE + 10)
        stopped_after = time.monotonic() - signalled
        rest = response.take()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert GRACE - 1 <= stopped_after < GRACE + 3
    assert code in CLEAN_EXIT
    assert response.clean is False  # cut at the bound...
    assert rest == []
    stored = _stored(env, cwd)
    assert sorted(a["id"] for a in stored) == sorted(r["id"] for r in first)  # ...losing none
