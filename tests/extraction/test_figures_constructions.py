"""Figure constructions of issue #11, each in a sentence of our own (fictional places/people).

Every case asserts value, metric, qualifier and unit, and the provenance of every figure.
"""

from __future__ import annotations

import pytest

from app.extraction import analyse, extract
from app.extraction.lexicon import metrics
from app.extraction.types import ExtractedStatistic, ExtractionResult
from tests.extraction.helpers import assert_provenance

Case = tuple[str, float, str, str, str]  # body, value, metric, qualifier, unit


def figures(body: str) -> list[ExtractedStatistic]:
    result = analyse(body)
    assert_provenance(result)
    for st in result.statistics:
        assert metrics.get(st.metric) is not None, st.metric
        assert st.rules, st
        assert st.rules[0].startswith("number."), st.rules
    return list(result.statistics)


def one(body: str, value: float) -> ExtractedStatistic:
    hits = [s for s in figures(body) if s.value == value]
    assert len(hits) == 1, [(s.text, s.value, s.metric) for s in figures(body)]
    return hits[0]


def check(case: Case) -> ExtractedStatistic:
    body, value, metric, qual, unit = case
    st = one(body, value)
    assert (st.metric, st.qualifier, st.unit) == (metric, qual, unit), (st, st.rules)
    return st


DISPLACEMENT: list[Case] = [
    ("Some 300 villagers were forced to leave their homes after the dam failed.",
     300, "displaced_internal", "approximately", "people"),
    ("About 1,200 residents were forced out of the district by the shelling.",
     1200, "displaced_internal", "approximately", "people"),
    ("More than 5,000 people fled the fighting near the river last week.",
     5000, "displaced_internal", "over", "people"),
    ("Nearly 900 people left the town before the levee gave way.",
     900, "displaced_internal", "nearly", "people"),
    ("The stadium now hosts 2,500 evacuees from the coast.",
     2500, "evacuated", "exact", "people"),
    ("Officials ordered the relocation of 300 families from the flood plain.",
     300, "relocated", "exact", "families"),
    ("About 4,000 IDPs were forced to flee again when the front moved.",
     4000, "displaced_internal", "approximately", "people"),
    ("The agency counted 18,000 displacements in the first quarter.",
     18000, "displaced_internal", "exact", "people"),
    ("Some 6,500 Somalis crossed the border in March.",
     6500, "refugees", "approximately", "people"),
    ("Some 900 residents were moved to safer ground overnight.",
     900, "evacuated", "approximately", "people"),
    ("About 350 HHs were displaced by the landslide.",
     350, "displaced_internal", "approximately", "households"),
]  # fmt: skip
SHELTER: list[Case] = [
    ("At least 450 people took refuge in a school on the hill.",
     450, "sheltered", "at_least", "people"),
    ("Around 700 people are sheltering in a church near the market.",
     700, "sheltered", "approximately", "people"),
    ("About 1,800 people are staying with host families in nearby villages.",
     1800, "sheltered", "approximately", "people"),
    ("An estimated 12,000 people are living in camps outside the capital.",
     12000, "in_relief_camps", "approximately", "people"),
    ("About 640 people were housed in temporary accommodation.",
     640, "sheltered", "approximately", "people"),
    ("Dozens of people were injured and hundreds were left homeless.",
     100, "homeless", "vague", "people"),
]  # fmt: skip
HOUSING: list[Case] = [
    ("Mudslides buried 40 homes in the valley overnight.", 40, "homes_destroyed", "exact", "homes"),
    ("At least 75 houses collapsed under the weight of the snow.",
     75, "homes_destroyed", "at_least", "homes"),
    ("Inspectors reported damage to 200 houses in the old quarter.",
     200, "homes_damaged", "exact", "homes"),
    ("Police said 120 homes were evacuated as the blaze spread.",
     120, "evacuated", "exact", "homes"),
    ("Some 80 families lost their houses in the fire.",
     80, "homeless", "approximately", "families"),
]  # fmt: skip
CASUALTIES: list[Case] = [
    ("The death toll has risen to 14, the provincial office said.",
     14, "killed", "exact", "people"),
    ("Two guards were killed and five villagers were wounded in the raid.",
     5, "injured", "exact", "people"),
    ("Two guards were killed and five villagers were wounded in the raid.",
     2, "killed", "exact", "people"),
    ("Four residents drowned and roughly 1,300 were left homeless by the cyclone.",
     1300, "homeless", "approximately", "people"),
    ("At least 30 people, including four nurses, were killed in the strike.",
     30, "killed", "at_least", "people"),
    ("Nine miners were abducted on the road to the mine.", 9, "abducted", "exact", "people"),
]  # fmt: skip


