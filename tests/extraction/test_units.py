"""Unit tests of the stages: numbers, statistics rules, speakers, places, cleaning."""

from __future__ import annotations

import time

import pytest

from app.extraction import analyse, extract, same_person, speaker_key
from app.extraction.cleaning import clean
from app.extraction.numbers import find_numbers
from app.extraction.places import find_places, gazetteer
from tests.extraction.helpers import assert_provenance


@pytest.mark.parametrize(
    ("text", "value", "value_max"),
    [
        ("3.6 million", 3_600_000, None),
        ("1.2bn", 1_200_000_000, None),
        ("$2.5bn", 2_500_000_000, None),
        ("1,250,000", 1_250_000, None),
        ("twenty-five", 25, None),
        ("a dozen", 12, None),
        ("two dozen", 24, None),
        ("two and a half", 2.5, None),
        ("half a million", 500_000, None),
        ("two hundred and forty two", 242, None),
        ("between 10 and 15", 10, 15),
        ("10–15", 10, 15),
        ("10 to 15 million", 10_000_000, 15_000_000),
        ("tens of thousands", 10_000, None),
        ("hundreds", 100, None),
        ("two out of three", 66.7, None),
        ("one in five", 20, None),
    ],
)
def test_numbers(text: str, value: float, value_max: float | None) -> None:
    [m] = find_numbers(text)
    assert (m.value, m.value_max) == (value, value_max)
    assert text[m.start : m.end] == text


def stats_of(body: str) -> list[tuple[float, str, str, str]]:
    result = analyse(body)
    assert_provenance(result)
    return [(s.value, s.unit, s.metric, s.qualifier) for s in result.statistics]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("More than 40 people were killed.", (40, "people", "killed", "over")),
        ("At least 12 civilians were wounded.", (12, "people", "injured", "at_least")),
        ("Nearly 300 people are missing.", (300, "people", "missing", "nearly")),
        ("Up to 2,000 homes were destroyed.", (2000, "homes", "homes_destroyed", "up_to")),
        (
            "Some 65 percent of power generation is offline.",
            (65, "percent", "energy_capacity_offline", "approximately"),
        ),
        (
            "Roughly 1.5 million people remain displaced.",
            (1_500_000, "people", "displaced_internal", "approximately"),
        ),
        ("Russia fired 45 drones overnight.", (45, "drones", "drones", "exact")),
        ("Officials evacuated 3,200 residents.", (3200, "people", "evacuated", "exact")),
        ("Dozens of people were detained.", (12, "people", "detained", "vague")),
        (
            "The EU pledged €50 million in humanitarian aid.",
            (50_000_000, "eur", "aid_amount", "exact"),
        ),
        (
            "Around 20 per cent of the population has fled abroad.",
            (20, "percent", "refugees", "approximately"),
        ),
    ],
)
def test_statistic_rules(body: str, expected: tuple[float, str, str, str]) -> None:
    assert expected in stats_of(body)


@pytest.mark.parametrize(
    "body",
    [
        "The war began in February 2022 and escalated in 2023.",
        "Sirens sounded at 04:30 and again at 5 pm.",
        "It was the third winter of the war.",
        "A 45-year-old man and a woman aged 67 were hurt.",
        "No one was hurt, and one of the buildings survived.",
        "Read page 4 and section 12 of Resolution 2334.",
        "Call +380 44 123 4567 for help.",
        "Su-25 jets and F-16 fighters flew over.",
        "On 24 February the invasion began.",
        "4 Min Read",
    ],
)
def test_not_statistics(body: str) -> None:
    assert stats_of(body) == []


def test_speaker_key_and_same_person() -> None:
    assert speaker_key("Defense Minister Rustem Umerov") == "rustem umerov"
    assert speaker_key("UN Humanitarian Coordinator in Ukraine Matthias Schmale") == (
        "matthias schmale"
    )
    assert speaker_key("Volodymyr Zelenskyy") == speaker_key("volodymyr ZELENSKYY")
    assert speaker_key("Dr. José Ramírez") == "jose ramirez"
    assert same_person("Umerov", "Rustem Umerov")
    assert same_person("Zelensky", "Volodymyr Zelenskyy")
    assert same_person("President Zelenskyy", "Volodymyr Zelenskyy")
    assert not same_person("Rustem Umerov", "Oleh Kiper")
    assert not same_person("Anna Kovalenko", "Ivan Kovalenko")


