"""Grouping reports into estimates: pure, deterministic, every membership explained.

A *report* is one stored statistic with what grouping needs (its place, the time it refers
to, its source). Reports are grouped within a *bucket*, (metric, unit, country, month of the
report's anchor time), by these rules, in this order:

Events (a count of what happened in one incident):

* a report's time is an interval: its reference time and precision from the text (a day,
  a week, a month, a year), or, when the text names no time, the day before and the day of
  publication (a story reports what happened that day or overnight);
* reports are taken in order of publication (then statistic id); each joins the
  first estimate whose place is compatible and whose time interval overlaps its own, else
  starts one. Places are compatible when they are the same place (``same_place``), when one
  is a country and the other a place in that country (``place_within``: the estimate keeps
  the finer place), or when neither has a place (``no_place``). A place named by a figure
  but not in the places directory is compared by its name. A figure that names no place
  takes its article's main place. The estimate's interval
  shrinks to the overlap, so two reports a week apart never meet through a vague third one.

Cumulative figures (a stock or running total, as of a date):

* reports of the same place and the same calendar month of their as-of time form one
  estimate (``same_place+same_month``); a place inside another is a different stock.

Admin decisions (``estimate_decision``, app/reconciliation/decisions.py) come first: a report
pinned to a label joins the group of that label, whatever its place and time, and never
another group; it is grouped in its label's bucket. Unpinned reports may still join a
pinned group by the rules above. A pinned report's rule is ``<nature>.admin_split`` or
``<nature>.admin_merge``.

Each membership's rule is ``<nature>.first_report`` for the report that started it, else
``<nature>.<place rule>+<time rule>`` (time rules: ``reference_time`` when the text gave a
time, ``published_within_a_day`` when publication dates were compared, ``same_month``).

``low`` is the smallest value reported, ``high`` the largest (a range's upper bound counts).
``best`` (see :func:`best_of`): for events, the reports of the last :data:`LATEST_WINDOW`
of reporting (a toll only rises, so earlier lower figures are superseded), and among them the
most conservative (smallest), preferring exact figures to vague amounts ("dozens");
for cumulative figures, the reports of the latest day it was reported (a stock stands as of
its report), and among them the smallest (exact figures before vague ones too).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

LATEST_WINDOW = timedelta(hours=3)
NO_REFERENCE_BEFORE = timedelta(days=1)
PRECISION_ORDER = ("day", "week", "month", "year")
_LONGEST_DAYS = {"day": 1, "week": 7, "month": 31, "year": 366}  # a precision's longest span


@dataclass(frozen=True, slots=True)
class Report:
    """One statistic as grouping sees it."""

    statistic_id: str
    article_id: str
    source_id: str | None
    source: str | None
    metric: str
    unit: str
    nature: str
    value: float
    value_max: float | None
    qualifier: str
    text: str
    start: int
    end: int
    reported_at: datetime
    reference_time: datetime | None
    reference_precision: str | None
    location_id: str | None
    location: str | None
    location_kind: str | None
    country_code: str | None
    pin: str | None = None  # an admin decision's label (estimate_decision)
    pin_kind: str | None = None  # "split" or "merge"
    pin_bucket: str | None = None

    @property
    def anchor(self) -> datetime:
        """The time the report is filed under: its reference time, else its publication."""
        return _utc(self.reference_time or self.reported_at)

    @property
    def bucket(self) -> str:
        if self.pin_bucket is not None:
            return self.pin_bucket
        return bucket_key(
            self.metric, self.unit, country_key(self.country_code, self.location_id), self.anchor
        )

    def interval(self) -> tuple[datetime, datetime]:
        """The event times this report can refer to, [start, end)."""
        if self.reference_time is None:
            day = _midnight(self.reported_at)
            return day - NO_REFERENCE_BEFORE, day + timedelta(days=1)
        start = _midnight(self.reference_time)
        return start, _advance(start, self.reference_precision or "day")


@dataclass(slots=True)
class Member:
    report: Report
    rule: str


@dataclass(slots=True)
class Group:
    """An estimate being built: its place, its time interval and its members."""

    nature: str
    location_id: str | None
    location: str | None
    location_kind: str | None
    country_code: str | None
    start: datetime
    end: datetime
    members: list[Member] = field(default_factory=list)
    pin: str | None = None


@dataclass(frozen=True, slots=True)
class Estimate:
    """A finished group: what `estimate` and `estimate_member` rows store."""

    id: str
    bucket: str
    metric: str
    unit: str
    nature: str
    location_id: str | None
    location: str | None
    country_code: str | None
    reference_time: datetime
    reference_precision: str
    low: float
    best: float
    high: float
    best_rule: str
    best_statistic_id: str
    report_count: int
    source_count: int
    first_reported_at: datetime
    last_reported_at: datetime
    members: tuple[Member, ...]


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def utc(moment: datetime) -> datetime:
    """A moment in UTC (a naive one is taken as UTC)."""
    return _utc(moment)


def _midnight(moment: datetime) -> datetime:
    return _utc(moment).replace(hour=0, minute=0, second=0, microsecond=0)


def _advance(start: datetime, precision: str) -> datetime:
    if precision == "week":
        return start + timedelta(days=7)
    if precision == "month":
        return month_after(start)
    if precision == "year":
        return start.replace(year=start.year + 1, month=1, day=1)
    return start + timedelta(days=1)


def month_start(moment: datetime) -> datetime:
    return _midnight(moment).replace(day=1)


def month_after(moment: datetime) -> datetime:
    first = month_start(moment)
    return (
        first.replace(year=first.year + 1, month=1)
        if first.month == 12
        else first.replace(month=first.month + 1)
    )


def country_key(country_code: str | None, location_id: str | None) -> str:
    """The place part of a bucket: the country, else the place itself, else '-'."""
    return country_code or (f"@{location_id}" if location_id else "-")


def bucket_key(metric: str, unit: str, place: str, anchor: datetime) -> str:
    return f"{metric}|{unit}|{place}|{_utc(anchor).strftime('%Y-%m')}"


def bucket_range(bucket: str) -> tuple[str, str, str, datetime, datetime]:
    """(metric, unit, place key, start, end) of a bucket key."""
    metric, unit, place, month = bucket.rsplit("|", 3)
    start = datetime.strptime(month, "%Y-%m").replace(tzinfo=UTC)
    return metric, unit, place, start, month_after(start)


def _order(r: Report) -> tuple[datetime, str]:
    return _utc(r.reported_at), r.statistic_id


def _place_rule(g: Group, r: Report) -> str | None:
    """How the report's place fits the group's, or None if it does not."""
    if g.location_id is None and r.location_id is None:
        # a place only named (not in the directory) is compared by its name
        if _name(g.location) != _name(r.location):
            return None
        return "no_place" if g.location is None else "same_place"
    if g.location_id is None or r.location_id is None:
        return None
    if g.location_id == r.location_id:
        return "same_place"
    if g.country_code is None or g.country_code != r.country_code:
        return None
    if r.location_kind == "country" or g.location_kind == "country":
        return "place_within"
    return None


def _name(place: str | None) -> str | None:
    return " ".join(place.casefold().split()) if place else None


def _new_group(r: Report, start: datetime, end: datetime) -> Group:
    g = Group(r.nature, r.location_id, r.location, r.location_kind, r.country_code, start, end)
    g.pin = r.pin
    g.members.append(Member(r, _admin_rule(r) or f"{r.nature}.first_report"))
    return g


def _admin_rule(r: Report) -> str | None:
    return f"{r.nature}.admin_{r.pin_kind}" if r.pin is not None else None


def _join(g: Group, r: Report, start: datetime, end: datetime, rule: str) -> None:
    """Add an event report to a group: the interval narrows to the overlap (a pinned report
    that does not overlap leaves it as it is), a country gives way to a place in it."""
    if start < g.end and g.start < end:
        g.start, g.end = max(g.start, start), min(g.end, end)
    if _place_rule(g, r) == "place_within" and g.location_kind == "country":
        g.location_id, g.location = r.location_id, r.location
        g.location_kind, g.country_code = r.location_kind, r.country_code
    g.members.append(Member(r, rule))


def _event_groups(reports: Iterable[Report], groups: list[Group] | None = None) -> list[Group]:
    """Events grouped in order, after `groups` (those already formed, in their order)."""
    groups = [] if groups is None else groups
    pinned: dict[str, Group] = {g.pin: g for g in groups if g.pin is not None}
    for r in reports:
        start, end = r.interval()
        if r.pin is not None:
            # an admin decision: with its label's group, never with another
            g = pinned.get(r.pin)
            if g is None:
                groups.append(pinned.setdefault(r.pin, _new_group(r, start, end)))
            else:
                _join(g, r, start, end, f"event.admin_{r.pin_kind}")
            continue
        for g in groups:
            place = _place_rule(g, r)
            if place is None or start >= g.end or g.start >= end:
                continue
            time = "reference_time" if r.reference_time is not None else "published_within_a_day"
            _join(g, r, start, end, f"event.{place}+{time}")
            break
        else:
            groups.append(_new_group(r, start, end))
    return groups


def _stock_key(r: Report) -> tuple[str, datetime]:
    if r.pin is not None:
        return f"pin:{r.pin}", datetime.min.replace(tzinfo=UTC)
    return r.location_id or f"name:{_name(r.location)}", month_start(r.anchor)


def _cumulative_groups(
    reports: Iterable[Report], groups: dict[tuple[str, datetime], Group] | None = None
) -> list[Group]:
    """Stocks grouped by place and month, after `groups` (those already formed, by key)."""
    groups = {} if groups is None else groups
    for r in reports:
        month = month_start(r.anchor)
        key = _stock_key(r)
        g = groups.get(key)
        if g is None:
            groups[key] = _new_group(r, month, month_after(month))
        else:
            place = "same_place" if r.location is not None else "no_place"
            rule = _admin_rule(r) or f"cumulative.{place}+same_month"
            g.members.append(Member(r, rule))
    return list(groups.values())


def best_of(g: Group) -> tuple[Report, str]:
    """The report whose value is the estimate's `best`, and the rule that chose it."""
    reports = [m.report for m in g.members]
    if g.nature == "cumulative":
        # a stock stands as of when it is reported
        latest = max(_midnight(r.reported_at) for r in reports)
        candidates = [r for r in reports if _midnight(r.reported_at) == latest]
        rule = "latest_as_of"
    else:
        last = max(_utc(r.reported_at) for r in reports)
        candidates = [r for r in reports if _utc(r.reported_at) >= last - LATEST_WINDOW]
        rule = "latest_report"
    exact = [r for r in candidates if r.qualifier != "vague"]
    candidates = exact or candidates
    if len({r.value for r in candidates}) > 1:
        rule += "_lowest"
    return min(candidates, key=lambda r: (r.value, r.statistic_id)), rule


