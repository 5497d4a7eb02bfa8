"""Integrators under pressure, against a real server with 2 workers, on every engine:
concurrent writers with duplicates and retries, concurrent editors with If-Match, a bulk
import killed with SIGKILL and re-run, and a rate limit shared through Redis."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from app.core.migrate import upgrade
from tests.dbutil import ENGINES, fresh_database
from tests.factories import article_payload, span
from tests.live import EXE, call, cli, free_port, live_env, serve

pytestmark = pytest.mark.slow
REDIS_URL = os.environ.get("TEST_REDIS_URL")


@pytest.fixture(params=ENGINES)
def live(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[dict[str, str], Path]]:
    with fresh_database(request.param, tmp_path) as url:
        upgrade(url)
        env = live_env(url, RATE_LIMITS_ENABLED="false")
        yield env, tmp_path


def _key(env: dict[str, str], cwd: Path) -> dict[str, str]:
    key = cli(["keys", "create", "--name", "load", "--scopes", "read,write"], env, cwd)
    return {"Authorization": f"Bearer {key.strip().splitlines()[-1]}"}


def _all_articles(base: str) -> list[dict[str, object]]:
    status, _, body = call("GET", base + "/v1/articles?format=ndjson")
    assert status == 200
    return [json.loads(line) for line in body.decode().splitlines()]


def test_concurrent_writers_with_duplicates_and_retries(
    live: tuple[dict[str, str], Path],
) -> None:
    env, cwd = live
    auth = _key(env, cwd)
    distinct = 120
    payloads = [article_payload(url=f"https://load.example/a/{i}") for i in range(distinct)]
    # 200 requests: every article once, 50 duplicate URLs sent at the same moment by another
    # writer, 30 retries with the same Idempotency-Key as the first attempt.
    jobs: list[tuple[dict[str, object], dict[str, str]]] = [
        (p, {**auth, "Idempotency-Key": f"k-{i}"}) for i, p in enumerate(payloads)
    ]
    jobs += [(payloads[i], auth) for i in range(50)]
    jobs += [(payloads[i], {**auth, "Idempotency-Key": f"k-{i}"}) for i in range(50, 80)]
    random.Random(7).shuffle(jobs)
    with serve(env, cwd, workers=2) as base, ThreadPoolExecutor(8) as pool:
        results = list(
            pool.map(lambda job: call("POST", base + "/v1/articles", job[0], job[1]), jobs)
        )
        # Late replays after everything settled: a key whose request created the article
        # gets that first response back, byte for byte.
        won = {
            job[1]["Idempotency-Key"]: (job[0], body)
            for job, (status, _, body) in zip(jobs, results, strict=True)
            if status == 201 and "Idempotency-Key" in job[1]
        }
        late = [
            (call("POST", base + "/v1/articles", payload, {**auth, "Idempotency-Key": key}), body)
            for key, (payload, body) in list(won.items())[:5]
        ]
        stored = _all_articles(base)
    statuses = Counter(status for status, _, _ in results)
    assert set(statuses) <= {201, 409}, statuses
    assert not any(b"database is locked" in body for _, _, body in results)
    assert len(late) == 5
    for (status, headers, body), first in late:
        assert (status, body) == (201, first)
        assert headers.get("idempotent-replayed") == "true"
    urls = [a["url"] for a in stored]
    assert len(urls) == distinct
    assert len(set(urls)) == distinct


def test_feed_polled_under_concurrent_writers_misses_and_repeats_nothing(
    live: tuple[dict[str, str], Path],
) -> None:
    """Writers on two workers create articles (each with new directory rows: a source, a
    speaker, a place) while a reader polls the feed with `include=document`: every change is
    seen once, in increasing seq, each directory row before the first article that uses it."""
    env, cwd = live
    auth = _key(env, cwd)
    n = 80

    def payload(i: int) -> dict[str, object]:
        body = (
            f"Report {i}. \u201cThe pumps are running again,\u201d said Olena Varta{i}, "
            "a station engineer. At least 3 people were injured."
        )
        return article_payload(
            body=body,
            url=f"https://feed.example/{i}",
            source=f"Feed Courier {i % 7}",
            quotes=[
                {
                    **span(body, "The pumps are running again,"),
                    "speaker": {"name": f"Olena Varta{i}"},
                }
            ],
            statistics=[],
            locations=[{"name": f"Village {i % 11}", "country_code": "UA"}],
        )

    seen: list[dict[str, object]] = []
    done = threading.Event()

    def poll(base: str) -> None:
        cursor = None
        while True:
            finished = done.is_set()
            query = "/v1/changes?include=document&limit=37" + (f"&since={cursor}" if cursor else "")
            status, _, body = call("GET", base + query)
            assert status == 200
            page = json.loads(body)
            seen.extend(page["data"])
            cursor = page["next_cursor"]
            if finished and not page["has_more"]:
                return

    with serve(env, cwd, workers=2) as base, ThreadPoolExecutor(7) as pool:
        reader = pool.submit(poll, base)
        statuses = list(
            pool.map(lambda i: call("POST", base + "/v1/articles", payload(i), auth)[0], range(n))
        )
        done.set()
        reader.result(timeout=120)
    assert statuses == [201] * n
    seqs = [c["seq"] for c in seen]
    assert seqs == sorted(set(seqs)), "a change was repeated or came out of order"
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), "a change was missed"
    kinds = Counter(str(c["resource"]) for c in seen)
    assert kinds == {"article": n, "speaker": n, "source": 7, "location": 11}
    first_seen = {}
    for c in seen:
        first_seen.setdefault((c["resource"], c["id"]), c["seq"])
    for c in seen:
        if c["resource"] != "article":
            continue
        doc = c["document"]
        assert isinstance(doc, dict)
        needs = [("source", doc["source"]["id"])]
        needs += [("location", loc["id"]) for loc in doc["locations"]]
        needs += [("speaker", q["speaker"]["id"]) for q in doc["quotes"]]
        assert all(first_seen[need] < c["seq"] for need in needs), c


def test_concurrent_editors_never_lose_an_update(live: tuple[dict[str, str], Path]) -> None:
    env, cwd = live
    auth = _key(env, cwd)
    with serve(env, cwd, workers=2) as base:
        status, _, body = call("POST", base + "/v1/articles", article_payload(), auth)
        assert status == 201
        url = base + "/v1/articles/" + json.loads(body)["id"]

        def editor(n: int) -> int:
            applied = 0
            for attempt in range(40):
                _, headers, current = call("GET", url)
                tags = json.loads(current)["tags"]
                status, _, _ = call(
                    "PATCH",
                    url,
                    {"tags": [*tags, f"e{n}-{applied}"]},
                    {**auth, "If-Match": headers["etag"]},
                )
                assert status in (200, 412), status
                if status == 200:
                    applied += 1
                    if applied == 5:
                        return attempt
            raise AssertionError("editor starved")

        with ThreadPoolExecutor(4) as pool:
            list(pool.map(editor, range(4)))
        final = json.loads(call("GET", url)[2])["tags"]
    # Every applied edit added one tag and none was overwritten: 1 original + 4 x 5.
    assert len(final) == 21


def test_bulk_import_killed_three_times_then_rerun(live: tuple[dict[str, str], Path]) -> None:
    env, cwd = live
    auth = _key(env, cwd)
    n = 1500
    lines = b"".join(
        json.dumps(article_payload(url=f"https://bulk.example/{i}")).encode() + b"\n"
        for i in range(n)
    )
    for kill_after in (0.4, 0.8, 1.2):
        port = free_port()
        proc = subprocess.Popen(
            [str(EXE), "serve", "--port", str(port)],
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while call_ok(base) is False and time.monotonic() < deadline:
            time.sleep(0.2)
        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(
                call,
                "POST",
                base + "/v1/articles/bulk",
                None,
                {**auth, "Content-Type": "application/x-ndjson"},
                lines,
                120,
            )
            time.sleep(kill_after)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            with contextlib.suppress(OSError, http.client.HTTPException):
                pending.result(timeout=30)  # the connection dies with the server
    with serve(env, cwd) as base:
        before = _all_articles(base)
        assert len(before) < n  # the kills did interrupt the import
        for article in before:  # ...and left nothing partial
            full = json.loads(call("GET", base + f"/v1/articles/{article['id']}")[2])
            assert len(full["quotes"]) == 1
            assert len(full["statistics"]) == 1
        status, _, body = call(
            "POST",
            base + "/v1/articles/bulk",
            None,
            {**auth, "Content-Type": "application/x-ndjson"},
            lines,
            300,
        )
        assert status == 200
        results = [json.loads(x) for x in body.decode().splitlines()]
        after = _all_articles(base)
    assert len(results) == n
    assert Counter(r["status"] for r in results) == {
        "created": n - len(before),
        "duplicate": len(before),
    }
    assert len(after) == n
    assert len({a["url"] for a in after}) == n


def call_ok(base: str) -> bool:
    try:
        return call("GET", base + "/ready", timeout=2)[0] == 200
    except OSError:
        return False


@pytest.mark.skipif(not REDIS_URL, reason="set TEST_REDIS_URL to test limits across workers")
def test_rate_limit_is_shared_across_two_workers(tmp_path: Path) -> None:
    assert REDIS_URL
    with fresh_database("sqlite", tmp_path) as url:
        upgrade(url)
        quota = 30
        env = live_env(url, REDIS_URL=REDIS_URL, RATE_LIMIT_ANONYMOUS=f"{quota}/minute")
        subprocess.run(["redis-cli", "-u", REDIS_URL, "FLUSHDB"], check=False, capture_output=True)
        with serve(env, tmp_path, workers=2) as base, ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda _: call("GET", base + "/v1/sources")[0], range(60)))
    assert statuses.count(200) == quota
    assert statuses.count(429) == 60 - quota
