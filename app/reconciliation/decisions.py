"""Admins' edits of estimates: split a wrong group, merge two, and keep that decision.

A decision pins the figures of the estimates it concerns to labels (`estimate_decision`):
a split gives the reports kept one label and the reports moved another, a merge gives every
report of both one label. Grouping (app/reconciliation/grouping.py) honours labels whenever
it regroups (a new report, an edit, a delete, `estimates rebuild`), so the decision stays;
a figure is named by its article, metric and text, so it outlives an edit of its article
that keeps it, and goes with the article's delete."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from app.core.errors import Unprocessable
from app.models import Estimate
from app.models.base import new_id
from app.reconciliation import projection
from app.repositories import estimate_decisions as decisions_repo
from app.repositories import estimates as repo
from app.schemas.estimate import EstimateRead, EstimateSplit
from app.services.listing import one_or_404


def _invalid(detail: str, loc: list[str | int], msg: str) -> Unprocessable:
    return Unprocessable(detail, errors=[{"loc": loc, "msg": msg, "type": "value_error"}])


def _pin(
    session: Session, estimate: Estimate, ids: Iterable[str], label: str, kind: str, bucket: str
) -> None:
    wanted = set(ids)
    now = datetime.now(UTC)
    rows = [
        {"article_id": m.article_id, "metric": estimate.metric, "text": m.text, "label": label,
         "kind": kind, "bucket": bucket, "decided_at": now}
        for m in estimate.members
        if m.statistic_id in wanted
    ]  # fmt: skip
    decisions_repo.pin(session.connection(), rows)


def _regroup(session: Session, ids: Iterable[str], buckets: Iterable[str]) -> None:
    session.flush()
    projection.refresh(session.connection(), ids, buckets)
    session.expire_all()  # the estimates were replaced underneath the ORM


def _holding(session: Session, statistic_id: str) -> EstimateRead:
    # every figure is in an estimate once regrouped
    found = repo.estimate_holding(session, statistic_id)
    return EstimateRead.model_validate(one_or_404(found, "estimate holding", statistic_id))


def split(session: Session, estimate_id: str, statistic_ids: Sequence[str]) -> EstimateSplit:
    """Move these reports out of the estimate into a new one; both stay as they are after
    any later regrouping (the moved reports together, never with the kept ones)."""
    estimate = one_or_404(repo.get_estimate(session, estimate_id), "estimate", estimate_id)
    members = [m.statistic_id for m in estimate.members]
    moved = list(dict.fromkeys(statistic_ids))
    known = decisions_repo.existing_statistics(session.connection(), moved)
    for i, sid in enumerate(moved):
        if sid not in known:
            raise _invalid(f"No statistic with id {sid}.", ["body", "statistic_ids", i], "unknown")
        if sid not in members:
            raise _invalid(
                f"Statistic {sid} is not a report of {estimate_id}.",
                ["body", "statistic_ids", i],
                "not a member of the estimate",
            )
    kept = [sid for sid in members if sid not in set(moved)]
    if not kept:
        raise _invalid(
            "A split must leave at least one report in the estimate.",
            ["body", "statistic_ids"],
            "every report of the estimate",
        )
    bucket = estimate.bucket
    _pin(session, estimate, moved, new_id("dec"), "split", bucket)
    _pin(session, estimate, kept, new_id("dec"), "split", bucket)
    _regroup(session, members, [bucket])
    return EstimateSplit(remaining=_holding(session, kept[0]), moved=_holding(session, moved[0]))


def merge(session: Session, estimate_id: str, other_id: str) -> EstimateRead:
    """Merge another estimate of the same metric, unit and nature into this one: their
    reports stay together after any later regrouping, in this estimate's slice."""
    estimate = one_or_404(repo.get_estimate(session, estimate_id), "estimate", estimate_id)
    loc: list[str | int] = ["body", "estimate_id"]
    if other_id == estimate_id:
        raise _invalid("An estimate cannot be merged with itself.", loc, "the same estimate")
    other = repo.get_estimate(session, other_id)
    if other is None:
        raise _invalid(f"No estimate with id {other_id}.", loc, "unknown")
    for field in ("metric", "unit", "nature"):
        mine, theirs = getattr(estimate, field), getattr(other, field)
        if mine != theirs:
            raise _invalid(
                f"Only estimates of the same {field} merge: {mine!r} and {theirs!r}.",
                loc,
                f"another {field}",
            )
    label, bucket = new_id("dec"), estimate.bucket
    first = estimate.members[0].statistic_id
    ids = [m.statistic_id for m in (*estimate.members, *other.members)]
    _pin(session, estimate, ids, label, "merge", bucket)
    _pin(session, other, ids, label, "merge", bucket)
    _regroup(session, ids, [bucket, other.bucket])
    return _holding(session, first)
