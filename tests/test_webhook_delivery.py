"""Webhook delivery against a real local receiver (http.server in a thread), on every engine:
signed per Standard Webhooks, in order, retried until a failing receiver recovers, paused
when it fails too long, never redirected; a `conflict-news worker` killed mid-delivery is
replaced and the delivery sent again with the same `webhook-id`; and the embedded sender of
`serve` delivering what HTTP clients wrote."""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from standardwebhooks import Webhook

from app.core.config import Settings
from app.core.db import Database, make_engine
from app.core.migrate import upgrade
from app.core.pagination import CursorCodec
from app.models import Change
from app.schemas.article import ArticleCreate
from app.schemas.directory import SourceUpdate
from app.schemas.webhook import DeliveryFilter, WebhookCreate
from app.services import articles as article_service
from app.services import changes as change_service
from app.services import sources as source_service
from app.services import webhooks as webhook_service
from app.services.listing import page
from app.services.webhook_sender import Sender
from tests.dbutil import ENGINES, fresh_database, make_settings
from tests.factories import article_payload
from tests.live import EXE, call, cli, live_env, serve

pytestmark = pytest.mark.slow


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int


@dataclass
class Receiver:
    """A local webhook receiver; `answer(n)` is the status of the n-th request (0-based)."""

    answer: Callable[[int], int] = lambda _n: 200
    hold: threading.Event | None = None  # the first request waits for it
    got: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    first_arrived: threading.Event = field(default_factory=threading.Event)
    url: str = ""

    def delivered(self) -> list[dict[str, Any]]:
        """Bodies answered with a 2xx, one per webhook-id (what a deduping receiver keeps)."""
        seen: dict[str, dict[str, Any]] = {}
        with self.lock:
            for r in self.got:
                if 200 <= r.status < 300:
                    seen.setdefault(r.headers["webhook-id"], json.loads(r.body))
        return list(seen.values())


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    rec = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with rec.lock:
                n = len(rec.got)
                status = rec.answer(n)
                rec.got.append(
                    Received(
                        self.path, {k.lower(): v for k, v in self.headers.items()}, body, status
                    )
                )
            if n == 0:
                rec.first_arrived.set()
                if rec.hold is not None:
                    rec.hold.wait(60)
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    rec.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/in"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield rec
    server.shutdown()
    server.server_close()


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_database(request.param, tmp_path) as url:
        upgrade(url)
        yield url


def _settings(url: str, **extra: object) -> Settings:
    values: dict[str, object] = {
        "webhook_allow_private_targets": True,
        "webhook_retry_base_seconds": 0.05,
        "webhook_retry_max_seconds": 0.2,
        "webhook_poll_seconds": 0.05,
        "webhook_lease_seconds": 5,
        **extra,
    }
    return make_settings(url, **values)


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    db = Database(make_engine(db_url))
    yield db
    db.dispose()


def _subscribe(database: Database, settings: Settings, url: str) -> tuple[str, str]:
    with database.transaction(write=True) as session:
        made = webhook_service.create_subscription(
            session, WebhookCreate(url=url, events=["article.*"]), settings
        )
    return made.id, made.secret


def _write_articles(database: Database, n: int) -> list[int]:
    for _ in range(n):
        with database.transaction(write=True) as session:
            article_service.create_article(session, ArticleCreate.model_validate(article_payload()))
    with database.transaction(write=False) as session:
        articles = select(Change.seq).where(Change.resource == "article")
        return list(session.scalars(articles.order_by(Change.seq)))


