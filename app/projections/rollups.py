"""The daily figure rollup (`statistic_daily`), kept exact in the transaction of every write.

Whatever the write path (create, PATCH replacing statistics or moving the publication date,
DELETE with its ON DELETE CASCADE, bulk import), ORM events note the rollup rows it touches
and the commit recomputes exactly those rows from `statistic`:

* mapper events on `Statistic` (insert, update of metric/unit/place/date, delete, including
  orphans removed by a cascade) note the old and the new (metric, place, unit, day);
* `before_delete` on `Article` and `Location` reads the keys of the figures the database's
  ON DELETE CASCADE / SET NULL is about to change, while they still exist;
* `before_commit` (of the outermost transaction) flushes, then recomputes each noted
  (metric, day) from the base table: its place rows and its all-places row.

Recomputing (rather than adding deltas) keeps min, max and the top 5 right through deletes.
On PostgreSQL a transaction-scoped advisory lock per (metric, day), taken just before the
commit, makes concurrent writers of one day recompute one after the other, each seeing what
the previous one committed. SQLite writers are already serialised (BEGIN IMMEDIATE).

Writes that bypass the ORM (the synthetic seeder's Core inserts) must call `refresh()` with
the keys they touched, or `rebuild()` once at the end."""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    event,
    inspect,
)
from sqlalchemy.orm import InstanceState, Mapper, Session, object_session

from app.models import Article, Location, Statistic
from app.models.rollup import ALL_PLACES, NO_PLACE
from app.repositories import locks
from app.repositories import rollup as repo

TOP = 5

Key = tuple[str, str, str, str]
"""(metric, location_id, unit, day) of a rollup row."""

_PENDING = "statistic_daily_pending"
_TRACKED = ("metric", "location_id", "unit", "sort_at")
# Namespace of the (metric, day) advisory locks (`pg_advisory_xact_lock(int, int)`).
_LOCK_SPACE = 0x726F6C6C


