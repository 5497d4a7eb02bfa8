"""Estimates kept current in the transaction of every write, by ORM events.

* `before_flush`: a new statistic, or one whose sentence, metric or date changed, gets its
  reference time, precision and nature (app/extraction/figures/reference.py) before it is
  written: one regular-expression pre-check per figure.
* mapper events note what a flush touches: the statistics written (their bucket is read
  back with their place once flushed) and the buckets of the estimates that held a statistic
  being changed or deleted (read while the rows still exist: an article's delete reaches its
  figures through ON DELETE CASCADE, a place's through SET NULL).
* `before_commit` (of the outermost transaction) brings the noted buckets up to date in
  the writer's transaction, so no reader ever sees a half-updated estimate: a bucket whose
  only change is new figures reported after every figure already in it (the common case:
  news arrives in order) gets them added to the estimates they join or start, and only
  those are rewritten (`grouping.extend`: grouping the bucket whole would give the same);
  any other bucket (an edit, a delete, an older figure arriving late, an admin decision) is
  recomputed whole from `statistic` (app/reconciliation/grouping.py), rewriting the
  estimates that differ. Either way the result does not depend on the order of writes
  (tests/reconciliation/test_incremental.py compares it with a regroup from scratch).
  On PostgreSQL a transaction-scoped advisory lock per bucket serialises writers of one.

`rebuild()` resolves every figure without a nature and regroups everything (after a load
that bypassed the ORM, or after this migration): `conflict-news estimates rebuild`."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, inspect
from sqlalchemy.orm import Mapper, Session, UOWTransaction, object_session

from app.extraction.figures.reference import resolve
from app.extraction.lexicon import metrics as registry
from app.extraction.places import gazetteer
from app.models import Article, Location, Statistic
from app.projections.rollups import listen_all
from app.reconciliation import grouping
from app.reconciliation.grouping import Report
from app.repositories import estimates as repo
from app.repositories import locks

_IDS = "estimate_pending_statistics"
_BUCKETS = "estimate_pending_buckets"
_REFERENCE_INPUTS = ("sentence", "text", "metric", "sort_at")
_GROUPING_INPUTS = (*_REFERENCE_INPUTS, "value", "value_max", "qualifier", "unit", "location_id")
_LOCK_SPACE = 0x65737469  # "esti"


def registry_nature(metric: str) -> str:
    found = registry.get(metric)
    return found.nature if found is not None else "event"


def reference_of(metric: str, sentence: str | None, text: str, published: Any) -> Any:
    return resolve(sentence or text, published, registry_nature(metric))  # type: ignore[arg-type]


def _sentence_around(body: str, start: int, end: int) -> str:
    """The sentence of a span, for figures sent without one: from the previous full stop
    or line break to the next."""
    left = max(body.rfind(". ", 0, start), body.rfind("\n", 0, start)) + 1
    stops = [i for i in (body.find(". ", end), body.find("\n", end)) if i != -1]
    return body[left : min(stops) + 1 if stops else len(body)]


def reference_columns(values: dict[str, Any], body: str | None) -> dict[str, Any]:
    """`reference_time`, `reference_precision` and `nature` of a new figure (its attributes
    `metric`, `sentence`, `text`, `sort_at`, `start`, `end`; `body` its article's)."""
    sentence = values["sentence"]
    if not sentence and body:
        sentence = _sentence_around(body, values["start"], values["end"])
    ref = reference_of(values["metric"], sentence, values["text"], values["sort_at"])
    return {"reference_time": ref.time, "reference_precision": ref.precision, "nature": ref.nature}


def _set_reference(stat: Statistic) -> None:
    article = inspect(stat).attrs.article.loaded_value
    body = article.body if isinstance(article, Article) else None
    names = ("metric", "sentence", "text", "sort_at", "start", "end")
    for name, value in reference_columns({n: getattr(stat, n) for n in names}, body).items():
        setattr(stat, name, value)


def _changed(stat: Statistic, names: Iterable[str]) -> bool:
    attrs = inspect(stat).attrs
    return any(attrs[n].history.has_changes() for n in names)


def _before_flush(session: Session, _ctx: UOWTransaction, _instances: Any) -> None:
    for obj in session.new:
        if isinstance(obj, Statistic) and obj.nature is None:
            _set_reference(obj)
    for obj in session.dirty:
        if isinstance(obj, Statistic) and _changed(obj, _REFERENCE_INPUTS):
            _set_reference(obj)


@lru_cache(maxsize=4096)
def _named_country(name: str) -> str | None:
    """The code of the country a place name not in the directory names ("Sudan"), if any."""
    gaz = gazetteer()
    for idx in gaz.keys.get(name.strip(), ())[:1]:
        entry = gaz.entries[idx]
        if entry.kind == "country":
            return entry.country_code
    return None


def row_report(row: Any) -> Report:
    (sid, aid, source_id, source, metric, unit, nature, value, value_max, qualifier, text,
     start, end, sort_at, ref_time, ref_precision, loc_id, loc, kind, country, pin, pin_kind,
     pin_bucket) = row  # fmt: skip
    if loc_id is None and loc:
        country = _named_country(loc)
        kind = "country" if country else None
    return Report(
        sid, aid, source_id, source, metric, unit, nature or registry_nature(metric), value,
        value_max, qualifier, text, start, end, sort_at, ref_time, ref_precision, loc_id, loc,
        kind, country, pin, pin_kind, pin_bucket,
    )  # fmt: skip


def _pending(session: Session, key: str) -> set[str]:
    found: set[str] = session.info.setdefault(key, set())
    return found


def _note_ids(target: Any, ids: Iterable[str]) -> None:
    session = object_session(target)
    if session is not None:
        _pending(session, _IDS).update(ids)


def _note_buckets(target: Any, buckets: Iterable[str]) -> None:
    session = object_session(target)
    if session is not None:
        _pending(session, _BUCKETS).update(buckets)


def _inserted(_mapper: Mapper[Any], _conn: Connection, target: Statistic) -> None:
    _note_ids(target, [target.id])


def _updating(_mapper: Mapper[Any], conn: Connection, target: Statistic) -> None:
    if _changed(target, _GROUPING_INPUTS):
        _note_buckets(target, repo.buckets_of(conn, "id", target.id))
        _note_ids(target, [target.id])


def _deleting(_mapper: Mapper[Any], conn: Connection, target: Statistic) -> None:
    _note_buckets(target, repo.buckets_of(conn, "id", target.id))


def _article_deleting(_mapper: Mapper[Any], conn: Connection, target: Article) -> None:
    _note_buckets(target, repo.buckets_of(conn, "article_id", target.id))


def _article_updated(_mapper: Mapper[Any], conn: Connection, target: Article) -> None:
    # Its places may have changed: the figures that fall back on its main place move.
    _note_buckets(target, repo.buckets_of(conn, "article_id", target.id))
    _note_ids(target, repo.statistic_ids(conn, "article_id", target.id))


def _location_deleting(_mapper: Mapper[Any], conn: Connection, target: Location) -> None:
    _note_buckets(target, repo.buckets_of_location(conn, target.id))
    _note_ids(target, repo.statistic_ids(conn, "location_id", target.id))


def _lock(conn: Connection, buckets: Iterable[str]) -> None:
    keys = sorted({zlib.crc32(b.encode()) - (1 << 31) for b in buckets})
    locks.lock_pairs(conn, _LOCK_SPACE, keys)


def refresh(conn: Connection, statistic_ids: Iterable[str], buckets: Iterable[str]) -> int:
    """Bring the estimates up to date after these statistics were written and these buckets'
    figures changed. A bucket whose only change is new figures reported after all of its
    others gets them added (`_append`); the others are regrouped whole. Returns the
    estimates written."""
    whole = set(buckets)
    new: dict[str, list[Report]] = {}
    for row in repo.reports_by_id(conn, sorted(statistic_ids)):
        report = row_report(row)
        new.setdefault(report.bucket, []).append(report)
    if not whole and not new:
        return 0
    _lock(conn, whole | set(new))
    appended, written = _append(conn, {b: rs for b, rs in new.items() if b not in whole})
    whole.update(b for b in new if b not in appended)
    return written + _regroup(conn, whole)


def _regroup(conn: Connection, buckets: set[str]) -> int:
    """Regroup these buckets whole from `statistic`."""
    if not buckets:
        return 0
    reports: list[Report] = []
    for bucket in sorted(buckets):
        for row in repo.bucket_reports(conn, bucket, *grouping.bucket_range(bucket)):
            report = row_report(row)
            if report.bucket == bucket:
                reports.append(report)
    found = grouping.group(reports)
    repo.replace_changed(conn, buckets, *rows_of(found))
    return len(found)


def _appendable(conn: Connection, new: dict[str, list[Report]]) -> dict[str, list[Any]]:
    """The estimates (repo.heads) of the buckets of `new` whose new reports can simply be
    added: none is pinned or already grouped, no admin decision is about the bucket, and
    each was reported after every report of it."""
    members = repo.members_of_any(conn, sorted(r.statistic_id for rs in new.values() for r in rs))
    candidates = sorted(
        b for b, rs in new.items() if not any(r.pin or r.statistic_id in members for r in rs)
    )
    decided = repo.decided_buckets(conn, candidates)
    heads: dict[str, list[Any]] = {b: [] for b in candidates if b not in decided}
    for row in repo.heads(conn, list(heads)):
        heads[row[0]].append(row)
    for bucket, rows in list(heads.items()):
        first = min(grouping.utc(r.reported_at) for r in new[bucket])
        if rows and first <= max(grouping.utc(row[7]) for row in rows):
            del heads[bucket]
    return heads


def _append(conn: Connection, new: dict[str, list[Report]]) -> tuple[set[str], int]:
    """Add new reports to the estimates they join (or start): only those are rewritten.
    Returns the buckets done so, and the estimates written."""
    if not new:
        return set(), 0
    heads = _appendable(conn, new)
    joinable = {
        row[1]: bucket
        for bucket, rows in heads.items()
        for row in rows
        if any(grouping.may_join(r, *row[2:7]) for r in new[bucket])
    }
    groups: dict[str, list[str]] = {}
    for estimate_id, statistic_id in repo.member_ids(conn, sorted(joinable)):
        groups.setdefault(estimate_id, []).append(statistic_id)
    known = {
        r.statistic_id: r
        for r in map(
            row_report, repo.reports_by_id(conn, sorted(i for g in groups.values() for i in g))
        )
    }
    existing: dict[str, list[list[Report]]] = {b: [] for b in heads}
    for estimate_id, ids in groups.items():
        existing[joinable[estimate_id]].append([known[i] for i in ids if i in known])
    found: list[grouping.Estimate] = []
    done: set[str] = set()
    for bucket, members in existing.items():
        changed = (
            None if any(not ms for ms in members) else grouping.extend(bucket, members, new[bucket])
        )
        if changed is not None:
            found.extend(changed)
            done.add(bucket)
    repo.rewrite(conn, {e.id for e in found}, *rows_of(found))
    return done, len(found)


def rows_of(found: list[grouping.Estimate]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    estimates: list[dict[str, Any]] = []
    members: list[dict[str, Any]] = []
    for e in found:
        estimates.append(
            {
                "id": e.id, "bucket": e.bucket, "metric": e.metric, "unit": e.unit,
                "nature": e.nature, "location": e.location, "location_id": e.location_id,
                "country_code": e.country_code, "reference_time": e.reference_time,
                "reference_precision": e.reference_precision, "low": e.low, "best": e.best,
                "high": e.high, "best_rule": e.best_rule,
                "best_statistic_id": e.best_statistic_id, "report_count": e.report_count,
                "source_count": e.source_count, "first_reported_at": e.first_reported_at,
                "last_reported_at": e.last_reported_at, "sort_at": e.reference_time,
            }
        )  # fmt: skip
        for position, m in enumerate(e.members):
            r = m.report
            members.append(
                {
                    "estimate_id": e.id, "statistic_id": r.statistic_id, "position": position,
                    "article_id": r.article_id, "source_id": r.source_id, "source": r.source,
                    "value": r.value, "value_max": r.value_max, "qualifier": r.qualifier,
                    "text": r.text, "span_start": r.start, "span_end": r.end,
                    "reported_at": r.reported_at, "rule": m.rule,
                }
            )  # fmt: skip
    return estimates, members


def rebuild(conn: Connection, progress: Callable[[int], None] | None = None) -> int:
    """Resolve every figure without a nature, then regroup everything. Returns estimates."""
    after, done = "", 0
    while True:
        rows = repo.unresolved_statistics(conn, after, 2000)
        if not rows:
            break
        updates = []
        for sid, metric, sentence, text, sort_at, body, start, end in rows:
            sentence = sentence or (_sentence_around(body, start, end) if body else None)
            ref = reference_of(metric, sentence, text, sort_at)
            updates.append({"sid": sid, "rt": ref.time, "rp": ref.precision, "nat": ref.nature})
        repo.set_references(conn, updates)
        after, done = rows[-1][0], done + len(rows)
        if progress is not None:
            progress(done)
    found = grouping.group(row_report(r) for r in repo.all_reports(conn))
    repo.clear(conn)
    estimates, members = rows_of(found)
    for i in range(0, len(estimates), 2000):
        repo.rewrite(conn, [], estimates[i : i + 2000], [])
    for i in range(0, len(members), 5000):
        repo.rewrite(conn, [], [], members[i : i + 5000])
    return len(found)


def note_written(session: Session, statistic_ids: Iterable[str]) -> None:
    """Figures inserted without the ORM (a bulk batch's Core inserts), their reference
    columns set (`reference_columns`): their buckets are regrouped at the commit."""
    _pending(session, _IDS).update(statistic_ids)


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    session.flush()
    ids: set[str] = session.info.pop(_IDS, set())
    buckets: set[str] = session.info.pop(_BUCKETS, set())
    if ids or buckets:
        refresh(session.connection(), ids, buckets)


_LISTENERS: tuple[tuple[Any, str, Any], ...] = (
    (Session, "before_flush", _before_flush),
    (Statistic, "after_insert", _inserted),
    (Statistic, "before_update", _updating),
    (Statistic, "before_delete", _deleting),
    (Article, "before_delete", _article_deleting),
    (Article, "after_update", _article_updated),
    (Location, "before_delete", _location_deleting),
    (Session, "before_commit", _before_commit),
)


def register() -> None:
    """Listen to the mapper and session events that touch figures (idempotent)."""
    listen_all(_LISTENERS)