def _finish(g: Group, bucket: str) -> Estimate:
    reports = [m.report for m in g.members]
    best, rule = best_of(g)
    seed = g.members[0].report
    if g.nature == "cumulative":
        reference, precision = max(_midnight(r.anchor) for r in reports), "day"
    else:
        referenced = [r for r in reports if r.reference_time is not None]
        if referenced:
            reference = g.start
            precision = min(
                (r.reference_precision or "day" for r in referenced), key=PRECISION_ORDER.index
            )
        else:
            reference, precision = min(_midnight(r.reported_at) for r in reports), "day"
    reported = [_utc(r.reported_at) for r in reports]
    high = max(r.value_max if r.value_max is not None else r.value for r in reports)
    sources = len({r.source_id or f"?{r.article_id}" for r in reports})
    # positional, in the order of Estimate's fields
    return Estimate(
        "est_" + seed.statistic_id.split("_", 1)[-1], bucket, seed.metric, seed.unit, g.nature,
        g.location_id, g.location, g.country_code, reference, precision,
        min(r.value for r in reports), best.value, high, rule, best.statistic_id, len(reports),
        sources, min(reported), max(reported), tuple(g.members),
    )  # fmt: skip


def group(reports: Iterable[Report]) -> list[Estimate]:
    """The estimates of these reports (any mix of buckets), in a deterministic order."""
    by_bucket: dict[str, list[Report]] = {}
    for r in reports:
        by_bucket.setdefault(r.bucket, []).append(r)
    out: list[Estimate] = []
    for bucket in sorted(by_bucket):
        ordered = sorted(by_bucket[bucket], key=_order)
        events = [r for r in ordered if r.nature != "cumulative"]
        stocks = [r for r in ordered if r.nature == "cumulative"]
        for g in _event_groups(events) + _cumulative_groups(stocks):
            out.append(_finish(g, bucket))
    return out


