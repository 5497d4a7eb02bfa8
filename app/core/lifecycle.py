"""Graceful shutdown: on SIGTERM (or SIGINT) the server stops accepting connections and lets
the requests in flight finish, for at most `SHUTDOWN_GRACE_SECONDS` (uvicorn's graceful
shutdown timeout, set by `conflict-news serve`). Long jobs ask `draining()` between units of
work: a bulk import finishes the line in progress and ends its response on that line
boundary, saying where to resume (app/services/bulk.py).

uvicorn owns the signal handlers; `watch_termination()`, called in the app's lifespan, wraps
them so the app learns of the signal at the same moment uvicorn does."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

_DRAINING = threading.Event()
_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def draining() -> bool:
    """True once the process was asked to stop: finish the unit of work, take no more."""
    return _DRAINING.is_set()


def start_draining() -> None:
    _DRAINING.set()


def watch_termination() -> Callable[[], None]:
    """Wrap the current SIGTERM/SIGINT handlers to start draining first; returns a function
    that puts the previous handlers back. A no-op off the main thread (e.g. a TestClient's
    lifespan), where handlers cannot be installed."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous: dict[int, Any] = {}
    for sig in _SIGNALS:
        before = signal.getsignal(sig)
        previous[sig] = before

        def handler(signum: int, frame: FrameType | None, before: Any = before) -> None:
            start_draining()
            if callable(before):
                before(signum, frame)
            elif before == signal.SIG_DFL:
                raise SystemExit(128 + signum)

        signal.signal(sig, handler)

    def restore() -> None:
        for sig, before in previous.items():
            signal.signal(sig, before)

    return restore
