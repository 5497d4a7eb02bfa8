"""/v1/estimates: figures reported many times, reconciled into one record each."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.api.deps import AdminKey, EstimateId, ListsDep, ReadKey, SessionDep
from app.api.listing import get_route, list_route, write_route
from app.reconciliation import decisions, service
from app.schemas.estimate import (
    EstimateFilter,
    EstimateMergeIn,
    EstimateRead,
    EstimateSplit,
    EstimateSplitIn,
)

router = APIRouter(prefix="/estimates", tags=["estimates"])

# The problems of an admin's split or merge, besides those of every write.
_DECISION_PROBLEMS = (400, 404, 413, 422)


@router.get("", **list_route(EstimateRead, "List estimates", exclude_unset=True, faceted=True))
def list_estimates(filters: Annotated[EstimateFilter, Query()], lists: ListsDep, _: ReadKey) -> Any:
    """Groups of statistics that report the same quantity, across articles and sources: one
    incident's toll (same metric, same place or a place inside it, overlapping time), or a
    stock as of a month (same metric, same place). Each has `low`, `best` and `high`, the
    number of reports and distinct sources, and every report with the rule that put it
    there. Newest reference time first. Kept current in the transaction of every write.

    Filter by `metric`, `unit`, `nature`, place (`location`, `location_id`, `country`),
    the reference time (`reference_from`/`reference_to`), `best_min`/`best_max`,
    `min_reports`, or `statistic_id` (the estimate holding that figure). `facets=` adds
    counts of estimates over the whole filtered result (`metric`, `unit`, `nature`, `source`,
    `location`, `country`, `month` of the reference time), shaped as the statistics facets."""
    return lists.serve(service.ESTIMATES, filters)


@router.get("/{estimate_id}", **get_route(EstimateRead, "Get an estimate"))
def get_estimate(estimate_id: EstimateId, session: SessionDep, _: ReadKey) -> EstimateRead:
    """One estimate with every report behind it (statistic, article, source, value,
    qualifier, span) and the rule that grouped each; `best_rule` says how `best` was chosen."""
    return service.get_estimate(session, estimate_id)


@router.post(
    "/{estimate_id}/split", **write_route(EstimateSplit, "Split an estimate", *_DECISION_PROBLEMS)
)
def split_estimate(
    estimate_id: EstimateId, body: EstimateSplitIn, session: SessionDep, _: AdminKey
) -> EstimateSplit:
    """Admins move some reports (`statistic_ids`, among the estimate's reports, not all of
    them) out of a wrongly grouped estimate into a new one. The decision is kept: later
    regrouping (a new report, an edit, `estimates rebuild`) never puts the two sets together
    again; their reports' rule becomes `<nature>.admin_split`. Answers both estimates."""
    return decisions.split(session, estimate_id, body.statistic_ids)


@router.post(
    "/{estimate_id}/merge", **write_route(EstimateRead, "Merge two estimates", *_DECISION_PROBLEMS)
)
def merge_estimate(
    estimate_id: EstimateId, body: EstimateMergeIn, session: SessionDep, _: AdminKey
) -> EstimateRead:
    """Admins merge another estimate (`estimate_id`, same metric, unit and nature) into this
    one: their reports are one estimate from now on, whatever regrouping follows; their rule
    becomes `<nature>.admin_merge`. Answers the merged estimate (its id is that of its
    earliest report's, as always)."""
    return decisions.merge(session, estimate_id, body.estimate_id)