def day_of(moment: datetime) -> str:
    """The UTC day ('YYYY-MM-DD') of a timestamp; naive values are UTC (as stored)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date().isoformat()


class _Bucket:
    """count/min/max/sum and the top figures of one rollup row, built figure by figure."""

    __slots__ = ("count", "high", "low", "top", "total")

    def __init__(self) -> None:
        self.count = 0
        self.low: Any = None
        self.high: Any = None
        self.total: Any = 0
        self.top: list[tuple[Any, str, str]] = []

    def add(self, value: Any, statistic_id: str, article_id: str) -> None:
        self.count += 1
        self.low = value if self.low is None or value < self.low else self.low
        self.high = value if self.high is None or value > self.high else self.high
        self.total += value
        self.top.append((value, statistic_id, article_id))
        if len(self.top) > 4 * TOP:
            self.top = _largest(self.top)

    def row(self, metric: str, place: str, unit: str, day: str) -> dict[str, Any]:
        return {
            "metric": metric,
            "location_id": place,
            "unit": unit,
            "day": day,
            "count": self.count,
            "min": self.low,
            "max": self.high,
            "sum": self.total,
            "top": [list(t) for t in _largest(self.top)],
        }


def _largest(figures: Iterable[Any]) -> list[Any]:
    """The TOP largest (value, statistic_id, article_id) triples, ties by id."""
    return sorted(figures, key=lambda t: (-t[0], t[1]))[:TOP]


# --- recomputing rows ---------------------------------------------------------------------


def _lock_key(metric: str, day: str) -> int:
    k = zlib.crc32(f"{metric}|{day}".encode())
    return k - (1 << 32) if k >= 1 << 31 else k


def _lock(conn: Connection, days: Iterable[tuple[str, str]]) -> None:
    # One order for everyone: no deadlock between writers.
    locks.lock_pairs(conn, _LOCK_SPACE, [_lock_key(metric, day) for metric, day in sorted(days)])


def refresh(conn: Connection, keys: Iterable[Key]) -> int:
    """Recompute these rollup rows, and the all-places rows of their metric, unit and day,
    from `statistic` (one indexed read per metric and day). Returns the rows written."""
    wanted: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for metric, place, unit, day in keys:
        rows = wanted.setdefault((metric, day), set())
        rows.add((place, unit))
        rows.add((ALL_PLACES, unit))
    _lock(conn, wanted)
    written = 0
    for (metric, day), places in sorted(wanted.items()):
        start = datetime.fromisoformat(day).replace(tzinfo=UTC)
        buckets: dict[tuple[str, str], _Bucket] = {}
        figures = repo.figures(conn, metric, start, start + timedelta(days=1))
        for place, unit, value, sid, aid in figures:
            for key in ((place or NO_PLACE, unit), (ALL_PLACES, unit)):
                if key in places:
                    bucket = buckets.get(key)
                    if bucket is None:
                        bucket = buckets[key] = _Bucket()
                    bucket.add(value, sid, aid)
        repo.replace(
            conn,
            metric,
            day,
            sorted(places),
            [b.row(metric, place, unit, day) for (place, unit), b in sorted(buckets.items())],
        )
        written += len(buckets)
    return written


def rebuild(conn: Connection) -> int:
    """Recompute the whole table from `statistic` in two set-based statements (after a bulk
    load that bypassed the ORM, or to repair it). Returns the rows written."""
    return repo.rebuild(conn, TOP)


# --- noting what a flush touches ----------------------------------------------------------


def _key(metric: Any, place: Any, unit: Any, sort_at: Any) -> Key | None:
    if not (
        isinstance(metric, str)
        and isinstance(unit, str)
        and isinstance(sort_at, datetime)
        and (place is None or isinstance(place, str))
    ):
        return None  # not plain values (unknown, or SQL expressions): read the row instead
    return (metric, place or NO_PLACE, unit, day_of(sort_at))


def _stored(conn: Connection, column: str, value: str) -> set[Key]:
    rows = repo.figure_keys(conn, column, value)
    return {k for k in (_key(*row) for row in rows) if k is not None}


def _note(target: Any, keys: Iterable[Key]) -> None:
    session = object_session(target)
    if session is not None:
        session.info.setdefault(_PENDING, set()).update(keys)


def _changed(state: InstanceState[Any]) -> bool:
    return any(state.attrs[name].history.has_changes() for name in _TRACKED)


def _before(state: InstanceState[Any]) -> Key | None:
    """The key the row has in the database now (before this flush writes it), if known."""
    values = []
    for name in _TRACKED:
        hist = state.attrs[name].history
        if hist.deleted:
            values.append(hist.deleted[0])
        elif hist.unchanged:
            values.append(hist.unchanged[0])
        else:
            return None  # set without its old value loaded
    return _key(*values)


def _after(state: InstanceState[Any]) -> Key | None:
    """The key the row has once this flush has written it, if known from the object."""
    return _key(*(state.dict.get(name) for name in _TRACKED))


def _note_stored(conn: Connection, target: Statistic, key: Key | None) -> None:
    _note(target, [key] if key else _stored(conn, "id", target.id))


def _statistic_inserted(_mapper: Mapper[Any], conn: Connection, target: Statistic) -> None:
    _note_stored(conn, target, _after(inspect(target)))


def _statistic_updating(_mapper: Mapper[Any], conn: Connection, target: Statistic) -> None:
    state = inspect(target)
    if _changed(state):
        _note_stored(conn, target, _before(state))


def _statistic_updated(_mapper: Mapper[Any], conn: Connection, target: Statistic) -> None:
    state = inspect(target)
    if _changed(state):  # the history is reset only once the flush is over
        _note_stored(conn, target, _after(state))


def _statistic_deleting(_mapper: Mapper[Any], conn: Connection, target: Statistic) -> None:
    _note_stored(conn, target, _before(inspect(target)))


def _article_deleted(_mapper: Mapper[Any], conn: Connection, target: Article) -> None:
    # Figures not loaded in the session go by the foreign key's ON DELETE CASCADE.
    _note(target, _stored(conn, "article_id", target.id))


def _location_deleted(_mapper: Mapper[Any], conn: Connection, target: Location) -> None:
    # ON DELETE SET NULL moves the place's figures to the "no place" rows.
    keys = _stored(conn, "location_id", target.id)
    _note(target, keys | {(m, NO_PLACE, u, d) for m, _, u, d in keys})


def note_written(
    session: Session, figures: Iterable[tuple[str, str | None, str, datetime]]
) -> None:
    """Figures inserted without the ORM (a bulk batch's Core inserts), as (metric,
    location_id, unit, sort_at): their rollup rows are recomputed at the commit."""
    keys = {_key(*figure) for figure in figures}
    session.info.setdefault(_PENDING, set()).update(k for k in keys if k is not None)


def _before_commit(session: Session) -> None:
    # Only the outermost commit: the advisory locks are then taken after every other lock
    # of the transaction (the change feed's), in one order. A SAVEPOINT's release leaves its
    # keys for the enclosing commit (a rolled-back SAVEPOINT's keys are recomputed harmlessly).
    if session.in_nested_transaction():
        return
    session.flush()
    keys: set[Key] | None = session.info.pop(_PENDING, None)
    if keys:
        refresh(session.connection(), keys)


_LISTENERS: tuple[tuple[Any, str, Any], ...] = (
    (Statistic, "after_insert", _statistic_inserted),
    (Statistic, "before_update", _statistic_updating),
    (Statistic, "after_update", _statistic_updated),
    (Statistic, "before_delete", _statistic_deleting),
    (Article, "before_delete", _article_deleted),
    (Location, "before_delete", _location_deleted),
    (Session, "before_commit", _before_commit),
)


def listen_all(listeners: Iterable[tuple[Any, str, Any]]) -> None:
    """Listen to these (target, event name, listener) events, each once (idempotent)."""
    for target, name, listener in listeners:
        if not event.contains(target, name, listener):
            event.listen(target, name, listener)


def register() -> None:
    """Listen to the mapper and session events that touch figures (idempotent)."""
    listen_all(_LISTENERS)
