"""The grouping rules on their own: reports in, estimates out, each membership explained."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime
from typing import Any

from app.reconciliation.grouping import Report, group

_ids = itertools.count(1)
PLACES = {
    "Brodivka": ("loc_b", "city", "UA"),
    "Zalissia": ("loc_z", "city", "UA"),
    "Ukraine": ("loc_u", "country", "UA"),
    "Hrabove": ("loc_h", "city", "MD"),  # a place of the same name as none here, elsewhere
}


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def report(
    value: float,
    reported: datetime,
    place: str | None = "Brodivka",
    *,
    source: str = "src_a",
    metric: str = "killed",
    nature: str = "event",
    reference: datetime | None = None,
    precision: str | None = None,
    qualifier: str = "exact",
) -> Report:
    n = next(_ids)
    loc_id, kind, country = PLACES[place] if place else (None, None, None)
    return Report(
        f"sta_{n:04d}", f"art_{n:04d}", source, source.upper(), metric, "people", nature, value,
        None, qualifier, f"{value} people", 0, 5, reported,
        reference, precision or ("day" if reference else None), loc_id, place, kind, country,
    )  # fmt: skip


def shape(reports: list[Report]) -> list[tuple[Any, ...]]:
    return sorted(
        (e.location, e.nature, e.low, e.best, e.high, len(e.members)) for e in group(reports)
    )


def test_a_rising_toll_reported_by_several_sources() -> None:
    reports = [
        report(3, at(16, 6), reference=at(16, 0)),
        report(7, at(16, 12), source="src_b"),
        report(9, at(17, 9), source="src_c", reference=at(16, 0)),
        report(12, at(17, 10), source="src_b", reference=at(16, 0), qualifier="vague"),
    ]
    [e] = group(reports)
    # the latest 3 hours: 9 (exact) and a vague 12; exact figures come first
    assert (e.low, e.best, e.high, e.best_rule) == (3, 9, 12, "latest_report")
    assert (e.report_count, e.source_count) == (4, 3)
    assert e.reference_time == at(16, 0)
    assert [m.rule for m in e.members] == [
        "event.first_report",
        "event.same_place+published_within_a_day",
        "event.same_place+reference_time",
        "event.same_place+reference_time",
    ]
    assert e.id == "est_" + reports[0].statistic_id[4:]  # named after its first report


def test_conflicting_sources_at_the_same_time_give_the_lowest() -> None:
    [e] = group([report(48, at(16, 9)), report(50, at(16, 10), source="src_b")])
    assert (e.best, e.best_rule) == (48, "latest_report_lowest")


def test_same_number_other_events_stay_apart() -> None:
    reports = [
        report(7, at(16)),
        report(7, at(16), "Zalissia"),
        report(7, at(23)),  # a week later
        report(7, at(16), "Hrabove"),  # another country
        report(7, at(16), metric="injured"),
    ]
    assert len(group(reports)) == 5


def test_a_country_report_joins_a_place_in_it_and_the_place_stays_fine() -> None:
    first, country = report(3, at(16, 6), "Ukraine"), report(4, at(16, 8))
    [e] = group([first, country])
    assert e.location == "Brodivka"
    assert [m.rule for m in e.members] == [
        "event.first_report",
        "event.place_within+published_within_a_day",
    ]
    # two towns do not meet through the country
    assert len(group([first, country, report(5, at(16, 9), "Zalissia")])) == 2


def test_stocks_group_by_place_and_month_and_take_the_latest() -> None:
    reports = [
        report(3_500_000, at(3), "Ukraine", nature="cumulative", metric="displaced_internal"),
        report(3_600_000, at(20), "Ukraine", nature="cumulative", metric="displaced_internal"),
        report(3_700_000, at(20), "Ukraine", nature="cumulative", metric="displaced_internal",
               source="src_b"),
        report(20_000, at(20), "Brodivka", nature="cumulative", metric="displaced_internal"),
    ]  # fmt: skip
    found = {e.location: e for e in group(reports)}
    ukraine = found["Ukraine"]
    assert (ukraine.low, ukraine.best, ukraine.high) == (3_500_000, 3_600_000, 3_700_000)
    assert ukraine.best_rule == "latest_as_of_lowest"
    assert ukraine.reference_time == at(20, 0)
    assert found["Brodivka"].report_count == 1  # a place inside is another stock


def test_grouping_does_not_depend_on_the_order_reports_arrive_in() -> None:
    reports = [
        report(3, at(16, 6), reference=at(16, 0)),
        report(7, at(16, 12), source="src_b"),
        report(5, at(16, 13), "Zalissia"),
        report(4, at(16, 14), "Ukraine"),
        report(9, at(17, 9), reference=at(16, 0)),
        report(2, at(24, 9)),
        report(900, at(5), "Ukraine", nature="cumulative"),
        report(950, at(25), "Ukraine", nature="cumulative"),
    ]
    expected = group(reports)
    for seed in range(5):
        shuffled = reports[:]
        random.Random(seed).shuffle(shuffled)
        assert group(shuffled) == expected
    assert shape(reports) == [
        ("Brodivka", "event", 2, 2, 2, 1),
        ("Brodivka", "event", 3, 9, 9, 4),  # the country-wide 4 joins the first incident
        ("Ukraine", "cumulative", 900, 950, 950, 2),
        ("Zalissia", "event", 5, 5, 5, 1),
    ]