def test_pronoun_and_alias_resolution() -> None:
    body = (
        "Foreign Minister Andrii Sybiha met his Polish counterpart in Warsaw on Monday.\n\n"
        "“We need air defence now,” Sybiha said.\n\n"
        "“Every day without it costs lives,” he added.\n\n"
        "The minister said that Ukraine would present a new plan in Brussels."
    )
    result = analyse(body)
    assert_provenance(result)
    names = {q.speaker.name for q in result.quotes if q.speaker}
    assert names == {"Andrii Sybiha"} or names == {"Sybiha"}
    assert len(result.quotes) == 3
    assert result.quotes[2].kind == "indirect"
    assert {p.name for p in result.locations} >= {"Warsaw", "Brussels"}


def test_places_aliases_and_stoplist() -> None:
    body = (
        "Since Monday, shelling hit Odessa and Kiev. Volodymyr Zelenskyy spoke in the U.S. "
        "while troops moved through Donbas and the Gaza Strip saw new strikes near the "
        "West Bank. Of the dead, most were in Kherson Oblast."
    )
    places, _ = find_places(body)
    by_name = {p.name: p for p in places}
    assert by_name["Odesa"].text == "Odessa"
    assert by_name["Kyiv"].country_code == "UA"
    assert by_name["United States"].kind == "country"
    assert by_name["Donbas"].kind == "region"
    assert by_name["Gaza Strip"].kind == "region"
    assert by_name["Kherson Oblast"].kind == "region"
    texts = {p.text for p in places}
    assert not texts & {"Since", "Of", "Volodymyr"}
    assert sum(p.primary for p in places) == 1
    for p in places:
        assert body[p.start : p.end] == p.text


def test_gazetteer_load_time() -> None:
    t0 = time.perf_counter()
    gazetteer()
    assert time.perf_counter() - t0 < 5.0


def test_cleaning_metadata_variants() -> None:
    raw = (
        "Drones hit port city overnight\n"
        "Black Sea Herald\n"
        "By Olena Marchenko\n"
        "Published: November 8, 2024 at 3:15 pm\n"
        "Reading time: 5 minutes\n\n"
        "Drones struck the port overnight,   damaging   grain\n"
        "terminals and a warehouse, the navy said.\n\n\n\n"
        "Advertisement\n\n"
        "Sign up for our daily newsletter\n\n"
        "Crews worked through the night to put out the fires.\n\n"
        "Share this article\n"
        "Related stories\n"
        "Another story headline that should not be kept\n"
    )
    cleaned = clean(raw)
    assert cleaned.title == "Drones hit port city overnight"
    assert cleaned.source == "Black Sea Herald"
    assert cleaned.authors == ("Olena Marchenko",)
    assert cleaned.read_time_minutes == 5
    assert cleaned.published_at is not None
    assert cleaned.published_at.isoformat() == "2024-11-08T15:15:00+00:00"
    assert cleaned.body == (
        "Drones struck the port overnight, damaging grain terminals and a warehouse, the navy "
        "said.\n\nCrews worked through the night to put out the fires."
    )


def test_extract_result_shape() -> None:
    r = extract("Headline\n\nThe mayor said that 10 people were injured in Dnipro.")
    assert isinstance(r.quotes, tuple)
    assert isinstance(r.statistics, tuple)
    assert isinstance(r.locations, tuple)
    assert isinstance(r.speakers, tuple)
    assert_provenance(r)


def test_nested_single_and_plural_pronoun_quotes() -> None:
    body = (
        "“He told me ‘leave now or you will die’, so we left,” said Olena Kravets, a volunteer "
        "in Bakhmut.\n\n"
        "'We have no choice,' she said. 'The shelling never stops.'\n\n"
        'Officials said they had recorded 1,340 attacks since June. "The situation is '
        'critical," they added.\n\n'
        "The United States announced a $2.5bn military aid package, Secretary of State Antony "
        "Blinken said on Tuesday."
    )
    r = analyse(body)
    assert_provenance(r)
    direct = [q for q in r.quotes if q.kind == "direct"]
    assert [q.text for q in direct] == [
        "He told me ‘leave now or you will die’, so we left,",
        "We have no choice,",
        "The shelling never stops.",
        "The situation is critical,",
    ]
    assert [q.speaker.name if q.speaker else None for q in direct] == [
        "Olena Kravets",
        "Olena Kravets",
        "Olena Kravets",
        "Officials",
    ]
    blinken = next(q for q in r.quotes if "aid package" in q.text)
    assert blinken.speaker is not None
    assert (blinken.speaker.name, blinken.speaker.role) == ("Antony Blinken", "Secretary of State")
    assert blinken.context == "on Tuesday"
    money = next(s for s in r.statistics if s.unit == "usd")
    assert (money.value, money.metric) == (2_500_000_000, "aid_amount")
    attacks = next(s for s in r.statistics if s.unit == "attacks")
    assert (attacks.value, attacks.attributed_to) == (1340, "Officials")