@pytest.mark.parametrize("case", DISPLACEMENT, ids=lambda c: c[0][:40])
def test_displacement_without_the_word_displaced(case: Case) -> None:
    check(case)


@pytest.mark.parametrize("case", SHELTER, ids=lambda c: c[0][:40])
def test_sheltering_camps_and_homelessness(case: Case) -> None:
    check(case)


@pytest.mark.parametrize("case", HOUSING, ids=lambda c: c[0][:40])
def test_housing_losses_and_homes_as_evacuation_unit(case: Case) -> None:
    check(case)


@pytest.mark.parametrize("case", CASUALTIES, ids=lambda c: c[0][:40])
def test_casualties_in_their_own_clause(case: Case) -> None:
    check(case)


def test_another_counts_one_in_a_coordinated_clause() -> None:
    body = "One fisherman drowned and another was injured when the boat capsized."
    found = {(s.value, s.metric) for s in figures(body)}
    assert found == {(1, "killed"), (1, "injured")}
    second = next(s for s in figures(body) if s.metric == "injured")
    assert (second.text, second.rules[0]) == ("another", "number.another")


def test_apposition_between_figure_and_verb() -> None:
    body = "Some 2,000 families, or 11,000 people, were displaced by the floods."
    fams, people = one(body, 2000), one(body, 11000)
    assert (fams.metric, fams.unit, fams.qualifier) == (
        "displaced_internal",
        "families",
        "approximately",
    )
    assert (people.metric, people.unit) == ("displaced_internal", "people")
    assert "metric.predicate:displaced_internal" in fams.rules
    paren = one("Roughly 600 households (some 3,000 people) were evacuated on Sunday.", 600)
    assert (paren.metric, paren.unit) == ("evacuated", "households")


def test_words_glued_by_pdf_extraction() -> None:
    body = "In the north, 3,100 people weredisplaced and 900 more wereevacuated by Friday."
    assert (one(body, 3100).metric, one(body, 900).metric) == ("displaced_internal", "evacuated")
    camps = one("Some 7,300 people weresheltering inschools and inUNsites.", 7300)
    assert camps.metric == "sheltered"
    assert one("Officials listed 450 homes damagedby the storm.", 450).metric == "homes_damaged"
    broken = one("Some 2,100 house-holds were displaced.", 2100)
    assert (broken.unit, broken.text) == ("households", "Some 2,100 house-holds")


def test_space_grouped_thousands_are_one_figure() -> None:
    st = one("A total of 3 450 people were evacuated overnight.", 3450)
    assert (st.text, st.metric, st.rules[0]) == (
        "3 450 people",
        "evacuated",
        "number.space_grouped",
    )
    big = one("Officials counted 1 204 560 IDPs in the region.", 1204560)
    assert big.metric == "displaced_internal"
    assert [s.value for s in figures("Between 3 and 5 May 400 people fled.")] == []
    ellipsis = figures("Surveyors found 1 450 houses flattened and 12 300 damaged.")
    assert [(s.value, s.metric) for s in ellipsis] == [
        (1450, "homes_destroyed"),
        (12300, "homes_damaged"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "The curfew starts at 6 p.m. in the capital and ends at 5 a.m.",
        "A magnitude 6.1 earthquake struck, and a 5.4-magnitude aftershock followed.",
        "The quake measured 5.9 on the Richter scale.",
        "The river crested on 2 and 3 June near the old bridge.",
        "The ferry, as of 4 June, no longer runs.",
    ],
)
def test_times_magnitudes_and_dates_are_not_figures(body: str) -> None:
    assert figures(body) == []


def test_evacuation_centres_are_not_people_evacuated() -> None:
    st = one("Authorities opened 20 evacuation centres along the coast.", 20)
    assert (st.unit, st.metric) == ("centres", "other")
    sheltered = one("Around 950 people are sheltering in 14 evacuation centres.", 950)
    assert sheltered.metric == "sheltered"
    centres = one("Around 950 people are sheltering in 14 evacuation centres.", 14)
    assert centres.metric == "other"


def test_vague_counts_keep_qualifier_and_documented_value() -> None:
    found = {s.text: s for s in figures("Thousands fled and hundreds of homes were destroyed.")}
    assert (found["Thousands"].value, found["Thousands"].qualifier) == (1000, "vague")
    assert found["Thousands"].metric == "displaced_internal"
    homes = found["hundreds of homes"]
    assert (homes.value, homes.metric, homes.qualifier) == (100, "homes_destroyed", "vague")