def extend(
    bucket: str, existing: Iterable[Sequence[Report]], new: Iterable[Report]
) -> list[Estimate] | None:
    """The estimates of a bucket that change when `new` reports, each reported after every
    report already in it, are grouped: `existing` holds the members (in order) of every
    estimate of the bucket they may join (`may_join`). Grouping the bucket whole would
    take the same groups in the same order and add the new reports at their end, so the
    estimates it would return are these and the bucket's others unchanged. None when an
    estimate's members do not group as one (then the bucket is to be regrouped whole)."""
    events: list[Group] = []
    stocks: dict[tuple[str, datetime], Group] = {}
    for ordered in sorted(
        (sorted(ms, key=_order) for ms in existing), key=lambda ms: _order(ms[0])
    ):
        if ordered[0].nature == "cumulative":
            replayed = _cumulative_groups(ordered)
            stocks[_stock_key(ordered[0])] = replayed[0]
        else:
            replayed = _event_groups(ordered)
            events.extend(replayed)
        if len(replayed) != 1 or len(replayed[0].members) != len(ordered):
            return None
    before = {id(g): len(g.members) for g in (*events, *stocks.values())}
    ordered = sorted(new, key=_order)
    changed = _event_groups([r for r in ordered if r.nature != "cumulative"], events)
    changed += _cumulative_groups([r for r in ordered if r.nature == "cumulative"], stocks)
    return [_finish(g, bucket) for g in changed if before.get(id(g)) != len(g.members)]


def may_join(
    r: Report,
    nature: str,
    reference_time: datetime,
    reference_precision: str,
    location_id: str | None,
    location: str | None,
) -> bool:
    """Whether a report may join an estimate with these columns (never False when it would).
    An event estimate's interval lies within each member's, so it ends at most one member's
    length (its finest precision) after its `reference_time` (its start, or the day before
    its last day when no member gave a time) and starts at most a day before it."""
    if nature == "cumulative" or r.nature == "cumulative":
        if nature != r.nature:
            return False
        return (location_id or f"name:{_name(location)}") == _stock_key(r)[0]
    start, end = r.interval()
    reference = _utc(reference_time)
    reach = timedelta(days=_LONGEST_DAYS.get(reference_precision, 366) + 1)
    return start - reach < reference < end + timedelta(days=1)


def day_of(moment: datetime) -> date:
    return _utc(moment).date()
