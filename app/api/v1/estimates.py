"""/v1/estimates: figures reported many times, reconciled into one record each."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.api.deps import ListsDep, ReadKey, SessionDep, id_path
from app.api.listing import get_route, list_route
from app.reconciliation import service
from app.schemas.estimate import EstimateFilter, EstimateRead

router = APIRouter(prefix="/estimates", tags=["estimates"])

EstimateId = Annotated[str, id_path("Estimate", "est")]


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
