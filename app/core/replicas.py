"""Read replicas (`DATABASE_READ_URL`): which reads may use one, which one, and what
happens when it is down. Used by `Database` (app/core/db.py) only.

The rule (docs/scaling.md, "Read replicas"): writes and every read that must see the
client's own writes run on the primary; the other reads go to a replica, round robin.
"Must see its own writes" is decided per request by the HTTP layer through
`primary_reads()` (app/api/consistency.py): the change feed, readiness, and any read from a
client that wrote within the read-your-writes window. A replica that fails to connect is
left out for `retry_seconds`, and its reads go to the primary meanwhile."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from app.core.db import DriverReads

_PRIMARY: ContextVar[bool] = ContextVar("conflict_news_primary_reads", default=False)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Within this block (a request), every read of the `Database` goes to the primary."""
    token = _PRIMARY.set(True)
    try:
        yield
    finally:
        _PRIMARY.reset(token)


class ReplicaLost(Exception):
    """A replica failed in the middle of a request's reads (after its connection was
    checked): the HTTP layer runs the request again on the primary when nothing has been
    sent yet (app/api/consistency.py)."""


def reads_pinned() -> bool:
    return _PRIMARY.get()


@dataclass
class Replica:
    name: str
    engine: Engine
    reader: Engine  # the engine with the read timeout
    sessions: sessionmaker[Session]  # bounded reads
    exports: sessionmaker[Session]  # unbounded (exports)
    driver: DriverReads  # its raw-driver reads
    down_until: float = 0.0
    last_error: str | None = None

    def available(self, now: float) -> bool:
        return self.down_until <= now


@dataclass
class ReplicaSet:
    replicas: Sequence[Replica]
    retry_seconds: float = 5.0
    _turn: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __bool__(self) -> bool:
        return bool(self.replicas)

    def pick(self) -> Replica | None:
        """The next available replica (round robin), or None: read on the primary."""
        if not self.replicas or reads_pinned():
            return None
        now = time.monotonic()
        with self._lock:
            for _ in range(len(self.replicas)):
                replica = self.replicas[self._turn % len(self.replicas)]
                self._turn += 1
                if replica.available(now):
                    return replica
        return None

    def failed(self, replica: Replica, exc: BaseException) -> None:
        """Leave a replica out for `retry_seconds` after a connection failure."""
        replica.down_until = time.monotonic() + self.retry_seconds
        # The class and first line only: never a URL or a password.
        first = (str(exc).strip().splitlines() or [""])[0]
        replica.last_error = f"{type(exc).__name__}: {first}"

    def states(self) -> list[dict[str, Any]]:
        """Probe each replica now (for /ready): up, in recovery (a standby), how far behind."""
        out = []
        for replica in self.replicas:
            state: dict[str, Any] = {"name": replica.name}
            try:
                with replica.engine.connect() as conn:
                    if conn.dialect.name == "postgresql":
                        standby, lag = conn.execute(
                            text(
                                "SELECT pg_is_in_recovery(), EXTRACT(EPOCH FROM "
                                "now() - pg_last_xact_replay_timestamp())"
                            )
                        ).one()
                        state["standby"] = bool(standby)
                        state["replay_age_seconds"] = None if lag is None else float(lag)
                    else:
                        conn.execute(text("SELECT 1"))
                replica.down_until = 0.0  # answered: back in rotation at once
                state["state"] = "ok"
            except Exception as exc:  # any failure to answer is "down"
                self.failed(replica, exc)
                state["state"] = "down"
                state["detail"] = "unreachable; its reads go to the primary"
            out.append(state)
        return out
