"""Numbers that are not figures: each rule is a small named function (True = not a figure).

Years, dates, clock times ("04:30", "6 p.m."), ordinals, ages, read times, designations and
references ("Su-25", "Resolution 2334", "page 4"), phone numbers, quake magnitudes and the
pronoun "one" ("no one", "one of the").
"""

from __future__ import annotations

from collections.abc import Callable

from app.extraction.figures.sentence import FigureSentence
from app.extraction.figures.vocab import (
    MONTHS,
    ONE_AFTER,
    ONE_BEFORE,
    PEOPLE_NOUNS,
    REFERENCE_WORDS,
    SKIP_BETWEEN,
    TIME_UNITS,
    TIME_WORDS,
    UNIT_NOUNS,
)
from app.extraction.numbers import NumberMatch

Rule = Callable[[FigureSentence, NumberMatch], bool]
RELATIVE_TIME = frozenset({"later", "earlier", "ago", "afterwards", "before", "after"})
MAGNITUDE_WORDS = frozenset({"magnitude", "richter", "-magnitude", "magnitude-"})


def _adjacent(s: FigureSentence, i: int, j: int) -> bool:
    return 0 <= i < len(s.toks) and 0 <= j < len(s.toks) and s.toks[i].end == s.toks[j].start


def ordinal(s: FigureSentence, m: NumberMatch) -> bool:
    """ "24th", "3rd"."""
    return _adjacent(s, m.last_token, m.last_token + 1) and s.low(m.last_token + 1) in (
        "st", "nd", "rd", "th",
    )  # fmt: skip


def clock_time(s: FigureSentence, m: NumberMatch) -> bool:
    """ "04:30", "5 pm", "6 p.m.", "11:00"."""
    last, f = m.last_token, m.first_token
    nxt = s.low(last + 1)
    if nxt in TIME_WORDS:
        return True
    if nxt in ("a", "p") and s.low(last + 2) == "." and s.low(last + 3) == "m":
        return True
    if nxt == ":" and _adjacent(s, last, last + 1) and s.low(last + 2)[:1].isdigit():
        return True
    return (
        s.low(f - 1) == ":" and _adjacent(s, f - 1, f) and _adjacent(s, f - 2, f - 1)
    ) and s.low(f - 2)[:1].isdigit()


def date(s: FigureSentence, m: NumberMatch) -> bool:
    """ "24 February", "February 24", "Feb. 24"."""
    f, last = m.first_token, m.last_token
    prev, nxt = s.low(f - 1), s.low(last + 1)
    if nxt in MONTHS or prev in MONTHS or (prev == "." and s.low(f - 2) in MONTHS):
        return True
    if nxt in ("and", "to", "-", "–") and s.low(last + 2).isdigit():
        return s.low(last + 3) in MONTHS  # "2 and 3 June", "3-5 May"
    return prev == "of" and s.low(f - 2) == "as" and not m.words  # "as of 4 June"


def designation(s: FigureSentence, m: NumberMatch) -> bool:
    """ "the 3 Commando Brigade", "the 7 Mile camp": a number inside a proper name."""
    nxt = s.text(m.last_token + 1)
    if m.words or s.low(m.first_token - 1) != "the" or not nxt[:1].isupper():
        return False
    return nxt.lower() not in PEOPLE_NOUNS and nxt.lower() not in UNIT_NOUNS


def age(s: FigureSentence, m: NumberMatch) -> bool:
    """ "a 45-year-old", "aged 45", "45 years old", "Natalya, 34, said"."""
    f, last = m.first_token, m.last_token
    prev, nxt, nxt2 = s.low(f - 1), s.low(last + 1), s.low(last + 2)
    if nxt in ("-", "–") and nxt2.startswith(("year-old", "month-old", "week-old", "day-old")):
        return True
    if nxt2 == "old" and nxt in ("years", "year", "months", "weeks"):
        return True
    if nxt.startswith(("year-old", "month-old")) or prev in ("aged", "age", "ages"):
        return True
    return prev == "," and nxt == "," and s.text(f - 2)[:1].isupper() and not m.words


def relative_time(s: FigureSentence, m: NumberMatch) -> bool:
    """ "two days later", "4 min read"."""
    nxt, nxt2 = s.low(m.last_token + 1), s.low(m.last_token + 2)
    if nxt in UNIT_NOUNS and UNIT_NOUNS[nxt] in TIME_UNITS and nxt2 in RELATIVE_TIME:
        return True
    return nxt in ("min", "mins", "minute", "minutes") and nxt2 == "read"


def reference(s: FigureSentence, m: NumberMatch) -> bool:
    """ "page 4", "Resolution 2334", "Su-25", "MH17"."""
    f = m.first_token
    prev = s.low(f - 1)
    if prev in REFERENCE_WORDS and not m.words and prev != "top":
        return True
    if prev == "-" and _adjacent(s, f - 2, f - 1):
        return True
    return f > 0 and _adjacent(s, f - 1, f) and s.text(f - 1)[:1].isalpha()


def year(s: FigureSentence, m: NumberMatch) -> bool:
    """A four-digit number 1800-2100 not followed by a counted noun."""
    raw = s.text(m.first_token)
    if m.words or m.value_max is not None or not raw.isdigit() or len(raw) != 4:
        return False
    if not 1800 <= m.value <= 2100 or s.text(m.last_token) != raw:
        return False
    nxt, nxt2 = s.low(m.last_token + 1), s.low(m.last_token + 2)
    noun = nxt if nxt not in SKIP_BETWEEN else nxt2
    return noun not in PEOPLE_NOUNS and noun not in UNIT_NOUNS


def magnitude(s: FigureSentence, m: NumberMatch) -> bool:
    """Quake magnitudes: "a magnitude 6.4 quake", "a 5.9-magnitude", "7.1 on the Richter"."""
    f, last = m.first_token, m.last_token
    window = {s.low(f - 1), s.low(f - 2), s.low(last + 1), s.low(last + 2)}
    if window & MAGNITUDE_WORDS:
        return True
    return s.low(last + 1) == "on" and s.low(last + 3) == "richter"


def pronoun_one(s: FigureSentence, m: NumberMatch) -> bool:
    """ "no one", "one of the", "one day"."""
    f = m.first_token
    if not (m.words and s.low(f) == "one" and m.value_max is None and m.last_token == f):
        return False
    return s.low(f - 1) in ONE_BEFORE or s.low(f + 1) in ONE_AFTER


RULES: tuple[tuple[str, Rule], ...] = (
    ("exclude.ordinal", ordinal),
    ("exclude.clock_time", clock_time),
    ("exclude.date", date),
    ("exclude.age", age),
    ("exclude.relative_time", relative_time),
    ("exclude.reference", reference),
    ("exclude.designation", designation),
    ("exclude.year", year),
    ("exclude.magnitude", magnitude),
    ("exclude.pronoun_one", pronoun_one),
)


def exclusion(s: FigureSentence, m: NumberMatch, phones: list[tuple[int, int]]) -> str | None:
    """Name of the first rule that says ``m`` is not a figure, or None."""
    start = s.toks[m.first_token].start
    if phones and any(a <= start < b for a, b in phones):
        return "exclude.phone"
    if m.vague or m.percent or m.currency:
        return None
    for name, rule in RULES:
        if rule(s, m):
            return name
    return None
