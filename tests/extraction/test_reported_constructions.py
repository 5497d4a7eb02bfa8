"""Reported speech, one construction at a time (fictional sentences written for these tests)."""

from __future__ import annotations

import time

import pytest

from app.extraction import ExtractedQuote, analyse
from tests.extraction.helpers import assert_provenance


def reports(body: str) -> list[ExtractedQuote]:
    result = analyse(body)
    assert_provenance(result)
    return [q for q in result.quotes if q.kind == "indirect"]


def only(body: str) -> ExtractedQuote:
    found = reports(body)
    assert len(found) == 1, [q.text for q in found]
    return found[0]


def speaker(q: ExtractedQuote) -> str | None:
    return q.speaker.name if q.speaker else None


@pytest.mark.parametrize(
    ("body", "text", "who", "cue"),
    [
        # "X says the ..." without "that"
        (
            "Governor Tamsin Reyes says the bridge will reopen in spring.",
            "the bridge will reopen in spring",
            "Tamsin Reyes",
            "says",
        ),
        # a "that" clause keeps its "that"
        (
            "Dr. Ines Varga mentioned that the wards were full.",
            "that the wards were full",
            "Ines Varga",
            "mentioned",
        ),
        (
            "Engineer Kofi Mensah pointed out that the pumps had no fuel.",
            "that the pumps had no fuel",
            "Kofi Mensah",
            "pointed out",
        ),
        (
            "Aid workers estimated the camp held 9,000 people.",
            "the camp held 9,000 people",
            "Aid workers",
            "estimated",
        ),
        (
            "The harbour master suggested that the ferries would run late.",
            "that the ferries would run late",
            "harbour master",
            "suggested",
        ),
    ],
)
def test_plain_reports(body: str, text: str, who: str, cue: str) -> None:
    q = only(body)
    assert (q.text, speaker(q), q.cue) == (text, who, cue)
    assert q.rules[0].startswith("reported.cue:")


def test_scare_quotes_inside_a_reported_clause_are_kept() -> None:
    body = 'Commander Oduya said the ceasefire was "shaky" and the militia would not pull back.'
    q = only(body)
    assert q.text == 'the ceasefire was "shaky" and the militia would not pull back'
    assert speaker(q) == "Oduya"


@pytest.mark.parametrize(
    ("body", "text", "who"),
    [
        ("Critics say the plan leaves farmers without water.", "the plan leaves", "Critics"),
        (
            "The campaign said its volunteers had knocked on every door.",
            "its volunteers",
            "campaign",
        ),
        ("Regulators warned the merger would raise prices.", "the merger would", "Regulators"),
        ("The lawyer told the court her client had been abroad.", "her client had", "lawyer"),
        ("A new survey suggests most households cannot afford fuel.", "most households", "survey"),
        ("The report estimated that 4,000 homes were flooded.", "that 4,000 homes", "report"),
    ],
)
def test_descriptions_as_sources(body: str, text: str, who: str) -> None:
    q = only(body)
    assert q.text.startswith(text)
    assert who in (speaker(q) or "")
    assert "reported.source.subject" in q.rules


def test_participle_takes_the_main_subject() -> None:
    q = only("The ministry condemned the shelling on Thursday, saying the convoy was hit twice.")
    assert q.text == "the convoy was hit twice"
    assert speaker(q) == "ministry"
    assert "reported.construction.participle" in q.rules


def test_participle_after_a_direct_quote_takes_its_speaker() -> None:
    body = (
        "“Nobody crosses tonight,” said Sergeant Amal Haddad, adding that the checkpoint "
        "would reopen at six."
    )
    q = only(body)
    assert q.text == "that the checkpoint would reopen at six"
    assert speaker(q) == "Amal Haddad"


def test_coordinated_verb() -> None:
    q = only("Colonel Brandt praised the engineers and said the town was secure again.")
    assert q.text == "the town was secure again"
    assert speaker(q) == "Brandt"
    assert "reported.source.coordinated" in q.rules


def test_subordinate_clause_ends_at_its_comma() -> None:
    q = only("When Mayor Idris said the road was safe, dozens of families set off at dawn.")
    assert q.text == "the road was safe"
    assert speaker(q) == "Idris"
    assert "reported.construction.subordinate" in q.rules


def test_relative_who() -> None:
    q = only("The alarm was raised by Petra Lund, who told reporters the dam had failed overnight.")
    assert q.text == "the dam had failed overnight"
    assert speaker(q) == "Petra Lund"
    assert "reported.source.relative" in q.rules