def _until(done: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@contextmanager
def running(database: Database, settings: Settings, threads: int = 1) -> Iterator[None]:
    """Senders in threads of this process, as `serve` runs them."""
    stop = threading.Event()
    workers = [
        threading.Thread(target=Sender(database, settings).run, args=(stop,), daemon=True)
        for _ in range(threads)
    ]
    for w in workers:
        w.start()
    try:
        yield
    finally:
        stop.set()
        for w in workers:
            w.join(10)


def _deliveries(database: Database, settings: Settings, hook: str) -> list[Any]:
    with database.transaction(write=False) as session:
        endpoint = webhook_service.deliveries(session, hook)
        filters = DeliveryFilter(limit=100)
        return list(page(endpoint, session, filters, CursorCodec(settings.cursor_secret)).data)


def _verify(receiver: Receiver, secret: str) -> None:
    for r in receiver.got:
        Webhook(secret).verify(r.body, r.headers)  # raises on a bad signature
        assert r.headers["content-type"] == "application/json"


def test_signed_deliveries_in_order_after_the_receiver_recovers(
    db_url: str, database: Database, receiver: Receiver
) -> None:
    settings = _settings(db_url)
    receiver.answer = lambda n: 500 if n < 3 else 200
    hook, secret = _subscribe(database, settings, receiver.url)
    seqs = _write_articles(database, 5)
    with running(database, settings, threads=2):
        _until(lambda: len(receiver.delivered()) == 5)
    _verify(receiver, secret)
    bodies = receiver.delivered()
    assert [b["data"]["seq"] for b in bodies] == seqs
    assert {b["type"] for b in bodies} == {"article.created"}
    # In order per subscription: a later change is never sent before an earlier one is in.
    sent_seqs = [json.loads(r.body)["data"]["seq"] for r in receiver.got]
    assert sent_seqs == sorted(sent_seqs)
    assert sent_seqs[:4] == [seqs[0]] * 4
    assert all(r.path == "/hooks/in" for r in receiver.got)
    # The cursor in each payload resumes the feed right after that change.
    assert all(b["data"]["cursor"] for b in bodies)

    listed = _deliveries(database, settings, hook)
    assert [d.status for d in listed] == ["delivered"] * 5
    assert [a.status_code for a in listed[0].attempts] == [500, 500, 500, 200]
    assert listed[0].attempts[0].error == "HTTP 500"
    assert listed[0].attempts[-1].error is None
    assert [len(d.attempts) for d in listed[1:]] == [1, 1, 1, 1]
    # webhook-id is the delivery's id, the same on every retry of it.
    first_ids = {r.headers["webhook-id"] for r in receiver.got[:4]}
    assert first_ids == {listed[0].id}
    with database.transaction(write=False) as session:
        assert webhook_service.backlog(session).pending == 0


def test_failing_too_long_pauses_with_a_reason_then_resume_delivers(
    db_url: str, database: Database, receiver: Receiver
) -> None:
    settings = _settings(db_url, webhook_give_up_seconds=0.5)
    healthy = threading.Event()
    receiver.answer = lambda _n: 200 if healthy.is_set() else 503
    hook, secret = _subscribe(database, settings, receiver.url)
    seqs = _write_articles(database, 2)

    def paused() -> bool:
        with database.transaction(write=False) as session:
            return webhook_service.get_subscription(session, hook).status == "paused"

    with running(database, settings):
        _until(paused)
        with database.transaction(write=False) as session:
            sub = webhook_service.get_subscription(session, hook)
            backlog = webhook_service.backlog(session)
        assert sub.paused_reason is not None
        assert "HTTP 503" in sub.paused_reason
        assert sub.paused_at is not None
        assert backlog.pending == 2
        assert backlog.paused_subscriptions == 1
        tries = len(receiver.got)
        time.sleep(0.5)
        assert len(receiver.got) == tries  # paused: nothing more is sent
        healthy.set()
        with database.transaction(write=True) as session:
            webhook_service.resume_subscription(session, hook)
        _until(lambda: len(receiver.delivered()) == 2)
    _verify(receiver, secret)
    assert [b["data"]["seq"] for b in receiver.delivered()] == seqs


def test_redirects_are_not_followed(db_url: str, database: Database, receiver: Receiver) -> None:
    settings = _settings(db_url)
    receiver.answer = lambda n: 307 if n == 0 else 200
    hook, _ = _subscribe(database, settings, receiver.url)
    _write_articles(database, 1)
    with running(database, settings):
        _until(lambda: len(receiver.delivered()) == 1)
    assert [r.path for r in receiver.got] == ["/hooks/in", "/hooks/in"]
    attempts = _deliveries(database, settings, hook)[0].attempts
    assert attempts[0].status_code == 307
    assert attempts[0].error == "HTTP 307 (redirects are not followed)"


def test_a_private_target_is_refused_at_send_time_too(
    db_url: str, database: Database, receiver: Receiver
) -> None:
    hook, _ = _subscribe(database, _settings(db_url), receiver.url)
    _write_articles(database, 1)
    strict = _settings(db_url, webhook_allow_private_targets=False)
    with running(database, strict):
        _until(lambda: len(_deliveries(database, strict, hook)[0].attempts) >= 1)
    assert receiver.got == []
    attempt = _deliveries(database, strict, hook)[0].attempts[0]
    assert attempt.status_code is None
    assert attempt.error is not None
    assert attempt.error.startswith("refused: ")


TERMS = ("CC-BY-SA-4.0", "Southern Ledger, shared under CC BY-SA 4.0")
OWN = ("CC0-1.0", "Field notes by the reporter, no rights reserved")


def _terms(body: dict[str, Any]) -> tuple[Any, Any, Any]:
    return body["data"]["licence"], body["data"]["attribution"], body["data"]["licence_from"]


def test_every_payload_carries_the_records_licence_and_attribution(
    db_url: str, database: Database, receiver: Receiver
) -> None:
    settings = _settings(db_url)
    with database.transaction(write=True) as session:
        made = webhook_service.create_subscription(
            session, WebhookCreate(url=receiver.url, events=["*"]), settings
        )
    with database.transaction(write=True) as session:
        inherits = article_service.create_article(
            session, ArticleCreate.model_validate(article_payload())
        ).id
    with database.transaction(write=True) as session:
        source_id = session.scalars(
            select(Change.resource_id).where(Change.resource == "source")
        ).one()
        source_service.update_source(
            session, source_id, SourceUpdate(licence=TERMS[0].lower(), attribution=TERMS[1])
        )
        own = dict(article_payload(), licence=OWN[0], attribution=OWN[1])
        owns = article_service.create_article(session, ArticleCreate.model_validate(own)).id
        gone = article_service.create_article(
            session, ArticleCreate.model_validate(article_payload())
        )
    with database.transaction(write=True) as session:
        article_service.delete_article(session, article_service.get_article(session, gone.id))
    with database.transaction(write=False) as session:
        codec = CursorCodec(settings.cursor_secret)
        feed = json.loads(
            change_service.list_changes(session, codec, None, 100, include_document=True)
        )["data"]
    with running(database, settings):
        _until(lambda: len(receiver.delivered()) == len(feed))
    _verify(receiver, made.secret)
    bodies = receiver.delivered()
    assert [b["data"]["seq"] for b in bodies] == [c["seq"] for c in feed]
    by_record: dict[tuple[str, str], set[tuple[Any, Any, Any]]] = {}
    for body, change in zip(bodies, feed, strict=True):
        by_record.setdefault((change["resource"], change["id"]), set()).add(_terms(body))
        doc = change["document"]
        if change["resource"] == "article":  # what the feed's document (the GET) says
            assert _terms(body) == (
                (doc["licence"], doc["attribution"], doc["licence_from"]) if doc else (None,) * 3
            )
        elif change["resource"] == "source":
            assert _terms(body) == (doc["licence"], doc["attribution"], "source")
        else:  # speakers and places have no terms of their own
            assert _terms(body) == (None, None, None)
    # The record's terms when sent: an article created before its source had terms inherits
    # them now; an article's own terms win; a deleted article has none left.
    assert by_record[("article", inherits)] == {(*TERMS, "source")}
    assert by_record[("article", owns)] == {(*OWN, "article")}
    assert by_record[("article", gone.id)] == {(None, None, None)}
    assert by_record[("source", source_id)] == {(*TERMS, "source")}


def _worker(env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(EXE), "worker", "--threads", "1"],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_a_worker_killed_mid_delivery_is_replaced_and_nothing_is_lost(
    db_url: str, database: Database, receiver: Receiver, tmp_path: Path
) -> None:
    settings = _settings(db_url)
    receiver.hold = threading.Event()
    hook, secret = _subscribe(database, settings, receiver.url)
    seqs = _write_articles(database, 3)
    env = live_env(
        db_url,
        WEBHOOK_ALLOW_PRIVATE_TARGETS="true",
        WEBHOOK_LEASE_SECONDS="2",
        WEBHOOK_POLL_SECONDS="0.1",
        WEBHOOK_RETRY_BASE_SECONDS="0.1",
        WEBHOOK_TIMEOUT_SECONDS="30",
    )
    first = _worker(env, tmp_path)
    try:
        assert receiver.first_arrived.wait(60), "the worker never delivered"
        first.send_signal(signal.SIGKILL)  # mid-delivery: the receiver has not answered
        first.wait(10)
    finally:
        receiver.hold.set()
    second = _worker(env, tmp_path)
    try:
        _until(lambda: len(receiver.delivered()) == 3, timeout=60)
        _until(lambda: all(d.status == "delivered" for d in _deliveries(database, settings, hook)))
    finally:
        second.send_signal(signal.SIGTERM)
        assert second.wait(20) == 0  # SIGTERM: the worker stops cleanly
    _verify(receiver, secret)
    ids = [r.headers["webhook-id"] for r in receiver.got]
    assert ids[0] == ids[1]  # the interrupted delivery came again, under the same webhook-id
    assert [b["data"]["seq"] for b in receiver.delivered()] == seqs


def test_serve_runs_the_sender_for_writes_made_over_http(
    db_url: str, receiver: Receiver, tmp_path: Path
) -> None:
    receiver.answer = lambda n: 500 if n < 2 else 200
    env = live_env(
        db_url,
        RATE_LIMITS_ENABLED="false",
        WEBHOOK_ALLOW_PRIVATE_TARGETS="true",
        WEBHOOK_POLL_SECONDS="0.1",
        WEBHOOK_RETRY_BASE_SECONDS="0.1",
    )
    key = cli(["keys", "create", "--name", "ops", "--scopes", "read,write,admin"], env, tmp_path)
    auth = {"Authorization": f"Bearer {key.strip().splitlines()[-1]}"}
    with serve(env, tmp_path, workers=2) as base:
        status, _, raw = call(
            "POST", base + "/v1/webhooks", {"url": receiver.url, "events": ["article.*"]}, auth
        )
        assert status == 201
        made = json.loads(raw)
        for _ in range(4):
            assert call("POST", base + "/v1/articles", article_payload(), auth)[0] == 201
        _until(lambda: len(receiver.delivered()) == 4, timeout=60)
        status, _, raw = call("GET", base + f"/v1/webhooks/{made['id']}/deliveries", None, auth)
        assert status == 200
        listed = json.loads(raw)["data"]
    _verify(receiver, made["secret"])
    assert [d["status"] for d in listed] == ["delivered"] * 4
    assert [a["status_code"] for a in listed[0]["attempts"]] == [500, 500, 200]
    seqs = [b["data"]["seq"] for b in receiver.delivered()]
    assert seqs == sorted(seqs)
    assert len(set(seqs)) == 4
