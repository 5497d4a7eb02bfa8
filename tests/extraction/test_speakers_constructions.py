"""Speaker attribution, one construction at a time (fictional names and sentences)."""

from __future__ import annotations

import pytest

from app.extraction import ExtractedQuote, ExtractionResult, analyse
from tests.extraction.helpers import assert_provenance, quote_with


def run(body: str) -> ExtractionResult:
    result = analyse(body)
    assert_provenance(result)
    return result


def who(body: str, phrase: str) -> ExtractedQuote:
    q = quote_with(run(body), phrase)
    assert q.speaker is not None, q
    return q


@pytest.mark.parametrize(
    ("body", "phrase", "name", "role", "rule"),
    [
        # doubled apostrophes, attribution after
        (
            "The ferry was late again.\n\n''We waited on the pier all night,'' said Lena K. Oduya,"
            " a ticket clerk.",
            "We waited on the pier",
            "Lena K. Oduya",
            "ticket clerk",
            "attr.after:cue_name",
        ),
        # party and state tag in parentheses
        (
            '"The bridge budget is a disgrace," Sen. Tom Rudd (D-Ore.) said on Monday.',
            "bridge budget",
            "Tom Rudd",
            "Sen.",
            "attr.after:name_cue",
        ),
        # party tag between commas
        (
            '"We will not fund it," said Harlan Webb, R-Tex., after the vote.',
            "We will not fund it",
            "Harlan Webb",
            None,
            "attr.after:cue_name",
        ),
        # an abbreviation the engine must keep in the name phrase
        (
            '"Pray for the valley," said the Rev. Amos Tull, a pastor in the hills.',
            "Pray for the valley",
            "Amos Tull",
            "pastor in the hills",
            "attr.after:cue_name",
        ),
        # age apposition
        (
            '"The water came up to the windows," Ana Ruiz, 34, said.',
            "water came up",
            "Ana Ruiz",
            None,
            "attr.after:name_cue",
        ),
        # lower-case descriptor before the name
        (
            '"My client never saw the order," militia lawyer Omar Haddad said.',
            "never saw the order",
            "Omar Haddad",
            "militia lawyer",
            "attr.after:name_cue",
        ),
        # a long apposition with a relative clause before the cue
        (
            "Pia Lund, a surveyor who mapped the old canal for the county in the nineties, said,"
            ' "The banks were never meant for this much rain."',
            "The banks were never meant",
            "Pia Lund",
            None,
            "attr.before:name_cue",
        ),
        # dash signature
        (
            '"We have no water." — Lina Marsh',
            "We have no water",
            "Lina Marsh",
            None,
            "attr.after:dash",
        ),
        # participle introduction
        (
            'Deputy Mayor Ivo Petran criticised the plan, saying, "It leaves the east side dry."',
            "leaves the east side dry",
            "Ivo Petran",
            "Deputy Mayor",
            "attr.before:participle",
        ),
        # colon introduction without a speech verb
        (
            'Kovac agreed: "It is time to rebuild the school."',
            "time to rebuild",
            "Kovac",
            None,
            "attr.before:",
        ),
        # partial quote inside narration
        (
            'Minister Dara Vell branded the raid "an act of piracy on open water."',
            "an act of piracy",
            "Dara Vell",
            "Minister",
            "attr.before:subject",
        ),
        # the speaker named in the previous sentence
        (
            'Nils Arvo has kept the lighthouse since 1990. "Nobody else wants the job."',
            "Nobody else wants",
            "Nils Arvo",
            None,
            "attr.before:previous_sentence",
        ),
        # "as X puts it"
        (
            'As Greta Sand puts it, "the harbour is the town."',
            "the harbour is the town",
            "Greta Sand",
            None,
            "attr.before:as_puts_it",
        ),
        # a given name that is also a place name
        (
            '"The convoy turned back at noon," said Rania Abu Salem, a field coordinator.',
            "convoy turned back",
            "Rania Abu Salem",
            "field coordinator",
            "attr.after:cue_name",
        ),
        # a surname that is also a role word
        (
            '"The fence was cut twice," said Ann Major, a farmer near the border.',
            "fence was cut",
            "Ann Major",
            "farmer near the border",
            "attr.after:cue_name",
        ),
    ],
)
def test_attribution_construction(
    body: str, phrase: str, name: str, role: str | None, rule: str
) -> None:
    q = who(body, phrase)
    assert q.speaker is not None
    assert q.speaker.name == name
    if role is not None:
        assert q.speaker.role == role
    assert q.speaker.named
    assert any(r.startswith(rule) for r in q.rules), q.rules


