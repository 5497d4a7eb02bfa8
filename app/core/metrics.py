"""Prometheus metrics (`GET /metrics`), with the maintained client.

With several workers, `conflict-news serve --workers N` points `PROMETHEUS_MULTIPROC_DIR` at a
fresh temporary folder before the workers start (and removes it after): each process writes
its samples there and a scrape of any worker reads them all, so several workers report one
view. Without it (one process) the samples live in this process's registry.

The request metrics are recorded by the request layer (app/core/asgi.py), labelled by route
template (`/v1/articles/{article_id}`), so their number stays bounded; the database ones by
SQLAlchemy events on each engine; the rest by one call where the thing happens."""

from __future__ import annotations

import os
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import Engine, event

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
_QUERY_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1, 5)

REQUESTS = Counter(
    "conflict_news_http_requests",
    "HTTP requests answered, by route template, method and status.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "conflict_news_http_request_duration_seconds",
    "Time from the request's arrival to its last byte, by route template.",
    ["route"],
    buckets=_LATENCY_BUCKETS,
)
IN_FLIGHT = Gauge(
    "conflict_news_http_requests_in_flight",
    "Requests being served now.",
    multiprocess_mode="livesum",
)
DB_CONNECTIONS = Gauge(
    "conflict_news_db_connections_in_use",
    "Pooled database connections checked out now, by engine.",
    ["engine"],
    multiprocess_mode="livesum",
)
DB_QUERY = Histogram(
    "conflict_news_db_query_duration_seconds",
    "Time of each SQL statement sent through SQLAlchemy, by engine.",
    ["engine"],
    buckets=_QUERY_BUCKETS,
)
EXTRACTION = Histogram(
    "conflict_news_extraction_duration_seconds",
    "Extraction time per article (raw text parsed, quotes and figures found).",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5),
)
RATE_LIMITED = Counter(
    "conflict_news_rate_limit_rejections",
    "Requests refused with 429, by rate-limit policy.",
    ["policy"],
)
BULK_LINES = Counter(
    "conflict_news_bulk_lines",
    "Bulk import lines answered, by outcome (created, duplicate, error, not_processed).",
    ["outcome"],
)
CHANGE_FEED_SEQ = Gauge(
    "conflict_news_change_feed_last_seq",
    "The newest change-feed sequence number: a client's backlog is this minus its cursor.",
    multiprocess_mode="max",
)
CHANGE_FEED_AGE = Gauge(
    "conflict_news_change_feed_last_age_seconds",
    "Seconds since the newest change-feed entry was recorded.",
    multiprocess_mode="min",
)
WEBHOOK_PENDING = Gauge(
    "conflict_news_webhook_pending_deliveries",
    "Webhook deliveries waiting to be sent (paused subscriptions' included).",
    multiprocess_mode="mostrecent",  # read from the database by the scraped worker
)
WEBHOOK_OLDEST = Gauge(
    "conflict_news_webhook_oldest_pending_age_seconds",
    "Age of the oldest webhook delivery waiting to be sent; 0 when none waits.",
    multiprocess_mode="mostrecent",
)
WEBHOOK_PAUSED = Gauge(
    "conflict_news_webhook_paused_subscriptions",
    "Webhook subscriptions paused after their deliveries kept failing.",
    multiprocess_mode="mostrecent",
)

# Label children by their labels: `.labels()` takes a lock and builds a key each call.
_requests: dict[tuple[str, str, int], Any] = {}
_latency: dict[str, Any] = {}


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    key = (route, method, status)
    counter = _requests.get(key)
    if counter is None:
        counter = _requests[key] = REQUESTS.labels(route, method, str(status))
    counter.inc()
    histogram = _latency.get(route)
    if histogram is None:
        histogram = _latency[route] = LATENCY.labels(route)
    histogram.observe(seconds)


@contextmanager
def extraction_timer() -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        EXTRACTION.observe(time.perf_counter() - started)


def bulk_line(outcome: str) -> None:
    BULK_LINES.labels(outcome).inc()


def rate_limited(policy: str) -> None:
    RATE_LIMITED.labels(policy).inc()


def change_feed(last_seq: int | None, age_seconds: float | None) -> None:
    CHANGE_FEED_SEQ.set(last_seq or 0)
    if age_seconds is not None:
        CHANGE_FEED_AGE.set(age_seconds)


def webhook_backlog(pending: int, oldest_age_seconds: float | None, paused: int) -> None:
    WEBHOOK_PENDING.set(pending)
    WEBHOOK_OLDEST.set(oldest_age_seconds or 0.0)
    WEBHOOK_PAUSED.set(paused)


_instrumented: weakref.WeakSet[Engine] = weakref.WeakSet()


def instrument_engine(engine: Engine, name: str) -> None:
    """Pool use and statement time of one engine (idempotent)."""
    if engine in _instrumented:
        return
    _instrumented.add(engine)
    in_use = DB_CONNECTIONS.labels(name)
    query = DB_QUERY.labels(name)

    @event.listens_for(engine, "checkout")
    def _checkout(*_: Any) -> None:
        in_use.inc()

    @event.listens_for(engine, "checkin")
    def _checkin(*_: Any) -> None:
        in_use.dec()

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn: Any, *_: Any) -> None:
        conn.info["metrics_started"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn: Any, *_: Any) -> None:
        started = conn.info.pop("metrics_started", None)
        if started is not None:
            query.observe(time.perf_counter() - started)


def exposition() -> bytes:
    """The text format of every metric (all workers' in multiprocess mode)."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def instrument_database(database: Any) -> None:
    """The primary's engine and each read replica's (`replica-N`, as /ready names them)."""
    instrument_engine(database.engine, "primary")
    for replica in getattr(database.replicas, "replicas", ()):
        instrument_engine(replica.engine, replica.name)
