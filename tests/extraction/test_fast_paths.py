"""The cheap pre-checks in front of the number and cue parsers must let every start through."""

from __future__ import annotations

import re
from unittest.mock import patch

import ftfy
import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from app.extraction import numbers, speakers
from app.extraction.charsafe import is_plain
from app.extraction.cleaning import fix_text
from app.extraction.numbers import find_numbers
from app.extraction.places import _Covering
from app.extraction.reported.cues import find_cues
from app.extraction.reported.vocab import tokenize


@pytest.mark.parametrize(
    ("text", "value", "value_max", "currency"),
    [
        ("Aid of $5 million arrived.", 5_000_000, None, "usd"),
        ("A grant of USD 300 was paid.", 300, None, "usd"),
        ("Between 10 and 15 people fled.", 10, 15, None),
        ("From 20 to 30 homes burned.", 20, 30, None),
        ("Twenty-five families left.", 25, None, None),
        ("Several thousand people fled.", 1000, None, None),
        ("Tens of thousands were displaced.", 10_000, None, None),
        ("Dozens were hurt.", 12, None, None),
    ],
)
def test_every_kind_of_figure_start_is_parsed(
    text: str, value: float, value_max: float | None, currency: str | None
) -> None:
    [m] = find_numbers(text)
    assert (m.value, m.value_max, m.currency) == (value, value_max, currency)


def test_a_sentence_without_figure_starts_has_none() -> None:
    assert find_numbers("The convoy reached the border at dawn.") == []


def test_cues_after_passed_over_tokens_are_found() -> None:
    text = "The regional governor of the eastern province said the road was closed."
    toks = tokenize(text, 0, len(text))
    cues = find_cues(toks, [False] * len(toks))
    assert [toks[c.start].low for c in cues] == ["said"]


@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 30)), max_size=8),
    st.integers(0, 80),
    st.integers(0, 30),
)
def test_covering_spans_agree_with_a_plain_scan(
    spans: list[tuple[int, int]], start: int, length: int
) -> None:
    spans = [(s, s + n) for s, n in spans]
    end = start + length
    expected = any(s <= start and end <= e for s, e in spans)
    assert _Covering(spans).covers(start, end) == expected


_MOJIBAKE = st.sampled_from(
    ["caf\u00c3\u00a9", "\u00e2\u20ac\u2122", "e\u0301", "&amp;", "&eacute;", "<b>", "\r\n",
     "\ufb01", "\ufeff", "\x1b", "\u2028", "\u00ef\u00bb\u00bf", "\ufffd", "\uff21"]
)  # fmt: skip
_PLAIN = st.sampled_from(
    ["The river rose. ", "“We left,” she said.\n", "\n\n", "3 450 homes ", "é "]
)


@given(st.lists(st.one_of(_MOJIBAKE, _PLAIN), max_size=12))
def test_repair_by_lines_equals_ftfy_on_the_whole_text(parts: list[str]) -> None:
    text = "".join(parts)
    assert fix_text(text) == ftfy.fix_text(text, uncurl_quotes=False)


def _plain_chars() -> list[str]:
    return [chr(cp) for cp in range(0x3000) if is_plain(chr(cp))]


def test_re_and_regex_read_every_plain_character_alike() -> None:
    classes = [r"\d", r"\w", r"\s", r"[^\W\d_]"]
    pairs = [(re.compile(c), regex.compile(c, regex.V1)) for c in classes]
    pairs.append((re.compile(r"[^\W\d_]"), regex.compile(r"\p{L}", regex.V1)))
    pairs.append((re.compile(r"[^\W\d_]"), regex.compile(r"[\p{L}\p{M}]", regex.V1)))
    for ch in _plain_chars():
        for plain, full in pairs:
            assert (plain.match(ch) is None) == (full.match(ch) is None), (hex(ord(ch)), plain)


def test_marks_and_superscripts_are_not_plain() -> None:
    assert not is_plain("Jose\u0301 ran 2\u00b2 km")
    assert is_plain("“Maria’s 3,500 homes—gone,” said Dr. Ana Ruiz – €40.")


_PIECE = st.sampled_from(
    [*"aZé ßΩж’'-.,_3“”—\n", "'s", "Dr", "U.S", "Sen", "Lena K.", "5,000", "half-"]
) | st.characters(codec="utf-8", max_codepoint=0x2FFF)
_TEXT = st.lists(_PIECE, max_size=20).map("".join)


@given(_TEXT)
def test_plain_tokenisers_equal_the_full_ones(text: str) -> None:
    full = [(m.group(), m.start(), m.end()) for m in numbers.TOKEN_RE.finditer(text)]
    assert [(t.text, t.start, t.end) for t in numbers.tokenize(text)] == full
    with patch.object(speakers, "is_plain", return_value=False):
        expected = speakers.words(text)
    assert speakers.words(text) == expected