@pytest.mark.parametrize("verb", ["fumed", "joked", "interjected", "boasted"])
def test_quote_only_cue_verbs(verb: str) -> None:
    q = who(f'"The engine is older than I am," Pablo Reyes {verb}.', "engine is older")
    assert q.speaker is not None
    assert q.speaker.name == "Pablo Reyes"
    assert q.cue == verb


@pytest.mark.parametrize("end", ["?", "!"])
def test_question_and_exclamation_keep_the_attribution(end: str) -> None:
    body = f'"Who will pay for the dam{end}" Mira Holt asked the council. "Not the farmers."'
    r = run(body)
    first = quote_with(r, "Who will pay")
    second = quote_with(r, "Not the farmers")
    assert first.speaker is not None
    assert first.speaker.name == "Mira Holt"
    assert second.speaker is not None
    assert second.speaker.name == "Mira Holt"


def test_ms_does_not_cut_the_attribution() -> None:
    q = who('"The shelter is full," said Ms. Edda Brun, who runs it.', "shelter is full")
    assert q.speaker is not None
    assert q.speaker.name == "Edda Brun"


def test_pronouns_follow_gender() -> None:
    body = (
        '"We reopened the market," said Maria Costa, the district chief.\n\n'
        '"Prices will fall," said Peter Lind, a trader.\n\n'
        '"It took three weeks," she said.\n\n'
        '"I doubt it," he said.'
    )
    r = run(body)
    she = quote_with(r, "It took three weeks")
    he = quote_with(r, "I doubt it")
    assert she.speaker is not None
    assert she.speaker.name == "Maria Costa"
    assert he.speaker is not None
    assert he.speaker.name == "Peter Lind"
    assert "coref.pronoun" in she.rules


def test_description_is_not_a_named_speaker() -> None:
    r = run('"We expect more arrivals," a senior UN official said.')
    q = quote_with(r, "more arrivals")
    assert q.speaker is not None
    assert not q.speaker.named
    assert "official" in q.speaker.name


def test_acronym_and_full_name_are_one_organisation() -> None:
    body = (
        '"Aid must reach the north," the United Nations said in a statement.\n\n'
        '"The road is open," the UN said later.'
    )
    r = run(body)
    a, b = quote_with(r, "Aid must reach"), quote_with(r, "The road is open")
    assert a.speaker is not None
    assert b.speaker is not None
    assert a.speaker == b.speaker
    assert a.speaker.name == "United Nations"
    assert len([s for s in r.speakers if s.name == "United Nations"]) == 1


def test_surname_takes_the_full_name_given_earlier() -> None:
    body = (
        "Rustam Odil, the port director, opened the gates at dawn.\n\n"
        '"The ships can dock again," Odil said.'
    )
    q = who(body, "ships can dock")
    assert q.speaker is not None
    assert q.speaker.name == "Rustam Odil"


def test_sentence_initial_word_is_not_a_first_name() -> None:
    body = 'When Oskar Lemm arrived, the camp was full.\n\n"It is too late," Lemm said.'
    q = who(body, "too late")
    assert q.speaker is not None
    assert q.speaker.name == "Oskar Lemm"


def test_new_sentence_after_a_quote_is_not_its_attribution() -> None:
    body = (
        '"We are ready," said Ida Voss, the fire chief. "Nobody is leaving."'
        " Karl Brenn said he would stay as well."
    )
    q = who(body, "Nobody is leaving")
    assert q.speaker is not None
    assert q.speaker.name == "Ida Voss"


def test_name_then_unlisted_past_verb_after_a_quote() -> None:
    q = who('"I know this town better than you," Oduya shot back with a laugh.', "this town")
    assert q.speaker is not None
    assert q.speaker.name == "Oduya"
    assert "attr.after:name_verb" in q.rules
