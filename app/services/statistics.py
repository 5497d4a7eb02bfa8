"""Statistics: the list (with search), one figure, and the series of a metric over time."""

from __future__ import annotations

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from app.core.errors import Unprocessable
from app.models import Statistic
from app.reconciliation import service as reconciliation
from app.repositories import items
from app.repositories import statistics as repo
from app.schemas.article import StatisticHit, StatisticRead
from app.schemas.filters import SeriesFilter, StatisticFilter
from app.schemas.series import Series, SeriesPoint
from app.search.snippets import snippet
from app.services import item_context, item_lists
from app.services.listing import ListEndpoint, one_or_404


def get_statistic(session: Session, statistic_id: str) -> StatisticHit:
    """One figure with its place and article, as a list shows it."""
    found = one_or_404(repo.get_statistic(session, statistic_id), "statistic", statistic_id)
    return _render(session, [found], StatisticFilter())[0]


def check_units(session: Session | Connection, filters: StatisticFilter) -> None:
    """A `unit=` no stored figure has is a 422 naming the stored ones (units are open:
    clients send their own, so the allowed values are those in the data)."""
    if not filters.unit:
        return
    wanted = [u.lower() for u in filters.unit]
    unknown = [u for u in wanted if u not in repo.known_units(session, wanted)]
    if unknown:
        allowed = ", ".join(repo.stored_units(session))
        raise Unprocessable(
            f"No stored figure has the unit {', '.join(map(repr, unknown))}.",
            errors=[
                {
                    "loc": ["query", "unit"],
                    "msg": f"unknown unit {u!r}; allowed: {allowed}",
                    "type": "enum",
                }
                for u in unknown
            ],
        )


def get_series(session: Session, filters: SeriesFilter) -> Series:
    """Per period of the interval: count, min, max, sum and the largest figures' ids."""
    if filters.basis == "estimates":
        return reconciliation.series(session, filters)
    points, top = repo.series(session, filters)
    return Series(
        metric=filters.metric.lower(),
        interval=filters.interval,
        basis="reports",
        unit=filters.unit,
        location=filters.location,
        data=[
            SeriesPoint(
                period=str(period),
                count=count,
                min=lo,
                max=hi,
                sum=total,
                statistics=[sid for sid, _ in top.get(period, [])],
                articles=[aid for _, aid in top.get(period, [])],
            )
            for period, count, lo, hi, total in points
        ],
    )


def _render(
    session: Session | Connection, rows: list[Statistic], f: StatisticFilter
) -> list[StatisticHit]:
    """Figure rows -> list items with their articles and places, in two queries more (five
    with `include=article`) whatever the number of rows."""
    conn = session if isinstance(session, Connection) else session.connection()
    articles = item_context.articles(conn, [s.article_id for s in rows], f.includes())
    places = item_context.places(conn, [s.location_id for s in rows])
    query = f.parsed()
    hits = []
    for s in rows:
        read = StatisticRead.from_row(s, places.get(s.location_id or ""))
        hit = StatisticHit(**read.__dict__, article=articles[s.article_id])
        if query is not None:
            hit.snippet = snippet(s.sentence or s.text, query)
        hits.append(hit)
    return hits


_facets = item_lists.facets_of(Statistic, repo.statistic_conditions)
_stored = item_lists.stored_of(
    "statistic", items.statistic_page, lambda row: row.sentence or row.text
)


STATISTICS = ListEndpoint(
    "statistics",
    StatisticHit,
    repo.statistic_statement,
    _render,
    repo.statistic_page,
    facets=_facets,
    check=check_units,
    stored=_stored,
)
