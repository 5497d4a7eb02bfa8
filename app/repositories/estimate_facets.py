"""Facets of the estimates list: estimates counted per metric, unit, nature, source, place,
country and month of their reference time, over the newest FACET_SAMPLE matches (as the
other lists' facets are), in one statement."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from app.models import Estimate, EstimateMember, Location, Source
from app.repositories import common, dates
from app.repositories.articles import FACET_SAMPLE
from app.repositories.estimates import estimate_conditions
from app.schemas.estimate import EstimateFilter

Buckets = common.Buckets


def facets(session: Session, f: EstimateFilter, names: Sequence[str]) -> tuple[Buckets, bool]:
    """(value, label, count) buckets per facet over the estimates matching `f`, and whether
    more than FACET_SAMPLE matched (then the counts are over the newest FACET_SAMPLE)."""
    dialect = common.dialect_of(session)
    e = Estimate
    order = (e.sort_at.desc(), e.id.desc())
    conditions = estimate_conditions(f)
    newest = select(e.id, e.metric, e.unit, e.nature, e.location_id, e.country_code)
    newest = newest.add_columns(e.reference_time).where(*conditions).order_by(*order)
    kept = newest.limit(FACET_SAMPLE).subquery("estimate_facet_kept")
    matched = select(e.id).where(*conditions).limit(FACET_SAMPLE + 1).subquery()
    branches = [_branch(name, dialect, kept) for name in names]
    return common.count_facets(session, names, branches, matched, FACET_SAMPLE)


def _branch(name: str, dialect: str, kept: Any) -> Any:
    """One facet's rows (facet, value, label, n): estimates counted per bucket."""
    joined: Any = None  # the directory table that names the values
    if name in ("metric", "unit", "nature"):
        column = kept.c[name]
        top = common.top_buckets(column, [column.is_not(None)])
    elif name == "location":
        column = kept.c.location_id
        top = common.top_buckets(column, [column.is_not(None)])
        joined = Location
    elif name == "country":
        column = kept.c.country_code
        top = common.top_buckets(column, [column.is_not(None)])
    elif name == "source":  # an estimate counts once for each source among its reports
        m = EstimateMember
        top = common.top_buckets(
            m.source_id,
            [m.estimate_id == kept.c.id, m.source_id.is_not(None)],
            counted=func.count(distinct(m.estimate_id)),
        )
        joined = Source
    else:  # month of the reference time
        month = dates.month(dialect, kept.c.reference_time)
        top = common.top_buckets(month, [], size=120)
    return common.facet_branch(name, top, joined)
