"""The unit of a figure: the counted noun after it ("people", "homes", "drones"), percent or
currency markers, or ``count``; nationality plurals ("Afghans") and "IDPs" are people."""

from __future__ import annotations

from typing import NamedTuple

from app.extraction.figures.sentence import FigureSentence
from app.extraction.figures.vocab import (
    GLUE_WORDS,
    NOT_NOUNS,
    PEOPLE_NOUNS,
    SKIP_BETWEEN,
    UNIT_NOUNS,
)
from app.extraction.numbers import NumberMatch

MAX_SKIP = 3


class Unit(NamedTuple):
    """A figure's unit, its counted noun (token index) and the modifiers before the noun."""

    unit: str
    noun: int | None
    modifiers: tuple[int, ...]
    rule: str


def _plural_noun(low: str) -> bool:
    return (
        low.isalpha()
        and len(low) > 3
        and low.endswith("s")
        and not low.endswith(("ss", "us", "is"))
        and low not in NOT_NOUNS
    )


def _modifier(low: str) -> bool:
    if low in SKIP_BETWEEN or low.endswith(("ian", "ese", "ish")):
        return True
    return "-" in low and low.replace("-", "").isalpha()  # "mud-and-thatch", "long-term"


def _dehyphen(low: str) -> str:
    """A noun broken across lines by a hyphen ("house-holds") joined up when it is known."""
    if "-" in low:
        joined = low.replace("-", "")
        if joined in PEOPLE_NOUNS or joined in UNIT_NOUNS:
            return joined
    return low


def counted_noun(s: FigureSentence, m: NumberMatch) -> tuple[int | None, tuple[int, ...]]:
    """(index of the counted noun after ``m``, modifiers skipped before it)."""
    j = m.last_token + 1
    mods: list[int] = []
    while j < len(s.toks) and len(mods) <= MAX_SKIP:
        low = _dehyphen(s.lows[j])
        if low in PEOPLE_NOUNS or low in UNIT_NOUNS:
            return j, tuple(mods)
        if low == "idp" and s.low(j + 1) in ("s", "’s", "'s"):
            return j, tuple(mods)
        if _modifier(low) or (
            low.isalpha()
            and low not in GLUE_WORDS
            and (s.low(j + 1) in UNIT_NOUNS or s.low(j + 1) in PEOPLE_NOUNS)
        ):
            mods.append(j)
            j += 1
            continue
        if _plural_noun(low):
            return j, tuple(mods)  # an unlisted plural noun: "14 areas", "40 tents"
        return None, ()
    return None, ()


def unit_of(s: FigureSentence, m: NumberMatch) -> Unit:
    """The unit of ``m``."""
    if m.percent:
        return Unit("percent", None, (), "unit.percent")
    if m.currency:
        return Unit(m.currency, None, (), "unit.currency")
    noun, mods = counted_noun(s, m)
    if noun is None:
        return Unit("count", None, (), "unit.none")
    low = _dehyphen(s.lows[noun])
    if low in PEOPLE_NOUNS:
        return Unit("people", noun, mods, "unit.people_noun")
    return Unit(UNIT_NOUNS.get(low, low), noun, mods, "unit.noun")
