"""Direct-quote spans and filters (fictional text)."""

from __future__ import annotations

from app.extraction import ExtractionResult, analyse
from app.extraction.quoting.filters import is_scare, is_title
from app.extraction.quoting.spans import direct_spans
from app.extraction.sentences import paragraphs
from tests.extraction.helpers import assert_provenance, quote_with


def run(body: str) -> ExtractionResult:
    result = analyse(body)
    assert_provenance(result)
    return result


def test_doubled_apostrophes_are_one_mark() -> None:
    body = "''The tide took the road,'' said Oda Finn. ''Then the bridge.''"
    spans = direct_spans(body, paragraphs(body))
    assert [body[s.start : s.end] for s in spans] == ["The tide took the road,", "Then the bridge."]
    assert all(s.style == "doubled" for s in spans)
    assert all(body[s.mark_start : s.mark_start + 2] == "''" for s in spans)


def test_curly_quote_inside_a_straight_transcript_does_not_restart_it() -> None:
    body = (
        '"We read the sign that said “keep out” and went in anyway.\n\n'
        '"Then the guard came back," said Teo Brandt.'
    )
    r = run(body)
    q = quote_with(r, "keep out")
    assert q.text.startswith("We read the sign")
    assert q.text.endswith("came back,")
    assert "direct.multipara" in q.rules
    assert q.speaker is not None
    assert q.speaker.name == "Teo Brandt"


def test_scare_quotes_and_titles_are_not_quotes() -> None:
    body = (
        'Residents fled the so-called "buffer zone" last week. The town hall showed'
        ' "River of Salt" on Friday. "We will be back by spring," said Hana Ilic.'
    )
    r = run(body)
    texts = [q.text for q in r.quotes if q.kind == "direct"]
    assert "buffer zone" not in texts
    assert "River of Salt" not in texts
    assert any(t.startswith("We will be back") for t in texts)


def test_a_short_quote_with_its_own_cue_stays() -> None:
    q = quote_with(run('Rudd called the plan "reckless," aides said.'), "reckless")
    assert q.speaker is not None


def test_markup_attribute_values_are_not_quotes() -> None:
    r = run('<note author="Vera Olin">The clinic reopened on Monday.</note>')
    assert not [q for q in r.quotes if q.kind == "direct"]


def test_filter_helpers() -> None:
    assert is_title("The Long Night of the Harbour")
    assert not is_title("We will stay.")
    assert not is_title("I Am Here")
    assert is_scare("buffer zone")
    assert not is_scare("we stay here")


def test_rules_name_style_and_attribution() -> None:
    q = quote_with(run('"The pumps failed at midnight," said Eli Sato.'), "pumps failed")
    assert q.rules[0] == "direct.straight"
    assert "attr.after:cue_name" in q.rules
