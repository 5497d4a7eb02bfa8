"""What a figure refers to in time: expressions resolved against the publication time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.extraction.figures.reference import resolve

# Friday 20 March 2026, 09:00 UTC
PUBLISHED = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)


def _day(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, tzinfo=UTC)


@pytest.mark.parametrize(
    ("sentence", "time", "precision", "rule"),
    [
        ("Two guards were hurt overnight at the depot.", _day(2026, 3, 20), "day", "relative_day"),
        ("Yesterday 4 people were injured near the port.", _day(2026, 3, 19), "day",
         "relative_day"),
        ("Last night a shell killed one man.", _day(2026, 3, 19), "day", "relative_day"),
        ("On Friday, 5 people were hurt by debris.", _day(2026, 3, 20), "day", "weekday"),
        ("On Tuesday a drone wounded 6 people.", _day(2026, 3, 17), "day", "weekday"),
        ("Saturday's strike killed 8 people.", _day(2026, 3, 14), "day", "weekday"),
        ("On 12 March 7 fishermen went missing.", _day(2026, 3, 12), "day", "date"),
        ("By December 28 some 40 homes were gone.", _day(2025, 12, 28), "day", "date"),
        ("On March 3, 2024, 8 were killed.", _day(2024, 3, 3), "day", "date"),
        ("Last week 12 people died in the floods.", _day(2026, 3, 9), "week", "week"),
        ("This week 3 schools were shelled.", _day(2026, 3, 16), "week", "week"),
        ("In March 40 homes were destroyed.", _day(2026, 3, 1), "month", "month"),
        ("In October 90 people were detained.", _day(2025, 10, 1), "month", "month"),
        ("In January 2025 some 200 were detained.", _day(2025, 1, 1), "month", "month"),
        ("Last month 30 people died of cholera.", _day(2026, 2, 1), "month", "month_relative"),
        ("Last year 4,000 people died in the region.", _day(2025, 1, 1), "year", "year"),
        ("In 2024 about 10 villages emptied.", _day(2024, 1, 1), "year", "year"),
    ],
)  # fmt: skip
def test_event_times(sentence: str, time: datetime, precision: str, rule: str) -> None:
    ref = resolve(sentence, PUBLISHED, "event")
    assert (ref.time, ref.precision, ref.nature, ref.rule) == (
        time,
        precision,
        "event",
        f"reference.{rule}",
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "3.6 million people have been displaced since February 2022.",
        "So far this year 900 civilians were killed in the province.",
        "To date 12 clinics have closed.",
        "In total 540 people were detained since the war began.",
        "Since the start of the invasion 31 journalists were killed.",
    ],
)
def test_running_totals_are_cumulative_as_of_publication(sentence: str) -> None:
    ref = resolve(sentence, PUBLISHED, "event")
    assert (ref.time, ref.precision, ref.nature, ref.rule) == (
        _day(2026, 3, 20),
        "day",
        "cumulative",
        "reference.running_total",
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "Medics said 14 people were injured.",
        "As many as 12 may be trapped under the rubble.",  # "may" the verb, not the month
        "Soldiers march 20 km a day.",  # nor "march"
        "The shelter holds 300 people.",
    ],
)
def test_no_time_in_the_text(sentence: str) -> None:
    ref = resolve(sentence, PUBLISHED, "cumulative")
    assert (ref.time, ref.precision, ref.nature, ref.rule) == (
        None,
        None,
        "cumulative",
        "reference.none",
    )


def test_nothing_resolves_without_a_publication_time() -> None:
    assert resolve("Two were hurt overnight.", None).time is None


def test_naive_publication_times_are_utc() -> None:
    naive = datetime(2026, 3, 20, 23, 30)  # as SQLite hands it back
    assert resolve("Yesterday 3 died.", naive).time == _day(2026, 3, 19)


def test_since_the_war_began_is_a_running_total() -> None:
    ref = resolve("More than 2 million have fled since war broke out.", PUBLISHED, "event")
    assert (ref.nature, ref.rule) == ("cumulative", "reference.running_total")