def test_percent_change_is_not_a_count() -> None:
    st = one("Aid groups reported a 40 per cent jump in arrivals of displaced families.", 40)
    assert st.metric == "other"


def test_short_hard_wrapped_excerpt_keeps_its_first_line() -> None:
    text = "Around 2,300 people were evacuated from the\nlow-lying villages as the river rose."
    r = extract(text)
    assert_provenance(r)
    assert r.title is None
    assert [(s.value, s.metric) for s in r.statistics] == [(2300, "evacuated")]
    wrapped = extract("By noon on Monday,\nheavy rain had forced\n1,400 people from their homes.")
    assert [(s.value, s.metric) for s in wrapped.statistics] == [(1400, "displaced_internal")]
    titled = extract("Floods hit the delta\n\nOfficials said 60 homes were destroyed.")
    assert titled.title == "Floods hit the delta"


def _location(result: ExtractionResult, value: float) -> tuple[str | None, str]:
    st = next(s for s in result.statistics if s.value == value)
    return st.location, st.rules[-1]


def test_place_from_the_figures_clause_else_the_main_place() -> None:
    body = (
        "Floods hit Kassala on Monday, and rain fell across the state.\n\n"
        "In Port Sudan, 300 people were displaced.\n\n"
        "Elsewhere, 50 homes were destroyed, officials said."
    )
    r = analyse(body)
    assert_provenance(r)
    assert _location(r, 300) == ("Port Sudan", "place.in_clause")
    assert _location(r, 50) == ("Kassala", "place.article_main")  # not the other paragraph's
    two = analyse("The storm hit Bilbao, and in Lyon 40 people were evacuated.")
    assert _location(two, 40) == ("Lyon", "place.in_clause")


def test_person_names_are_not_places() -> None:
    r = analyse("Aid worker Chad Miller counted 40 tents near Kassala. Mr Jordan said 30 died.")
    assert_provenance(r)
    assert {p.name for p in r.locations} == {"Kassala"}
    assert _location(r, 40)[0] == "Kassala"


def test_rules_name_number_unit_metric_and_place() -> None:
    st = one("In Port Sudan, about 1,500 people were forced to flee.", 1500)
    assert st.rules == (
        "number.numeral",
        "unit.people_noun",
        "metric.predicate:displaced_internal",
        "place.in_clause",
    )
    obj = one(
        "Rising water compelled the evacuation of, by the army's count, 8,200 residents.", 8200
    )
    assert (obj.metric, obj.rules[2]) == ("evacuated", "metric.object_of:evacuated")
    label = one("Evacuated residents: 2,480", 2480)
    assert (label.metric, label.unit, label.rules[2]) == (
        "evacuated",
        "people",
        "metric.label:evacuated",
    )


def test_breakdowns_and_group_sizes_are_not_counts_of_the_metric() -> None:
    share = one("About 40 per cent of the IDPs in the district are children.", 40)
    assert (share.metric, share.rules[2]) == ("other", "metric.special.breakdown:other")
    rate = one("Around 15 per cent of the population has fled abroad.", 15)
    assert rate.metric == "refugees"
    group = one("They crossed the river in groups of roughly 25 at night.", 25)
    assert (group.metric, group.rules[2]) == ("other", "metric.special.group_size:other")


def test_fled_abroad_names_both_rules_and_a_figure_without_place() -> None:
    st = one("Over 40,000 people have fled across the border.", 40000)
    assert st.metric == "refugees"
    assert st.rules[2:] == (
        "metric.predicate:refugees",
        "metric.fled_abroad:refugees",
        "place.none",
    )


def test_titles_of_real_articles_are_kept() -> None:
    deck = extract(
        "Rains cut off the delta.\n\nroads closed; ferries stopped.\n\n"
        "Officials said 60 homes were destroyed."
    )
    assert deck.title == "Rains cut off the delta."
    headline = extract(
        "Aid Groups Warn of Hunger In\nOfficials said 300 people were displaced by the floods "
        "in the hills on Monday, and more rain is due."
    )
    assert headline.title == "Aid Groups Warn of Hunger In"
    assert [(s.value, s.metric) for s in headline.statistics] == [(300, "displaced_internal")]


def test_several_thousand_is_a_vague_count_of_the_scale() -> None:
    st = one("Several thousand people fled the town overnight.", 1000)
    assert (st.text, st.metric, st.qualifier) == (
        "Several thousand people",
        "displaced_internal",
        "vague",
    )
    few = one("A few hundred families were evacuated.", 100)
    assert (few.metric, few.qualifier, few.unit) == ("evacuated", "vague", "families")