def test_phrase_or_weekday_between_cue_and_clause() -> None:
    q = only("Minister Hallam announced on Monday she would step down in the autumn.")
    assert q.text == "she would step down in the autumn"
    assert q.context == "on Monday"
    q = only("Food prices will keep rising, the agency said Tuesday.")
    assert q.text == "Food prices will keep rising"
    assert (speaker(q), q.context) == ("agency", "Tuesday")
    q = only("The envoy said in a radio interview that talks would resume.")
    assert q.text == "that talks would resume"
    assert q.context == "in a radio interview"


def test_according_to_first_and_last() -> None:
    q = only("According to the regional health office, three clinics have closed since March.")
    assert q.text == "three clinics have closed since March"
    assert speaker(q) == "regional health office"
    assert q.cue == "according to"
    q = only("Three clinics have closed since March, according to the regional health office.")
    assert q.text == "Three clinics have closed since March"


def test_parenthetical_cue_covers_the_sentence() -> None:
    q = only("The northern road, officials said, is closed to all traffic.")
    assert q.text == "The northern road, officials said, is closed to all traffic"
    assert speaker(q) == "officials"
    assert "reported.construction.parenthetical" in q.rules


def test_clause_final_and_inverted_cues() -> None:
    q = only("The water plant has enough chlorine for a week, said Nadia Sorel, a city engineer.")
    assert q.text == "The water plant has enough chlorine for a week"
    assert speaker(q) == "Nadia Sorel"
    assert "reported.source.inverted" in q.rules


def test_two_reports_in_one_sentence() -> None:
    found = reports(
        "The inspector said on Friday that the foreman had told him the scaffolding was unsafe."
    )
    texts = sorted(q.text for q in found)
    assert texts == [
        "that the foreman had told him the scaffolding was unsafe",
        "the scaffolding was unsafe",
    ]


@pytest.mark.parametrize(
    "body",
    [
        "The said agreement was signed in the capital last year by both parties.",
        "All told, the storm destroyed more than two hundred homes along the coast.",
        "The state has spent heavily on new schools across the northern districts.",
        "His claims about the budget were rejected by the auditors last week.",
        "An estimated 3,000 people crossed the border on foot during the night.",
        "Several states hold primaries on the same day as the county vote.",
        "The volunteers were told to wait at the depot until the trucks arrived.",
        "Officials declined to say whether the depot would be rebuilt this year.",
    ],
)
def test_non_speech_uses_are_not_reports(body: str) -> None:
    assert reports(body) == []


def test_direct_quotes_are_not_repeated_as_reports() -> None:
    body = (
        "“We will hold the line until the last convoy leaves,” Captain Ferro said.\n\n"
        "Ferro said: “Nobody moves until the bridge is checked.”"
    )
    result = analyse(body)
    assert [q.kind for q in result.quotes] == ["direct", "direct"]


def test_rules_name_every_step() -> None:
    q = only("The envoy told journalists on Sunday that the border would stay shut.")
    assert q.rules == (
        "reported.cue:tell",
        "reported.content.that",
        "reported.skip.object",
        "reported.skip.context",
        "reported.source.subject",
    )


def test_long_unpunctuated_input_is_bounded() -> None:
    body = ("the mayor said the road was safe and " * 4000).strip() + "."
    start = time.perf_counter()
    result = analyse(body)
    assert time.perf_counter() - start < 5
    assert_provenance(result)


def test_question_after_asked_has_no_source() -> None:
    found = reports("Asked whether the ferry would run, the harbour master said it might.")
    asked = next(q for q in found if q.cue == "asked")
    assert asked.text == "whether the ferry would run"
    assert asked.speaker is None
    assert "reported.construction.asked" in asked.rules


@pytest.mark.parametrize(
    ("body", "who"),
    [
        ("Nine in 10 said the clinic was too far away.", "Nine in 10"),
        ("Most of them said the clinic was too far away.", "Most of them"),
        ("Those surveyed say the clinic is too far away.", "Those surveyed"),
    ],
)
def test_quantities_as_sources(body: str, who: str) -> None:
    q = only(body)
    assert q.text.startswith("the clinic")
    assert who.split()[-1] in (speaker(q) or "")


def test_affiliation_in_brackets_stays_out_of_the_name() -> None:
    q = only("The levee is safe, Sen. Ada Park (D-Ore.) told reporters.")
    assert (q.text, speaker(q), q.context) == ("The levee is safe", "Ada Park", "reporters")


def test_one_word_aside_before_a_parenthetical_cue() -> None:
    q = only("Rather, he said, the levee will hold through the winter.")
    assert q.text == "the levee will hold through the winter"


def test_headline_in_title_case() -> None:
    q = only("Harbour Board Says Ferries Will Run Late")
    assert (q.text, speaker(q)) == ("Ferries Will Run Late", "Harbour Board")
